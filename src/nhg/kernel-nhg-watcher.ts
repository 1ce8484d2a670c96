import type { RtnlMonitor } from '../netlink/monitor.js';
import type { Rtnl } from '../netlink/rtnl.js';
import type { NexthopGroupCache } from './nexthop-group-cache.js';
import type { KernelNexthopEvent, NhgOperation } from './types.js';

/**
 * Watches link and nexthop events of a namespace and feeds them to a
 * {@link NexthopGroupCache}, so that what the kernel flushed on a link down (our
 * nexthops, groups left empty, and silently every route using them) is re-created
 * and re-pointed — the failure mode of FRR issue #23295. Events of one event-loop
 * turn are handed over together. After a monitor overrun it re-reads links and
 * nexthops and reports what went missing.
 *
 * @example
 * ```ts
 * const watcher = await KernelNhgWatcher.start(rtnl, cache);
 * // ... link flaps are handled; cache ops flow to the cache's sink
 * watcher.stop();
 * ```
 */
export class KernelNhgWatcher {
  /** Kernel events handed to the cache so far. */
  events = 0;
  /** Resyncs after monitor overruns. */
  resyncs = 0;
  /** Resyncs that failed (the dump itself failed); the next overrun retries. */
  resyncErrors = 0;
  private pending: KernelNexthopEvent[] = [];
  private scheduled = false;
  private readonly linkUp = new Map<number, boolean>();

  private constructor(
    private readonly rtnl: Rtnl,
    private readonly cache: NexthopGroupCache,
    private readonly monitor: RtnlMonitor,
    private readonly onOperations: ((ops: NhgOperation[]) => void) | undefined,
    private readonly apply: ((events: KernelNexthopEvent[]) => void) | undefined,
  ) {
    monitor.on('nexthop', (action, nh) => {
      if (action === 'del') this.push({ type: 'nexthop-deleted', id: nh.id });
    });
    monitor.on('link', (action, link) => {
      // Running means administratively up with carrier (IFF_UP and IFF_LOWER_UP).
      const up = action === 'new' && link.up && link.lowerUp;
      if (this.linkUp.get(link.index) === up) return;
      this.linkUp.set(link.index, up);
      this.push({ type: up ? 'link-up' : 'link-down', ifindex: link.index });
    });
    monitor.on('overrun', () => {
      this.resync().catch(() => {
        this.resyncErrors++;
      });
    });
  }

  /** Reads the current link states, then starts watching. */
  static async start(
    rtnl: Rtnl,
    cache: NexthopGroupCache,
    options: {
      /** Called with the operations the cache computed (when `apply` is not given). */
      onOperations?: (ops: NhgOperation[]) => void;
      /** Hands the events to someone else instead of `cache.applyKernelEvents` (e.g. `FibExporter.applyKernelEvents`). */
      apply?: (events: KernelNexthopEvent[]) => void;
    } = {},
  ): Promise<KernelNhgWatcher> {
    const monitor = await rtnl.monitor({ groups: ['link', 'nexthop'] });
    const watcher = new KernelNhgWatcher(rtnl, cache, monitor, options.onOperations, options.apply);
    for (const link of await rtnl.links.list()) watcher.linkUp.set(link.index, link.up && link.lowerUp);
    return watcher;
  }

  /** Applies the events received so far now (tests use it instead of waiting a turn). */
  flush(): NhgOperation[] {
    this.scheduled = false;
    if (this.pending.length === 0) return [];
    const events = this.pending;
    this.pending = [];
    this.events += events.length;
    if (this.apply) {
      this.apply(events);
      return [];
    }
    const ops = this.cache.applyKernelEvents(events);
    if (ops.length > 0) this.onOperations?.(ops);
    return ops;
  }

  stop(): void {
    this.monitor.close();
    this.pending = [];
  }

  private push(ev: KernelNexthopEvent): void {
    this.pending.push(ev);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** After lost events: every nexthop of ours the kernel no longer has counts as deleted. */
  private async resync(): Promise<void> {
    this.resyncs++;
    const present = new Set((await this.rtnl.nexthops.list()).map((n) => n.id));
    for (const link of await this.rtnl.links.list()) {
      const up = link.up && link.lowerUp;
      if (this.linkUp.get(link.index) !== up) {
        this.linkUp.set(link.index, up);
        this.push({ type: up ? 'link-up' : 'link-down', ifindex: link.index });
      }
    }
    for (const n of this.cache.nexthops()) if (n.installed && !present.has(n.id)) this.push({ type: 'nexthop-deleted', id: n.id });
    for (const g of this.cache.groups()) if (g.installed && !present.has(g.id)) this.push({ type: 'nexthop-deleted', id: g.id });
  }
}
