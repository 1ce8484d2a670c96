import { AttrFlag, AttrType } from '../constants.js';
import type { AttributeCodec } from './attribute-codec.js';
import { u32AttributeCodec } from './u32-value.js';

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
export const otcCodec: AttributeCodec<number> & { readonly type: 35 } = u32AttributeCodec({
  type: AttrType.OTC,
  name: 'OTC',
  expectedFlags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  lengthErrorAction: 'treat-as-withdraw',
  section: 'RFC 9234 §5',
});
