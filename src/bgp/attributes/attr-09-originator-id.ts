import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';
import { readIPv4, writeIPv4 } from './ipv4-value.js';

/**
 * ORIGINATOR_ID (type 9), RFC 4456 §8: the BGP identifier of the route's
 * originator in the local AS, set by a route reflector (optional non-transitive).
 * Errors (RFC 7606 §7.9): a length other than 4 is treat-as-withdraw. (From an
 * external peer it is discarded, §7.9: a session rule, not the codec's.)
 * JSON: `"a.b.c.d"`.
 *
 * @example
 * ```ts
 * originatorIdCodec.decode({ buf, start, end, flags: 0x80, ctx }); // "10.0.0.1"
 * ```
 */
export const originatorIdCodec: AttributeCodec<string> & { readonly type: 9 } = {
  type: AttrType.ORIGINATOR_ID,
  name: 'ORIGINATOR_ID',
  expectedFlags: AttrFlag.OPTIONAL,
  decode(input: AttributeValueInput): string {
    if (input.end - input.start !== 4) {
      throw attributeError(input, 9, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'treat-as-withdraw', `ORIGINATOR_ID length ${input.end - input.start}, expected 4 (RFC 7606 §7.9)`);
    }
    return readIPv4(input.buf, input.start);
  },
  encode(value: string, w: WireWriter, _ctx: CodecContext): void {
    writeIPv4(value, w, 'ORIGINATOR_ID');
  },
  toJSON(value: string): string {
    return value;
  },
};
