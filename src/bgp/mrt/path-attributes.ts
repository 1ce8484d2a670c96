import { attributeCodec, type AttributeValueMap, getAttributeCodecOrRaw, type KnownAttributeType } from '../attributes/attribute-registry.js';
import { AttrFlag } from '../constants.js';
import { mrtCodecContext } from './mrt-codec-context.js';
import { toHex } from './mrt-record-base.js';

/** One path attribute as framed by RFC 4271 §4.3: flags, type code and a view on its value. */
export interface RawPathAttribute {
  readonly flags: number;
  readonly type: number;
  readonly value: Uint8Array;
}

/**
 * A window on a path-attribute block inside an MRT record (a TABLE_DUMP
 * entry, a TABLE_DUMP_V2 RIB entry): `buf[start..end)`. Nothing is decoded
 * until asked. In TABLE_DUMP_V2 RIB entries MP_REACH_NLRI is abbreviated to
 * next-hop length + next hop (RFC 6396 §4.3.4); decode it with the attribute
 * codecs' `mrtRibEntry: true`.
 *
 * @example
 * ```ts
 * for (const e of rib.entries) {
 *   const asPath = e.attributes.decode(AttrType.AS_PATH); // AsPath, via the attribute codecs
 *   for (const a of e.attributes) console.log(a.type, a.value.length);
 * }
 * ```
 */
export class PathAttributeBlock {
  readonly buf: Uint8Array;
  readonly start: number;
  readonly end: number;
  /** True inside a TABLE_DUMP_V2 RIB entry (abbreviated MP_REACH_NLRI). */
  readonly mrtRibEntry: boolean;
  /** True when the AS numbers in AS_PATH/AGGREGATOR are 4 octets (TABLE_DUMP_V2 always, RFC 6396 §4.3.4). */
  readonly asn4: boolean;

  constructor(buf: Uint8Array, start: number, end: number, opts: { mrtRibEntry: boolean; asn4: boolean }) {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.mrtRibEntry = opts.mrtRibEntry;
    this.asn4 = opts.asn4;
  }

  /** The block's bytes (a view). */
  get bytes(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  /**
   * Iterates the attributes' framing (RFC 4271 §4.3, extended-length flag
   * honoured). A header or value running past the block ends the iteration and
   * is reported by {@link PathAttributeBlock.framingError}.
   */
  *[Symbol.iterator](): IterableIterator<RawPathAttribute> {
    const b = this.buf;
    let p = this.start;
    while (p + 3 <= this.end) {
      const flags = b[p]!;
      const type = b[p + 1]!;
      let len: number;
      if (flags & AttrFlag.EXTENDED_LENGTH) {
        if (p + 4 > this.end) return;
        len = (b[p + 2]! << 8) | b[p + 3]!;
        p += 4;
      } else {
        len = b[p + 2]!;
        p += 3;
      }
      if (p + len > this.end) return;
      yield { flags, type, value: b.subarray(p, p + len) };
      p += len;
    }
  }

  /** The raw attribute with this type code, or `undefined`. */
  attribute(type: number): RawPathAttribute | undefined {
    for (const a of this) if (a.type === type) return a;
    return undefined;
  }

  /**
   * Decodes the first attribute of a type with the attribute codecs (value
   * types as in `AttributeValueMap`; abbreviated MP_REACH_NLRI in RIB entries
   * via `mrtRibEntry`). `undefined` when absent; throws `BgpError` when malformed.
   */
  decode(type: number): unknown {
    const a = this.attribute(type);
    if (!a) return undefined;
    const codec = getAttributeCodecOrRaw(type);
    return codec.decode({
      buf: a.value,
      start: 0,
      end: a.value.length,
      flags: a.flags,
      ctx: mrtCodecContext(this.asn4, false),
      mrtRibEntry: this.mrtRibEntry,
    });
  }

  /**
   * The typed value of a known attribute (`value(AttrType.AS_PATH)` is an
   * `AsPath`), decoded with its codec; `undefined` when absent; throws
   * `BgpError` when malformed.
   */
  value<K extends KnownAttributeType>(type: K): AttributeValueMap[K] | undefined {
    const a = this.attribute(type);
    if (!a) return undefined;
    return attributeCodec(type).decode({
      buf: a.value,
      start: 0,
      end: a.value.length,
      flags: a.flags,
      ctx: mrtCodecContext(this.asn4, false),
      mrtRibEntry: this.mrtRibEntry,
    });
  }

  /** A description of the first framing fault, or `undefined` when the block frames exactly. */
  get framingError(): string | undefined {
    const b = this.buf;
    let p = this.start;
    while (p < this.end) {
      if (p + 3 > this.end) return `attribute header truncated at ${p - this.start}`;
      const flags = b[p]!;
      const ext = (flags & AttrFlag.EXTENDED_LENGTH) !== 0;
      if (ext && p + 4 > this.end) return `attribute header truncated at ${p - this.start}`;
      const len = ext ? (b[p + 2]! << 8) | b[p + 3]! : b[p + 2]!;
      p += ext ? 4 : 3;
      if (p + len > this.end) return `attribute type ${b[p - (ext ? 3 : 2)]!} length ${len} runs past the block`;
      p += len;
    }
    return undefined;
  }

  /**
   * JSON: each attribute as `{ type, name, flags, value }` with the value in its
   * codec's JSON form, or `{ type, flags, raw: hex, error }` when it does not decode.
   */
  toJSON(): Record<string, unknown>[] {
    const ctx = mrtCodecContext(this.asn4, false);
    return [...this].map((a) => {
      const codec = getAttributeCodecOrRaw(a.type);
      try {
        const value = codec.decode({ buf: a.value, start: 0, end: a.value.length, flags: a.flags, ctx, mrtRibEntry: this.mrtRibEntry });
        return { type: a.type, name: codec.name, flags: a.flags, value: codec.toJSON(value) };
      } catch (e) {
        const error = e instanceof Error && 'code' in e ? (e as Error & { code: unknown }).code : String(e);
        return { type: a.type, flags: a.flags, raw: toHex(a.value), error };
      }
    });
  }
}
