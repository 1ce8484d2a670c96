/**
 * The part of fibwire's netlink client that `readActualState()` and
 * `apply()` use, named so the dependency is explicit: `Rtnl` satisfies it.
 */
import type { Rtnl } from '../netlink/rtnl.js';

/** The rtnetlink operations alloc needs. */
export type AllocRtnl = Pick<Rtnl, 'links' | 'addresses' | 'routes' | 'sysctl' | 'channel' | 'close'>;

/** Opens a client inside a named namespace, or in the caller's own (`null`). */
export type RtnlOpener = (netns: string | null) => Promise<AllocRtnl>;
