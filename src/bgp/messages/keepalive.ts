import { MessageType } from '../constants.js';
import { type CodecContext, DEFAULT_CODEC_CONTEXT } from '../context.js';
import { BgpError } from '../errors.js';
import { WireWriter } from '../wire-writer.js';
import { decodeHeader, finishMessage, startMessage } from './header.js';

/**
 * Encodes a KEEPALIVE (RFC 4271 §4.4): the 19-octet header alone.
 *
 * @example
 * ```ts
 * socket.write(encodeKeepalive());
 * ```
 */
export function encodeKeepalive(): Uint8Array {
  const w = new WireWriter(19);
  const start = startMessage(w, MessageType.KEEPALIVE);
  finishMessage(w, start, 19, 'KEEPALIVE');
  return w.finish();
}

/** Checks a KEEPALIVE frame (RFC 4271 §4.4: exactly 19 octets, else 1/2 with the length as data). */
export function decodeKeepalive(frame: Uint8Array, ctx: CodecContext = DEFAULT_CODEC_CONTEXT): void {
  const { type } = decodeHeader(frame, ctx);
  if (type !== MessageType.KEEPALIVE) throw BgpError.header(3, `expected KEEPALIVE, got message type ${type}`, frame.subarray(18, 19));
}
