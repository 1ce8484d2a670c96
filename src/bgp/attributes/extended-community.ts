import { EncodeError } from '../errors.js';
import { formatIPv4, parseIPv4 } from '../ip-address.js';
import type { WireWriter } from '../wire-writer.js';
import { bytesToHex } from './hex.js';

/**
 * The Global Administrator of an AS- or IPv4-specific extended community with
 * its Local Administrator (RFC 4360 §3.1, §3.2; RFC 5668 §2): a 2-octet AS with a
 * 4-octet local part, an IPv4 address with 2 octets, or a 4-octet AS with 2.
 */
export type ExtendedCommunityAdmin =
  | { readonly format: 'as2'; readonly asn: number; readonly local: number }
  | { readonly format: 'ipv4'; readonly address: string; readonly local: number }
  | { readonly format: 'as4'; readonly asn: number; readonly local: number };

/**
 * One extended community (RFC 4360, RFC 5668, RFC 7153 registries), typed where
 * the format is fixed and cheap, raw otherwise. Every typed form keeps all the
 * bits it was read from, so any 8 octets re-encode byte-identical:
 *
 * - `route-target` / `route-origin`: transitive types 0x00/0x01/0x02 with
 *   subtype 0x02 / 0x03 (RFC 4360 §4, §5; RFC 5668 §3);
 * - `as-specific`: any other subtype of types 0x00/0x01/0x02 (transitive) or
 *   0x40/0x41/0x42 (non-transitive), with its `subtype` and `transitive` flag;
 * - `link-bandwidth`: 0x40/0x04, 2-octet AS + IEEE float32 bytes per second
 *   (draft-ietf-idr-link-bandwidth, registered in RFC 7153 §5.2.3);
 * - `encapsulation`: opaque 0x03/0x0c, tunnel type (RFC 9012 §4.1), reserved octets zero;
 * - `color`: opaque 0x03/0x0b, flags + color (RFC 9012 §4.3);
 * - FlowSpec actions (RFC 8955 §7, RFC 7674): `traffic-rate` (0x80/0x06, AS +
 *   float32 bytes/s), `traffic-rate-packets` (0x80/0x0c), `traffic-action`
 *   (0x80/0x07, S and T bits, the rest zero), `redirect` (0x80, 0x81, 0x82 /0x08,
 *   AS2:local, IPv4:local, AS4:local), `traffic-marking` (0x80/0x09, DSCP, rest zero);
 * - `raw`: everything else, the 8 octets (a view into the message).
 */
export type ExtendedCommunity =
  | ({ readonly kind: 'route-target' | 'route-origin' } & ExtendedCommunityAdmin)
  | ({ readonly kind: 'as-specific'; readonly transitive: boolean; readonly subtype: number } & ExtendedCommunityAdmin)
  | { readonly kind: 'link-bandwidth'; readonly asn: number; readonly bandwidth: number }
  | { readonly kind: 'encapsulation'; readonly tunnelType: number }
  | { readonly kind: 'color'; readonly flags: number; readonly color: number }
  | { readonly kind: 'traffic-rate' | 'traffic-rate-packets'; readonly asn: number; readonly rate: number }
  | { readonly kind: 'traffic-action'; readonly sample: boolean; readonly terminal: boolean }
  | ({ readonly kind: 'redirect' } & ExtendedCommunityAdmin)
  | { readonly kind: 'traffic-marking'; readonly dscp: number }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

/** Type octet high bits: 0x40 = non-transitive (RFC 4360 §2, "T" bit). */
const NON_TRANSITIVE = 0x40;
const FORMAT_BY_LOW_TYPE = ['as2', 'ipv4', 'as4'] as const;
const FLOWSPEC_REDIRECT_TYPE: Readonly<Record<ExtendedCommunityAdmin['format'], number>> = { as2: 0x80, ipv4: 0x81, as4: 0x82 };
const LOW_TYPE: Readonly<Record<ExtendedCommunityAdmin['format'], number>> = { as2: 0x00, ipv4: 0x01, as4: 0x02 };

const u16 = (b: Uint8Array, p: number): number => (b[p]! << 8) | b[p + 1]!;
const u32 = (b: Uint8Array, p: number): number => b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);

function float32At(b: Uint8Array, p: number): number {
  return new DataView(b.buffer, b.byteOffset + p, 4).getFloat32(0, false);
}

