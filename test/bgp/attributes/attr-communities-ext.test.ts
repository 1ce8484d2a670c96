import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extendedCommunitiesCodec } from '../../../src/bgp/attributes/attr-16-extended-communities.js';
import { type ExtendedCommunity, formatExtendedCommunity } from '../../../src/bgp/attributes/extended-community.js';
import { ipv6ExtendedCommunitiesCodec, formatIpv6ExtendedCommunity } from '../../../src/bgp/attributes/attr-25-ipv6-extended-communities.js';
import { largeCommunityCodec, formatLargeCommunity, parseLargeCommunity, type LargeCommunity } from '../../../src/bgp/attributes/attr-32-large-community.js';
import { EncodeError } from '../../../src/bgp/errors.js';
import { decodeValue, encodeValue, hex, toHex } from './helpers.js';

const extVectors: { name: string; hex: string; value: ExtendedCommunity; text: string }[] = [
  // type 00 (2-octet AS, transitive) subtype 02 (RT), AS fde8, local 00000064
  { name: 'RT as2', hex: '0002 fde8 00000064', value: { kind: 'route-target', format: 'as2', asn: 65000, local: 100 }, text: 'target:65000:100' },
  // type 01 (IPv4) subtype 02, 192.0.2.1, local 0007
  { name: 'RT ipv4', hex: '0102 c0000201 0007', value: { kind: 'route-target', format: 'ipv4', address: '192.0.2.1', local: 7 }, text: 'target:192.0.2.1:7' },
  // type 02 (4-octet AS, RFC 5668) subtype 02, AS 0001fbd0, local 0001
  { name: 'RT as4', hex: '0202 0001fbd0 0001', value: { kind: 'route-target', format: 'as4', asn: 130000, local: 1 }, text: 'target:130000:1' },
  // type 00 subtype 03 (route origin)
  { name: 'RO as2', hex: '0003 fde8 00000001', value: { kind: 'route-origin', format: 'as2', asn: 65000, local: 1 }, text: 'origin:65000:1' },
  // type 01 subtype 03
  { name: 'RO ipv4', hex: '0103 0a000001 0002', value: { kind: 'route-origin', format: 'ipv4', address: '10.0.0.1', local: 2 }, text: 'origin:10.0.0.1:2' },
  // type 02 subtype 03
  { name: 'RO as4', hex: '0203 fa56ea00 0003', value: { kind: 'route-origin', format: 'as4', asn: 4200000000, local: 3 }, text: 'origin:4200000000:3' },
  // type 00 subtype 05 (OSPF domain id): generic as-specific
  { name: 'as2 other subtype', hex: '0005 fde8 00000009', value: { kind: 'as-specific', transitive: true, subtype: 5, format: 'as2', asn: 65000, local: 9 }, text: 'as2-specific:5:65000:9' },
  // type 40 subtype 04: link bandwidth, AS fde8, float32 4e9502f9 (1.25e9 bytes/s)
  { name: 'link bandwidth', hex: '4004 fde8 4e9502f9', value: { kind: 'link-bandwidth', asn: 65000, bandwidth: 1250000000 }, text: 'link-bandwidth:65000:1250000000' },
  // type 03 subtype 0c: encapsulation, 4 reserved zero octets, tunnel type 0008 (VXLAN)
  { name: 'encapsulation', hex: '030c 00000000 0008', value: { kind: 'encapsulation', tunnelType: 8 }, text: 'encap:8' },
  // type 03 subtype 0b: color, flags 0000, color 00000064
  { name: 'color', hex: '030b 0000 00000064', value: { kind: 'color', flags: 0, color: 100 }, text: 'color:100' },
  // type 80 subtype 06: traffic-rate, AS 0000, float32 0 (drop)
  { name: 'flowspec traffic-rate', hex: '8006 0000 00000000', value: { kind: 'traffic-rate', asn: 0, rate: 0 }, text: 'rate-limit:0' },
  // type 80 subtype 07: traffic-action, 5 zero octets, flags 03 (sample + terminal)
  { name: 'flowspec traffic-action', hex: '8007 0000000000 03', value: { kind: 'traffic-action', sample: true, terminal: true }, text: 'action sample-terminal' },
  // type 80 subtype 08: redirect AS2 fde8:00000001
  { name: 'flowspec redirect as2', hex: '8008 fde8 00000001', value: { kind: 'redirect', format: 'as2', asn: 65000, local: 1 }, text: 'redirect:65000:1' },
  // type 81 subtype 08: redirect IPv4 (RFC 7674)
  { name: 'flowspec redirect ipv4', hex: '8108 c0000201 0001', value: { kind: 'redirect', format: 'ipv4', address: '192.0.2.1', local: 1 }, text: 'redirect:192.0.2.1:1' },
  // type 80 subtype 09: traffic marking, 5 zero octets, DSCP 2e
  { name: 'flowspec traffic-marking', hex: '8009 0000000000 2e', value: { kind: 'traffic-marking', dscp: 46 }, text: 'mark 46' },
  // type 06 (EVPN) subtype 00: MAC mobility, not typed here: raw
  { name: 'EVPN MAC mobility (raw)', hex: '0600 0000 00000005', value: { kind: 'raw', bytes: hex('0600000000000005') }, text: '0x0600000000000005' },
  // traffic-action with a reserved bit set: raw, so nothing is lost
  { name: 'traffic-action with reserved bits (raw)', hex: '8007 0000000000 07', value: { kind: 'raw', bytes: hex('8007000000000007') }, text: '0x8007000000000007' },
];

