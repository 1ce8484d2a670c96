import { CeaseSubcode, NotificationCode } from '../constants.js';
import { familyName } from '../family.js';
import { readU16, readU32 } from '../wire-reader.js';
import { notificationCodeName, notificationSubcodeName } from './notification-names.js';

/** The optional data of Cease / Maximum Number of Prefixes Reached, RFC 4486 §4: AFI (2), SAFI (1), upper bound (4). */
export interface MaximumPrefixesData {
  readonly family: string;
  readonly afi: number;
  readonly safi: number;
  readonly upperBound: number;
}

/** The data of Cease / Hard Reset, RFC 8538 §3: the NOTIFICATION that would have been sent, without its header. */
export interface HardResetData {
  readonly code: number;
  readonly subcode: number;
  readonly codeName: string;
  readonly subcodeName: string;
  /** Lower-case hex of the inner Data field. */
  readonly data: string;
}

/** Reads Cease/1 data when it has the RFC 4486 §4 shape (exactly 7 octets); `undefined` otherwise. */
export function decodeMaximumPrefixesData(code: number, subcode: number, data: Uint8Array): MaximumPrefixesData | undefined {
  if (code !== NotificationCode.CEASE || subcode !== CeaseSubcode.MAXIMUM_PREFIXES_REACHED || data.length !== 7) return undefined;
  const afi = readU16(data, 0);
  const safi = data[2]!;
  return { family: familyName(afi, safi), afi, safi, upperBound: readU32(data, 3) };
}

/** Reads Cease/9 data as the inner code, subcode and data (RFC 8538 §3); `undefined` when shorter than 2 octets. */
export function decodeHardResetData(code: number, subcode: number, data: Uint8Array): HardResetData | undefined {
  if (code !== NotificationCode.CEASE || subcode !== CeaseSubcode.HARD_RESET || data.length < 2) return undefined;
  const innerCode = data[0]!;
  const innerSubcode = data[1]!;
  return {
    code: innerCode,
    subcode: innerSubcode,
    codeName: notificationCodeName(innerCode),
    subcodeName: notificationSubcodeName(innerCode, innerSubcode),
    data: Buffer.from(data.buffer, data.byteOffset + 2, data.byteLength - 2).toString('hex'),
  };
}
