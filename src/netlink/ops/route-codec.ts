import { AF, RT_SCOPE, RT_TABLE, RTA, RTN, RTNH_F, RTPROT } from '../constants.js';
import { HOST_LITTLE_ENDIAN as HOST_LE } from '../codec/host-endian.js';
import { RTMSG_SIZE } from '../codec/rtmsg.js';
import type { MessageWriter } from '../codec/writer.js';
import { NetlinkArgumentError } from '../errors.js';
import type { IpFamily, PrefixInput } from '../ip.js';
import { parseIpInto, parseIpv4PrefixInto, parsePrefixInto, prefixBytesOf } from '../ip.js';
import type { RouteProtocolName, RouteTypeName, ScopeName } from './route-names.js';
import { checkU32, routeProtocolNumber, routeTypeNumber, scopeNumber } from './route-names.js';
import { RouteView } from './route-view.js';

/** One path of a multipath route (RTA_MULTIPATH's struct rtnexthop). */
export interface RouteHop {
  gateway?: string;
  oif?: number;
  /** 1..256; the kernel stores weight - 1 in rtnh_hops. */
  weight?: number;
  onlink?: boolean;
}

/**
 * A route to add, replace or delete. `dst` is '10.0.0.0/24', '2001:db8::/64',
 * a bare address (host route), 'default' (needs `family` unless a gateway
 * tells it) or { bytes, length }.
 */
export interface RouteSpec {
  dst: PrefixInput | 'default';
  family?: IpFamily;
  /** Any table id 1..2^32-1 (RTA_TABLE). Default 254 (main). */
  table?: number;
  protocol?: RouteProtocolName | number;
  /** RTA_PRIORITY. */
  metric?: number;
  scope?: ScopeName | number;
  type?: RouteTypeName | number;
  tos?: number;
  gateway?: string;
  oif?: number;
  onlink?: boolean;
  /** RTA_PREFSRC: preferred source address. */
  prefsrc?: string;
  /** RTA_NH_ID: use a nexthop object (or group) instead of gateway/oif. */
  nhid?: number;
  multipath?: readonly RouteHop[];
}

/** A route as the kernel reports it. */
export interface RouteEntry {
  family: IpFamily;
  /** 'a.b.c.d/len' or 'x::/len'. */
  dst: string;
  dstLength: number;
  table: number;
  protocol: number;
  scope: number;
  type: RouteTypeName | number;
  tos: number;
  flags: number;
  metric?: number;
  gateway?: string;
  oif?: number;
  prefsrc?: string;
  /** Set when the route names a nexthop object; with nexthop_compat_mode=0 that is all it carries. */
  nhid?: number;
  multipath?: RouteHop[];
}

const scratch = new Uint8Array(16);

function familyNumber(family: IpFamily): number {
  return family === 4 ? AF.INET : AF.INET6;
}

/** Writes an address attribute; RTA_VIA (u16 family + address) when its family differs from the route's. */
/** The last gateway text parsed and its bytes: bulk route sets mostly share a few gateways. */
let lastGatewayText = '';
let lastGatewayFamily: IpFamily = 4;
const lastGatewayBytes = new Uint8Array(16);

function writeGateway(w: MessageWriter, gateway: string, routeFamily: IpFamily, field: string): void {
  let family: IpFamily;
  if (gateway === lastGatewayText) {
    family = lastGatewayFamily;
    scratch.set(lastGatewayBytes);
  } else {
    const parsed = parseIpInto(gateway, scratch);
    if (parsed === 0) throw new NetlinkArgumentError(field, `not an IP address: ${JSON.stringify(gateway)}`);
    family = parsed;
    lastGatewayText = gateway;
    lastGatewayFamily = family;
    lastGatewayBytes.set(scratch.subarray(0, 16));
  }
  const size = family === 4 ? 4 : 16;
  if (family === routeFamily) {
    w.attrBytesFrom(RTA.GATEWAY, scratch, size);
    return;
  }
  // RFC 5549-style IPv4 route via an IPv6 gateway: struct rtvia.
  const via = new Uint8Array(2 + size);
  new DataView(via.buffer).setUint16(0, familyNumber(family), HOST_LE);
  via.set(scratch.subarray(0, size), 2);
  w.attrBytes(RTA.VIA, via);
}

const dstBytes = new Uint8Array(16);

