/**
 * Names of every NOTIFICATION error code and subcode (IANA "BGP Error (Notification)
 * Codes" and "BGP Error Subcodes"), as the RFCs spell them. Used by the JSON
 * form; the numbers themselves are in constants.ts.
 */

/** Error codes: RFC 4271 §4.5, RFC 7313 §5 (7), RFC 9687 (8). */
export const NOTIFICATION_CODE_NAME: Readonly<Record<number, string>> = {
  1: 'Message Header Error',
  2: 'OPEN Message Error',
  3: 'UPDATE Message Error',
  4: 'Hold Timer Expired',
  5: 'Finite State Machine Error',
  6: 'Cease',
  7: 'ROUTE-REFRESH Message Error',
  8: 'Send Hold Timer Expired',
};

/** Send Hold Timer Expired, RFC 9687 §3 (not yet in constants.ts). */
export const SEND_HOLD_TIMER_EXPIRED = 8;

const SUBCODE_NAME: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  // RFC 4271 §6.1
  1: { 0: 'Unspecific', 1: 'Connection Not Synchronized', 2: 'Bad Message Length', 3: 'Bad Message Type' },
  // RFC 4271 §6.2, RFC 5492 §5 (7), RFC 9234 §4.2 (11); 5 and 8-10 are deprecated
  2: {
    0: 'Unspecific',
    1: 'Unsupported Version Number',
    2: 'Bad Peer AS',
    3: 'Bad BGP Identifier',
    4: 'Unsupported Optional Parameter',
    5: 'Authentication Failure (deprecated)',
    6: 'Unacceptable Hold Time',
    7: 'Unsupported Capability',
    8: 'Grouping Conflict (deprecated)',
    9: 'Grouping Required (deprecated)',
    10: 'Capability Value Mismatch (deprecated)',
    11: 'Role Mismatch',
  },
  // RFC 4271 §6.3; 7 is deprecated
  3: {
    0: 'Unspecific',
    1: 'Malformed Attribute List',
    2: 'Unrecognized Well-known Attribute',
    3: 'Missing Well-known Attribute',
    4: 'Attribute Flags Error',
    5: 'Attribute Length Error',
    6: 'Invalid ORIGIN Attribute',
    7: 'AS Routing Loop (deprecated)',
    8: 'Invalid NEXT_HOP Attribute',
    9: 'Optional Attribute Error',
    10: 'Invalid Network Field',
    11: 'Malformed AS_PATH',
  },
  4: { 0: 'Unspecific' },
  // RFC 6608 §3
  5: {
    0: 'Unspecified Error',
    1: 'Receive Unexpected Message in OpenSent State',
    2: 'Receive Unexpected Message in OpenConfirm State',
    3: 'Receive Unexpected Message in Established State',
  },
  // RFC 4486 §4, RFC 8538 §3 (9), RFC 9384 (10)
  6: {
    0: 'Unspecific',
    1: 'Maximum Number of Prefixes Reached',
    2: 'Administrative Shutdown',
    3: 'Peer De-configured',
    4: 'Administrative Reset',
    5: 'Connection Rejected',
    6: 'Other Configuration Change',
    7: 'Connection Collision Resolution',
    8: 'Out of Resources',
    9: 'Hard Reset',
    10: 'BFD Down',
  },
  // RFC 7313 §5
  7: { 0: 'Reserved', 1: 'Invalid Message Length' },
  8: { 0: 'Unspecific' },
};

/** The name of an error code, or `Unknown (N)`. */
export function notificationCodeName(code: number): string {
  return NOTIFICATION_CODE_NAME[code] ?? `Unknown (${code})`;
}

/** The name of a subcode within its code, or `Unknown (N)`. */
export function notificationSubcodeName(code: number, subcode: number): string {
  return SUBCODE_NAME[code]?.[subcode] ?? `Unknown (${subcode})`;
}
