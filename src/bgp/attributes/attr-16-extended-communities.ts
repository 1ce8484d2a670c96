import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import { EncodeError } from '../errors.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';
import { type ExtendedCommunity, extendedCommunityToJSON, readExtendedCommunity, writeExtendedCommunity } from './extended-community.js';

/**
 * EXTENDED_COMMUNITIES (type 16), RFC 4360: a list of 8-octet communities
 * (optional transitive), typed per {@link ExtendedCommunity}; unknown ones stay
 * raw and re-encode byte-identical.
 * Errors (RFC 7606 §7.14): a length that is not a non-zero multiple of 8 is
 * treat-as-withdraw.
 * JSON: `[{ "kind": "route-target", "format": "as2", "asn": 65000, "local": 100, "text": "target:65000:100" }, ...]`.
 *
 * @example
 * ```ts
 * const list = extendedCommunitiesCodec.decode({ buf, start, end, flags: 0xc0, ctx });
 * list.filter((c) => c.kind === 'route-target').map(formatExtendedCommunity); // ["target:65000:100"]
 * ```
 */
export const extendedCommunitiesCodec: AttributeCodec<readonly ExtendedCommunity[]> & { readonly type: 16 } = {
  type: AttrType.EXTENDED_COMMUNITIES,
  name: 'EXTENDED_COMMUNITIES',
  expectedFlags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  decode(input: AttributeValueInput): readonly ExtendedCommunity[] {
    const { buf, start, end } = input;
    const len = end - start;
    if (len === 0 || len % 8 !== 0) {
      throw attributeError(input, 16, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'treat-as-withdraw', `EXTENDED_COMMUNITIES length ${len} is not a non-zero multiple of 8 (RFC 7606 §7.14)`);
    }
    const out: ExtendedCommunity[] = [];
    for (let p = start; p < end; p += 8) out.push(readExtendedCommunity(buf, p));
    return out;
  },
  encode(value: readonly ExtendedCommunity[], w: WireWriter, _ctx: CodecContext): void {
    if (value.length === 0) throw EncodeError.invalid('EXTENDED_COMMUNITIES', 'an empty list is malformed (RFC 7606 §7.14); omit the attribute');
    for (const c of value) writeExtendedCommunity(c, w);
  },
  toJSON(value: readonly ExtendedCommunity[]): Record<string, unknown>[] {
    return value.map(extendedCommunityToJSON);
  },
};