/** Parses spec.dst into dstBytes; returns family * 256 + prefix length. */
function resolveDst(spec: RouteSpec): number {
  const dst = spec.dst;
  let family: IpFamily;
  let length: number;
  if (dst === 'default') {
    let f = spec.family;
    if (f === undefined && spec.gateway !== undefined) {
      const g = parseIpInto(spec.gateway, scratch);
      if (g !== 0) f = g;
    }
    if (f === undefined) throw new NetlinkArgumentError('dst', "'default' needs family (4 or 6) or a gateway");
    family = f;
    length = 0;
  } else if (typeof dst === 'string') {
    // Dotted-quad IPv4 first (the bulk case), then the general parser.
    const v4Length = parseIpv4PrefixInto(dst, dstBytes);
    if (v4Length >= 0) {
      if (spec.family === 6) throw new NetlinkArgumentError('family', 'dst is IPv4, family says 6');
      return 4 * 256 + v4Length;
    }
    const packed = parsePrefixInto(dst, dstBytes);
    if (packed === 0) throw new NetlinkArgumentError('dst', `not an IP prefix: ${JSON.stringify(dst)}`);
    if (packed < 0) throw new NetlinkArgumentError('dst', `prefix length out of range in ${JSON.stringify(dst)}`);
    family = packed >> 8 === 4 ? 4 : 6;
    length = packed & 0xff;
  } else {
    // Byte-form prefix (e.g. the bgp module's Prefix): no text at all.
    const bytes = prefixBytesOf(dst);
    const size = bytes.length;
    if (size !== 4 && size !== 16) throw new NetlinkArgumentError('dst', `prefix bytes must be 4 or 16 long, got ${size}`);
    length = dst.length;
    if ((length & 0xff) !== length || length > size * 8) throw new NetlinkArgumentError('dst', `prefix length ${length} outside 0..${size * 8}`);
    for (let i = 0; i < size; i++) dstBytes[i] = bytes[i] ?? 0;
    family = size === 4 ? 4 : 6;
  }
  if (spec.family !== undefined && spec.family !== family) {
    throw new NetlinkArgumentError('family', `dst is IPv${family}, family says ${spec.family}`);
  }
  return family * 256 + length;
}

/**
 * Encodes an RTM_NEWROUTE / RTM_DELROUTE body: struct rtmsg then attributes
 * (include/uapi/linux/rtnetlink.h). `forDelete` leaves protocol, type and
 * scope as wildcards unless the spec names them, as `ip route del` does.
 */
