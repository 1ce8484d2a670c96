import { AF, RTA, RTNH_F } from '../constants.js';
import { HOST_LITTLE_ENDIAN as HOST_LE } from '../codec/host-endian.js';
import { RTMSG_SIZE } from '../codec/rtmsg.js';
import { NetlinkDecodeError } from '../errors.js';
import type { IpFamily } from '../ip.js';
import { formatIpAt, formatIpv4Prefix, formatIpv4U32 } from '../ip.js';
import type { RouteEntry, RouteHop } from './route-codec.js';
import type { RouteTypeName } from './route-names.js';
import { routeTypeName } from './route-names.js';

const EMPTY = Buffer.alloc(0);
const NLA_TYPE_MASK = 0x3fff; // strips NLA_F_NESTED and NLA_F_NET_BYTEORDER

/** rtm_type -> name, as an array: one indexed load per route instead of a Map lookup. */
const TYPE_NAMES: readonly (RouteTypeName | number)[] = Array.from({ length: 256 }, (_, i) => routeTypeName(i));

/** Host-order u16/u32 straight from the bytes (netlink headers and attributes are host order). */
function u16(b: Buffer, o: number): number {
  return HOST_LE ? (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) : ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
}

function u32(b: Buffer, o: number): number {
  return HOST_LE
    ? ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24)) >>> 0
    : (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>> 0;
}

