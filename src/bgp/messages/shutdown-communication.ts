import { CeaseSubcode, NotificationCode } from '../constants.js';
import { EncodeError } from '../errors.js';

/** RFC 9003 §2: the Shutdown Communication is at most 255 octets of UTF-8. */
export const SHUTDOWN_COMMUNICATION_MAX_LENGTH = 255;

/**
 * The Shutdown Communication of a Cease NOTIFICATION (RFC 9003, which obsoletes
 * RFC 8203). `valid: false` when the Length octet does not match the data or the
 * text is not UTF-8 (RFC 9003 §2: invalid UTF-8 must not be interpreted); `raw` then
 * holds the whole Data field for a hex dump.
 */
export type ShutdownCommunication =
  | { readonly valid: true; readonly text: string }
  | { readonly valid: false; readonly reason: 'length-mismatch' | 'invalid-utf8'; readonly raw: Uint8Array };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** True for Cease / Administrative Shutdown (2) and Administrative Reset (4), the subcodes RFC 9003 §2 extends. */
export function carriesShutdownCommunication(code: number, subcode: number): boolean {
  return (
    code === NotificationCode.CEASE &&
    (subcode === CeaseSubcode.ADMINISTRATIVE_SHUTDOWN || subcode === CeaseSubcode.ADMINISTRATIVE_RESET)
  );
}

/**
 * Reads the Data field of a Cease 2/4 NOTIFICATION as a Shutdown Communication
 * (RFC 9003 §2: Length (1 octet), then that many octets of UTF-8). Empty data
 * (an older speaker sent none) gives `undefined`. Never throws.
 */
export function decodeShutdownCommunication(data: Uint8Array): ShutdownCommunication | undefined {
  if (data.length === 0) return undefined;
  const length = data[0]!;
  if (1 + length !== data.length) return { valid: false, reason: 'length-mismatch', raw: data };
  try {
    return { valid: true, text: strictUtf8.decode(data.subarray(1)) };
  } catch {
    return { valid: false, reason: 'invalid-utf8', raw: data };
  }
}

/** The Data field carrying `text` (RFC 9003 §2); over 255 octets of UTF-8 is an {@link EncodeError}. */
export function encodeShutdownCommunication(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > SHUTDOWN_COMMUNICATION_MAX_LENGTH) {
    throw new EncodeError('shutdown communication', bytes.length, SHUTDOWN_COMMUNICATION_MAX_LENGTH);
  }
  const out = new Uint8Array(1 + bytes.length);
  out[0] = bytes.length;
  out.set(bytes, 1);
  return out;
}
