import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import { EncodeError } from '../errors.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';

/**
 * COMMUNITIES (type 8), RFC 1997: a list of uint32 values (high 16 bits an AS).
 * Errors (RFC 7606 §7.8): a length that is not a non-zero multiple of 4 is
 * treat-as-withdraw.
 * JSON: `number[]` (use `formatCommunity` for `65000:100` / `NO_EXPORT` text).
 *
 * @example
 * ```ts
 * const c = communitiesCodec.decode({ buf, start, end, flags: 0xc0, ctx }); // [4259840100]
 * c.map(formatCommunity); // ["65000:100"]
 * ```
 */
export const communitiesCodec: AttributeCodec<readonly number[]> & { readonly type: 8 } = {
  type: AttrType.COMMUNITIES,
  name: 'COMMUNITIES',
  expectedFlags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  decode(input: AttributeValueInput): readonly number[] {
    const { buf, start, end } = input;
    const len = end - start;
    if (len === 0 || len % 4 !== 0) {
      throw attributeError(input, 8, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'treat-as-withdraw', `COMMUNITIES length ${len} is not a non-zero multiple of 4 (RFC 7606 §7.8)`);
    }
    const out = new Array<number>(len / 4);
    for (let p = start, i = 0; p < end; p += 4, i++) out[i] = buf[p]! * 0x1000000 + ((buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!);
    return out;
  },
  encode(value: readonly number[], w: WireWriter, _ctx: CodecContext): void {
    // An empty attribute is malformed on receipt (RFC 7606 §7.8): omit it instead.
    if (value.length === 0) throw EncodeError.invalid('COMMUNITIES', 'an empty list is malformed (RFC 7606 §7.8); omit the attribute');
    for (const c of value) w.u32(c, 'COMMUNITIES community');
  },
  toJSON(value: readonly number[]): number[] {
    return [...value];
  },
};
