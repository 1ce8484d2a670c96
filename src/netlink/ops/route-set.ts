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
 * One whole request of the set as it goes to the kernel (nlmsghdr with
 * nlmsg_seq 0, struct rtmsg with rtm_dst_len 0, the attributes around an
 * all-zero RTA_DST), kept as host-order 32-bit words: a route is the words
 * copied, then nlmsg_seq, rtm_dst_len and the address patched. Copying words
 * keeps the bytes as they are, so this holds on any host.
 */
class Template {
  constructor(
    readonly words: Uint32Array,
    /** The same message as bytes, for a writer whose buffer is not 4-aligned. */
    readonly bytes: Uint8Array,
    /** Byte offset of the destination address inside the message. */
    readonly dstAt: number,
    /** Address bytes of the family: 4 or 16. */
    readonly size: number,
  ) {}
}

const scratchWriter = new MessageWriter(1024);
/** Parsed destination address of the route being encoded (the parsers write into it). */
const dstScratch = new Uint8Array(16);
/** The same 16 bytes as host-order words: an aligned address goes out in one to four stores. */
const dstWords = new Uint32Array(dstScratch.buffer);

/**
 * Where a caller of {@link RouteSetEncoder.encodeAddress} best puts the
 * address (the encoder copies it a word at a time from here). Internal to
 * the netlink module: not re-exported.
 */
export const routeSetAddressScratch: Uint8Array = dstScratch;


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
  /**
   * Per family: the template, (null) the error every prefix of that family
   * gets, or (undefined) not built yet: the second family is built on its
   * first prefix (see the constructor).
   */
  private v4: Template | null | undefined;
  private v6: Template | null | undefined;
  private v4Error: NetlinkArgumentError | undefined;
  private v6Error: NetlinkArgumentError | undefined;

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
    // prefix: the family the attributes point at (a named family, else the
    // gateway's) is tried first, the other one only when that fails, and the
    // error is the one of the family the attributes name (IPv4 when they name
    // none). A set that works for its first family builds the other on its
    // first prefix of that family: a set is often made just before a short
    // burst (a new gateway), and the second template, an error object with
    // its stack for an IPv4 gateway, cost as much as the first (15-40 µs
    // each while the code is cold, measured).
    this.v4 = undefined;
    this.v6 = undefined;
    const first: IpFamily = attributes.family === 6 || (attributes.family === undefined && typeof attributes.gateway === 'string' && attributes.gateway.includes(':')) ? 6 : 4;
    if (this.templateFor(first) === null && this.templateFor(first === 4 ? 6 : 4) === null) {
      throw (attributes.family === 6 ? this.v6Error : this.v4Error)!;
    }
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
    let template = family === 4 ? this.v4 : this.v6;
    if (template === undefined) template = this.templateFor(family);
    if (template === null) throw (family === 4 ? this.v4Error : this.v6Error) ?? new NetlinkArgumentError('dst', `no IPv${family} route`);
    const words = template.words;
    const count = words.length;
    w.ensure(count << 2);
    const o = w.offset;
    const out = w.words;
    if (out !== null && (o & 3) === 0) {
      const base = o >> 2;
      for (let k = 0; k < count; k++) out[base + k] = words[k] as number;
      out[base + 2] = seq >>> 0; // nlmsg_seq, host order like all of nlmsghdr
    } else {
      w.buffer.set(template.bytes, o);
      w.view.setUint32(o + 8, seq >>> 0, HOST_LE);
    }
    const b = w.buffer;
    // NLM_F_ACK is chosen per stream: only a stream that asks for ACKs pays this store.
    if (ackFlag !== 0) w.view.setUint16(o + 6, NLM_F.REQUEST | ackFlag | this.flags, HOST_LE);
    b[o + NLMSG_HDRLEN + 1] = length; // rtm_dst_len
    const at = o + template.dstAt;
    if (dst === dstScratch && out !== null && (at & 3) === 0) {
      const i = at >> 2;
      out[i] = dstWords[0] as number;
      if (template.size === 16) {
        out[i + 1] = dstWords[1] as number;
        out[i + 2] = dstWords[2] as number;
        out[i + 3] = dstWords[3] as number;
      }
    } else if (template.size === 4) {
      b[at] = dst[0] as number;
      b[at + 1] = dst[1] as number;
      b[at + 2] = dst[2] as number;
      b[at + 3] = dst[3] as number;
    } else {
      for (let i = 0; i < 16; i++) b[at + i] = dst[i] as number;
    }
    w.offset = o + (count << 2);
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
   * Encodes the set's whole request once, with an all-zero host route of the
   * family as destination and nlmsg_seq 0, through the single-route encoder;
   * then finds RTA_DST by walking the attributes (no layout is assumed) and
   * clears rtm_dst_len, which each route sets.
   */
  /** The family's template, built on first use; null (and the family's error kept) when the attributes rule the family out. */
  private templateFor(family: IpFamily): Template | null {
    const known = family === 4 ? this.v4 : this.v6;
    if (known !== undefined) return known;
    const built = this.buildTemplate(family);
    const template = built instanceof Template ? built : null;
    const error = built instanceof NetlinkArgumentError ? built : undefined;
    if (family === 4) {
      this.v4 = template;
      this.v4Error = error;
    } else {
      this.v6 = template;
      this.v6Error = error;
    }
    return template;
  }

  private buildTemplate(family: IpFamily): Template | NetlinkArgumentError {
    const size = family === 4 ? 4 : 16;
    const w = scratchWriter;
    w.reset();
    const start = w.beginMessage(this.type, NLM_F.REQUEST | this.flags, 0, 0);
    try {
      encodeRouteBody(w, { ...this.attributes, dst: { bytes: new Uint8Array(size), length: size * 8 } }, this.forDelete);
    } catch (error) {
      if (error instanceof NetlinkArgumentError) return error;
      throw error;
    }
    w.endMessage(start);
    const end = w.offset;
    // Its own ArrayBuffer, so the word view below starts aligned (endMessage pads the length to 4).
    const message = Uint8Array.from(w.buffer.subarray(start, end));
    message[NLMSG_HDRLEN + 1] = 0; // rtm_dst_len
    let at = start + NLMSG_HDRLEN + RTMSG_SIZE;
    while (at + 4 <= end) {
      const rtaLength = w.view.getUint16(at, HOST_LE);
      const rtaType = w.view.getUint16(at + 2, HOST_LE);
      if (rtaType === RTA.DST) return new Template(new Uint32Array(message.buffer, 0, message.length >> 2), message, at - start + 4, size);
      at += (rtaLength + 3) & ~3;
    }
    throw new Error('route set: the encoded route has no RTA_DST');
  }
}
