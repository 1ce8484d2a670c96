import { AttrType, UpdateSubcode } from '../constants.js';
import { BgpError } from '../errors.js';
import { familyKey, familyName, type FamilyKey } from '../family.js';
import { getNlriCodec } from '../nlri/nlri-registry.js';

/** Where the next hop and NLRI of an MP_REACH_NLRI / MP_UNREACH_NLRI value are (RFC 4760 §3, §4). */
export interface MpNlriLocation {
  readonly afi: number;
  readonly safi: number;
  readonly family: FamilyKey;
  /** Next hop octets (empty for MP_UNREACH_NLRI). */
  readonly nextHopStart: number;
  readonly nextHopEnd: number;
  readonly nlriStart: number;
  readonly nlriEnd: number;
}

function mpError(type: number, action: 'session-reset' | 'afi-safi-disable', offset: number, message: string, data: Uint8Array): BgpError {
  // RFC 4760 §7: a session reset for a bad MP attribute uses 3/9 Optional Attribute Error.
  return BgpError.update(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, message, { action, attrType: type, offset, data });
}

/**
 * Next hop lengths RFC 7606 §7.11 lets us check for the IP families: 4 (IPv4),
 * 16 (IPv6 global, or IPv4-mapped, RFC 4798) or 32 (global + link-local, RFC
 * 2545 §3). Any of them may carry either AFI's NLRI once the Extended Next Hop
 * capability is negotiated (RFC 8950), which the codec context does not record,
 * so all three are accepted for both. Families without a codec are not checked.
 */
function nextHopLengthOk(afi: number, safi: number, length: number): boolean {
  if (!getNlriCodec(afi, safi)) return true;
  return length === 4 || length === 16 || length === 32;
}

/**
 * Locates the parts of an MP_REACH_NLRI value `buf[start..end)`. Throws a
 * `BgpError`: session reset when the AFI/SAFI cannot even be read, otherwise
 * AFI/SAFI disable (RFC 7606 §7.11: a next hop length that does not fit or is not
 * the expected one makes the NLRI impossible to locate reliably).
 */
export function locateMpReach(buf: Uint8Array, start: number, end: number): MpNlriLocation {
  const type = AttrType.MP_REACH_NLRI;
  const data = buf.subarray(start, end);
  if (end - start < 3) throw mpError(type, 'session-reset', start, `MP_REACH_NLRI value is ${end - start} octets, AFI/SAFI need 3`, data);
  const afi = (buf[start]! << 8) | buf[start + 1]!;
  const safi = buf[start + 2]!;
  if (end - start < 5) throw mpError(type, 'afi-safi-disable', start, `MP_REACH_NLRI value is ${end - start} octets, at least 5 needed`, data);
  const nextHopLength = buf[start + 3]!;
  const nextHopStart = start + 4;
  const nextHopEnd = nextHopStart + nextHopLength;
  if (nextHopEnd + 1 > end) {
    throw mpError(type, 'afi-safi-disable', start + 3, `MP_REACH_NLRI next hop length ${nextHopLength} overruns the attribute`, data);
  }
  if (!nextHopLengthOk(afi, safi, nextHopLength)) {
    throw mpError(type, 'afi-safi-disable', start + 3, `MP_REACH_NLRI next hop length ${nextHopLength} is not valid for ${familyName(afi, safi)}`, data);
  }
  // One reserved octet follows the next hop (RFC 4760 §3, formerly the SNPA count).
  return { afi, safi, family: familyKey(afi, safi), nextHopStart, nextHopEnd, nlriStart: nextHopEnd + 1, nlriEnd: end };
}

/** Locates the withdrawn routes of an MP_UNREACH_NLRI value (RFC 4760 §4); 3 octets minimum. */
export function locateMpUnreach(buf: Uint8Array, start: number, end: number): MpNlriLocation {
  if (end - start < 3) {
    throw mpError(AttrType.MP_UNREACH_NLRI, 'session-reset', start, `MP_UNREACH_NLRI value is ${end - start} octets, AFI/SAFI need 3`, buf.subarray(start, end));
  }
  const afi = (buf[start]! << 8) | buf[start + 1]!;
  const safi = buf[start + 2]!;
  return { afi, safi, family: familyKey(afi, safi), nextHopStart: start + 3, nextHopEnd: start + 3, nlriStart: start + 3, nlriEnd: end };
}
