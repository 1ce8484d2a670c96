import type { BulkFailure, BulkOperation } from '../netlink/bulk.js';
import { NetlinkError } from '../netlink/errors.js';
import type { Rtnl } from '../netlink/rtnl.js';
import type { KernelNexthopObject, KernelRouteObject, KernelSnapshot, NhgOperation, NhgSink } from './types.js';

/** Outcome of one applied batch: which operations (by index in the batch) failed. */
export interface NhgApplyResult {
  readonly failures: readonly { readonly index: number; readonly operation: NhgOperation; readonly error: unknown }[];
}

/** Options of {@link KernelNhgSink}. */
export interface KernelNhgSinkOptions {
  /** Route and nexthop protocol (nhm_protocol / rtm_protocol); default 186 (RTPROT_BGP). */
  readonly protocol?: number;
  /** Called for every failed operation (also counted in `errors`). */
  readonly onError?: (failure: { readonly operation: NhgOperation; readonly error: unknown }) => void;
}

/**
 * Applies {@link NexthopGroupCache} operations to the kernel through the netlink
 * client, as one bulk stream per batch: RTM_NEWNEXTHOP (create for new objects,
 * NLM_F_REPLACE for a group rewrite), routes with RTA_NH_ID (create-or-replace),
 * deletes. A delete of something already gone (ENOENT/ESRCH — e.g. flushed by the
 * kernel on link down) counts as done. Batches are applied strictly in order.
 *
 * Cost of a group replace depends on `net.ipv4.nexthop_compat_mode` of the
 * namespace: with 1 (the default) the kernel notifies every route using the group,
 * tens of milliseconds at 100k routes; with 0 about 30 µs, but route dumps then show
 * only `nhid N` (use `NexthopGroupCache.resolve()` to print them). Set it per
 * namespace with `rtnl.sysctl.setNexthopCompatMode(0)`.
 *
 * @example
 * ```ts
 * const rtnl = await Rtnl.open({ netns: 'edge' });
 * await rtnl.sysctl.setNexthopCompatMode(0);
 * const sink = new KernelNhgSink(rtnl);
 * const cache = new NexthopGroupCache({ sink });
 * cache.setRoute(route, paths);
 * await sink.idle();
 * ```
 */
export class KernelNhgSink implements NhgSink {
  readonly protocol: number;
  /** Failed operations so far. */
  errors = 0;
  /** Operations sent so far. */
  sent = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly onError: KernelNhgSinkOptions['onError'];

  constructor(
    private readonly rtnl: Rtnl,
    options: KernelNhgSinkOptions = {},
  ) {
    this.protocol = options.protocol ?? 186;
    this.onError = options.onError;
  }

  /** NhgSink: queues the batch (applied after every earlier one). */
  apply(ops: readonly NhgOperation[]): void {
    void this.applyNow(ops);
  }

  /** Queues the batch and resolves with its failures once the kernel has answered. */
  applyNow(ops: readonly NhgOperation[]): Promise<NhgApplyResult> {
    const batch = [...ops];
    const run = this.chain.then(() => this.send(batch));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every queued batch has been applied. */
  async idle(): Promise<void> {
    let last: Promise<unknown> | undefined;
    while (last !== this.chain) {
      last = this.chain;
      await last;
    }
  }

  /**
   * Reads our objects back from the kernel (nexthops and routes of our protocol,
   * routes that use a nexthop id) for `NexthopGroupCache.rebuild()` after a restart.
   */
  async snapshot(tables?: readonly number[]): Promise<KernelSnapshot> {
    const nexthops: KernelNexthopObject[] = [];
    for (const nh of await this.rtnl.nexthops.list()) {
      if (nh.protocol !== this.protocol) continue;
      if (nh.group) nexthops.push({ id: nh.id, group: nh.group });
      else nexthops.push({ id: nh.id, ...(nh.gateway !== undefined ? { gateway: nh.gateway } : {}), ...(nh.oif !== undefined ? { ifindex: nh.oif } : {}) });
    }
    const routes: KernelRouteObject[] = [];
    const wanted = tables === undefined ? [undefined] : [...tables];
    for (const table of wanted) {
      const list = await this.rtnl.routes.list({ protocol: this.protocol, ...(table !== undefined ? { table } : {}) });
      for (const r of list) {
        if (r.nhid === undefined) continue;
        routes.push({ route: { prefix: r.dst, table: r.table, metric: r.metric ?? 0 }, nexthopId: r.nhid });
      }
    }
    return { nexthops, routes };
  }

  private async send(batch: NhgOperation[]): Promise<NhgApplyResult> {
    if (batch.length === 0) return { failures: [] };
    const failures: { index: number; operation: NhgOperation; error: unknown }[] = [];
    const ops: BulkOperation[] = [];
    const indexOf: number[] = [];
    batch.forEach((op, index) => {
      ops.push(this.toBulk(op));
      indexOf.push(index);
    });
    const result = await this.rtnl.bulk(ops, { maxFailuresKept: ops.length });
    this.sent += ops.length;
    for (const f of result.failures) {
      if (isAlreadyGone(f)) continue;
      const index = indexOf[f.index]!;
      failures.push({ index, operation: batch[index]!, error: f.error });
    }
    failures.sort((a, b) => a.index - b.index);
    this.errors += failures.length;
    for (const f of failures) this.onError?.({ operation: f.operation, error: f.error });
    return { failures };
  }

  private toBulk(op: NhgOperation): BulkOperation {
    const protocol = this.protocol;
    switch (op.op) {
      case 'nexthop-add':
        return {
          op: 'nexthop.add',
          nexthop: {
            id: op.id,
            protocol,
            ...(op.nexthop.gateway !== undefined ? { gateway: op.nexthop.gateway } : {}),
            ...(op.nexthop.ifindex !== undefined ? { oif: op.nexthop.ifindex } : {}),
            // NHA_ENCAP_TYPE + NHA_ENCAP (LWTUNNEL_ENCAP_MPLS): the label stack the route pushes.
            ...(op.nexthop.encap !== undefined ? { encap: { type: op.nexthop.encap.type, labels: [...op.nexthop.encap.labels] } } : {}),
          },
        };
      case 'group-add':
        return { op: 'nexthop.add', nexthop: { id: op.id, protocol, group: op.members } };
      case 'group-replace':
        return { op: 'nexthop.replace', nexthop: { id: op.id, protocol, group: op.members } };
      case 'route-add':
      case 'route-replace':
        return { op: 'route.replace', route: { dst: op.route.prefix, table: op.route.table, metric: op.route.metric, protocol, nhid: op.nexthopId } };
      case 'route-delete':
        return { op: 'route.delete', route: { dst: op.route.prefix, table: op.route.table, metric: op.route.metric, protocol } };
      case 'group-delete':
      case 'nexthop-delete':
        return { op: 'nexthop.delete', id: op.id };
    }
  }
}

/** A delete that found nothing: the object is already gone, which is what we wanted. */
function isAlreadyGone(f: BulkFailure): boolean {
  const del = f.operation.op === 'route.delete' || f.operation.op === 'nexthop.delete';
  return del && f.error instanceof NetlinkError && (f.error.code === 'ESRCH' || f.error.code === 'ENOENT');
}