describe('EXTENDED_COMMUNITIES hex vectors', () => {
  it.each(extVectors)('$name', ({ hex: h, value, text }) => {
    const [decoded] = decodeValue(extendedCommunitiesCodec, h);
    expect(decoded).toEqual(value);
    expect(formatExtendedCommunity(decoded!)).toBe(text);
    expect(toHex(encodeValue(extendedCommunitiesCodec, [decoded!]))).toBe(h.replace(/\s/g, ''));
    expect(toHex(encodeValue(extendedCommunitiesCodec, [value]))).toBe(h.replace(/\s/g, ''));
  });

  it('JSON form carries the typed fields and the text', () => {
    const list = decodeValue(extendedCommunitiesCodec, '0002fde800000064 0600000000000005');
    expect(extendedCommunitiesCodec.toJSON(list)).toEqual([
      { kind: 'route-target', format: 'as2', asn: 65000, local: 100, text: 'target:65000:100' },
      { kind: 'raw', bytes: '0600000000000005', text: '0x0600000000000005' },
    ]);
  });

  it('refuses a raw community that is not 8 octets', () => {
    expect(() => encodeValue(extendedCommunitiesCodec, [{ kind: 'raw', bytes: hex('00') }])).toThrow(EncodeError);
  });
});

describe('EXTENDED_COMMUNITIES properties', () => {
  it('any 8-octet communities re-encode byte-identical (typed or raw)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 16 }), (items) => {
        const bytes = Uint8Array.from(items.flatMap((b) => [...b]));
        const decoded = decodeValue(extendedCommunitiesCodec, bytes);
        expect(toHex(encodeValue(extendedCommunitiesCodec, decoded))).toBe(toHex(bytes));
        expect(decodeValue(extendedCommunitiesCodec, encodeValue(extendedCommunitiesCodec, decoded))).toEqual(decoded);
      }),
      { numRuns: 500 },
    );
  });

  it('decode(encode(x)) == x for typed route targets', () => {
    const rt = fc.oneof(
      fc.record({ kind: fc.constant('route-target' as const), format: fc.constant('as2' as const), asn: fc.integer({ min: 0, max: 0xffff }), local: fc.integer({ min: 0, max: 0xffffffff }) }),
      fc.record({ kind: fc.constant('route-origin' as const), format: fc.constant('as4' as const), asn: fc.integer({ min: 0, max: 0xffffffff }), local: fc.integer({ min: 0, max: 0xffff }) }),
      fc.record({ kind: fc.constant('route-target' as const), format: fc.constant('ipv4' as const), address: fc.ipV4(), local: fc.integer({ min: 0, max: 0xffff }) }),
    );
    fc.assert(
      fc.property(fc.array(rt, { minLength: 1, maxLength: 8 }), (list) => {
        expect(decodeValue(extendedCommunitiesCodec, encodeValue(extendedCommunitiesCodec, list))).toEqual(list);
      }),
    );
  });
});

