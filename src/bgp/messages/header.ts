import {
  BGP_HEADER_LENGTH,
  BGP_MARKER_LENGTH,
  BGP_MAX_MESSAGE_LENGTH,
  HeaderSubcode,
  MessageType,
} from '../constants.js';
import type { CodecContext } from '../context.js';
import { BgpError, EncodeError } from '../errors.js';
import { readU16 } from '../wire-reader.js';
import type { WireWriter } from '../wire-writer.js';

/** The fixed part of every BGP message, RFC 4271 §4.1 (the marker is checked, not kept). */
export interface MessageHeader {
  /** Total message length in octets, header included. */
  readonly length: number;
  /** Message type (RFC 4271 §4.1, RFC 2918 for 5). */
  readonly type: MessageType;
}

/** Lower-case names of the message types, as used in the JSON forms. */
export const MESSAGE_TYPE_NAME: Readonly<Record<MessageType, 'open' | 'update' | 'notification' | 'keepalive' | 'route-refresh'>> = {
  1: 'open',
  2: 'update',
  3: 'notification',
  4: 'keepalive',
  5: 'route-refresh',
};

/**
 * Smallest legal length of each message type (RFC 4271 §6.1: "the Length field
 * of an OPEN message is less than the minimum length of the OPEN message", ...):
 * OPEN 29 (§4.2), UPDATE 23 (§4.3), NOTIFICATION 21 (§4.5), KEEPALIVE exactly 19
 * (§4.4). ROUTE-REFRESH (exactly 23, RFC 2918 §3) is checked by its decoder,
 * because RFC 7313 §5 answers a bad BoRR/EoRR length with 7/1, not 1/2.
 */
const MIN_LENGTH: Readonly<Record<MessageType, number>> = { 1: 29, 2: 23, 3: 21, 4: 19, 5: 19 };

function isMessageType(t: number): t is MessageType {
  return t >= MessageType.OPEN && t <= MessageType.ROUTE_REFRESH;
}

function lengthData(b: Uint8Array): Uint8Array {
  // RFC 4271 §6.1: the Data field of Bad Message Length is the erroneous Length field.
  return b.subarray(BGP_MARKER_LENGTH, BGP_MARKER_LENGTH + 2);
}

/**
 * Checks the header of one complete frame (RFC 4271 §4.1, §6.1) and returns its
 * length and type. In the order of §6.1:
 * - marker not all ones: 1/1 Connection Not Synchronized;
 * - Length < 19, > `ctx.maxMessageLength` (OPEN and KEEPALIVE stay at 4096 even
 *   with Extended Message, RFC 8654 §4), different from the frame's size, or
 *   below the type's minimum / not its fixed length: 1/2 Bad Message Length,
 *   with the Length field as data;
 * - unknown type: 1/3 Bad Message Type, with the type octet as data.
 *
 * @example
 * ```ts
 * const { type, length } = decodeHeader(frame, ctx);
 * ```
 */
export function decodeHeader(frame: Uint8Array, ctx: CodecContext): MessageHeader {
  const size = frame.length;
  const markerEnd = Math.min(size, BGP_MARKER_LENGTH);
  for (let i = 0; i < markerEnd; i++) {
    if (frame[i] !== 0xff) throw BgpError.header(HeaderSubcode.CONNECTION_NOT_SYNCHRONIZED, `marker octet ${i} is not 0xff`);
  }
  if (size < BGP_HEADER_LENGTH) {
    const data = size >= BGP_MARKER_LENGTH + 2 ? lengthData(frame) : undefined;
    throw BgpError.header(HeaderSubcode.BAD_MESSAGE_LENGTH, `frame of ${size} octets is shorter than the 19-octet header`, data);
  }
  const length = readU16(frame, BGP_MARKER_LENGTH);
  const type = frame[BGP_MARKER_LENGTH + 2]!;
  if (length < BGP_HEADER_LENGTH || length > ctx.maxMessageLength) {
    throw BgpError.header(
      HeaderSubcode.BAD_MESSAGE_LENGTH,
      `message length ${length} is outside 19..${ctx.maxMessageLength}`,
      lengthData(frame),
    );
  }
  if (length !== size) {
    throw BgpError.header(
      HeaderSubcode.BAD_MESSAGE_LENGTH,
      `header says ${length} octets but the frame holds ${size}`,
      lengthData(frame),
    );
  }
  if (!isMessageType(type)) {
    throw BgpError.header(HeaderSubcode.BAD_MESSAGE_TYPE, `unknown message type ${type}`, frame.subarray(18, 19));
  }
  if (length < MIN_LENGTH[type]) {
    throw BgpError.header(
      HeaderSubcode.BAD_MESSAGE_LENGTH,
      `${MESSAGE_TYPE_NAME[type].toUpperCase()} of ${length} octets is shorter than its minimum ${MIN_LENGTH[type]}`,
      lengthData(frame),
    );
  }
  if (type === MessageType.KEEPALIVE && length !== BGP_HEADER_LENGTH) {
    throw BgpError.header(HeaderSubcode.BAD_MESSAGE_LENGTH, `KEEPALIVE of ${length} octets (RFC 4271 §4.4: exactly 19)`, lengthData(frame));
  }
  if (type === MessageType.OPEN && length > BGP_MAX_MESSAGE_LENGTH) {
    throw BgpError.header(HeaderSubcode.BAD_MESSAGE_LENGTH, `OPEN of ${length} octets (RFC 8654 §4: at most 4096)`, lengthData(frame));
  }
  return { length, type };
}

/**
 * Writes marker, a length placeholder and the type (RFC 4271 §4.1); returns the
 * offset of the message start for {@link finishMessage}.
 */
export function startMessage(w: WireWriter, type: MessageType): number {
  const start = w.length;
  for (let i = 0; i < BGP_MARKER_LENGTH; i++) w.u8(0xff);
  w.reserveU16();
  w.u8(type, 'message type');
  return start;
}

/**
 * Fills the Length field of the message begun at `start`. A message longer than
 * `limit` is an {@link EncodeError} naming it, never a truncated frame.
 */
export function finishMessage(w: WireWriter, start: number, limit: number, what: string): void {
  const length = w.length - start;
  if (length > limit) throw new EncodeError(`${what} message length`, length, limit);
  w.patchU16(start + BGP_MARKER_LENGTH, length, `${what} message length`);
}