function readAdmin(b: Uint8Array, p: number, format: ExtendedCommunityAdmin['format']): ExtendedCommunityAdmin {
  if (format === 'as2') return { format, asn: u16(b, p + 2), local: u32(b, p + 4) };
  if (format === 'ipv4') return { format, address: formatIPv4(b, p + 2), local: u16(b, p + 6) };
  return { format, asn: u32(b, p + 2), local: u16(b, p + 6) };
}

/** Decodes the 8 octets at `b[p..p+8)`. */
export function readExtendedCommunity(b: Uint8Array, p: number): ExtendedCommunity {
  const type = b[p]!;
  const subtype = b[p + 1]!;
  const low = type & ~NON_TRANSITIVE;
  if (low <= 0x02 && (type & 0x80) === 0) {
    const format = FORMAT_BY_LOW_TYPE[low]!;
    const transitive = (type & NON_TRANSITIVE) === 0;
    if (transitive && (subtype === 0x02 || subtype === 0x03)) return { kind: subtype === 0x02 ? 'route-target' : 'route-origin', ...readAdmin(b, p, format) };
    if (type === 0x40 && subtype === 0x04) {
      const bandwidth = float32At(b, p + 4);
      if (!Number.isNaN(bandwidth)) return { kind: 'link-bandwidth', asn: u16(b, p + 2), bandwidth };
    }
    return { kind: 'as-specific', transitive, subtype, ...readAdmin(b, p, format) };
  }
  if (type === 0x03 && subtype === 0x0c && b[p + 2] === 0 && b[p + 3] === 0 && b[p + 4] === 0 && b[p + 5] === 0) {
    return { kind: 'encapsulation', tunnelType: u16(b, p + 6) };
  }
  if (type === 0x03 && subtype === 0x0b) return { kind: 'color', flags: u16(b, p + 2), color: u32(b, p + 4) };
  if (type === 0x80 && (subtype === 0x06 || subtype === 0x0c)) {
    const rate = float32At(b, p + 4);
    if (!Number.isNaN(rate)) return { kind: subtype === 0x06 ? 'traffic-rate' : 'traffic-rate-packets', asn: u16(b, p + 2), rate };
  }
  if (type === 0x80 && subtype === 0x07 && b[p + 2] === 0 && b[p + 3] === 0 && b[p + 4] === 0 && b[p + 5] === 0 && b[p + 6] === 0 && (b[p + 7]! & ~0x03) === 0) {
    return { kind: 'traffic-action', sample: (b[p + 7]! & 0x02) !== 0, terminal: (b[p + 7]! & 0x01) !== 0 };
  }
  if ((type === 0x80 || type === 0x81 || type === 0x82) && subtype === 0x08) return { kind: 'redirect', ...readAdmin(b, p, FORMAT_BY_LOW_TYPE[type & 0x03]!) };
  if (type === 0x80 && subtype === 0x09 && b[p + 2] === 0 && b[p + 3] === 0 && b[p + 4] === 0 && b[p + 5] === 0 && b[p + 6] === 0 && (b[p + 7]! & ~0x3f) === 0) {
    return { kind: 'traffic-marking', dscp: b[p + 7]! };
  }
  return { kind: 'raw', bytes: b.subarray(p, p + 8) };
}

function writeAdmin(a: ExtendedCommunityAdmin, w: WireWriter, field: string): void {
  if (a.format === 'as2') {
    w.u16(a.asn, `${field} asn`);
    w.u32(a.local, `${field} local`);
  } else if (a.format === 'ipv4') {
    const ip = parseIPv4(a.address);
    if (!ip) throw EncodeError.invalid(`${field} address`, `${JSON.stringify(a.address)} is not an IPv4 address`);
    w.bytes(ip);
    w.u16(a.local, `${field} local`);
  } else {
    w.u32(a.asn, `${field} asn`);
    w.u16(a.local, `${field} local`);
  }
}

function writeFloat32(v: number, w: WireWriter): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, false);
  w.bytes(b);
}

const FIELD = 'EXTENDED_COMMUNITIES';

