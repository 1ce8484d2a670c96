import { AttrFlag, AttrType, Origin, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import { EncodeError } from '../errors.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';

/** JSON/text names of the ORIGIN values (RFC 4271 §4.3 (a)). */
export const ORIGIN_NAMES: Readonly<Record<Origin, 'igp' | 'egp' | 'incomplete'>> = { 0: 'igp', 1: 'egp', 2: 'incomplete' };

/** The ORIGIN as bgpdump prints it: `IGP`, `EGP`, `INCOMPLETE`. */
export function formatOrigin(origin: Origin): string {
  return ORIGIN_NAMES[origin].toUpperCase();
}

/**
 * ORIGIN (type 1), RFC 4271 §4.3 (a): one octet, 0 IGP, 1 EGP, 2 INCOMPLETE.
 * Errors (RFC 7606 §7.1): a length other than 1 (Attribute Length Error) or an
 * undefined value (Invalid ORIGIN Attribute) is treat-as-withdraw.
 * JSON: `"igp" | "egp" | "incomplete"`.
 *
 * @example
 * ```ts
 * originCodec.decode({ buf: Uint8Array.of(0), start: 0, end: 1, flags: 0x40, ctx }); // 0 (IGP)
 * ```
 */
export const originCodec: AttributeCodec<Origin> & { readonly type: 1 } = {
  type: AttrType.ORIGIN,
  name: 'ORIGIN',
  expectedFlags: AttrFlag.TRANSITIVE,
  decode(input: AttributeValueInput): Origin {
    if (input.end - input.start !== 1) {
      throw attributeError(input, 1, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'treat-as-withdraw', `ORIGIN length ${input.end - input.start}, expected 1 (RFC 7606 §7.1)`);
    }
    const v = input.buf[input.start]!;
    if (v > Origin.INCOMPLETE) {
      throw attributeError(input, 1, UpdateSubcode.INVALID_ORIGIN_ATTRIBUTE, 'treat-as-withdraw', `ORIGIN value ${v} is undefined (RFC 7606 §7.1)`);
    }
    return v as Origin;
  },
  encode(value: Origin, w: WireWriter, _ctx: CodecContext): void {
    if (value !== 0 && value !== 1 && value !== 2) throw EncodeError.invalid('ORIGIN', `value ${String(value)} is not 0, 1 or 2`);
    w.u8(value, 'ORIGIN');
  },
  toJSON(value: Origin): string {
    return ORIGIN_NAMES[value];
  },
};
