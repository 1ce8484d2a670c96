import { BGP_MAX_MESSAGE_LENGTH, MessageType } from '../constants.js';
import { type CodecContext, DEFAULT_CODEC_CONTEXT } from '../context.js';
import { BgpError } from '../errors.js';
import { WireWriter } from '../wire-writer.js';
import { decodeHeader, finishMessage, startMessage } from './header.js';
import { decodeHardResetData, decodeMaximumPrefixesData, type HardResetData, type MaximumPrefixesData } from './cease-data.js';
import { notificationCodeName, notificationSubcodeName } from './notification-names.js';
import {
  carriesShutdownCommunication,
  decodeShutdownCommunication,
  encodeShutdownCommunication,
  type ShutdownCommunication,
} from './shutdown-communication.js';

/** JSON form of a {@link NotificationMessage} (see {@link NotificationMessage.toJSON}). */
export interface NotificationMessageJSON {
  type: 'notification';
  code: number;
  subcode: number;
  codeName: string;
  subcodeName: string;
  data: string;
  shutdownCommunication?: { valid: true; text: string } | { valid: false; reason: string };
  maximumPrefixes?: MaximumPrefixesData;
  hardReset?: HardResetData;
}

/**
 * A NOTIFICATION message (RFC 4271 §4.5): error code, subcode and the Data field
 * as received. For Cease / Administrative Shutdown or Reset the Data field is
 * also read as the RFC 9003 Shutdown Communication.
 *
 * @example
 * ```ts
 * const frame = encodeNotification(NotificationMessage.shutdown('maintenance until 14:00'));
 * const n = decodeNotification(frame);
 * n.shutdownCommunication; // { valid: true, text: 'maintenance until 14:00' }
 * ```
 */
export class NotificationMessage {
  readonly code: number;
  readonly subcode: number;
  /** The Data field (owned copy). */
  readonly data: Uint8Array;

  constructor(code: number, subcode: number, data: Uint8Array = new Uint8Array(0)) {
    this.code = code;
    this.subcode = subcode;
    this.data = data;
  }

  /** Cease / Administrative Shutdown (or Reset with `subcode` 4) carrying `text` (RFC 9003 §2); > 255 octets is an `EncodeError`. */
  static shutdown(text: string, subcode: 2 | 4 = 2): NotificationMessage {
    return new NotificationMessage(6, subcode, encodeShutdownCommunication(text));
  }

  /** The NOTIFICATION a session sends for a malformed input (RFC 4271 §6). */
  static fromError(err: BgpError): NotificationMessage {
    return new NotificationMessage(err.notifyCode, err.notifySubcode, Uint8Array.from(err.data));
  }

  get codeName(): string {
    return notificationCodeName(this.code);
  }

  get subcodeName(): string {
    return notificationSubcodeName(this.code, this.subcode);
  }

  /** RFC 9003 Shutdown Communication of a Cease 2/4 with data; `undefined` otherwise. */
  get shutdownCommunication(): ShutdownCommunication | undefined {
    return carriesShutdownCommunication(this.code, this.subcode) ? decodeShutdownCommunication(this.data) : undefined;
  }

  /** Cease / Maximum Number of Prefixes Reached data (RFC 4486 §4), when present and well formed. */
  get maximumPrefixes(): MaximumPrefixesData | undefined {
    return decodeMaximumPrefixesData(this.code, this.subcode, this.data);
  }

  /** Cease / Hard Reset data: the NOTIFICATION that would have been sent (RFC 8538 §3). */
  get hardReset(): HardResetData | undefined {
    return decodeHardResetData(this.code, this.subcode, this.data);
  }

  /**
   * JSON form: `{ type: 'notification', code, subcode, codeName, subcodeName,
   * data: hex, shutdownCommunication?: { valid: true, text } | { valid: false, reason },
   * maximumPrefixes?: { family, afi, safi, upperBound }, hardReset?: { code, subcode,
   * codeName, subcodeName, data } }` — names as in the IANA registry (e.g. `Cease` /
   * `Administrative Shutdown`); `reason` is `length-mismatch` or `invalid-utf8`, the
   * raw bytes being `data`.
   */
  toJSON(): NotificationMessageJSON {
    const sc = this.shutdownCommunication;
    const maximumPrefixes = this.maximumPrefixes;
    const hardReset = this.hardReset;
    return {
      type: 'notification',
      code: this.code,
      subcode: this.subcode,
      codeName: this.codeName,
      subcodeName: this.subcodeName,
      data: Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength).toString('hex'),
      ...(sc === undefined
        ? {}
        : { shutdownCommunication: sc.valid ? { valid: true as const, text: sc.text } : { valid: false as const, reason: sc.reason } }),
      ...(maximumPrefixes ? { maximumPrefixes } : {}),
      ...(hardReset ? { hardReset } : {}),
    };
  }
}

/** Decodes a complete NOTIFICATION frame (RFC 4271 §4.5; header checked as in `decodeHeader`). Never throws for odd data. */
export function decodeNotification(frame: Uint8Array, ctx: CodecContext = DEFAULT_CODEC_CONTEXT): NotificationMessage {
  const { type } = decodeHeader(frame, ctx);
  if (type !== MessageType.NOTIFICATION) throw BgpError.header(3, `expected NOTIFICATION, got message type ${type}`, frame.subarray(18, 19));
  return readNotificationBody(frame, 19, frame.length);
}

/** Decodes the NOTIFICATION body in `buf[start..end)`; the caller checked it has at least 2 octets. */
export function readNotificationBody(buf: Uint8Array, start: number, end: number): NotificationMessage {
  if (end - start < 2) throw BgpError.header(2, 'NOTIFICATION body shorter than 2 octets');
  return new NotificationMessage(buf[start]!, buf[start + 1]!, buf.slice(start + 2, end));
}

/**
 * Encodes a NOTIFICATION as a complete frame. The limit is 4096 octets, or
 * `ctx.maxMessageLength` when given (RFC 8654 §4 lets NOTIFICATION grow with
 * Extended Message); a longer Data field is an `EncodeError`, never truncated.
 */
export function encodeNotification(msg: NotificationMessage, ctx?: CodecContext): Uint8Array {
  const w = new WireWriter(21 + msg.data.length);
  const start = startMessage(w, MessageType.NOTIFICATION);
  w.u8(msg.code, 'error code').u8(msg.subcode, 'error subcode').bytes(msg.data);
  finishMessage(w, start, ctx?.maxMessageLength ?? BGP_MAX_MESSAGE_LENGTH, 'NOTIFICATION');
  return w.finish();
}
