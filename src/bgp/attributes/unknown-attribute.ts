import type { CodecContext } from '../context.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { bytesToHex } from './hex.js';

/**
 * An attribute fibwire does not interpret, kept as received: the flags octet
 * (RFC 4271 §4.3, Partial and Extended Length bits included), the type code and
 * the value bytes. `value` is a view into the message buffer (no copy); call
 * `value.slice()` to keep it past the buffer's life.
 *
 * JSON form: `{ "flags": 192, "type": 99, "value": "0a0b" }` (value as lower-case hex).
 */
export interface UnknownAttribute {
  readonly flags: number;
  readonly type: number;
  readonly value: Uint8Array;
}

/**
 * The raw codec for one attribute type: decode keeps flags and bytes, encode writes
 * the bytes back unchanged, so pass-through re-encodes byte-identical.
 */
class UnknownAttributeCodec implements AttributeCodec<UnknownAttribute> {
  readonly type: number;
  readonly name: string;
  /** Unknown attributes are checked for nothing: their flags are whatever was received. */
  readonly expectedFlags = 0;

  constructor(type: number) {
    this.type = type;
    this.name = `ATTR_${type}`;
  }

  decode(input: AttributeValueInput): UnknownAttribute {
    return { flags: input.flags, type: this.type, value: input.buf.subarray(input.start, input.end) };
  }

  encode(value: UnknownAttribute, w: WireWriter, _ctx: CodecContext): void {
    w.bytes(value.value);
  }

  toJSON(value: UnknownAttribute): { flags: number; type: number; value: string } {
    return { flags: value.flags, type: value.type, value: bytesToHex(value.value) };
  }
}

const UNKNOWN_CODECS = new Map<number, UnknownAttributeCodec>();

/**
 * The raw codec for type code `type` (0..255), one shared instance per type.
 *
 * @example
 * ```ts
 * const codec = unknownAttributeCodec(99);
 * const attr = codec.decode({ buf, start, end, flags: 0xc0, ctx });
 * ```
 */
export function unknownAttributeCodec(type: number): AttributeCodec<UnknownAttribute> {
  let codec = UNKNOWN_CODECS.get(type);
  if (!codec) {
    if (!Number.isInteger(type) || type < 0 || type > 255) throw new RangeError(`attribute type ${type} is not 0..255`);
    codec = new UnknownAttributeCodec(type);
    UNKNOWN_CODECS.set(type, codec);
  }
  return codec;
}
