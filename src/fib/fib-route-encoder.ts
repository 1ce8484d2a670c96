import type { BulkEncoder } from '../netlink/bulk.js';
import type { MessageWriter } from '../netlink/codec/writer.js';
import { NLM_F, RTM } from '../netlink/constants.js';
import type { RouteHop, RouteSpec } from '../netlink/ops/route-codec.js';
import { encodeRouteBody } from '../netlink/ops/route-codec.js';
import { RouteSetEncoder } from '../netlink/ops/route-set.js';
import type { FibPath, FibRouteAttributes, FibRouteKey, FibRouteOp, FibRouteRun } from './fib-sink.js';
import { keepShapeOf } from '../netlink/shape-keeper.js';

/** What the encoders read of a route: its key, and where it forwards unless it is deleted. */
export type FibRouteFields = Omit<FibRouteKey, 'prefix'> & Partial<Pick<FibRouteAttributes, 'gateway' | 'ifindex' | 'multipath'>>;

/** Route sets kept per encoder before the map starts over (bounds memory against a feed of ever-new next hops). */
const MAX_SETS = 1024;

/**
 * FIB route operations into rtnetlink requests, for the kernel sink's bulk
 * streams. Create-or-replace for adds and replaces (a route left with the same
 * key, table + prefix + metric, is taken over, not an EEXIST); deletes name
 * the key and the protocol.
 *
 * Single-path routes go through a {@link RouteSetEncoder} per attribute set
 * (table, metric, protocol, gateway, interface): the exporter's routes come
 * in runs that share them (one UPDATE's prefixes, one rule), so a route costs
 * its prefix parse and a copy of the set's request. The last set is checked
 * field by field first; a map keyed by the attributes is consulted only when
 * they change. Multipath routes, and attributes a set refuses, take the
 * general encoder, which gives the same bytes (and the same errors).
 *
 * @example
 * ```ts
 * const r = await rtnl.bulkWith(ops, new FibRouteEncoder());
 * ```
 */
export class FibRouteEncoder implements BulkEncoder<FibRouteOp> {
  private readonly sets = new Map<string, RouteSetEncoder | null>();
  // The set of the previous single-path operation and what it was made for.
  private lastSet: RouteSetEncoder | null = null;
  private lastDelete = false;
  private lastTable = -1;
  private lastMetric = -1;
  private lastProtocol = -1;
  private lastGateway: string | undefined = undefined;
  private lastIfindex: number | undefined = undefined;

  encode(w: MessageWriter, seq: number, o: FibRouteOp, ackFlag: number): void {
    this.encodeRoute(w, seq, o.op === 'delete', o.route, o.route.prefix, ackFlag);
  }

  /**
   * One route operation given as its attributes and prefix (an operation of a
   * {@link FibRouteRun}, or of a FibRouteOp): a replace, or a delete when `del`.
   */
  encodeRoute(w: MessageWriter, seq: number, del: boolean, r: FibRouteFields, prefix: string, ackFlag: number): void {
    let gateway: string | undefined;
    let ifindex: number | undefined;
    if (!del) {
      const paths = r.multipath;
      if (paths !== undefined && paths.length > 1) {
        encodeGeneralRoute(w, seq, del, prefix, r, ackFlag);
        return;
      }
      gateway = r.gateway;
      ifindex = r.ifindex;
    }
    let set = this.lastSet;
    if (
      set === null ||
      del !== this.lastDelete ||
      r.table !== this.lastTable ||
      r.metric !== this.lastMetric ||
      r.protocol !== this.lastProtocol ||
      gateway !== this.lastGateway ||
      ifindex !== this.lastIfindex
    ) {
      set = this.setFor(del, r.table, r.metric, r.protocol, gateway, ifindex);
      this.lastSet = set;
      this.lastDelete = del;
      this.lastTable = r.table;
      this.lastMetric = r.metric;
      this.lastProtocol = r.protocol;
      this.lastGateway = gateway;
      this.lastIfindex = ifindex;
    }
    if (set === null) encodeGeneralRoute(w, seq, del, prefix, r, ackFlag);
    else set.encode(w, seq, prefix, ackFlag);
  }

  requestOf(o: FibRouteOp): { type: number; flags: number } {
    return o.op === 'delete' ? { type: RTM.DELROUTE, flags: 0 } : { type: RTM.NEWROUTE, flags: NLM_F.CREATE | NLM_F.REPLACE };
  }

  /** The set for these attributes; null when a set refuses them (the general encoder then says why, per route). */
  private setFor(del: boolean, table: number, metric: number, protocol: number, gateway: string | undefined, ifindex: number | undefined): RouteSetEncoder | null {
    const key = `${del ? 'd' : 'r'} ${table} ${metric} ${protocol} ${gateway ?? ''} ${ifindex ?? ''}`;
    const known = this.sets.get(key);
    if (known !== undefined) return known;
    let set: RouteSetEncoder | null;
    try {
      set = del
        ? new RouteSetEncoder('delete', { table, metric, protocol })
        : new RouteSetEncoder('replace', { table, metric, protocol, ...(gateway !== undefined ? { gateway } : {}), ...(ifindex !== undefined ? { oif: ifindex } : {}) });
    } catch {
      set = null;
    }
    if (this.sets.size >= MAX_SETS) this.sets.clear();
    this.sets.set(key, set);
    return set;
  }
}

