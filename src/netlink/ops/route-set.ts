import type { BulkEncoder } from '../bulk.js';
import { NLM_F, NLMSG_HDRLEN, RTA, RTM } from '../constants.js';
import { HOST_LITTLE_ENDIAN as HOST_LE } from '../codec/host-endian.js';
import { RTMSG_SIZE } from '../codec/rtmsg.js';
import { MessageWriter } from '../codec/writer.js';
import { NetlinkArgumentError } from '../errors.js';
import type { IpFamily } from '../ip.js';
import { parseIpv4PrefixInto, parsePrefixInto, prefixBytesOf } from '../ip.js';
import type { RouteSpec } from './route-codec.js';
import { encodeRouteBody } from './route-codec.js';

/** What a route set does with each of its prefixes (`ip route add|replace|append|del`). */
export type RouteSetOp = 'add' | 'replace' | 'append' | 'delete';

/** The attributes every route of a set shares: a RouteSpec without its `dst`. */
export type RouteSetAttributes = Omit<RouteSpec, 'dst'>;

/** One destination of a route set: what RouteSpec.dst accepts. */
export type RouteSetPrefix = RouteSpec['dst'];

/** nlmsghdr flags per operation, as the single-route calls use them. */
const FLAGS: Record<RouteSetOp, number> = {
  add: NLM_F.CREATE | NLM_F.EXCL,
  replace: NLM_F.CREATE | NLM_F.REPLACE,
  append: NLM_F.CREATE | NLM_F.APPEND,
  delete: 0,
};

/**
 * A route body split around its RTA_DST: the words before it (struct rtmsg,
 * whose rtm_dst_len is patched per route, and the attributes the encoder
 * writes first) and the words after it. Kept as 32-bit words read in host
 * order, so writing them back is a few aligned stores.
 */
class Template {
  constructor(
    readonly head: Uint32Array,
    readonly tail: Uint32Array,
    /** RTA_DST's rta_len|rta_type word for this family. */
    readonly dstHeader: number,
    /** Address bytes of the family: 4 or 16. */
    readonly size: number,
  ) {}
}

const scratchWriter = new MessageWriter(1024);
/** Parsed destination address of the route being encoded (the parsers write into it). */
const dstScratch = new Uint8Array(16);

function wordsOf(bytes: Buffer, start: number, end: number): Uint32Array {
  const words = new Uint32Array((end - start) >> 2);
  for (let i = 0; i < words.length; i++) words[i] = bytes.readUInt32LE(start + 4 * i);
  return words;
}

/**
 * Encodes many routes that differ only in their destination — the shape of
 * bulk route programming (every prefix of a feed through one gateway, one
 * nexthop id or one table) — for `rtnl.bulkWith()` or `rtnl.routes.bulk()`.
 *
 * The shared attributes are checked and encoded once per address family
 * (through the same encoder as a single `routes.add()`, so the bytes are the
 * same); each route then costs its prefix parse and a copy. A prefix that
 * cannot be encoded (bad text, a family the attributes rule out) fails alone,
 * as a NetlinkArgumentError in the bulk result. Attributes wrong for every
 * route (table 0, an unknown protocol name) throw from the constructor.
 *
 * @example
 * ```ts
 * const set = new RouteSetEncoder('add', { table: 1000, nhid: 1, protocol: 'bgp' });
 * const result = await rtnl.bulkWith(['10.1.0.0/24', '10.2.0.0/24'], set);
 * for (const f of result.failures) console.log(f.operation, f.error.message);
 * ```
 */
export class RouteSetEncoder implements BulkEncoder<RouteSetPrefix> {
  readonly op: RouteSetOp;
  readonly attributes: Readonly<RouteSetAttributes>;
  private readonly type: number;
  private readonly flags: number;
  private readonly forDelete: boolean;
  private readonly request: { type: number; flags: number };
  /** Per family: the template, or (null) the error every prefix of that family gets. */
  private readonly v4: Template | null;
  private readonly v6: Template | null;
  private readonly v4Error: NetlinkArgumentError | undefined;
  private readonly v6Error: NetlinkArgumentError | undefined;

  constructor(op: RouteSetOp, attributes: RouteSetAttributes) {
    const flags = FLAGS[op];
    if (flags === undefined || !Object.prototype.hasOwnProperty.call(FLAGS, op)) {
      throw new NetlinkArgumentError('op', `route set operation must be add, replace, append or delete, got ${JSON.stringify(op)}`);
    }
    if ((attributes as Partial<RouteSpec>).dst !== undefined) {
      throw new NetlinkArgumentError('dst', 'a route set takes its destinations from the items, not from the attributes');
    }
    this.op = op;
    // A snapshot: later changes to the caller's object do not reach routes already encoded differently.
    this.attributes = Object.freeze({ ...attributes });
    this.forDelete = op === 'delete';
    this.type = this.forDelete ? RTM.DELROUTE : RTM.NEWROUTE;
    this.flags = flags;
    this.request = { type: this.type, flags };
    // Attributes that are wrong for every route fail here, not once per
    // prefix: both families are tried, and the error is the one of the family
    // the attributes name (IPv4 when they name none).
    const v4 = this.buildTemplate(4);
    const v6 = this.buildTemplate(6);
    if (v4 instanceof NetlinkArgumentError && v6 instanceof NetlinkArgumentError) throw attributes.family === 6 ? v6 : v4;
    this.v4 = v4 instanceof Template ? v4 : null;
    this.v4Error = v4 instanceof NetlinkArgumentError ? v4 : undefined;
    this.v6 = v6 instanceof Template ? v6 : null;
    this.v6Error = v6 instanceof NetlinkArgumentError ? v6 : undefined;
  }

