import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import { EncodeError } from '../errors.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';

/**
 * ATOMIC_AGGREGATE (type 6), RFC 4271 §4.3 (f): no value; its presence is the
 * information, so the decoded value is `true`.
 * Errors (RFC 7606 §7.6): a non-zero length is attribute-discard.
 * JSON: `true`.
 *
 * @example
 * ```ts
 * atomicAggregateCodec.decode({ buf, start: 3, end: 3, flags: 0x40, ctx }); // true
 * ```
 */
export const atomicAggregateCodec: AttributeCodec<true> & { readonly type: 6 } = {
  type: AttrType.ATOMIC_AGGREGATE,
  name: 'ATOMIC_AGGREGATE',
  expectedFlags: AttrFlag.TRANSITIVE,
  decode(input: AttributeValueInput): true {
    if (input.end !== input.start) {
      throw attributeError(input, 6, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'attribute-discard', `ATOMIC_AGGREGATE length ${input.end - input.start}, expected 0 (RFC 7606 §7.6)`);
    }
    return true;
  },
  encode(value: true, _w: WireWriter, _ctx: CodecContext): void {
    if (value !== true) throw EncodeError.invalid('ATOMIC_AGGREGATE', 'the value is `true` (omit the attribute otherwise)');
  },
  toJSON(): true {
    return true;
  },
};
