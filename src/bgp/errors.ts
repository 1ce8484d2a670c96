import { NotificationCode } from './constants.js';

/**
 * What a receiver does with a malformed UPDATE, RFC 7606 §2 (in order of severity):
 * - `session-reset`: send the NOTIFICATION and close (RFC 4271 behaviour);
 * - `afi-safi-disable`: stop the address family (RFC 7606 §2, "AFI/SAFI disable");
 * - `treat-as-withdraw`: every prefix of the UPDATE is handled as withdrawn;
 * - `attribute-discard`: the attribute is dropped, the UPDATE is used otherwise.
 */
export type ErrorAction = 'session-reset' | 'afi-safi-disable' | 'treat-as-withdraw' | 'attribute-discard';

/** Severity order of {@link ErrorAction}, the most severe last (RFC 7606 §3 (j): the strongest wins). */
export const ERROR_ACTION_SEVERITY: Readonly<Record<ErrorAction, number>> = {
  'attribute-discard': 1,
  'treat-as-withdraw': 2,
  'afi-safi-disable': 3,
  'session-reset': 4,
};

/** Returns the more severe of two actions (RFC 7606 §3 (j)). */
export function strongerAction(a: ErrorAction, b: ErrorAction): ErrorAction {
  return ERROR_ACTION_SEVERITY[a] >= ERROR_ACTION_SEVERITY[b] ? a : b;
}

const SECTION: Readonly<Record<number, string>> = {
  1: 'HEADER',
  2: 'OPEN',
  3: 'UPDATE',
  4: 'HOLD_TIMER',
  5: 'FSM',
  6: 'CEASE',
  7: 'ROUTE_REFRESH',
};

const SUBCODE_NAME: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  1: { 1: 'CONNECTION_NOT_SYNCHRONIZED', 2: 'BAD_MESSAGE_LENGTH', 3: 'BAD_MESSAGE_TYPE' },
  2: {
    0: 'UNSPECIFIC',
    1: 'UNSUPPORTED_VERSION_NUMBER',
    2: 'BAD_PEER_AS',
    3: 'BAD_BGP_IDENTIFIER',
    4: 'UNSUPPORTED_OPTIONAL_PARAMETER',
    6: 'UNACCEPTABLE_HOLD_TIME',
    7: 'UNSUPPORTED_CAPABILITY',
    11: 'ROLE_MISMATCH',
  },
  3: {
    0: 'UNSPECIFIC',
    1: 'MALFORMED_ATTRIBUTE_LIST',
    2: 'UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE',
    3: 'MISSING_WELL_KNOWN_ATTRIBUTE',
    4: 'ATTRIBUTE_FLAGS_ERROR',
    5: 'ATTRIBUTE_LENGTH_ERROR',
    6: 'INVALID_ORIGIN_ATTRIBUTE',
    8: 'INVALID_NEXT_HOP_ATTRIBUTE',
    9: 'OPTIONAL_ATTRIBUTE_ERROR',
    10: 'INVALID_NETWORK_FIELD',
    11: 'MALFORMED_AS_PATH',
  },
  5: { 0: 'UNSPECIFIED', 1: 'UNEXPECTED_IN_OPENSENT', 2: 'UNEXPECTED_IN_OPENCONFIRM', 3: 'UNEXPECTED_IN_ESTABLISHED' },
  7: { 1: 'INVALID_MESSAGE_LENGTH' },
};

/**
 * The stable string code of a NOTIFICATION code/subcode pair, e.g.
 * `ERR_BGP_UPDATE_ATTRIBUTE_LENGTH_ERROR` for 3/5.
 */
export function notificationErrorCode(code: number, subcode: number): string {
  const section = SECTION[code] ?? `CODE_${code}`;
  const sub = SUBCODE_NAME[code]?.[subcode] ?? `SUBCODE_${subcode}`;
  return `ERR_BGP_${section}_${sub}`;
}

/** Everything needed to build a {@link BgpError}. */
export interface BgpErrorInit {
  /** NOTIFICATION error code (RFC 4271 §4.5). */
  readonly notifyCode: number;
  /** NOTIFICATION error subcode. */
  readonly notifySubcode: number;
  /** NOTIFICATION data field: what RFC 4271 §6 says to send back (may be empty). */
  readonly data?: Uint8Array;
  /** RFC 7606 action; defaults to `session-reset`. */
  readonly action?: ErrorAction;
  /** The path attribute type at fault, when there is one. */
  readonly attrType?: number;
  /** Byte offset in the message where the fault was seen, when known. */
  readonly offset?: number;
  /** Human-readable detail. */
  readonly message: string;
}