  /** BulkEncoder: appends the request for one destination. */
  encode(w: MessageWriter, seq: number, item: RouteSetPrefix, ackFlag: number): void {
    const dst = dstScratch;
    let family: IpFamily;
    let length: number;
    if (typeof item === 'string') {
      // Dotted-quad first: the bulk case; then the general parser (IPv6, bare addresses).
      const v4Length = parseIpv4PrefixInto(item, dst); // -1 for 'default' too
      if (v4Length >= 0) {
        family = 4;
        length = v4Length;
      } else {
        const packed = item === 'default' ? 0 : parsePrefixInto(item, dst);
        if (packed <= 0) {
          // 'default', or text the encoder proper explains (the same error a single add gives).
          this.encodeWhole(w, seq, item, ackFlag);
          return;
        }
        family = packed >> 8 === 4 ? 4 : 6;
        length = packed & 0xff;
      }
    } else {
      const bytes = prefixBytesOf(item);
      const size = bytes.length;
      if ((size !== 4 && size !== 16) || !Number.isInteger(item.length) || item.length < 0 || item.length > size * 8) {
        this.encodeWhole(w, seq, item, ackFlag);
        return;
      }
      for (let i = 0; i < size; i++) dst[i] = bytes[i] ?? 0;
      family = size === 4 ? 4 : 6;
      length = item.length;
    }
    // A default route carries no RTA_DST: the general encoder writes it.
    if (length === 0) {
      this.encodeWhole(w, seq, item, ackFlag);
      return;
    }
    this.encodeAddress(w, seq, family, dst, length, ackFlag);
  }

  /**
   * Appends the request for the destination `address`/`length` (1..32 or
   * 1..128; the address bytes first in `address`, host bits already clear).
   * For encoders that read destinations from elsewhere than a RouteSetPrefix,
   * such as {@link NlriRouteEncoder}. Throws the family's NetlinkArgumentError
   * when the set's attributes rule that family out.
   */
  encodeAddress(w: MessageWriter, seq: number, family: IpFamily, address: Uint8Array, length: number, ackFlag: number): void {
    const dst = address;
    const template = family === 4 ? this.v4 : this.v6;
    if (template === null) throw (family === 4 ? this.v4Error : this.v6Error) ?? new NetlinkArgumentError('dst', `no IPv${family} route`);
    const head = template.head;
    const tail = template.tail;
    const size = template.size;
    const total = NLMSG_HDRLEN + 4 * head.length + 4 + size + 4 * tail.length;
    w.ensure(total);
    const v = w.view;
    let o = w.offset;
    // struct nlmsghdr (RFC 3549 §2.3.2)
    v.setUint32(o, total, HOST_LE);
    v.setUint16(o + 4, this.type, HOST_LE);
    v.setUint16(o + 6, NLM_F.REQUEST | ackFlag | this.flags, HOST_LE);
    v.setUint32(o + 8, seq >>> 0, HOST_LE);
    v.setUint32(o + 12, 0, HOST_LE);
    o += NLMSG_HDRLEN;
    const rtmsg = o;
    for (let i = 0; i < head.length; i++, o += 4) v.setUint32(o, head[i] as number, true);
    w.buffer[rtmsg + 1] = length; // rtm_dst_len
    v.setUint32(o, template.dstHeader, true);
    o += 4;
    const b = w.buffer;
    if (size === 4) {
      b[o] = dst[0] as number;
      b[o + 1] = dst[1] as number;
      b[o + 2] = dst[2] as number;
      b[o + 3] = dst[3] as number;
    } else {
      for (let i = 0; i < 16; i++) b[o + i] = dst[i] as number;
    }
    o += size;
    for (let i = 0; i < tail.length; i++, o += 4) v.setUint32(o, tail[i] as number, true);
    w.offset = o;
  }

  /** BulkEncoder: the request every failure of this set was. */
  requestOf(): { type: number; flags: number } {
    return this.request;
  }

  /** The whole route through the general encoder (defaults, errors, unusual prefixes). */
  encodeWhole(w: MessageWriter, seq: number, dst: RouteSetPrefix, ackFlag: number): void {
    const start = w.beginMessage(this.type, NLM_F.REQUEST | ackFlag | this.flags, seq, 0);
    try {
      encodeRouteBody(w, { ...this.attributes, dst }, this.forDelete);
    } catch (error) {
      w.abandon(start);
      throw error;
    }
    w.endMessage(start);
  }

  /**
   * Encodes the shared attributes once with a host route of the family as
   * destination, then finds RTA_DST by walking the attributes (no layout is
   * assumed) and keeps what surrounds it.
   */
  private buildTemplate(family: IpFamily): Template | NetlinkArgumentError {
    const size = family === 4 ? 4 : 16;
    const w = scratchWriter;
    w.reset();
    try {
      encodeRouteBody(w, { ...this.attributes, dst: { bytes: new Uint8Array(size), length: size * 8 } }, this.forDelete);
    } catch (error) {
      if (error instanceof NetlinkArgumentError) return error;
      throw error;
    }
    const body = w.buffer;
    const end = w.offset;
    let at = RTMSG_SIZE;
    while (at + 4 <= end) {
      const rtaLength = body.readUInt16LE(at);
      const rtaType = body.readUInt16LE(at + 2);
      if (rtaType === RTA.DST) {
        return new Template(wordsOf(body, 0, at), wordsOf(body, at + rtaLength, end), body.readUInt32LE(at), size);
      }
      at += (rtaLength + 3) & ~3;
    }
    // encodeRouteBody always writes RTA_DST for a non-zero length: reaching here is a bug.
    throw new Error('route set: the encoded route has no RTA_DST');
  }
}
