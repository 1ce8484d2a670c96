/** Hex helpers shared by every test live in test/support/hex.ts; the message tests add frames. */
import { hex } from '../../support/hex.js';

export { hex, toHex } from '../../support/hex.js';

/** The 16-octet all-ones marker (RFC 4271 §4.1). */
export const MARKER = 'ffffffffffffffffffffffffffffffff';

/** A full frame around `body` with a correct length field. */
export function frame(type: number, body: string | Uint8Array): Uint8Array {
  const b = typeof body === 'string' ? hex(body) : body;
  const out = new Uint8Array(19 + b.length);
  out.fill(0xff, 0, 16);
  out[16] = (19 + b.length) >>> 8;
  out[17] = (19 + b.length) & 0xff;
  out[18] = type;
  out.set(b, 19);
  return out;
}
