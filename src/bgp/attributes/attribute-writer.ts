import { AttrFlag } from '../constants.js';
import type { CodecContext } from '../context.js';
import { EncodeError } from '../errors.js';
import { WireWriter } from '../wire-writer.js';
import type { AttributeCodec } from './attribute-codec.js';
import { flagsForLength } from './attribute-flags.js';

/** The largest attribute value: a two-octet Extended Length (RFC 4271 §4.3). */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 0xffff;

/**
 * Writes one whole path attribute (flags, type, length, value; RFC 4271 §4.3)
 * with `codec`. `flags` defaults to the codec's expected Optional/Transitive bits;
 * Extended Length is added when the value needs it and kept when given.
 * A value longer than 65535 octets is an {@link EncodeError}, never truncated.
 *
 * @example
 * ```ts
 * const w = new WireWriter();
 * encodeAttribute(w, originCodec, Origin.IGP, ctx); // 40 01 01 00
 * ```
 */
export function encodeAttribute<T>(
  w: WireWriter,
  codec: AttributeCodec<T>,
  value: T,
  ctx: CodecContext,
  flags: number = codec.expectedFlags,
): void {
  // A scratch writer per call: codecs may nest (ATTR_SET), and the length octet count depends on the value.
  const scratch = new WireWriter(64);
  codec.encode(value, scratch, ctx);
  const body = scratch.view();
  if (body.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
    throw new EncodeError(`${codec.name} attribute length`, body.length, MAX_ATTRIBUTE_VALUE_LENGTH);
  }
  const f = flagsForLength(flags, body.length);
  w.u8(f, `${codec.name} flags`);
  w.u8(codec.type, 'attribute type');
  if (f & AttrFlag.EXTENDED_LENGTH) w.u16(body.length, `${codec.name} length`);
  else w.u8(body.length, `${codec.name} length`);
  w.bytes(body);
}
