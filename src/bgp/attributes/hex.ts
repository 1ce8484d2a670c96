/** Lower-case hex of bytes, the JSON form of opaque values (contract: "unknown bytes as lower-case hex"). */
export function bytesToHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Bytes of a hex string (whitespace ignored); `undefined` when it is not hex. */
export function hexToBytes(text: string): Uint8Array | undefined {
  const s = text.replace(/\s+/g, '');
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return undefined;
  return Uint8Array.from(Buffer.from(s, 'hex'));
}
