import type { BulkEncoder, BulkOperation } from '../netlink/bulk.js';
import { NetlinkError } from '../netlink/errors.js';
import type { RouteEntry } from '../netlink/ops/route-codec.js';
import { RouteView } from '../netlink/ops/route-view.js';
import type { Rtnl } from '../netlink/rtnl.js';
import { KernelNhgSink } from '../nhg/kernel-nhg-sink.js';
import type { KernelSnapshot, NhgOperation } from '../nhg/types.js';
import { assertSweepableProtocol, FibOperationError } from './errors.js';
import { FibRouteEncoder, FibRouteRunEncoder } from './fib-route-encoder.js';
import { keepShapeOf } from '../netlink/shape-keeper.js';
import type { FibApplyResult, FibRouteOp, FibRouteRun, FibSink, NexthopLookup } from './fib-sink.js';

/** Options of {@link KernelFibSink}. */
export interface KernelFibSinkOptions {
  /** Also delete nexthop objects of our protocol on cleanup (needed with nexthop groups, whose ids would clash). Default true. */
  readonly sweepNexthops?: boolean;
}

/**
 * The FIB exporter's kernel side over the netlink client: routes go out as bulk
 * streams (RTM_NEWROUTE create-or-replace, RTM_DELROUTE), nexthops are validated
 * with a FIB lookup (RTM_GETROUTE, like `ip route get`), cleanup dumps our
 * protocol's routes per table and deletes them, and nexthop-group operations go
 * through a {@link KernelNhgSink}.
 *
 * @example
 * ```ts
 * const rtnl = await Rtnl.open({ netns: 'edge' });
 * const exporter = new FibExporter(config, new KernelFibSink(rtnl));
 * await exporter.start();
 * ```
 */
export class KernelFibSink implements FibSink {
  private readonly nhgSinks = new Map<number, KernelNhgSink>();
  private readonly sweepNexthops: boolean;
  /** The synchronous lookup's answer, read in place (see lookupNexthopNow). */
  private readonly lookupView = new RouteView();
  /** Route sets per attribute set, kept across slices (see FibRouteEncoder). */
  private readonly routeEncoder = new FibRouteEncoder();
  /** Set once a synchronous lookup failed other than by the kernel's refusal (see lookupNexthopNow). */
  private syncLookupsOff = false;

  constructor(
    readonly rtnl: Rtnl,
    options: KernelFibSinkOptions = {},
  ) {
    this.sweepNexthops = options.sweepNexthops ?? true;
  }

  async cleanup(protocol: number, tables: readonly number[], options: { readonly keepNexthopObjects?: boolean } = {}): Promise<number> {
    assertSweepableProtocol(protocol);
    const keep = options.keepNexthopObjects === true;
    const ops: BulkOperation[] = [];
    for (const table of tables) {
      const found = await this.rtnl.routes.list({ table, protocol });
      // Last first: a dump lists a table in ascending prefix order, and deleting a
      // large table in that order takes fib_trie's slow path (1M routes: 28–39 s
      // instead of 2–4.5 s, measured on this kernel).
      for (let i = found.length - 1; i >= 0; i--) {
        const r = found[i]!;
        // Routes on our nexthop objects are adopted by the exporter's nexthop-group cache instead.
        if (keep && r.nhid !== undefined) continue;
        ops.push({ op: 'route.delete', route: { dst: r.dst, family: r.family, table: r.table, protocol, tos: r.tos, ...(r.metric !== undefined ? { metric: r.metric } : {}) } });
      }
    }
    const routes = ops.length;
    if (this.sweepNexthops && !keep) {
      const ours = (await this.rtnl.nexthops.list()).filter((n) => n.protocol === protocol);
      // Groups before their members: the kernel would otherwise rewrite the groups one member at a time.
      for (const n of ours) if (n.group) ops.push({ op: 'nexthop.delete', id: n.id });
      for (const n of ours) if (!n.group) ops.push({ op: 'nexthop.delete', id: n.id });
    }
    if (ops.length === 0) return 0;
    const result = await this.rtnl.bulk(ops, { maxFailuresKept: ops.length });
    const real = result.failures.filter((f) => !(f.error instanceof NetlinkError && (f.error.code === 'ESRCH' || f.error.code === 'ENOENT')));
    if (real.length > 0) throw new FibOperationError('ERR_FIB_CLEANUP', `cleanup: ${real.length} deletions failed, first: ${real[0]!.error.message}`, undefined, real[0]!.error);
    return routes - result.failures.filter((f) => f.operation.op === 'route.delete').length;
  }

  async lookupNexthop(gateway: string): Promise<NexthopLookup> {
    let entry: RouteEntry;
    try {
      entry = await this.rtnl.routes.get(gateway);
    } catch (error) {
      if (error instanceof NetlinkError) return lookupResult(false, undefined, undefined); // ENETUNREACH, EHOSTUNREACH, EINVAL...
      throw error;
    }
    const found = lookupOfEntry(entry);
    if (found !== undefined) return found;
    // nexthop_compat_mode=0: the route only names its nexthop object.
    const nh = await this.rtnl.nexthops.get(entry.nhid!);
    const first = nh?.group?.[0] !== undefined ? await this.rtnl.nexthops.get(nh.group[0].id) : nh;
    return lookupResult(true, first?.oif, first?.gateway);
  }

