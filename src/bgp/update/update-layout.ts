import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import { BgpError } from '../errors.js';

/**
 * Where the parts of an UPDATE body are (RFC 4271 §4.3), found by checking only
 * the framing: two length fields and each attribute's flags/type/length header.
 * Offsets are absolute in the message buffer.
 */
export interface UpdateLayout {
  readonly withdrawnStart: number;
  readonly withdrawnEnd: number;
  readonly attributesStart: number;
  readonly attributesEnd: number;
  readonly nlriStart: number;
  readonly nlriEnd: number;
  /** Offset of the flags octet of every attribute whose header and value fit. */
  readonly attributeOffsets: number[];
  /** Index in `attributeOffsets` of the first MP_REACH_NLRI / MP_UNREACH_NLRI, or -1. */
  readonly mpReachIndex: number;
  readonly mpUnreachIndex: number;
  /**
   * Framing faults that still let the message be located: an attribute that
   * overruns the attribute block (RFC 7606 §4), a repeated MP attribute (§3 (g)).
   */
  readonly framingErrors: readonly BgpError[];
}

/** Octets of the attribute header at `off`: 4 with Extended Length, else 3 (RFC 4271 §4.3). */
export function attributeHeaderLength(buf: Uint8Array, off: number): number {
  return (buf[off]! & AttrFlag.EXTENDED_LENGTH) !== 0 ? 4 : 3;
}

/** Attribute Length of the attribute header at `off`. */
export function attributeValueLength(buf: Uint8Array, off: number): number {
  return (buf[off]! & AttrFlag.EXTENDED_LENGTH) !== 0 ? (buf[off + 2]! << 8) | buf[off + 3]! : buf[off + 2]!;
}

/** Shared by every well-framed message (never mutated: a fault replaces it with a fresh array). */
const NO_ERRORS: BgpError[] = [];

function lengthData(len: number): Uint8Array {
  return Uint8Array.of(len >>> 8, len & 0xff);
}

/**
 * Checks the framing of the UPDATE body `buf[start..end)` and returns its layout.
 *
 * Throws (session reset, RFC 4271 §6.3 / RFC 7606 §4) when the Withdrawn Routes
 * Length or the Total Path Attribute Length does not fit the message: then the
 * NLRI cannot be located at all. Softer faults are returned in `framingErrors`.
 */
export function parseUpdateLayout(buf: Uint8Array, start: number, end: number): UpdateLayout {
  const size = end - start;
  if (size < 4) {
    // RFC 4271 §6.1: shorter than the minimum UPDATE (23 octets with the header).
    throw BgpError.header(2, `UPDATE body is ${size} octets, at least 4 needed`, lengthData(size + 19));
  }
  const withdrawnLength = (buf[start]! << 8) | buf[start + 1]!;
  const withdrawnStart = start + 2;
  const withdrawnEnd = withdrawnStart + withdrawnLength;
  if (withdrawnEnd + 2 > end) {
    throw BgpError.update(
      UpdateSubcode.MALFORMED_ATTRIBUTE_LIST,
      `Withdrawn Routes Length ${withdrawnLength} overruns the ${size}-octet UPDATE body`,
      { action: 'session-reset', offset: start },
    );
  }
  const totalAttrLength = (buf[withdrawnEnd]! << 8) | buf[withdrawnEnd + 1]!;
  const attributesStart = withdrawnEnd + 2;
  const attributesEnd = attributesStart + totalAttrLength;
  if (attributesEnd > end) {
    throw BgpError.update(
      UpdateSubcode.MALFORMED_ATTRIBUTE_LIST,
      `Total Path Attribute Length ${totalAttrLength} overruns the UPDATE body (${end - attributesStart} octets left)`,
      { action: 'session-reset', offset: withdrawnEnd },
    );
  }
  const attributeOffsets: number[] = [];
  let framingErrors: BgpError[] = NO_ERRORS;
  let mpReachIndex = -1;
  let mpUnreachIndex = -1;
  let pos = attributesStart;
  while (pos < attributesEnd) {
    const left = attributesEnd - pos;
    const headerLength = left >= 1 ? attributeHeaderLength(buf, pos) : 3;
    if (left < headerLength) {
      // RFC 7606 §4, second case: too few octets for an attribute header.
      (framingErrors === NO_ERRORS ? (framingErrors = []) : framingErrors).push(
        BgpError.update(UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, `${left} octet(s) left in the attribute block, a header needs ${headerLength}`, {
          action: 'treat-as-withdraw',
          offset: pos,
        }),
      );
      break;
    }
    const type = buf[pos + 1]!;
    const valueLength = attributeValueLength(buf, pos);
    if (pos + headerLength + valueLength > attributesEnd) {
      // RFC 7606 §4, first case: the attribute overruns the Total Attribute Length,
      // which is relied upon to find the NLRI: treat-as-withdraw. An MP attribute that
      // overruns cannot be parsed, so its prefixes are unknown: RFC 4760 §7 / RFC 4271
      // apply (session reset).
      const isMp = type === AttrType.MP_REACH_NLRI || type === AttrType.MP_UNREACH_NLRI;
      (framingErrors === NO_ERRORS ? (framingErrors = []) : framingErrors).push(
        BgpError.update(
          UpdateSubcode.ATTRIBUTE_LENGTH_ERROR,
          `attribute type ${type} length ${valueLength} overruns the attribute block (${attributesEnd - pos - headerLength} octets left)`,
          { action: isMp ? 'session-reset' : 'treat-as-withdraw', attrType: type, offset: pos, data: buf.subarray(pos, attributesEnd) },
        ),
      );
      break;
    }
    if (type === AttrType.MP_REACH_NLRI || type === AttrType.MP_UNREACH_NLRI) {
      const first = type === AttrType.MP_REACH_NLRI ? mpReachIndex : mpUnreachIndex;
      if (first >= 0) {
        // RFC 7606 §3 (g): a repeated MP_REACH_NLRI / MP_UNREACH_NLRI is a Malformed Attribute List.
        (framingErrors === NO_ERRORS ? (framingErrors = []) : framingErrors).push(
          BgpError.update(UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, `attribute type ${type} appears more than once`, {
            action: 'session-reset',
            attrType: type,
            offset: pos,
          }),
        );
      } else if (type === AttrType.MP_REACH_NLRI) mpReachIndex = attributeOffsets.length;
      else mpUnreachIndex = attributeOffsets.length;
    }
    attributeOffsets.push(pos);
    pos += headerLength + valueLength;
  }
  return {
    withdrawnStart,
    withdrawnEnd,
    attributesStart,
    attributesEnd,
    nlriStart: attributesEnd,
    nlriEnd: end,
    attributeOffsets,
    mpReachIndex,
    mpUnreachIndex,
    framingErrors,
  };
}
