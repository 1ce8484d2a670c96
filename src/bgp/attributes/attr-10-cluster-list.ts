import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import { EncodeError } from '../errors.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';
import { readIPv4, writeIPv4 } from './ipv4-value.js';

/**
 * CLUSTER_LIST (type 10), RFC 4456 §8: the CLUSTER_IDs (dotted quads) of the
 * reflection path, most recent first (optional non-transitive).
 * Errors (RFC 7606 §7.10): a length that is not a non-zero multiple of 4 is
 * treat-as-withdraw.
 * JSON: `["a.b.c.d", ...]`.
 *
 * @example
 * ```ts
 * clusterListCodec.decode({ buf, start, end, flags: 0x80, ctx }); // ["10.0.0.1", "10.0.0.2"]
 * ```
 */
export const clusterListCodec: AttributeCodec<readonly string[]> & { readonly type: 10 } = {
  type: AttrType.CLUSTER_LIST,
  name: 'CLUSTER_LIST',
  expectedFlags: AttrFlag.OPTIONAL,
  decode(input: AttributeValueInput): readonly string[] {
    const { buf, start, end } = input;
    const len = end - start;
    if (len === 0 || len % 4 !== 0) {
      throw attributeError(input, 10, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'treat-as-withdraw', `CLUSTER_LIST length ${len} is not a non-zero multiple of 4 (RFC 7606 §7.10)`);
    }
    const out: string[] = [];
    for (let p = start; p < end; p += 4) out.push(readIPv4(buf, p));
    return out;
  },
  encode(value: readonly string[], w: WireWriter, _ctx: CodecContext): void {
    if (value.length === 0) throw EncodeError.invalid('CLUSTER_LIST', 'an empty list is malformed (RFC 7606 §7.10); omit the attribute');
    for (const id of value) writeIPv4(id, w, 'CLUSTER_LIST cluster id');
  },
  toJSON(value: readonly string[]): string[] {
    return [...value];
  },
};