  /**
   * The FIB lookup through the client's synchronous socket (`routes.getSyncView`).
   * Undefined when that socket fails or times out (and from then on), or when
   * the route only names a nexthop object (compat mode 0, which needs more
   * lookups): the asynchronous path decides.
   */
  lookupNexthopNow(gateway: string): NexthopLookup | undefined {
    if (this.syncLookupsOff) return undefined;
    let answer: RouteView;
    try {
      answer = this.rtnl.routes.getSyncView(gateway, this.lookupView);
    } catch (error) {
      if (error instanceof NetlinkError) return lookupResult(false, undefined, undefined);
      // The socket failed or timed out: every further call could hold the event
      // loop as long again, so this sink looks up asynchronously from now on.
      this.syncLookupsOff = true;
      return undefined;
    }
    return lookupOfEntry(answer);
  }

  /** Batches waiting for the addon's send thread (`NetlinkChannel.queuedSends`). */
  queuedBatches(): number {
    return this.rtnl.channel.queuedSends;
  }

  applyRoutes(ops: readonly FibRouteOp[]): Promise<FibApplyResult> {
    return this.stream(ops, this.routeEncoder, (index) => ops[index]?.op === 'delete');
  }

  /**
   * The runs as one bulk stream whose items are the operations' positions (see
   * FibRouteRunEncoder): the same requests as {@link applyRoutes} would send
   * for the same operations, with no object per route.
   */
  applyRouteRuns(runs: readonly FibRouteRun[]): Promise<FibApplyResult> {
    const encoder = new FibRouteRunEncoder(this.routeEncoder, runs);
    return this.stream(encoder.positions(), encoder, (index) => encoder.opAt(index) === 'delete');
  }

  /** One slice as one bulk stream; a delete of a route already gone (ESRCH) is not a failure. */
  private async stream<T>(items: ArrayLike<T> & Iterable<T>, encoder: BulkEncoder<T>, isDelete: (index: number) => boolean): Promise<FibApplyResult> {
    // No slow start: the exporter keeps slices queued in the kernel itself, and a
    // slice (flushSliceSize routes, ~130 KiB) then goes in one sendmsg instead
    // of 16 + 32 + 64 KiB batches, each of which waited for this thread.
    // Batches sized to the slice: its buffers stay referenced until the answer is
    // read, which in a synchronous burst is after the burst.
    const count = items.length;
    const batchBytes = Math.min(256 * 1024, Math.max(16 * 1024, count * ROUTE_MESSAGE_BYTES));
    const result = await this.rtnl.bulkWith(items, encoder, { maxFailuresKept: count, slowStart: false, batchBytes });
    if (result.failures.length === 0) return { failures: [] };
    const failures = result.failures
      .filter((f) => !(isDelete(f.index) && f.error instanceof NetlinkError && f.error.code === 'ESRCH'))
      .map((f) => ({ index: f.index, error: f.error }));
    return { failures };
  }

  async applyNexthopOps(ops: readonly NhgOperation[], protocol: number): Promise<FibApplyResult> {
    let sink = this.nhgSinks.get(protocol);
    if (!sink) this.nhgSinks.set(protocol, (sink = new KernelNhgSink(this.rtnl, { protocol })));
    const result = await sink.applyNow(ops);
    return { failures: result.failures.map((f) => ({ index: f.index, error: f.error })) };
  }

  async snapshotNexthops(protocol: number, tables: readonly number[]): Promise<KernelSnapshot> {
    assertSweepableProtocol(protocol);
    return new KernelNhgSink(this.rtnl, { protocol }).snapshot(tables);
  }

  async resolveVrf(name: string): Promise<number | undefined> {
    const link = await this.rtnl.links.get(name);
    if (!link || link.kind !== 'vrf') return undefined;
    // IFLA_VRF_TABLE (inside IFLA_INFO_DATA of kind vrf) names the table the VRF device binds.
    if (link.vrfTable === undefined) throw new FibOperationError('ERR_FIB_VRF', `VRF ${name} reported no IFLA_VRF_TABLE`);
    return link.vrfTable;
  }
}

/**
 * Bytes per route operation a slice's batch is sized by: an IPv4 route with
 * gateway and interface is 68 (nlmsghdr 16, rtmsg 12 with the protocol, and
 * RTA_DST, RTA_TABLE, RTA_PRIORITY, RTA_GATEWAY, RTA_OIF at 8 each). A slice of
 * bigger ones (IPv6 at 92, multipath) goes out in more than one sendmsg.
 */
const ROUTE_MESSAGE_BYTES = 80;

/** What a FIB entry (decoded, or a view of the reply) says about a gateway; undefined when the entry only names a nexthop object. */
function lookupOfEntry(entry: Pick<RouteEntry, 'type' | 'oif' | 'gateway' | 'multipath' | 'nhid'>): NexthopLookup | undefined {
  // Only a unicast route forwards (local means the address is ours; blackhole/unreachable/prohibit do not).
  if (entry.type !== 'unicast') return lookupResult(false, undefined, undefined);
  const ifindex = entry.oif ?? entry.multipath?.[0]?.oif;
  const via = entry.gateway ?? entry.multipath?.[0]?.gateway;
  if (entry.nhid !== undefined && ifindex === undefined) return undefined;
  return lookupResult(true, ifindex, via);
}

/**
 * Every answer in one shape, so that the exporter's code that reads answers
 * sees one shape, and one answer kept alive keeps it: answers live only as long
 * as an exporter's nexthop cache, and a shape that died with the last of them
 * (a new exporter, an expired cache) took the exporter's `desiredFor` and
 * `validateGateway` with it (see keepShapeOf). Answers built by spreading the
 * optional fields had one shape per combination.
 */
function lookupResult(reachable: boolean, ifindex: number | undefined, via: string | undefined): NexthopLookup {
  return { reachable, ifindex, via };
}
keepShapeOf(lookupResult(false, undefined, undefined));
