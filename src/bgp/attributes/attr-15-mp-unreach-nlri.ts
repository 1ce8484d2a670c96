import { AttrFlag, AttrType } from '../constants.js';
import type { CodecContext } from '../context.js';
import { familyName } from '../family.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { bytesToHex } from './hex.js';
import { MpAttributeError } from './mp-attribute-error.js';

/** What an MP_UNREACH_NLRI holds, for encoding. */
export interface MpUnreachNlriInit {
  readonly afi: number;
  readonly safi: number;
  /** Withdrawn routes, already encoded; a view into the message when decoded. An empty list is End-of-RIB (RFC 4724 §2). */
  readonly nlri: Uint8Array;
}

/** A decoded MP_UNREACH_NLRI header; `[nlriStart, nlriEnd)` locate the withdrawn routes in the buffer. */
export interface MpUnreachNlri extends MpUnreachNlriInit {
  readonly nlriStart: number;
  readonly nlriEnd: number;
}

/**
 * MP_UNREACH_NLRI (type 15), RFC 4760 §4: AFI, SAFI and withdrawn routes
 * (optional non-transitive). Header only; the NLRI walker reads the routes.
 * Errors (RFC 7606 §7.12): shorter than 3 octets cannot name its family: session
 * reset ({@link MpAttributeError}); malformed routes are the NLRI walker's
 * (AFI/SAFI disable, §5.3).
 * JSON: `{ "afi": 1, "safi": 1, "family": "ipv4-unicast", "nlri": "hex" }`.
 *
 * @example
 * ```ts
 * const mp = mpUnreachNlriCodec.decode({ buf, start, end, flags: 0x80, ctx });
 * const endOfRib = mp.nlriStart === mp.nlriEnd;
 * ```
 */
export const mpUnreachNlriCodec: AttributeCodec<MpUnreachNlri> & {
  readonly type: 15;
  encode(value: MpUnreachNlriInit, w: WireWriter, ctx: CodecContext): void;
} = {
  type: AttrType.MP_UNREACH_NLRI,
  name: 'MP_UNREACH_NLRI',
  expectedFlags: AttrFlag.OPTIONAL,
  decode(input: AttributeValueInput): MpUnreachNlri {
    const { buf, start, end } = input;
    if (end - start < 3) throw new MpAttributeError(input, 15, undefined, undefined, `MP_UNREACH_NLRI length ${end - start}: AFI and SAFI need 3 octets (RFC 7606 §7.12)`);
    const afi = (buf[start]! << 8) | buf[start + 1]!;
    const safi = buf[start + 2]!;
    return { afi, safi, nlri: buf.subarray(start + 3, end), nlriStart: start + 3, nlriEnd: end };
  },
  encode(value: MpUnreachNlriInit, w: WireWriter, _ctx: CodecContext): void {
    w.u16(value.afi, 'MP_UNREACH_NLRI afi');
    w.u8(value.safi, 'MP_UNREACH_NLRI safi');
    w.bytes(value.nlri);
  },
  toJSON(value: MpUnreachNlri): Record<string, unknown> {
    return { afi: value.afi, safi: value.safi, family: familyName(value.afi, value.safi), nlri: bytesToHex(value.nlri) };
  },
};
