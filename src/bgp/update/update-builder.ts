import { AttrFlag, AttrType, BGP_HEADER_LENGTH, MessageType, Safi } from '../constants.js';
import type { CodecContext } from '../context.js';
import { EncodeError } from '../errors.js';
import { Family, familyKey, familyName, familyOf, type FamilyKey } from '../family.js';
import { parseIP } from '../ip-address.js';
import { getNlriCodec } from '../nlri/nlri-registry.js';
import type { NlriCodec } from '../nlri/nlri-codec.js';
import type { Prefix } from '../prefix.js';
import { encodeAttributeBlocks, hasAttribute, type EncodedAttributeBlocks, type UpdateAttributes } from './path-attributes.js';

/** Options of {@link UpdateBuilder.announce}. */
export interface AnnounceOptions {
  /** SAFI of the prefixes (default 1, unicast); the AFI comes from each prefix. */
  readonly safi?: number;
  /**
   * The MP_REACH_NLRI next hop (RFC 4760 §3): IPv4 or IPv6 text, or raw octets
   * (4, 16 or 32). Needed for every family but IPv4 unicast, whose prefixes go
   * in the classic NLRI field with the NEXT_HOP attribute unless a next hop is
   * given here (then MP_REACH_NLRI is used, e.g. an IPv6 next hop per RFC 8950).
   */
  readonly nextHop?: string | Uint8Array;
  /** IPv6 link-local next hop sent after the global one (RFC 2545 §3): 32 octets in all. */
  readonly linkLocalNextHop?: string;
}

interface FamilyBatch {
  readonly codec: NlriCodec;
  readonly prefixes: Prefix[];
  nextHop: Uint8Array | undefined;
  /** IPv4 unicast in the classic fields (RFC 4271 §4.3) rather than MP attributes. */
  classic: boolean;
}

const EMPTY = new Uint8Array(0);

function nextHopBytes(text: string | Uint8Array, linkLocal: string | undefined): Uint8Array {
  const global = typeof text === 'string' ? parseIP(text) : text;
  if (!global) throw EncodeError.invalid('nextHop', `not an IP address: ${String(text)}`);
  if (global.length !== 4 && global.length !== 16 && global.length !== 32) {
    throw EncodeError.invalid('nextHop', `a next hop is 4, 16 or 32 octets, not ${global.length}`);
  }
  if (linkLocal === undefined) return global;
  const ll = parseIP(linkLocal);
  if (!ll || ll.length !== 16 || global.length !== 16) throw EncodeError.invalid('linkLocalNextHop', 'needs an IPv6 global and an IPv6 link-local next hop');
  const both = new Uint8Array(32);
  both.set(global, 0);
  both.set(ll, 16);
  return both;
}

/** The prefixes of one batch encoded back to back, with where each one ends. */
function encodeBatch(codec: NlriCodec, prefixes: readonly Prefix[], addPath: boolean): { bytes: Uint8Array; ends: Uint32Array } {
  let size = 0;
  for (const p of prefixes) size += codec.encodedLength(p, addPath);
  const bytes = new Uint8Array(size);
  const ends = new Uint32Array(prefixes.length);
  let off = 0;
  for (let i = 0; i < prefixes.length; i++) {
    off = codec.encodeInto(prefixes[i]!, bytes, off, addPath);
    ends[i] = off;
  }
  return { bytes, ends };
}

/**
 * Splits `bytes` (prefixes ending at `ends`) into the longest runs whose message
 * size `total(runLength)` stays within `max`. Throws when even one prefix does not fit.
 */
function chunk(bytes: Uint8Array, ends: Uint32Array, total: (n: number) => number, max: number, field: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  let i = 0;
  while (i < ends.length) {
    let j = i;
    while (j < ends.length && total(ends[j]! - start) <= max) j++;
    if (j === i) {
      const len = ends[i]! - start;
      throw new EncodeError(field, total(len), max, `${field}: a message with one ${len}-octet prefix is ${total(len)} octets, the limit is ${max}`);
    }
    const end = ends[j - 1]!;
    out.push(bytes.subarray(start, end));
    start = end;
    i = j;
  }
  return out;
}

/** Attribute header length for a value of `n` octets: Extended Length past 255 (RFC 4271 §4.3). */
function attrHeader(n: number): number {
  return n > 0xff ? 4 : 3;
}

function writeAttrHeader(out: Uint8Array, off: number, flags: number, type: number, length: number): number {
  if (length > 0xff) {
    out[off] = flags | AttrFlag.EXTENDED_LENGTH;
    out[off + 1] = type;
    out[off + 2] = length >>> 8;
    out[off + 3] = length & 0xff;
    return off + 4;
  }
  out[off] = flags;
  out[off + 1] = type;
  out[off + 2] = length;
  return off + 3;
}

