import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import { EncodeError } from '../errors.js';
import { formatIPv6, parseIPv6 } from '../ip-address.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';
import { bytesToHex } from './hex.js';

/**
 * One IPv6 Address Specific Extended Community (RFC 5701 §2): 20 octets, type,
 * subtype, a global IPv6 address and a 2-octet local part.
 * - `route-target` / `route-origin`: type 0x00 with subtype 0x02 / 0x03 (RFC 5701 §3);
 * - `ipv6-specific`: any other subtype of types 0x00 (transitive) / 0x40 (non-transitive);
 * - `raw`: other type octets, kept as the 20 octets.
 */
export type Ipv6ExtendedCommunity =
  | { readonly kind: 'route-target' | 'route-origin'; readonly address: string; readonly local: number }
  | { readonly kind: 'ipv6-specific'; readonly transitive: boolean; readonly subtype: number; readonly address: string; readonly local: number }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

function read(b: Uint8Array, p: number): Ipv6ExtendedCommunity {
  const type = b[p]!;
  const subtype = b[p + 1]!;
  if (type !== 0x00 && type !== 0x40) return { kind: 'raw', bytes: b.subarray(p, p + 20) };
  const address = formatIPv6(b, p + 2);
  const local = (b[p + 18]! << 8) | b[p + 19]!;
  if (type === 0x00 && (subtype === 0x02 || subtype === 0x03)) return { kind: subtype === 0x02 ? 'route-target' : 'route-origin', address, local };
  return { kind: 'ipv6-specific', transitive: type === 0x00, subtype, address, local };
}

function write(c: Ipv6ExtendedCommunity, w: WireWriter): void {
  const field = 'IPV6_EXTENDED_COMMUNITIES';
  if (c.kind === 'raw') {
    if (c.bytes.length !== 20) throw new EncodeError(`${field} raw community length`, c.bytes.length, 20, `a raw IPv6 extended community is 20 octets, got ${c.bytes.length}`);
    w.bytes(c.bytes);
    return;
  }
  if (c.kind === 'ipv6-specific') w.u8(c.transitive ? 0x00 : 0x40).u8(c.subtype, `${field} subtype`);
  else w.u8(0x00).u8(c.kind === 'route-target' ? 0x02 : 0x03);
  const ip = parseIPv6(c.address);
  if (!ip) throw EncodeError.invalid(`${field} address`, `${JSON.stringify(c.address)} is not an IPv6 address`);
  w.bytes(ip);
  w.u16(c.local, `${field} local`);
}

/** Text: `target:2001:db8::1:100`, `origin:...`, raw as `0x` + hex. */
export function formatIpv6ExtendedCommunity(c: Ipv6ExtendedCommunity): string {
  if (c.kind === 'raw') return `0x${bytesToHex(c.bytes)}`;
  if (c.kind === 'ipv6-specific') return `${c.transitive ? '' : 'non-transitive:'}ipv6-specific:${c.subtype}:${c.address}:${c.local}`;
  return `${c.kind === 'route-target' ? 'target' : 'origin'}:${c.address}:${c.local}`;
}

/**
 * IPV6_EXTENDED_COMMUNITIES (type 25), RFC 5701 (optional transitive).
 * Errors (RFC 7606 §7.15): a length that is not a non-zero multiple of 20 is
 * treat-as-withdraw.
 * JSON: `[{ "kind": "route-target", "address": "2001:db8::1", "local": 100, "text": "target:2001:db8::1:100" }]`.
 *
 * @example
 * ```ts
 * ipv6ExtendedCommunitiesCodec.decode({ buf, start, end, flags: 0xc0, ctx });
 * ```
 */
export const ipv6ExtendedCommunitiesCodec: AttributeCodec<readonly Ipv6ExtendedCommunity[]> & { readonly type: 25 } = {
  type: AttrType.IPV6_EXTENDED_COMMUNITIES,
  name: 'IPV6_EXTENDED_COMMUNITIES',
  expectedFlags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  decode(input: AttributeValueInput): readonly Ipv6ExtendedCommunity[] {
    const { buf, start, end } = input;
    const len = end - start;
    if (len === 0 || len % 20 !== 0) {
      throw attributeError(input, 25, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'treat-as-withdraw', `IPV6_EXTENDED_COMMUNITIES length ${len} is not a non-zero multiple of 20 (RFC 7606 §7.15)`);
    }
    const out: Ipv6ExtendedCommunity[] = [];
    for (let p = start; p < end; p += 20) out.push(read(buf, p));
    return out;
  },
  encode(value: readonly Ipv6ExtendedCommunity[], w: WireWriter, _ctx: CodecContext): void {
    if (value.length === 0) throw EncodeError.invalid('IPV6_EXTENDED_COMMUNITIES', 'an empty list is malformed (RFC 7606 §7.15); omit the attribute');
    for (const c of value) write(c, w);
  },
  toJSON(value: readonly Ipv6ExtendedCommunity[]): Record<string, unknown>[] {
    return value.map((c) => (c.kind === 'raw' ? { kind: 'raw', bytes: bytesToHex(c.bytes), text: formatIpv6ExtendedCommunity(c) } : { ...c, text: formatIpv6ExtendedCommunity(c) }));
  },
};