describe('IPv6 Address Specific Extended Communities (RFC 5701)', () => {
  it.each([
    // type 00 subtype 02 (RT), 2001:db8::1, local 0064
    ['RT', '0002 20010db8000000000000000000000001 0064', { kind: 'route-target', address: '2001:db8::1', local: 100 }, 'target:2001:db8::1:100'],
    // type 00 subtype 03 (RO)
    ['RO', '0003 20010db8000000000000000000000001 0001', { kind: 'route-origin', address: '2001:db8::1', local: 1 }, 'origin:2001:db8::1:1'],
    // type 40 subtype 0b: non-transitive, other subtype
    ['other subtype', '400b 20010db8000000000000000000000002 0002', { kind: 'ipv6-specific', transitive: false, subtype: 11, address: '2001:db8::2', local: 2 }, 'non-transitive:ipv6-specific:11:2001:db8::2:2'],
    // type 05: unknown, raw
    ['raw', '0502 20010db8000000000000000000000001 0001', { kind: 'raw', bytes: hex('050220010db80000000000000000000000010001') }, '0x050220010db80000000000000000000000010001'],
  ])('%s', (_n, h, value, text) => {
    const [decoded] = decodeValue(ipv6ExtendedCommunitiesCodec, h);
    expect(decoded).toEqual(value);
    expect(formatIpv6ExtendedCommunity(decoded!)).toBe(text);
    expect(toHex(encodeValue(ipv6ExtendedCommunitiesCodec, [decoded!]))).toBe(h.replace(/\s/g, ''));
  });

  it('any 20-octet communities re-encode byte-identical', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 20, maxLength: 20 }), { minLength: 1, maxLength: 4 }), (items) => {
        const bytes = Uint8Array.from(items.flatMap((b) => [...b]));
        expect(toHex(encodeValue(ipv6ExtendedCommunitiesCodec, decodeValue(ipv6ExtendedCommunitiesCodec, bytes)))).toBe(toHex(bytes));
      }),
    );
  });
});

describe('LARGE_COMMUNITY (RFC 8092)', () => {
  it('hex vector', () => {
    // global 0000fde8 (65000), local1 00000001, local2 00000002; then fa56ea00 (4200000000) ffffffff 00000000
    const h = '0000fde8 00000001 00000002  fa56ea00 ffffffff 00000000';
    const v = decodeValue(largeCommunityCodec, h);
    expect(v).toEqual([
      [65000, 1, 2],
      [4200000000, 0xffffffff, 0],
    ]);
    expect(v.map(formatLargeCommunity)).toEqual(['65000:1:2', '4200000000:4294967295:0']);
    expect(toHex(encodeValue(largeCommunityCodec, v))).toBe(h.replace(/\s/g, ''));
    expect(largeCommunityCodec.toJSON(v)).toEqual([
      [65000, 1, 2],
      [4200000000, 4294967295, 0],
    ]);
    expect(parseLargeCommunity('65000:1:2')).toEqual([65000, 1, 2]);
    expect(parseLargeCommunity('4294967296:1:2')).toBeUndefined();
  });

  it('decode(encode(x)) == x and text round-trips', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(fc.array(fc.tuple(u32, u32, u32), { minLength: 1, maxLength: 32 }), (list) => {
        const l = list as LargeCommunity[];
        expect(decodeValue(largeCommunityCodec, encodeValue(largeCommunityCodec, l))).toEqual(l);
        for (const c of l) expect(parseLargeCommunity(formatLargeCommunity(c))).toEqual(c);
      }),
    );
  });
});
