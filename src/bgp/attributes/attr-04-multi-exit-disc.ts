import { AttrFlag, AttrType } from '../constants.js';
import type { CodecContext } from '../context.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { readExactU32 } from './u32-value.js';

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
export const multiExitDiscCodec: AttributeCodec<number> & { readonly type: 4 } = {
  type: AttrType.MULTI_EXIT_DISC,
  name: 'MULTI_EXIT_DISC',
  expectedFlags: AttrFlag.OPTIONAL,
  decode(input: AttributeValueInput): number {
    return readExactU32(input, 4, 'MULTI_EXIT_DISC', 'treat-as-withdraw', 'RFC 7606 §7.4');
  },
  encode(value: number, w: WireWriter, _ctx: CodecContext): void {
    w.u32(value, 'MULTI_EXIT_DISC');
  },
  toJSON(value: number): number {
    return value;
  },
};
