/** Hex vectors for the message tests: whitespace, `:` and `#` comments to end of line are ignored. */
export function hex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('')
    .replace(/[\s:]/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not an even run of hex digits: ${digits.slice(0, 40)}`);
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

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
