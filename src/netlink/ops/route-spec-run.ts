import type { MessageWriter } from '../codec/writer.js';
import type { RouteSpec } from './route-codec.js';
import type { RouteSetOp } from './route-set.js';
import { RouteSetEncoder } from './route-set.js';

/**
 * The RouteSpec fields a route set shares: every field but `dst` and
 * `multipath`. A Record over the type's keys, so adding a field to RouteSpec
 * does not compile until it is listed here (and compared in
 * {@link RouteSpecRun.encode}; test/netlink/ops/route-spec-run.test.ts changes
 * each listed field alone and checks the bytes).
 */
export const SHARED_ROUTE_FIELDS: Readonly<Record<Exclude<keyof RouteSpec, 'dst' | 'multipath'>, true>> = {
  family: true,
  table: true,
  protocol: true,
  metric: true,
  scope: true,
  type: true,
  tos: true,
  gateway: true,
  oif: true,
  onlink: true,
  prefsrc: true,
  nhid: true,
};

/**
 * Routes in a row that share the same run of attributes before a route set is
 * built for them: building one encodes two template requests, which pays off
 * only over a run, and a stream whose attributes change every few routes
 * should not pay it at all.
 */
const RUN_BEFORE_SET = 16;

/**
 * Notices runs of bulk route operations that differ only in their destination
 * (the usual shape of bulk programming, even when the caller builds one
 * RouteSpec per route) and encodes them through a {@link RouteSetEncoder}:
 * the attributes are encoded once per run instead of once per route. Each
 * operation's fields are compared with the previous one's; a route with
 * `multipath`, a short run, or attributes a route set refuses go through the
 * single-route encoder, which gives the same bytes (and the same errors).
 * Internal to the netlink module: `rtnl.bulk()` uses it.
 */
export class RouteSpecRun {
  private op: RouteSetOp | undefined = undefined;
  private run = 0;
  /** The run's set: undefined until the run is long enough, null when the attributes are refused. */
  private set: RouteSetEncoder | null | undefined = undefined;
  private family: RouteSpec['family'];
  private table: RouteSpec['table'];
  private protocol: RouteSpec['protocol'];
  private metric: RouteSpec['metric'];
  private scope: RouteSpec['scope'];
  private type: RouteSpec['type'];
  private tos: RouteSpec['tos'];
  private gateway: RouteSpec['gateway'];
  private oif: RouteSpec['oif'];
  private onlink: RouteSpec['onlink'];
  private prefsrc: RouteSpec['prefsrc'];
  private nhid: RouteSpec['nhid'];

  /** Appends the request through the run's route set and returns true, or returns false (the caller encodes it alone). */
  encode(w: MessageWriter, seq: number, op: RouteSetOp, spec: RouteSpec, ackFlag: number): boolean {
    if (spec.multipath !== undefined) {
      this.op = undefined;
      return false;
    }
    if (
      op !== this.op ||
      spec.family !== this.family ||
      spec.table !== this.table ||
      spec.protocol !== this.protocol ||
      spec.metric !== this.metric ||
      spec.scope !== this.scope ||
      spec.type !== this.type ||
      spec.tos !== this.tos ||
      spec.gateway !== this.gateway ||
      spec.oif !== this.oif ||
      spec.onlink !== this.onlink ||
      spec.prefsrc !== this.prefsrc ||
      spec.nhid !== this.nhid
    ) {
      this.start(op, spec);
      return false;
    }
    let set = this.set;
    if (set === undefined) {
      if (++this.run < RUN_BEFORE_SET) return false;
      set = this.set = buildSet(op, spec);
    }
    if (set === null) return false;
    set.encode(w, seq, spec.dst, ackFlag);
    return true;
  }

  private start(op: RouteSetOp, spec: RouteSpec): void {
    this.op = op;
    this.run = 1;
    this.set = undefined;
    this.family = spec.family;
    this.table = spec.table;
    this.protocol = spec.protocol;
    this.metric = spec.metric;
    this.scope = spec.scope;
    this.type = spec.type;
    this.tos = spec.tos;
    this.gateway = spec.gateway;
    this.oif = spec.oif;
    this.onlink = spec.onlink;
    this.prefsrc = spec.prefsrc;
    this.nhid = spec.nhid;
  }
}

/** A route set for the spec's shared fields; null when a route set refuses them (each route then says why). */
function buildSet(op: RouteSetOp, spec: RouteSpec): RouteSetEncoder | null {
  const attributes: Record<string, unknown> = {};
  for (const key of Object.keys(SHARED_ROUTE_FIELDS) as (keyof typeof SHARED_ROUTE_FIELDS)[]) {
    const value = spec[key];
    if (value !== undefined) attributes[key] = value;
  }
  try {
    return new RouteSetEncoder(op, attributes as Omit<RouteSpec, 'dst'>);
  } catch {
    return null;
  }
}
