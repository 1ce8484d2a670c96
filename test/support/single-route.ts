/**
 * The single-route encoder as `routes.add/replace/append/delete` uses it: the
 * reference the route-set encoders (RouteSetEncoder, RouteSpecRun) are
 * compared with byte for byte.
 */
import { MessageWriter } from '../../src/netlink/codec/writer.js';
import { NLM_F, RTM } from '../../src/netlink/constants.js';
import { encodeRouteBody, type RouteSpec } from '../../src/netlink/ops/route-codec.js';
import type { RouteSetOp } from '../../src/netlink/ops/route-set.js';

/** nlmsghdr flags of each route operation, as the single-route calls set them. */
export const ROUTE_OP_FLAGS: Readonly<Record<RouteSetOp, number>> = {
  add: NLM_F.CREATE | NLM_F.EXCL,
  replace: NLM_F.CREATE | NLM_F.REPLACE,
  append: NLM_F.CREATE | NLM_F.APPEND,
  delete: 0,
};

/** Appends one route request to `w`, or nothing when the encoder throws. */
export function writeSingleRoute(w: MessageWriter, seq: number, op: RouteSetOp, spec: RouteSpec, ack: number): void {
  const start = w.beginMessage(op === 'delete' ? RTM.DELROUTE : RTM.NEWROUTE, NLM_F.REQUEST | ack | ROUTE_OP_FLAGS[op], seq, 0);
  try {
    encodeRouteBody(w, spec, op === 'delete');
  } catch (error) {
    w.abandon(start);
    throw error;
  }
  w.endMessage(start);
}

/** One route request on its own. */
export function singleRoute(op: RouteSetOp, spec: RouteSpec, seq: number, ack: number): Buffer {
  const w = new MessageWriter(64);
  writeSingleRoute(w, seq, op, spec, ack);
  return Buffer.from(w.bytes());
}