/** An IPv4 address as a big-endian u32 (network order bytes). */
function be32(b: Buffer, o: number): number {
  return (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>> 0;
}

/**
 * One RTM_NEWROUTE / RTM_DELROUTE message read in place: `load()` walks
 * struct rtmsg and its rtattrs once (include/uapi/linux/rtnetlink.h) and
 * keeps numbers and byte offsets; text (prefix, gateway) is formatted only
 * when asked for. One view is reused for every route of a dump, so bulk
 * consumers (resync, the FIB exporter's adoption) read a million routes
 * without allocating per route. A view is valid only until the next load()
 * and while its datagram is alive: copy what you keep, or call toEntry().
 *
 * @example
 * ```ts
 * await rtnl.routes.scan({ table: 1000 }, (route) => {
 *   if (route.nhid === 10) seen.add(route.dstIpv4);   // no strings made
 * });
 * ```
 */
export class RouteView {
  buffer: Buffer = EMPTY;
  /** Offset of struct rtmsg in buffer. */
  start = 0;
  end = 0;
  family: IpFamily = 4;
  dstLength = 0;
  srcLength = 0;
  tos = 0;
  /** RTA_TABLE when present (any 32-bit id), else rtm_table. */
  table = 0;
  protocol = 0;
  scope = 0;
  /** rtm_type as a number (RTN_*). */
  typeNumber = 0;
  flags = 0;
  metric: number | undefined = undefined;
  oif: number | undefined = undefined;
  nhid: number | undefined = undefined;
  /** Offset of RTA_DST's payload, -1 when absent (a default route). */
  dstOffset = -1;
  /** Offset of the gateway address (RTA_GATEWAY, or RTA_VIA's address), -1 when absent. */
  gatewayOffset = -1;
  gatewaySize = 0;
  prefsrcOffset = -1;
  prefsrcSize = 0;
  /** RTA_MULTIPATH payload [multipathOffset, multipathEnd), -1 when absent. */
  multipathOffset = -1;
  multipathEnd = 0;

  /**
   * Reads the message body buf[start, end). Throws NetlinkDecodeError for a
   * short rtmsg, a family other than IPv4/IPv6, a malformed rtattr or an
   * address attribute of the wrong size.
   */
  load(buf: Buffer, start: number, end: number): this {
    if (end - start < RTMSG_SIZE || end > buf.length) throw new NetlinkDecodeError('route message shorter than struct rtmsg');
    const rtFamily = buf[start] ?? 0;
    if (rtFamily !== AF.INET && rtFamily !== AF.INET6) throw new NetlinkDecodeError(`route family ${rtFamily} is not IPv4/IPv6`);
    const size = rtFamily === AF.INET ? 4 : 16;
    this.buffer = buf;
    this.start = start;
    this.end = end;
    this.family = size === 4 ? 4 : 6;
    this.dstLength = buf[start + 1] ?? 0;
    this.srcLength = buf[start + 2] ?? 0;
    this.tos = buf[start + 3] ?? 0;
    let table = buf[start + 4] ?? 0;
    this.protocol = buf[start + 5] ?? 0;
    this.scope = buf[start + 6] ?? 0;
    this.typeNumber = buf[start + 7] ?? 0;
    this.flags = u32(buf, start + 8);
    let metric: number | undefined;
    let oif: number | undefined;
    let nhid: number | undefined;
    let dstOffset = -1;
    let gatewayOffset = -1;
    let gatewaySize = 0;
    let prefsrcOffset = -1;
    let prefsrcSize = 0;
    let multipathOffset = -1;
    let multipathEnd = 0;
    let o = start + RTMSG_SIZE;
    while (o + 4 <= end) {
      const length = u16(buf, o);
      const type = u16(buf, o + 2) & NLA_TYPE_MASK;
      if (length < 4 || o + length > end) {
        throw new NetlinkDecodeError(`route attribute type ${type} has length ${length} at offset ${o} (end ${end})`);
      }
      const p = o + 4;
      const payload = length - 4;
      switch (type) {
        case RTA.DST:
          if (payload !== size) throw new NetlinkDecodeError(`RTA_DST of ${payload} bytes`);
          dstOffset = p;
          break;
        case RTA.TABLE:
          if (payload < 4) throw new NetlinkDecodeError('RTA_TABLE shorter than 4 bytes');
          table = u32(buf, p);
          break;
        case RTA.NH_ID:
          if (payload < 4) throw new NetlinkDecodeError('RTA_NH_ID shorter than 4 bytes');
          nhid = u32(buf, p);
          break;
        case RTA.OIF:
          if (payload < 4) throw new NetlinkDecodeError('RTA_OIF shorter than 4 bytes');
          oif = u32(buf, p);
          break;
        case RTA.PRIORITY:
          if (payload < 4) throw new NetlinkDecodeError('RTA_PRIORITY shorter than 4 bytes');
          metric = u32(buf, p);
          break;
        case RTA.GATEWAY:
          if (payload !== 4 && payload !== 16) throw new NetlinkDecodeError(`RTA_GATEWAY of ${payload} bytes`);
          gatewayOffset = p;
          gatewaySize = payload;
          break;
        case RTA.VIA:
          // struct rtvia: u16 family, then the address
          if (payload < 2) throw new NetlinkDecodeError('RTA_VIA shorter than 2 bytes');
          gatewayOffset = p + 2;
          gatewaySize = payload - 2;
          break;
        case RTA.PREFSRC:
          if (payload !== 4 && payload !== 16) throw new NetlinkDecodeError(`RTA_PREFSRC of ${payload} bytes`);
          prefsrcOffset = p;
          prefsrcSize = payload;
          break;
        case RTA.MULTIPATH:
          multipathOffset = p;
          multipathEnd = p + payload;
          break;
        default:
          break;
      }
      o += (length + 3) & ~3;
    }
    this.table = table;
    this.metric = metric;
    this.oif = oif;
    this.nhid = nhid;
    this.dstOffset = dstOffset;
    this.gatewayOffset = gatewayOffset;
    this.gatewaySize = gatewaySize;
    this.prefsrcOffset = prefsrcOffset;
    this.prefsrcSize = prefsrcSize;
    this.multipathOffset = multipathOffset;
    this.multipathEnd = multipathEnd;
    return this;
  }

  /** rtm_type by name ('unicast', 'blackhole', ...) or the number when it has none. */
  get type(): RouteTypeName | number {
    return TYPE_NAMES[this.typeNumber] ?? this.typeNumber;
  }

  /** IPv4 destination as a big-endian u32 (0 for a default route); undefined for IPv6. */
  get dstIpv4(): number | undefined {
    if (this.family !== 4) return undefined;
    return this.dstOffset < 0 ? 0 : be32(this.buffer, this.dstOffset);
  }

  /** Copies the destination address into out (4 or 16 bytes of room; zeros for a default route); returns its size. */
  copyDst(out: Uint8Array): number {
    const size = this.family === 4 ? 4 : 16;
    const b = this.buffer;
    const at = this.dstOffset;
    for (let i = 0; i < size; i++) out[i] = at < 0 ? 0 : (b[at + i] ?? 0);
    return size;
  }

  /** 'a.b.c.d/len' or 'x::/len' (RFC 5952), formatted now. */
  get dst(): string {
    if (this.family === 4) return formatIpv4Prefix(this.dstOffset < 0 ? 0 : be32(this.buffer, this.dstOffset), this.dstLength);
    const address = this.dstOffset < 0 ? '::' : formatIpAt(this.buffer, this.dstOffset, 16);
    return `${address}/${this.dstLength}`;
  }

  get gateway(): string | undefined {
    return this.gatewayOffset < 0 ? undefined : formatAddress(this.buffer, this.gatewayOffset, this.gatewaySize);
  }

  get prefsrc(): string | undefined {
    return this.prefsrcOffset < 0 ? undefined : formatAddress(this.buffer, this.prefsrcOffset, this.prefsrcSize);
  }

  /** The paths of RTA_MULTIPATH (decoded now), or undefined. */
  get multipath(): RouteHop[] | undefined {
    return this.multipathOffset < 0 ? undefined : decodeMultipath(this.buffer, this.multipathOffset, this.multipathEnd);
  }

  /** True when the route leaves through oif, directly or on one of its paths. */
  usesOif(oif: number): boolean {
    if (this.oif === oif) return true;
    if (this.multipathOffset < 0) return false;
    const b = this.buffer;
    let o = this.multipathOffset;
    while (o + 8 <= this.multipathEnd) {
      const length = u16(b, o);
      if (length < 8) return false;
      if (u32(b, o + 4) === oif) return true;
      o += (length + 3) & ~3;
    }
    return false;
  }

  /** A plain RouteEntry that outlives the view. */
  toEntry(): RouteEntry {
    // Every field present from the start (undefined when absent): all entries
    // share one hidden class, so code over a million of them stays monomorphic.
    return {
      family: this.family,
      dst: this.dst,
      dstLength: this.dstLength,
      table: this.table,
      protocol: this.protocol,
      scope: this.scope,
      type: TYPE_NAMES[this.typeNumber] ?? this.typeNumber,
      tos: this.tos,
      flags: this.flags,
      metric: this.metric,
      gateway: this.gatewayOffset < 0 ? undefined : formatAddress(this.buffer, this.gatewayOffset, this.gatewaySize),
      oif: this.oif,
      prefsrc: this.prefsrcOffset < 0 ? undefined : formatAddress(this.buffer, this.prefsrcOffset, this.prefsrcSize),
      nhid: this.nhid,
      multipath: this.multipathOffset < 0 ? undefined : decodeMultipath(this.buffer, this.multipathOffset, this.multipathEnd),
    };
  }
}

/** 4 or 16 address bytes as text; IPv4 through the shared table and a one-entry cache (dumps repeat gateways). */
function formatAddress(b: Buffer, o: number, size: number): string {
  return size === 4 ? formatIpv4U32(be32(b, o)) : formatIpAt(b, o, size);
}

/** RTA_MULTIPATH: packed struct rtnexthop, each followed by its own rtattrs. */
function decodeMultipath(b: Buffer, start: number, end: number): RouteHop[] {
  const hops: RouteHop[] = [];
  let o = start;
  while (o + 8 <= end) {
    const length = u16(b, o);
    if (length < 8 || o + length > end) throw new NetlinkDecodeError(`rtnexthop length ${length}`);
    const hop: RouteHop = { weight: (b[o + 3] ?? 0) + 1 };
    if (((b[o + 2] ?? 0) & RTNH_F.ONLINK) !== 0) hop.onlink = true;
    const ifindex = u32(b, o + 4) | 0;
    if (ifindex > 0) hop.oif = ifindex;
    let a = o + 8;
    const hopEnd = o + length;
    while (a + 4 <= hopEnd) {
      const alen = u16(b, a);
      const atype = u16(b, a + 2) & NLA_TYPE_MASK;
      if (alen < 4 || a + alen > hopEnd) throw new NetlinkDecodeError(`attribute type ${atype} has length ${alen} at offset ${a} (end ${hopEnd})`);
      const payload = alen - 4;
      if (atype === RTA.GATEWAY) {
        if (payload !== 4 && payload !== 16) throw new NetlinkDecodeError(`RTA_GATEWAY of ${payload} bytes`);
        hop.gateway = formatAddress(b, a + 4, payload);
      } else if (atype === RTA.VIA) {
        if (payload < 2) throw new NetlinkDecodeError('RTA_VIA shorter than 2 bytes');
        hop.gateway = formatAddress(b, a + 6, payload - 2);
      }
      a += (alen + 3) & ~3;
    }
    hops.push(hop);
    o += (length + 3) & ~3;
  }
  return hops;
}
