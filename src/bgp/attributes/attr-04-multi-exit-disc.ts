import { AttrFlag, AttrType } from '../constants.js';
import type { AttributeCodec } from './attribute-codec.js';
import { u32AttributeCodec } from './u32-value.js';

/**
 * MULTI_EXIT_DISC (type 4), RFC 4271 §4.3 (d): a uint32, optional non-transitive.
 * Errors (RFC 7606 §7.4): a length other than 4 is treat-as-withdraw.
 * JSON: a number.
 *
 * @example
 * ```ts
 * multiExitDiscCodec.decode({ buf: Uint8Array.of(0, 0, 0, 10), start: 0, end: 4, flags: 0x80, ctx }); // 10
 * ```
 */
export const multiExitDiscCodec: AttributeCodec<number> & { readonly type: 4 } = u32AttributeCodec({
  type: AttrType.MULTI_EXIT_DISC,
  name: 'MULTI_EXIT_DISC',
  expectedFlags: AttrFlag.OPTIONAL,
  lengthErrorAction: 'treat-as-withdraw',
  section: 'RFC 7606 §7.4',
});
