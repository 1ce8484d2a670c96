import { createCodecContext, type CodecContext } from '../../../src/bgp/context.js';
import type { AttributeCodec } from '../../../src/bgp/attributes/attribute-codec.js';
import { WireWriter } from '../../../src/bgp/wire-writer.js';
import { BgpError } from '../../../src/bgp/errors.js';

/** Bytes of a hex string; whitespace and `_` are visual separators. */
export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/[\s_]/g, ''), 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export const CTX4: CodecContext = createCodecContext({ asn4: true });
export const CTX2: CodecContext = createCodecContext({ asn4: false });

/** Decodes a bare value (no header in front of it). */
export function decodeValue<T>(codec: AttributeCodec<T>, value: Uint8Array | string, ctx: CodecContext = CTX4, flags = codec.expectedFlags, mrtRibEntry = false): T {
  const buf = typeof value === 'string' ? hex(value) : value;
  return codec.decode({ buf, start: 0, end: buf.length, flags, ctx, mrtRibEntry });
}

/** Decodes a value with its attribute header in front (as inside an UPDATE), offset inside a larger buffer. */
export function decodeWithHeader<T>(codec: AttributeCodec<T>, valueHex: string, ctx: CodecContext = CTX4, flags = codec.expectedFlags): T {
  const value = hex(valueHex);
  const ext = value.length > 255;
  const header = ext ? [flags | 0x10, codec.type, value.length >> 8, value.length & 0xff] : [flags, codec.type, value.length];
  const buf = Uint8Array.from([0xaa, 0xbb, ...header, ...value, 0xcc]);
  return codec.decode({ buf, start: 2 + header.length, end: 2 + header.length + value.length, flags: header[0]!, ctx });
}

export function encodeValue<T>(codec: AttributeCodec<T>, value: T, ctx: CodecContext = CTX4): Uint8Array {
  const w = new WireWriter();
  codec.encode(value, w, ctx);
  return w.finish();
}

/** Runs `fn` and returns the BgpError it throws (fails the test when it throws anything else or nothing). */
export function catchBgpError(fn: () => unknown): BgpError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BgpError) return e;
    throw new Error(`expected a BgpError, got ${String(e)}`);
  }
  throw new Error('expected a BgpError, nothing was thrown');
}