/** Writes one extended community (8 octets). */
export function writeExtendedCommunity(c: ExtendedCommunity, w: WireWriter): void {
  switch (c.kind) {
    case 'route-target':
    case 'route-origin':
      w.u8(LOW_TYPE[c.format]).u8(c.kind === 'route-target' ? 0x02 : 0x03);
      writeAdmin(c, w, FIELD);
      return;
    case 'as-specific':
      w.u8(LOW_TYPE[c.format] | (c.transitive ? 0 : NON_TRANSITIVE)).u8(c.subtype, `${FIELD} subtype`);
      writeAdmin(c, w, FIELD);
      return;
    case 'link-bandwidth':
      w.u8(0x40).u8(0x04).u16(c.asn, `${FIELD} link-bandwidth asn`);
      writeFloat32(c.bandwidth, w);
      return;
    case 'encapsulation':
      w.u8(0x03).u8(0x0c).u32(0).u16(c.tunnelType, `${FIELD} tunnel type`);
      return;
    case 'color':
      w.u8(0x03).u8(0x0b).u16(c.flags, `${FIELD} color flags`).u32(c.color, `${FIELD} color`);
      return;
    case 'traffic-rate':
    case 'traffic-rate-packets':
      w.u8(0x80).u8(c.kind === 'traffic-rate' ? 0x06 : 0x0c).u16(c.asn, `${FIELD} traffic-rate asn`);
      writeFloat32(c.rate, w);
      return;
    case 'traffic-action':
      // five reserved octets, then the S (0x02) and T (0x01) bits (RFC 8955 §7.3)
      w.u8(0x80).u8(0x07).u32(0).u8(0);
      w.u8((c.sample ? 0x02 : 0) | (c.terminal ? 0x01 : 0));
      return;
    case 'redirect':
      w.u8(FLOWSPEC_REDIRECT_TYPE[c.format]).u8(0x08);
      writeAdmin(c, w, `${FIELD} redirect`);
      return;
    case 'traffic-marking':
      w.u8(0x80).u8(0x09).u32(0).u8(0).u8(c.dscp, `${FIELD} dscp`);
      return;
    case 'raw':
      if (c.bytes.length !== 8) throw new EncodeError(`${FIELD} raw community length`, c.bytes.length, 8, `a raw extended community is 8 octets, got ${c.bytes.length}`);
      w.bytes(c.bytes);
  }
}

function adminText(a: ExtendedCommunityAdmin): string {
  return a.format === 'ipv4' ? `${a.address}:${a.local}` : `${a.asn}:${a.local}`;
}

/**
 * Text of an extended community, ExaBGP style: `target:65000:100`,
 * `origin:192.0.2.1:7`, `redirect:65000:1`, `mark 10`, `rate-limit:1000`,
 * `rate-limit:1000:packets`, `action sample-terminal`,
 * `encap:8`, `color:100`, `link-bandwidth:65000:1.25e9`; anything else as
 * `0x` + 16 hex digits.
 */
export function formatExtendedCommunity(c: ExtendedCommunity): string {
  switch (c.kind) {
    case 'route-target':
      return `target:${adminText(c)}`;
    case 'route-origin':
      return `origin:${adminText(c)}`;
    case 'as-specific':
      return `${c.transitive ? '' : 'non-transitive:'}${c.format}-specific:${c.subtype}:${adminText(c)}`;
    case 'link-bandwidth':
      return `link-bandwidth:${c.asn}:${c.bandwidth}`;
    case 'encapsulation':
      return `encap:${c.tunnelType}`;
    case 'color':
      return `color:${c.color}`;
    case 'traffic-rate':
      return `rate-limit:${c.rate}`;
    case 'traffic-rate-packets':
      return `rate-limit:${c.rate}:packets`;
    case 'traffic-action': {
      const bits = [c.sample ? 'sample' : '', c.terminal ? 'terminal' : ''].filter((b) => b !== '').join('-');
      return bits === '' ? 'action' : `action ${bits}`;
    }
    case 'redirect':
      return `redirect:${adminText(c)}`;
    case 'traffic-marking':
      return `mark ${c.dscp}`;
    case 'raw':
      return `0x${bytesToHex(c.bytes)}`;
  }
}

/** JSON form: the typed fields plus `text`; raw octets as hex under `bytes`. */
export function extendedCommunityToJSON(c: ExtendedCommunity): Record<string, unknown> {
  const text = formatExtendedCommunity(c);
  if (c.kind === 'raw') return { kind: 'raw', bytes: bytesToHex(c.bytes), text };
  return { ...c, text };
}
