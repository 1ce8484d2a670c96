import type { Rtnl } from '../netlink/rtnl.js';

/**
 * Sets `net.ipv4.nexthop_compat_mode` of the client's namespace and returns the
 * previous value.
 *
 * The trade-off: with `1` (the kernel default) routes that use nexthop objects are
 * also dumped and notified with their expanded nexthops, so tools that predate
 * nexthop objects keep working — but a group replace then notifies every route
 * using the group (tens of milliseconds at 100k routes, see bench/fib-export.ts).
 * With `0` a group replace is one cheap message whatever the route count, and route
 * dumps carry only `nhid N`: resolve those with `NexthopGroupCache.resolve(id)`.
 * The setting is per network namespace.
 *
 * @example
 * ```ts
 * const before = await setNexthopCompatMode(rtnl, 0);
 * // ... failovers are now one cheap group replace
 * await setNexthopCompatMode(rtnl, before);
 * ```
 */
export async function setNexthopCompatMode(rtnl: Rtnl, mode: 0 | 1): Promise<0 | 1> {
  const before = await rtnl.sysctl.nexthopCompatMode();
  if (before !== mode) await rtnl.sysctl.setNexthopCompatMode(mode);
  return before;
}
