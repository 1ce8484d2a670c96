/**
 * The default {@link NamespaceHost} of `apply()`: fibwire's own addon makes
 * and removes named namespaces (Netns, src/netlink/netns.ts), exactly as
 * `ip netns add/delete` would, so no ip(1) is needed.
 */
import { Netns } from '../netlink/netns.js';
import { listNamedNamespaces, NETNS_RUN_DIR, type NamespaceHost } from './host.js';

/**
 * Named namespaces through fibwire's netlink addon (needs CAP_SYS_ADMIN).
 *
 * @example
 * ```ts
 * const host = new NetnsNamespaceHost();
 * await apply(plan.desired, { host }); // the same as apply(plan.desired)
 * ```
 */
export class NetnsNamespaceHost implements NamespaceHost {
  constructor(private readonly runDir: string = NETNS_RUN_DIR) {}

  list(): Promise<string[]> {
    return listNamedNamespaces(this.runDir);
  }

  create(name: string): Promise<void> {
    return Netns.create(name, { runDir: this.runDir });
  }

  remove(name: string): Promise<void> {
    return Netns.delete(name, { runDir: this.runDir });
  }
}
