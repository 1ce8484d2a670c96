import { MessageType, NotificationCode, RouteRefreshSubcode, RouteRefreshSubtype } from '../constants.js';
import { type CodecContext, DEFAULT_CODEC_CONTEXT } from '../context.js';
import { BgpError } from '../errors.js';
import { familyName } from '../family.js';
import { readU16 } from '../wire-reader.js';
import { WireWriter } from '../wire-writer.js';
import { decodeHeader, finishMessage, startMessage } from './header.js';

/** ROUTE-REFRESH is always 23 octets: header + AFI (2) + Reserved/Subtype (1) + SAFI (1) (RFC 2918 §3). */
export const ROUTE_REFRESH_LENGTH = 23;

const SUBTYPE_NAME: Readonly<Record<number, string>> = { 0: 'refresh', 1: 'borr', 2: 'eorr' };

/** JSON form of a {@link RouteRefreshMessage}. */
export interface RouteRefreshMessageJSON {
  type: 'route-refresh';
  family: string;
  afi: number;
  safi: number;
  subtype: number;
  subtypeName: string;
}

/**
 * A ROUTE-REFRESH message (RFC 2918 §3) with the RFC 7313 §4 Message Subtype:
 * 0 normal request, 1 BoRR (Beginning of Route Refresh), 2 EoRR (End of Route
 * Refresh). Other subtypes are kept: RFC 7313 §5 says to ignore such a message,
 * which is the session's decision, not the codec's.
 *
 * @example
 * ```ts
 * const frame = encodeRouteRefresh(new RouteRefreshMessage(1, 1, RouteRefreshSubtype.BORR));
 * ```
 */
export class RouteRefreshMessage {
  readonly afi: number;
  readonly safi: number;
  readonly subtype: number;

  constructor(afi: number, safi: number, subtype: number = RouteRefreshSubtype.NORMAL) {
    this.afi = afi;
    this.safi = safi;
    this.subtype = subtype;
  }

  /**
   * JSON form: `{ type: 'route-refresh', family: 'ipv4-unicast', afi, safi, subtype,
   * subtypeName: 'refresh' | 'borr' | 'eorr' | 'unknown' }`.
   */
  toJSON(): RouteRefreshMessageJSON {
    return {
      type: 'route-refresh',
      family: familyName(this.afi, this.safi),
      afi: this.afi,
      safi: this.safi,
      subtype: this.subtype,
      subtypeName: SUBTYPE_NAME[this.subtype] ?? 'unknown',
    };
  }
}

/** Decodes a complete ROUTE-REFRESH frame; length rules as in `readRouteRefreshBody`. */
export function decodeRouteRefresh(frame: Uint8Array, ctx: CodecContext = DEFAULT_CODEC_CONTEXT): RouteRefreshMessage {
  const { type } = decodeHeader(frame, ctx);
  if (type !== MessageType.ROUTE_REFRESH) throw BgpError.header(3, `expected ROUTE-REFRESH, got message type ${type}`, frame.subarray(18, 19));
  return readRouteRefreshBody(frame, 0, frame.length);
}

/**
 * Decodes the ROUTE-REFRESH message `buf[start..end)` (whole message, header
 * included, already checked by `decodeHeader`). A length other than 23:
 * - with subtype BoRR or EoRR: 7/1 Invalid Message Length, the data being the
 *   complete message (RFC 7313 §5);
 * - otherwise (normal request, or too short to hold a subtype): 1/2 Bad Message
 *   Length with the Length field as data (RFC 4271 §6.1; the fixed length comes
 *   from RFC 2918 §3; ORF entries of RFC 5291 are not supported).
 */
export function readRouteRefreshBody(buf: Uint8Array, start: number, end: number): RouteRefreshMessage {
  const length = end - start;
  if (length !== ROUTE_REFRESH_LENGTH) {
    const subtype = length > 21 ? buf[start + 21]! : undefined;
    if (subtype === RouteRefreshSubtype.BORR || subtype === RouteRefreshSubtype.EORR) {
      throw new BgpError({
        notifyCode: NotificationCode.ROUTE_REFRESH_MESSAGE,
        notifySubcode: RouteRefreshSubcode.INVALID_MESSAGE_LENGTH,
        data: buf.subarray(start, end),
        message: `ROUTE-REFRESH subtype ${subtype} of ${length} octets (RFC 7313 §5: exactly 23)`,
      });
    }
    throw BgpError.header(2, `ROUTE-REFRESH of ${length} octets (RFC 2918 §3: exactly 23)`, buf.subarray(start + 16, start + 18));
  }
  return new RouteRefreshMessage(readU16(buf, start + 19), buf[start + 22]!, buf[start + 21]!);
}

/** Encodes a ROUTE-REFRESH (RFC 2918 §3, RFC 7313 §4) as a complete 23-octet frame. */
export function encodeRouteRefresh(msg: RouteRefreshMessage): Uint8Array {
  const w = new WireWriter(ROUTE_REFRESH_LENGTH);
  const start = startMessage(w, MessageType.ROUTE_REFRESH);
  w.u16(msg.afi, 'ROUTE-REFRESH AFI').u8(msg.subtype, 'ROUTE-REFRESH subtype').u8(msg.safi, 'ROUTE-REFRESH SAFI');
  finishMessage(w, start, ROUTE_REFRESH_LENGTH, 'ROUTE-REFRESH');
  return w.finish();
}
