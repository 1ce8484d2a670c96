import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';
import type { Aggregator } from './aggregator.js';
import { readIPv4, writeIPv4 } from './ipv4-value.js';

/**
 * AS4_AGGREGATOR (type 18), RFC 6793 §3: 4-octet AS and BGP identifier.
 * Errors (RFC 6793 §6): a length other than 8 is attribute-discard.
 * JSON: `{ "asn": number, "address": "a.b.c.d" }`.
 *
 * @example
 * ```ts
 * const agg = mergeAs4Aggregator(aggregator, as4AggregatorCodec.decode(input));
 * ```
 */
export const as4AggregatorCodec: AttributeCodec<Aggregator> & { readonly type: 18 } = {
  type: AttrType.AS4_AGGREGATOR,
  name: 'AS4_AGGREGATOR',
  expectedFlags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  decode(input: AttributeValueInput): Aggregator {
    const { buf, start, end } = input;
    if (end - start !== 8) {
      throw attributeError(input, 18, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'attribute-discard', `AS4_AGGREGATOR length ${end - start}, expected 8 (RFC 6793 §6)`);
    }
    const asn = buf[start]! * 0x1000000 + ((buf[start + 1]! << 16) | (buf[start + 2]! << 8) | buf[start + 3]!);
    return { asn, address: readIPv4(buf, start + 4) };
  },
  encode(value: Aggregator, w: WireWriter, _ctx: CodecContext): void {
    w.u32(value.asn, 'AS4_AGGREGATOR asn');
    writeIPv4(value.address, w, 'AS4_AGGREGATOR address');
  },
  toJSON(value: Aggregator): Aggregator {
    return { asn: value.asn, address: value.address };
  },
};
