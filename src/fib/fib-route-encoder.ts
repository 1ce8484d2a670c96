import type { BulkEncoder } from '../netlink/bulk.js';
import type { MessageWriter } from '../netlink/codec/writer.js';
import { NLM_F, RTM } from '../netlink/constants.js';
import type { RouteHop, RouteSpec } from '../netlink/ops/route-codec.js';
import { encodeRouteBody } from '../netlink/ops/route-codec.js';
import { RouteSetEncoder } from '../netlink/ops/route-set.js';
import type { FibPath, FibRoute, FibRouteOp } from './fib-sink.js';

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
    const del = o.op === 'delete';
    const r = o.route;
    let gateway: string | undefined;
    let ifindex: number | undefined;
    if (!del) {
      const route = r as FibRoute;
      const paths = route.multipath;
      if (paths !== undefined && paths.length > 1) {
        encodeGeneral(w, seq, o, ackFlag);
        return;
      }
      gateway = route.gateway;
      ifindex = route.ifindex;
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
    if (set === null) encodeGeneral(w, seq, o, ackFlag);
    else set.encode(w, seq, r.prefix, ackFlag);
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
  const del = o.op === 'delete';
  const r = o.route;
  const spec = scratchSpec;
  spec.dst = r.prefix;
  spec.table = r.table;
  spec.metric = r.metric;
  spec.protocol = r.protocol;
  spec.gateway = undefined;
  spec.oif = undefined;
  spec.multipath = undefined;
  if (!del) {
    const route = r as FibRoute;
    const paths = route.multipath;
    if (paths !== undefined && paths.length > 1) spec.multipath = paths.map(hopOf);
    else {
      spec.gateway = route.gateway;
      spec.oif = route.ifindex;
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

function hopOf(p: FibPath): RouteHop {
  return p.ifindex !== undefined ? { gateway: p.gateway, oif: p.ifindex, weight: p.weight } : { gateway: p.gateway, weight: p.weight };
}
