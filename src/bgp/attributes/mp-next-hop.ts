import { Afi, Safi } from '../constants.js';
import { EncodeError } from '../errors.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../ip-address.js';
import type { WireWriter } from '../wire-writer.js';
import { bytesToHex } from './hex.js';

/**
 * The next hop of an MP_REACH_NLRI (RFC 4760 §3), typed by its length:
 * - `none`: length 0 (e.g. FlowSpec, RFC 8955 §... "no next hop");
 * - `ipv4`: 4 octets;
 * - `ipv6`: 16 octets (global), or 32 (global + link-local, RFC 2545 §3);
 *   for IPv4 NLRI this is the RFC 8950 IPv6 next hop;
 * - `raw`: anything else, and every VPN next hop (an 8-octet Route
 *   Distinguisher before the address, RFC 4364 §4.3.2, RFC 4659 §3.2), kept as
 *   bytes (a view into the message) that re-encode unchanged.
 */
export type MpNextHop =
  | { readonly type: 'none' }
  | { readonly type: 'ipv4'; readonly address: string }
  | { readonly type: 'ipv6'; readonly address: string; readonly linkLocal?: string }
  | { readonly type: 'raw'; readonly bytes: Uint8Array };

/** SAFIs whose next hop starts with a Route Distinguisher. */
const RD_SAFIS: ReadonlySet<number> = new Set([Safi.MPLS_VPN, 129, Safi.FLOWSPEC_VPN]);

/** Reads the next hop `buf[start..start+length)` of family afi/safi (`afi` 0 = unknown, MRT abbreviated form). */
export function readMpNextHop(buf: Uint8Array, start: number, length: number, safi: number): MpNextHop {
  if (!RD_SAFIS.has(safi)) {
    if (length === 0) return { type: 'none' };
    if (length === 4) return { type: 'ipv4', address: formatIPv4(buf, start) };
    if (length === 16) return { type: 'ipv6', address: formatIPv6(buf, start) };
    if (length === 32) return { type: 'ipv6', address: formatIPv6(buf, start), linkLocal: formatIPv6(buf, start + 16) };
  }
  return { type: 'raw', bytes: buf.subarray(start, start + length) };
}

/** Octets the next hop takes on the wire. */
export function mpNextHopLength(nh: MpNextHop): number {
  switch (nh.type) {
    case 'none':
      return 0;
    case 'ipv4':
      return 4;
    case 'ipv6':
      return nh.linkLocal === undefined ? 16 : 32;
    case 'raw':
      return nh.bytes.length;
  }
}

/** Writes the next hop octets (not the length). */
export function writeMpNextHop(nh: MpNextHop, w: WireWriter, field: string): void {
  switch (nh.type) {
    case 'none':
      return;
    case 'ipv4': {
      const b = parseIPv4(nh.address);
      if (!b) throw EncodeError.invalid(field, `${JSON.stringify(nh.address)} is not an IPv4 address`);
      w.bytes(b);
      return;
    }
    case 'ipv6': {
      const g = parseIPv6(nh.address);
      if (!g) throw EncodeError.invalid(field, `${JSON.stringify(nh.address)} is not an IPv6 address`);
      w.bytes(g);
      if (nh.linkLocal !== undefined) {
        const ll = parseIPv6(nh.linkLocal);
        if (!ll) throw EncodeError.invalid(`${field} link-local`, `${JSON.stringify(nh.linkLocal)} is not an IPv6 address`);
        w.bytes(ll);
      }
      return;
    }
    case 'raw':
      if (nh.bytes.length > 255) throw new EncodeError(`${field} length`, nh.bytes.length, 255);
      w.bytes(nh.bytes);
  }
}

/** JSON form: `{ "type": "ipv6", "address": "2001:db8::1", "linkLocal": "fe80::1" }`, raw bytes as hex. */
export function mpNextHopToJSON(nh: MpNextHop): Record<string, string> {
  if (nh.type === 'raw') return { type: 'raw', bytes: bytesToHex(nh.bytes) };
  if (nh.type === 'none') return { type: 'none' };
  if (nh.type === 'ipv4') return { type: 'ipv4', address: nh.address };
  return nh.linkLocal === undefined ? { type: 'ipv6', address: nh.address } : { type: 'ipv6', address: nh.address, linkLocal: nh.linkLocal };
}

/** The next hop as bgpdump prints it: the (global) address; raw bytes as hex. */
export function formatMpNextHop(nh: MpNextHop): string {
  switch (nh.type) {
    case 'none':
      return '';
    case 'ipv4':
    case 'ipv6':
      return nh.address;
    case 'raw':
      return bytesToHex(nh.bytes);
  }
}

/**
 * The next hop lengths RFC 7606 §7.11 lets a receiver check, for the families
 * whose next hop format is fixed; `undefined` (no check) for the others.
 * IPv4 and IPv6 unicast/multicast/labeled: an IPv4 (4) or IPv6 (16, or 32 with
 * the link-local, RFC 2545 §3) next hop. RFC 8950's Extended Next Hop capability
 * negotiates any <NLRI AFI, SAFI, next hop AFI> triple (ExaBGP sends IPv6 NLRI
 * with an IPv4 next hop under it), and the codec context does not carry that
 * negotiation, so both address families are accepted for both.
 * VPN: RD + address, 12 for IPv4 or 24/48 for IPv6 (RFC 4364 §4.3.2,
 * RFC 4659 §3.2, RFC 8950 §4). EVPN: 4, 16 or 32 (RFC 7432 §7).
 */
export function expectedNextHopLengths(afi: number, safi: number): readonly number[] | undefined {
  if (afi === Afi.IPV4 || afi === Afi.IPV6) {
    if (safi === Safi.UNICAST || safi === Safi.MULTICAST || safi === Safi.MPLS_LABEL) return [4, 16, 32];
    if (safi === Safi.MPLS_VPN || safi === 129) return [12, 24, 48];
  }
  if (afi === Afi.L2VPN && safi === Safi.EVPN) return [4, 16, 32];
  return undefined;
}
