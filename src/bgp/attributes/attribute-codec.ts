import type { CodecContext } from '../context.js';
import type { WireWriter } from '../wire-writer.js';

/**
 * Where an attribute's value bytes are. The view points into the message buffer:
 * `buf[start..end)` is the attribute value (after flags, type and length).
 */
export interface AttributeValueInput {
  readonly buf: Uint8Array;
  readonly start: number;
  readonly end: number;
  /** The flags octet as received (RFC 4271 §4.3). */
  readonly flags: number;
  readonly ctx: CodecContext;
  /**
   * True inside an MRT TABLE_DUMP_V2 RIB entry, where MP_REACH_NLRI is abbreviated
   * to next-hop length + next hop (RFC 6396 §4.3.4).
   */
  readonly mrtRibEntry?: boolean;
}

/**
 * One path attribute type: how its value is read, checked, written and shown.
 * One codec per file, named by type code (`attr-08-communities.ts`), registered
 * in the attribute registry.
 *
 * `decode` throws a `BgpError` carrying the RFC 7606 action the attribute's
 * RFC section prescribes (e.g. a bad LOCAL_PREF length is treat-as-withdraw,
 * RFC 7606 §7.5; a bad ATOMIC_AGGREGATE length is attribute-discard, §7.6).
 */
export interface AttributeCodec<T> {
  /** Type code (IANA "BGP Path Attributes"). */
  readonly type: number;
  /** Upper-case name as in the RFC (`LOCAL_PREF`). */
  readonly name: string;
  /**
   * The optional and transitive bits this attribute must carry (RFC 4271 §5;
   * RFC 7606 §3 (c) checks them); compared as `flags & 0xc0`.
   */
  readonly expectedFlags: number;
  decode(input: AttributeValueInput): T;
  /** Writes the value only; the caller writes flags, type and length. */
  encode(value: T, w: WireWriter, ctx: CodecContext): void;
  /** The stable JSON form of the value (documented per codec). */
  toJSON(value: T): unknown;
}
