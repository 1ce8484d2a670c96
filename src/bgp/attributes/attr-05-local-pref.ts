import { AttrFlag, AttrType } from '../constants.js';
import type { AttributeCodec } from './attribute-codec.js';
import { u32AttributeCodec } from './u32-value.js';

/**
 * LOCAL_PREF (type 5), RFC 4271 §4.3 (e): a uint32, well-known, iBGP only.
 * Errors (RFC 7606 §7.5): a length other than 4 is treat-as-withdraw. (A
 * LOCAL_PREF from an external peer is discarded, §7.5; the session knows the
 * peer type, the codec does not.)
 * JSON: a number.
 *
 * @example
 * ```ts
 * localPrefCodec.decode({ buf: Uint8Array.of(0, 0, 0, 100), start: 0, end: 4, flags: 0x40, ctx }); // 100
 * ```
 */
export const localPrefCodec: AttributeCodec<number> & { readonly type: 5 } = u32AttributeCodec({
  type: AttrType.LOCAL_PREF,
  name: 'LOCAL_PREF',
  expectedFlags: AttrFlag.TRANSITIVE,
  lengthErrorAction: 'treat-as-withdraw',
  section: 'RFC 7606 §7.5',
});
