import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import { EncodeError } from '../errors.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';
import type { Aggregator } from './aggregator.js';
import { readIPv4, writeIPv4 } from './ipv4-value.js';

/**
 * AGGREGATOR (type 7), RFC 4271 §4.3 (g): AS (2 octets, or 4 with `ctx.asn4`,
 * RFC 6793 §3) and the aggregating speaker's BGP identifier.
 * Errors (RFC 7606 §7.7): a length other than 6 (2-octet) or 8 (4-octet) is
 * attribute-discard.
 * JSON: `{ "asn": number, "address": "a.b.c.d" }`.
 *
 * @example
 * ```ts
 * aggregatorCodec.decode({ buf, start, end, flags: 0xc0, ctx }); // { asn: 65000, address: "192.0.2.1" }
 * ```
 */
export const aggregatorCodec: AttributeCodec<Aggregator> & { readonly type: 7 } = {
  type: AttrType.AGGREGATOR,
  name: 'AGGREGATOR',
  expectedFlags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  decode(input: AttributeValueInput): Aggregator {
    const { buf, start, end } = input;
    const asnSize = input.ctx.asn4 ? 4 : 2;
    if (end - start !== asnSize + 4) {
      throw attributeError(input, 7, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'attribute-discard', `AGGREGATOR length ${end - start}, expected ${asnSize + 4} (RFC 7606 §7.7)`);
    }
    const asn = asnSize === 4 ? buf[start]! * 0x1000000 + ((buf[start + 1]! << 16) | (buf[start + 2]! << 8) | buf[start + 3]!) : (buf[start]! << 8) | buf[start + 1]!;
    return { asn, address: readIPv4(buf, start + asnSize) };
  },
  encode(value: Aggregator, w: WireWriter, ctx: CodecContext): void {
    if (ctx.asn4) w.u32(value.asn, 'AGGREGATOR asn');
    else if (value.asn > 0xffff) throw new EncodeError('AGGREGATOR asn', value.asn, 0xffff, 'AGGREGATOR asn does not fit in 2 octets: use AS_TRANS and AS4_AGGREGATOR (RFC 6793 §4.2.2)');
    else w.u16(value.asn, 'AGGREGATOR asn');
    writeIPv4(value.address, w, 'AGGREGATOR address');
  },
  toJSON(value: Aggregator): Aggregator {
    return { asn: value.asn, address: value.address };
  },
};