export function encodeRouteBody(w: MessageWriter, spec: RouteSpec, forDelete: boolean): void {
  const packedDst = resolveDst(spec);
  const dstFamily: IpFamily = packedDst >> 8 === 4 ? 4 : 6;
  const dstLength = packedDst & 0xff;
  const table = spec.table === undefined ? RT_TABLE.MAIN : spec.table >>> 0 === spec.table && spec.table > 0 ? spec.table : checkU32(spec.table, 'table', 1);
  const type = spec.type === undefined ? (forDelete ? RTN.UNSPEC : RTN.UNICAST) : routeTypeNumber(spec.type);
  const protocol = spec.protocol === undefined ? (forDelete ? RTPROT.UNSPEC : RTPROT.BOOT) : routeProtocolNumber(spec.protocol);
  const hasNexthop = spec.gateway !== undefined || spec.nhid !== undefined || (spec.multipath !== undefined && spec.multipath.length > 0);
  let scope: number;
  if (spec.scope !== undefined) scope = scopeNumber(spec.scope);
  else if (forDelete) scope = RT_SCOPE.NOWHERE;
  else if (type === RTN.LOCAL || type === RTN.NAT) scope = RT_SCOPE.HOST;
  else if (type === RTN.BROADCAST || type === RTN.MULTICAST || type === RTN.ANYCAST) scope = RT_SCOPE.LINK;
  else if ((type === RTN.UNICAST || type === RTN.UNSPEC) && !hasNexthop && spec.oif !== undefined) scope = RT_SCOPE.LINK;
  else scope = RT_SCOPE.UNIVERSE;
  const tos = spec.tos ?? 0;
  if ((tos & 0xff) !== tos) throw new NetlinkArgumentError('tos', `${tos} outside 0..255`);

  // Hot path (bulk programming): struct rtmsg, RTA_TABLE and RTA_DST are
  // written with direct stores after one bounds check. Layout: codec/rtmsg.ts.
  w.ensure(RTMSG_SIZE + 8 + 20);
  const b = w.buffer;
  const v = w.view;
  let o = w.offset;
  b[o] = familyNumber(dstFamily);
  b[o + 1] = dstLength;
  b[o + 2] = 0;
  b[o + 3] = tos;
  b[o + 4] = table < 256 ? table : RT_TABLE.UNSPEC;
  b[o + 5] = protocol;
  b[o + 6] = scope;
  b[o + 7] = type;
  v.setUint32(o + 8, spec.onlink === true ? RTNH_F.ONLINK : 0, HOST_LE);
  o += RTMSG_SIZE;
  v.setUint16(o, 8, HOST_LE); // RTA_TABLE, u32
  v.setUint16(o + 2, RTA.TABLE, HOST_LE);
  v.setUint32(o + 4, table, HOST_LE);
  o += 8;
  if (dstLength > 0) {
    // The kernel expects a full address even when the prefix is shorter.
    const size = dstFamily === 4 ? 4 : 16;
    v.setUint16(o, 4 + size, HOST_LE);
    v.setUint16(o + 2, RTA.DST, HOST_LE);
    for (let i = 0; i < size; i++) b[o + 4 + i] = dstBytes[i] ?? 0;
    o += 4 + size;
  }
  w.offset = o;
  if (spec.metric !== undefined) w.attrU32(RTA.PRIORITY, checkU32(spec.metric, 'metric'));
  if (spec.nhid !== undefined) w.attrU32(RTA.NH_ID, spec.nhid >>> 0 === spec.nhid && spec.nhid > 0 ? spec.nhid : checkU32(spec.nhid, 'nhid', 1));
  if (spec.gateway !== undefined) writeGateway(w, spec.gateway, dstFamily, 'gateway');
  if (spec.oif !== undefined) w.attrU32(RTA.OIF, checkU32(spec.oif, 'oif', 1));
  if (spec.prefsrc !== undefined) {
    const family = parseIpInto(spec.prefsrc, scratch);
    if (family !== dstFamily) throw new NetlinkArgumentError('prefsrc', `not an IPv${dstFamily} address: ${JSON.stringify(spec.prefsrc)}`);
    w.attrBytesFrom(RTA.PREFSRC, scratch, family === 4 ? 4 : 16);
  }
  if (spec.multipath !== undefined && spec.multipath.length > 0) encodeMultipath(w, spec.multipath, dstFamily);
}

/** RTA_MULTIPATH: a packed list of struct rtnexthop, each followed by its own attributes. */
function encodeMultipath(w: MessageWriter, hops: readonly RouteHop[], family: IpFamily): void {
  const nest = w.beginNested(RTA.MULTIPATH, false);
  hops.forEach((hop, i) => {
    const weight = hop.weight ?? 1;
    if (!Number.isInteger(weight) || weight < 1 || weight > 256) {
      throw new NetlinkArgumentError(`multipath[${i}].weight`, `${weight} outside 1..256`);
    }
    w.ensure(8);
    const start = w.offset;
    w.buffer[start + 2] = hop.onlink === true ? RTNH_F.ONLINK : 0;
    w.buffer[start + 3] = weight - 1;
    w.offset = start + 4;
    w.i32(hop.oif === undefined ? 0 : checkU32(hop.oif, `multipath[${i}].oif`, 1));
    if (hop.gateway !== undefined) writeGateway(w, hop.gateway, family, `multipath[${i}].gateway`);
    const length = w.offset - start;
    w.view.setUint16(start, length, HOST_LE);
  });
  w.endNested(nest);
}

const sharedView = new RouteView();
const EMPTY_BUFFER = Buffer.alloc(0);

/**
 * Decodes one RTM_NEWROUTE / RTM_DELROUTE message body into a plain object:
 * one pass over rtmsg and its attributes with direct byte reads (RouteView),
 * then the text fields. Dumps of a million routes go through here.
 */
export function decodeRoute(buf: Buffer, start: number, end: number): RouteEntry {
  const entry = sharedView.load(buf, start, end).toEntry();
  sharedView.buffer = EMPTY_BUFFER; // keep no datagram alive
  return entry;
}
