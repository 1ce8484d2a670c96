/**
 * Byte vectors written out in hex for tests: `hex` ignores whitespace, `:`
 * separators and `#` comments to the end of a line, so a vector can be
 * commented field by field.
 */
export function hex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('')
    .replace(/[\s:]/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) {
    throw new Error(`hex(): not an even run of hex digits: ${digits.slice(0, 40)}...`);
  }
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

/** Lower-case hex of bytes, for readable assertion failures. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

/** Concatenate byte arrays into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