/**
 * One RouteSpec reused for every operation of the general path: encoding is
 * synchronous, so no object per route. Every field is always set, so the
 * object keeps one shape.
 */
const scratchSpec: { -readonly [K in keyof RouteSpec]: RouteSpec[K] } = {
  dst: '',
  table: undefined,
  metric: undefined,
  protocol: undefined,
  gateway: undefined,
  oif: undefined,
  multipath: undefined,
};

/** Any FIB route operation through the single-route encoder (multipath, and whatever a route set refuses). */
export function encodeGeneral(w: MessageWriter, seq: number, o: FibRouteOp, ackFlag: number): void {
  encodeGeneralRoute(w, seq, o.op === 'delete', o.route.prefix, o.route, ackFlag);
}

/** {@link encodeGeneral} for a route given as its prefix and attributes. */
function encodeGeneralRoute(w: MessageWriter, seq: number, del: boolean, prefix: string, r: FibRouteFields, ackFlag: number): void {
  const spec = scratchSpec;
  spec.dst = prefix;
  spec.table = r.table;
  spec.metric = r.metric;
  spec.protocol = r.protocol;
  spec.gateway = undefined;
  spec.oif = undefined;
  spec.multipath = undefined;
  if (!del) {
    const paths = r.multipath;
    if (paths !== undefined && paths.length > 1) spec.multipath = paths.map(hopOf);
    else {
      spec.gateway = r.gateway;
      spec.oif = r.ifindex;
    }
  }
  const start = w.beginMessage(del ? RTM.DELROUTE : RTM.NEWROUTE, NLM_F.REQUEST | ackFlag | (del ? 0 : NLM_F.CREATE | NLM_F.REPLACE), seq, 0);
  try {
    encodeRouteBody(w, spec, del);
  } catch (error) {
    w.abandon(start);
    throw error;
  }
  w.endMessage(start);
}

/**
 * The operations of a list of {@link FibRouteRun}s for `rtnl.bulkWith()`: the
 * items are the operations' positions (0, 1, ... across the runs, as failures
 * are indexed), so a slice sent this way holds no object per route. Positions
 * come in order while a stream is encoded (a cursor follows them); a failure's
 * position is looked up from the start.
 *
 * @example
 * ```ts
 * const runs = new FibRouteRunEncoder(new FibRouteEncoder(), [{ op: 'replace', route: attrs, prefixes }]);
 * await rtnl.bulkWith(runs.positions(), runs);
 * ```
 */
export class FibRouteRunEncoder implements BulkEncoder<number> {
  /** Operations in all runs. */
  readonly length: number;
  // The run holding position `runStart` to `runEnd - 1` (see seek()).
  private run = 0;
  private runStart = 0;
  private runEnd: number;

  constructor(
    private readonly routes: FibRouteEncoder,
    private readonly runs: readonly FibRouteRun[],
  ) {
    let n = 0;
    for (const r of runs) n += r.prefixes.length;
    this.length = n;
    this.runEnd = runs.length > 0 ? runs[0]!.prefixes.length : 0;
  }

  /** The items to stream: 0 to length − 1 (a view of one shared array, never written after it grows). */
  positions(): Uint32Array {
    return positionsUpTo(this.length);
  }

  encode(w: MessageWriter, seq: number, position: number, ackFlag: number): void {
    const run = this.seek(position);
    this.routes.encodeRoute(w, seq, run.op === 'delete', run.route, run.prefixes[position - this.runStart]!, ackFlag);
  }

  requestOf(position: number): { type: number; flags: number } {
    return this.opAt(position) === 'delete' ? { type: RTM.DELROUTE, flags: 0 } : { type: RTM.NEWROUTE, flags: NLM_F.CREATE | NLM_F.REPLACE };
  }

  /** The operation at a position. */
  opAt(position: number): FibRouteRun['op'] {
    return this.seek(position).op;
  }

  /** The prefix at a position. */
  prefixAt(position: number): string {
    const run = this.seek(position);
    return run.prefixes[position - this.runStart]!;
  }

  private seek(position: number): FibRouteRun {
    if (position < 0 || position >= this.length) throw new RangeError(`position ${position} outside 0..${this.length - 1}`);
    if (position < this.runStart) {
      this.run = 0;
      this.runStart = 0;
      this.runEnd = this.runs[0]!.prefixes.length;
    }
    // Runs without prefixes are stepped over like any other.
    while (position >= this.runEnd) {
      this.run++;
      this.runStart = this.runEnd;
      this.runEnd += this.runs[this.run]!.prefixes.length;
    }
    return this.runs[this.run]!;
  }
}

// One encoder lives on, so its shape does (see keepShapeOf): every slice makes one and none outlives its burst.
keepShapeOf(new FibRouteRunEncoder(new FibRouteEncoder(), []));

/** 0, 1, 2, ...: grown by doubling, shared by every run encoder (its values never change). */
let positionsArray = new Uint32Array(0);

function positionsUpTo(n: number): Uint32Array {
  if (positionsArray.length < n) {
    const next = new Uint32Array(Math.max(n, positionsArray.length * 2, 1024));
    for (let i = 0; i < next.length; i++) next[i] = i;
    positionsArray = next;
  }
  return positionsArray.subarray(0, n);
}

function hopOf(p: FibPath): RouteHop {
  return p.ifindex !== undefined ? { gateway: p.gateway, oif: p.ifindex, weight: p.weight } : { gateway: p.gateway, weight: p.weight };
}