/** Writes one UPDATE frame: header (RFC 4271 §4.1), withdrawn routes, attributes, NLRI (§4.3). */
function frame(withdrawn: Uint8Array, attributeParts: readonly Uint8Array[], attributeLength: number, nlri: Uint8Array): Uint8Array {
  const length = BGP_HEADER_LENGTH + 2 + withdrawn.length + 2 + attributeLength + nlri.length;
  const out = new Uint8Array(length);
  out.fill(0xff, 0, 16);
  out[16] = length >>> 8;
  out[17] = length & 0xff;
  out[18] = MessageType.UPDATE;
  let o = 19;
  out[o++] = withdrawn.length >>> 8;
  out[o++] = withdrawn.length & 0xff;
  out.set(withdrawn, o);
  o += withdrawn.length;
  out[o++] = attributeLength >>> 8;
  out[o++] = attributeLength & 0xff;
  for (const p of attributeParts) {
    out.set(p, o);
    o += p.length;
  }
  out.set(nlri, o);
  return out;
}

/**
 * Builds UPDATE messages for many prefixes sharing one attribute set, split at
 * the negotiated maximum (`ctx.maxMessageLength`: 4096, or 65535 with Extended
 * Message, RFC 8654). IPv4 unicast uses the classic fields (RFC 4271 §4.3), other
 * families MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760), placed first (RFC 7606
 * §5.1); path ids per `ctx.addPathSend` (RFC 7911). Withdrawals go in messages of
 * their own, then announcements, then End-of-RIB markers (RFC 4724 §2).
 *
 * Nothing is truncated: an attribute set that cannot fit in one message, or a
 * prefix that cannot fit next to it, is an `EncodeError` naming the field, its
 * size and the limit.
 *
 * @example
 * ```ts
 * const frames = new UpdateBuilder(ctx)
 *   .attributes({ origin: 0, asPath: [{ type: 2, asns: [65001] }], nextHop: '192.0.2.1' })
 *   .announce([Prefix.parse('198.51.100.0/24')])
 *   .announce([Prefix.parse('2001:db8::/32')], { nextHop: '2001:db8::1' })
 *   .build();
 * ```
 */
export class UpdateBuilder {
  readonly ctx: CodecContext;
  private attrs: UpdateAttributes = {};
  private readonly announcements = new Map<FamilyKey, FamilyBatch>();
  private readonly withdrawals = new Map<FamilyKey, FamilyBatch>();
  private readonly endOfRibs: FamilyKey[] = [];

  constructor(ctx: CodecContext) {
    this.ctx = ctx;
  }

  /** Sets the attribute set shared by every announced prefix (replaces the previous one). */
  attributes(attrs: UpdateAttributes): this {
    this.attrs = attrs;
    return this;
  }

  private batch(map: Map<FamilyKey, FamilyBatch>, prefix: Prefix, safi: number): FamilyBatch {
    const key = familyKey(prefix.afi, safi);
    let b = map.get(key);
    if (!b) {
      const codec = getNlriCodec(prefix.afi, safi);
      if (!codec) throw EncodeError.invalid('family', `${familyName(prefix.afi, safi)} has no NLRI codec yet`);
      b = { codec, prefixes: [], nextHop: undefined, classic: key === Family.IPV4_UNICAST };
      map.set(key, b);
    }
    return b;
  }

  /** Adds prefixes to announce with the attribute set (see {@link AnnounceOptions} for next hops). */
  announce(prefixes: Iterable<Prefix>, opts: AnnounceOptions = {}): this {
    const safi = opts.safi ?? Safi.UNICAST;
    const nh = opts.nextHop !== undefined ? nextHopBytes(opts.nextHop, opts.linkLocalNextHop) : undefined;
    for (const p of prefixes) {
      const b = this.batch(this.announcements, p, safi);
      if (nh) {
        if (b.nextHop && !sameBytes(b.nextHop, nh)) {
          throw EncodeError.invalid('nextHop', `${b.codec.name} already has another next hop in this builder`);
        }
        b.nextHop = nh;
        b.classic = false;
      }
      b.prefixes.push(p);
    }
    return this;
  }

  /** Adds prefixes to withdraw (classic Withdrawn Routes for IPv4 unicast, MP_UNREACH_NLRI otherwise). */
  withdraw(prefixes: Iterable<Prefix>, opts: { readonly safi?: number } = {}): this {
    const safi = opts.safi ?? Safi.UNICAST;
    for (const p of prefixes) this.batch(this.withdrawals, p, safi).prefixes.push(p);
    return this;
  }

  /** Adds an End-of-RIB marker for `family` after the other messages (RFC 4724 §2). */
  endOfRib(family: FamilyKey): this {
    this.endOfRibs.push(family);
    return this;
  }

  /** The End-of-RIB marker of one family (RFC 4724 §2) as a complete frame. */
  static endOfRibMessage(family: FamilyKey): Uint8Array {
    if (family === Family.IPV4_UNICAST) return frame(EMPTY, [], 0, EMPTY);
    const { afi, safi } = familyOf(family);
    const attr = Uint8Array.of(AttrFlag.OPTIONAL, AttrType.MP_UNREACH_NLRI, 3, afi >>> 8, afi & 0xff, safi);
    return frame(EMPTY, [attr], attr.length, EMPTY);
  }

