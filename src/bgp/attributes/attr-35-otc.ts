import { AttrFlag, AttrType } from '../constants.js';
import type { CodecContext } from '../context.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { readExactU32 } from './u32-value.js';

/**
 * OTC, Only to Customer (type 35), RFC 9234 §5: a 4-octet AS number
 * (optional transitive), set on routes sent to customers, peers or RS clients.
 * Errors (RFC 9234 §5, per RFC 7606): a length other than 4 is treat-as-withdraw.
 * JSON: a number.
 *
 * @example
 * ```ts
 * otcCodec.decode({ buf: Uint8Array.of(0, 0, 0xfd, 0xe8), start: 0, end: 4, flags: 0xc0, ctx }); // 65000
 * ```
 */
export const otcCodec: AttributeCodec<number> & { readonly type: 35 } = {
  type: AttrType.OTC,
  name: 'OTC',
  expectedFlags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  decode(input: AttributeValueInput): number {
    return readExactU32(input, 35, 'OTC', 'treat-as-withdraw', 'RFC 9234 §5');
  },
  encode(value: number, w: WireWriter, _ctx: CodecContext): void {
    w.u32(value, 'OTC');
  },
  toJSON(value: number): number {
    return value;
  },
};
