import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asPathCodec } from '../../../src/bgp/attributes/attr-02-as-path.js';
import { as4PathCodec } from '../../../src/bgp/attributes/attr-17-as4-path.js';
import { type AsPath, asPathLength, formatAsPath, hasConfedSegments } from '../../../src/bgp/attributes/as-path.js';
import { EncodeError } from '../../../src/bgp/errors.js';
import type { AsPathSegmentType } from '../../../src/bgp/constants.js';
import { CTX2, CTX4, decodeValue, encodeValue, toHex } from './helpers.js';

const vectors: { name: string; asn4: boolean; hex: string; path: AsPath; text: string }[] = [
  { name: 'empty (iBGP)', asn4: true, hex: '', path: [], text: '' },
  {
    name: 'AS_SEQUENCE 4-octet',
    asn4: true,
    // type 02 (AS_SEQUENCE), count 02, 0000fde8 (65000), 0001fbd0 (130000)
    hex: '02 02 0000fde8 0001fbd0',
    path: [{ type: 2, asns: [65000, 130000] }],
    text: '65000 130000',
  },
  {
    name: 'AS_SEQUENCE + AS_SET 2-octet',
    asn4: false,
    // type 02 count 02: 0064 (100) 00c8 (200); type 01 (AS_SET) count 02: 012c (300) 0190 (400)
    hex: '02 02 0064 00c8  01 02 012c 0190',
    path: [
      { type: 2, asns: [100, 200] },
      { type: 1, asns: [300, 400] },
    ],
    text: '100 200 {300,400}',
  },
  {
    name: 'confederation segments',
    asn4: true,
    // type 03 (AS_CONFED_SEQUENCE) count 02: 65001 65002; type 04 (AS_CONFED_SET) count 01: 65003; type 02 count 01: 3356
    hex: '03 02 0000fde9 0000fdea  04 01 0000fdeb  02 01 00000d1c',
    path: [
      { type: 3, asns: [65001, 65002] },
      { type: 4, asns: [65003] },
      { type: 2, asns: [3356] },
    ],
    text: '(65001 65002) [65003] 3356',
  },
];

describe('AS_PATH hex vectors', () => {
  it.each(vectors)('$name', ({ asn4, hex: h, path, text }) => {
    const ctx = asn4 ? CTX4 : CTX2;
    const decoded = decodeValue(asPathCodec, h, ctx);
    expect(decoded).toEqual(path);
    expect(toHex(encodeValue(asPathCodec, path, ctx))).toBe(h.replace(/\s/g, ''));
    expect(formatAsPath(decoded)).toBe(text);
  });

  it('JSON names the segment types', () => {
    expect(asPathCodec.toJSON(vectors[2]!.path)).toEqual([
      { type: 'as-sequence', asns: [100, 200] },
      { type: 'as-set', asns: [300, 400] },
    ]);
  });

  it('AS4_PATH is always 4-octet, whatever the session', () => {
    const p = decodeValue(as4PathCodec, '02 01 fa56ea00', CTX2);
    expect(p).toEqual([{ type: 2, asns: [4200000000] }]);
  });

  it('finds confederation segments (RFC 7606 §7.2 eBGP rule)', () => {
    expect(hasConfedSegments(vectors[3]!.path)).toBe(true);
    expect(hasConfedSegments(vectors[2]!.path)).toBe(false);
  });

  it('path length counts a set as one and confederation segments as zero', () => {
    expect(asPathLength(vectors[2]!.path)).toBe(3);
    expect(asPathLength(vectors[3]!.path)).toBe(1);
  });

  it('splits a sequence over 255 ASNs into consecutive segments, refuses such a set', () => {
    const asns = Array.from({ length: 300 }, (_, i) => i + 1);
    const bytes = encodeValue(asPathCodec, [{ type: 2, asns }], CTX4);
    // 02 ff + 255*4, then 02 2d + 45*4
    expect(bytes.length).toBe(2 + 255 * 4 + 2 + 45 * 4);
    expect([bytes[0], bytes[1], bytes[2 + 255 * 4], bytes[3 + 255 * 4]]).toEqual([2, 255, 2, 45]);
    expect(formatAsPath(decodeValue(asPathCodec, bytes, CTX4))).toBe(asns.join(' '));
    expect(() => encodeValue(asPathCodec, [{ type: 1, asns }], CTX4)).toThrow(EncodeError);
  });

  it('refuses a 4-octet ASN on a 2-octet session and an empty segment', () => {
    expect(() => encodeValue(asPathCodec, [{ type: 2, asns: [70000] }], CTX2)).toThrow(/does not fit in 2 octets/);
    expect(() => encodeValue(asPathCodec, [{ type: 2, asns: [] }], CTX4)).toThrow(EncodeError);
  });
});

const segmentArb = (maxAsn: number): fc.Arbitrary<{ type: AsPathSegmentType; asns: number[] }> =>
  fc.record({
    type: fc.constantFrom<AsPathSegmentType>(1, 2, 3, 4),
    asns: fc.array(fc.integer({ min: 0, max: maxAsn }), { minLength: 1, maxLength: 255 }),
  });

describe('AS_PATH properties', () => {
  it('decode(encode(path)) == path (4-octet)', () => {
    fc.assert(
      fc.property(fc.array(segmentArb(0xffffffff), { maxLength: 8 }), (path) => {
        expect(decodeValue(asPathCodec, encodeValue(asPathCodec, path, CTX4), CTX4)).toEqual(path);
      }),
    );
  });

  it('decode(encode(path)) == path (2-octet)', () => {
    fc.assert(
      fc.property(fc.array(segmentArb(0xffff), { maxLength: 8 }), (path) => {
        expect(decodeValue(asPathCodec, encodeValue(asPathCodec, path, CTX2), CTX2)).toEqual(path);
      }),
    );
  });

  it('any byte string decodes to a path that re-encodes identically, or a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let path: AsPath;
        try {
          path = decodeValue(asPathCodec, bytes, CTX4);
        } catch (e) {
          expect((e as { name?: string }).name).toBe('BgpError');
          return;
        }
        expect(toHex(encodeValue(asPathCodec, path, CTX4))).toBe(toHex(bytes));
      }),
    );
  });
});