  /** Encodes everything added so far into complete UPDATE frames, each at most `ctx.maxMessageLength` octets. */
  build(): Uint8Array[] {
    const max = this.ctx.maxMessageLength;
    const fixed = BGP_HEADER_LENGTH + 4; // header + the two length fields
    const out: Uint8Array[] = [];

    for (const [family, b] of this.withdrawals) {
      const { bytes, ends } = encodeBatch(b.codec, b.prefixes, this.ctx.addPathSend.has(family));
      if (b.classic) {
        for (const w of chunk(bytes, ends, (n) => fixed + n, max, 'Withdrawn Routes')) out.push(frame(w, [], 0, EMPTY));
      } else {
        const total = (n: number): number => fixed + attrHeader(3 + n) + 3 + n;
        for (const nlri of chunk(bytes, ends, total, max, 'MP_UNREACH_NLRI')) {
          const head = new Uint8Array(attrHeader(3 + nlri.length) + 3);
          const o = writeAttrHeader(head, 0, AttrFlag.OPTIONAL, AttrType.MP_UNREACH_NLRI, 3 + nlri.length);
          head[o] = b.codec.afi >>> 8;
          head[o + 1] = b.codec.afi & 0xff;
          head[o + 2] = b.codec.safi;
          out.push(frame(EMPTY, [head, nlri], head.length + nlri.length, EMPTY));
        }
      }
    }

    if (this.announcements.size > 0) {
      // RFC 4271 §5.1: ORIGIN and AS_PATH go with every announcement (NEXT_HOP with classic NLRI, below);
      // a receiver would treat the prefixes as withdrawn (RFC 7606 §3 (d)), so refuse instead.
      for (const [name, type] of [
        ['ORIGIN', AttrType.ORIGIN],
        ['AS_PATH', AttrType.AS_PATH],
      ] as const) {
        if (!hasAttribute(this.attrs, type)) throw EncodeError.invalid('path attributes', `${name} is mandatory with announced prefixes (RFC 4271 §5.1)`);
      }
      const blocks = cachedAttributeBlocks(this.attrs, this.ctx);
      for (const [family, b] of this.announcements) {
        const { bytes, ends } = encodeBatch(b.codec, b.prefixes, this.ctx.addPathSend.has(family));
        if (b.classic) {
          if (!hasAttribute(this.attrs, AttrType.NEXT_HOP)) {
            throw EncodeError.invalid('path attributes', 'NEXT_HOP is mandatory with classic IPv4 unicast NLRI (RFC 4271 §5.1.3)');
          }
          const a = blocks.classic;
          if (fixed + a.length > max) throw new EncodeError('path attributes', a.length, max - fixed);
          for (const nlri of chunk(bytes, ends, (n) => fixed + a.length + n, max, 'NLRI')) out.push(frame(EMPTY, [a], a.length, nlri));
          continue;
        }
        const nh = b.nextHop;
        if (!nh) throw EncodeError.invalid('nextHop', `${b.codec.name} prefixes need a next hop (AnnounceOptions.nextHop)`);
        const a = blocks.mpOnly;
        const mpFixed = 5 + nh.length; // AFI, SAFI, next hop length, next hop, reserved (RFC 4760 §3)
        const total = (n: number): number => fixed + a.length + attrHeader(mpFixed + n) + mpFixed + n;
        if (total(0) > max) throw new EncodeError('path attributes', a.length + attrHeader(mpFixed) + mpFixed, max - fixed);
        for (const nlri of chunk(bytes, ends, total, max, 'MP_REACH_NLRI')) {
          const valueLength = mpFixed + nlri.length;
          const head = new Uint8Array(attrHeader(valueLength) + mpFixed);
          let o = writeAttrHeader(head, 0, AttrFlag.OPTIONAL, AttrType.MP_REACH_NLRI, valueLength);
          head[o++] = b.codec.afi >>> 8;
          head[o++] = b.codec.afi & 0xff;
          head[o++] = b.codec.safi;
          head[o++] = nh.length;
          head.set(nh, o);
          o += nh.length;
          head[o] = 0; // reserved
          // RFC 7606 §5.1: MP_REACH_NLRI first, so a receiver can always find the NLRI.
          out.push(frame(EMPTY, [head, nlri, a], head.length + nlri.length + a.length, EMPTY));
        }
      }
    }

    for (const family of this.endOfRibs) out.push(UpdateBuilder.endOfRibMessage(family));
    return out;
  }
}

/**
 * Encoded attribute blocks per attribute-set object and context: a route server
 * sends one set with many batches, so it is encoded once. Callers must not
 * mutate a set after handing it to a builder (the values are read-only types).
 */
const BLOCK_CACHE = new WeakMap<UpdateAttributes, { ctx: CodecContext; blocks: EncodedAttributeBlocks }>();

function cachedAttributeBlocks(attrs: UpdateAttributes, ctx: CodecContext): EncodedAttributeBlocks {
  const hit = BLOCK_CACHE.get(attrs);
  if (hit && hit.ctx === ctx) return hit.blocks;
  const blocks = encodeAttributeBlocks(attrs, ctx);
  BLOCK_CACHE.set(attrs, { ctx, blocks });
  return blocks;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
