import { AttrFlag, AttrType } from '../constants.js';
import type { CodecContext } from '../context.js';
import { familyName } from '../family.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { bytesToHex } from './hex.js';
import { MpAttributeError } from './mp-attribute-error.js';
import { expectedNextHopLengths, type MpNextHop, mpNextHopLength, mpNextHopToJSON, readMpNextHop, writeMpNextHop } from './mp-next-hop.js';

/** What an MP_REACH_NLRI holds, for encoding (the NLRI as already-encoded octets). */
export interface MpReachNlriInit {
  /** AFI; 0 in the MRT abbreviated form, where the RIB entry's subtype says it. */
  readonly afi: number;
  /** SAFI; 0 in the MRT abbreviated form. */
  readonly safi: number;
  readonly nextHop: MpNextHop;
  /** The octet after the next hop (RFC 4760 §3: reserved, sent as 0); kept so re-encoding is byte-identical. */
  readonly reserved: number;
  /** The NLRI octets (encoded by the family's NLRI codec); a view into the message when decoded. */
  readonly nlri: Uint8Array;
  /** True for the MRT TABLE_DUMP_V2 abbreviated form (RFC 6396 §4.3.4): next hop length and next hop only. */
  readonly abbreviated?: boolean;
}

/**
 * A decoded MP_REACH_NLRI header. The NLRI are not walked here: `[nlriStart,
 * nlriEnd)` are their offsets in the buffer the value was decoded from, for the
 * UPDATE view's NLRI walker (no copy, no allocation per prefix).
 */
export interface MpReachNlri extends MpReachNlriInit {
  readonly nlriStart: number;
  readonly nlriEnd: number;
}

function readHeader(input: AttributeValueInput): MpReachNlri {
  const { buf, start, end } = input;
  const len = end - start;
  if (len < 3) throw new MpAttributeError(input, 14, undefined, undefined, `MP_REACH_NLRI length ${len}: AFI and SAFI need 3 octets (RFC 7606 §7.11)`);
  const afi = (buf[start]! << 8) | buf[start + 1]!;
  const safi = buf[start + 2]!;
  const family = familyName(afi, safi);
  if (len < 5) throw new MpAttributeError(input, 14, afi, safi, `MP_REACH_NLRI (${family}) length ${len}: too short for next hop length and reserved octet (RFC 7606 §7.11)`);
  const nhLength = buf[start + 3]!;
  const nhStart = start + 4;
  const nhEnd = nhStart + nhLength;
  if (nhEnd + 1 > end) {
    throw new MpAttributeError(input, 14, afi, safi, `MP_REACH_NLRI (${family}) next hop length ${nhLength} runs past the attribute (RFC 7606 §7.11)`);
  }
  const expected = expectedNextHopLengths(afi, safi);
  if (expected && !expected.includes(nhLength)) {
    throw new MpAttributeError(input, 14, afi, safi, `MP_REACH_NLRI (${family}) next hop length ${nhLength}, expected ${expected.join(' or ')} (RFC 7606 §7.11)`);
  }
  return {
    afi,
    safi,
    nextHop: readMpNextHop(buf, nhStart, nhLength, safi),
    reserved: buf[nhEnd]!,
    nlri: buf.subarray(nhEnd + 1, end),
    nlriStart: nhEnd + 1,
    nlriEnd: end,
  };
}

/**
 * RFC 6396 §4.3.4: in a TABLE_DUMP_V2 RIB entry the attribute holds only the next
 * hop length and the next hop. Some writers still put the full attribute there,
 * so the abbreviated form is recognised by its first octet equalling the rest's length.
 */
function readAbbreviated(input: AttributeValueInput): MpReachNlri | undefined {
  const { buf, start, end } = input;
  if (end - start < 1 || buf[start]! !== end - start - 1) return undefined;
  const nhLength = buf[start]!;
  return { afi: 0, safi: 0, nextHop: readMpNextHop(buf, start + 1, nhLength, 0), reserved: 0, nlri: buf.subarray(end, end), nlriStart: end, nlriEnd: end, abbreviated: true };
}

/**
 * MP_REACH_NLRI (type 14), RFC 4760 §3: AFI, SAFI, next hop(s), a reserved
 * octet, and the reachable NLRI of that family (optional non-transitive).
 * Decodes the header only: AFI/SAFI, the typed next hop (IPv4; IPv6 global, or
 * global + link-local in 32 octets; RFC 8950 IPv6 next hop for IPv4 NLRI; VPN
 * RD-prefixed next hops raw) and where the NLRI are (`nlriStart`/`nlriEnd`).
 * With `input.mrtRibEntry` the RFC 6396 §4.3.4 abbreviated form is read
 * (`abbreviated: true`, `afi`/`safi` 0: take them from the RIB entry).
 *
 * Errors (RFC 7606 §7.11, RFC 4760 §7): too short, a next hop running past the
 * attribute, or a next hop length the family does not allow throw
 * {@link MpAttributeError}: AFI/SAFI disable when the AFI/SAFI were read,
 * session reset when not.
 *
 * JSON: `{ "afi": 2, "safi": 1, "family": "ipv6-unicast", "nextHop": {...}, "reserved": 0, "nlri": "hex" }`
 * (plus `"abbreviated": true` for the MRT form).
 *
 * @example
 * ```ts
 * const mp = mpReachNlriCodec.decode({ buf, start, end, flags: 0x90, ctx });
 * walkNlri(buf, mp.nlriStart, mp.nlriEnd, mp.afi, mp.safi);
 * ```
 */
export const mpReachNlriCodec: AttributeCodec<MpReachNlri> & {
  readonly type: 14;
  encode(value: MpReachNlriInit, w: WireWriter, ctx: CodecContext): void;
} = {
  type: AttrType.MP_REACH_NLRI,
  name: 'MP_REACH_NLRI',
  expectedFlags: AttrFlag.OPTIONAL,
  decode(input: AttributeValueInput): MpReachNlri {
    if (input.mrtRibEntry) {
      const short = readAbbreviated(input);
      if (short) return short;
    }
    return readHeader(input);
  },
  encode(value: MpReachNlriInit, w: WireWriter, _ctx: CodecContext): void {
    const nhLength = mpNextHopLength(value.nextHop);
    if (value.abbreviated) {
      w.u8(nhLength, 'MP_REACH_NLRI next hop length');
      writeMpNextHop(value.nextHop, w, 'MP_REACH_NLRI next hop');
      return;
    }
    w.u16(value.afi, 'MP_REACH_NLRI afi');
    w.u8(value.safi, 'MP_REACH_NLRI safi');
    w.u8(nhLength, 'MP_REACH_NLRI next hop length');
    writeMpNextHop(value.nextHop, w, 'MP_REACH_NLRI next hop');
    w.u8(value.reserved, 'MP_REACH_NLRI reserved');
    w.bytes(value.nlri);
  },
  toJSON(value: MpReachNlri): Record<string, unknown> {
    return {
      afi: value.afi,
      safi: value.safi,
      family: familyName(value.afi, value.safi),
      nextHop: mpNextHopToJSON(value.nextHop),
      reserved: value.reserved,
      nlri: bytesToHex(value.nlri),
      ...(value.abbreviated ? { abbreviated: true } : {}),
    };
  },
};