/**
 * A malformed BGP input. Carries what a session needs to answer it: the
 * NOTIFICATION code, subcode and data (RFC 4271 §6) and the RFC 7606 action.
 * `code` is a stable string derived from the pair (see {@link notificationErrorCode}).
 *
 * @example
 * ```ts
 * try { decodeMessage(bytes, ctx); }
 * catch (e) {
 *   if (e instanceof BgpError && e.action === 'session-reset')
 *     session.sendNotification(e.notifyCode, e.notifySubcode, e.data);
 * }
 * ```
 */
export class BgpError extends Error {
  override readonly name = 'BgpError';
  readonly code: string;
  readonly notifyCode: number;
  readonly notifySubcode: number;
  readonly data: Uint8Array;
  readonly action: ErrorAction;
  readonly attrType: number | undefined;
  readonly offset: number | undefined;

  constructor(init: BgpErrorInit) {
    super(init.message);
    this.notifyCode = init.notifyCode;
    this.notifySubcode = init.notifySubcode;
    this.code = notificationErrorCode(init.notifyCode, init.notifySubcode);
    // Copy: the data usually points into a pooled buffer that is about to be reused.
    this.data = init.data ? Uint8Array.from(init.data) : new Uint8Array(0);
    this.action = init.action ?? 'session-reset';
    this.attrType = init.attrType;
    this.offset = init.offset;
  }

  /** A Message Header Error (RFC 4271 §6.1): always resets the session. */
  static header(subcode: number, message: string, data?: Uint8Array): BgpError {
    return new BgpError({ notifyCode: NotificationCode.MESSAGE_HEADER, notifySubcode: subcode, data, message });
  }

  /** An OPEN Message Error (RFC 4271 §6.2): always resets the session. */
  static open(subcode: number, message: string, data?: Uint8Array): BgpError {
    return new BgpError({ notifyCode: NotificationCode.OPEN_MESSAGE, notifySubcode: subcode, data, message });
  }

  /** An UPDATE Message Error (RFC 4271 §6.3) with its RFC 7606 action. */
  static update(
    subcode: number,
    message: string,
    opts: { data?: Uint8Array; action?: ErrorAction; attrType?: number; offset?: number } = {},
  ): BgpError {
    return new BgpError({ notifyCode: NotificationCode.UPDATE_MESSAGE, notifySubcode: subcode, message, ...opts });
  }

  /** JSON form for harnesses and the CLI. */
  toJSON(): {
    error: string;
    code: string;
    notifyCode: number;
    notifySubcode: number;
    data: string;
    action: ErrorAction;
    attrType?: number;
    message: string;
  } {
    return {
      error: this.name,
      code: this.code,
      notifyCode: this.notifyCode,
      notifySubcode: this.notifySubcode,
      data: Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength).toString('hex'),
      action: this.action,
      ...(this.attrType !== undefined ? { attrType: this.attrType } : {}),
      message: this.message,
    };
  }
}

/** Codes of {@link EncodeError}. */
export type EncodeErrorCode = 'ERR_BGP_ENCODE_TOO_LARGE' | 'ERR_BGP_ENCODE_INVALID';

/**
 * A value that cannot be encoded. Nothing is ever silently truncated: the error
 * names the field, its size and the limit it broke.
 *
 * @example
 * ```ts
 * try { encodeOpen({ ...open, holdTime: 70000 }); }
 * catch (e) { if (e instanceof EncodeError) console.log(e.field, e.size, e.limit); }
 * ```
 */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
  readonly code: EncodeErrorCode;
  readonly field: string;
  readonly size: number;
  readonly limit: number;

  constructor(field: string, size: number, limit: number, detail?: string, code: EncodeErrorCode = 'ERR_BGP_ENCODE_TOO_LARGE') {
    super(detail ?? `${field} is ${size}, the limit is ${limit}`);
    this.code = code;
    this.field = field;
    this.size = size;
    this.limit = limit;
  }

  /** A value out of its range or otherwise invalid (not a size problem). */
  static invalid(field: string, detail: string): EncodeError {
    return new EncodeError(field, 0, 0, `${field}: ${detail}`, 'ERR_BGP_ENCODE_INVALID');
  }
}
