import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hex, toHex } from '../../support/hex.js';
import { BgpError, EncodeError } from '../../../src/bgp/errors.js';
import { Prefix } from '../../../src/bgp/prefix.js';
import { Family, familyKey } from '../../../src/bgp/family.js';
import { ipv4UnicastNlri } from '../../../src/bgp/nlri/ipv4-unicast.js';
import { ipv4MulticastNlri } from '../../../src/bgp/nlri/ipv4-multicast.js';
import { ipv6UnicastNlri } from '../../../src/bgp/nlri/ipv6-unicast.js';
import { ipv6MulticastNlri } from '../../../src/bgp/nlri/ipv6-multicast.js';
import { getNlriCodec, getNlriCodecByFamily, supportedNlriFamilies } from '../../../src/bgp/nlri/nlri-registry.js';
import { nlriFieldPrefixes, walkNlriField } from '../../../src/bgp/nlri/nlri-field.js';
import { CLASSIC_NLRI_FAULT, MP_REACH_NLRI_FAULT, WITHDRAWN_ROUTES_FAULT } from '../../../src/bgp/nlri/nlri-faults.js';
import type { NlriCodec } from '../../../src/bgp/nlri/nlri-codec.js';
import { PrefixCursor } from '../../../src/bgp/nlri/prefix-cursor.js';

function texts(bytes: Uint8Array, codec: NlriCodec, addPath = false): string[] {
  return [...nlriFieldPrefixes(bytes, 0, bytes.length, codec, addPath, CLASSIC_NLRI_FAULT)].map((p) =>
    p.pathId === undefined ? p.toString() : `${p.toString()} id ${p.pathId}`,
  );
}

describe('NLRI registry', () => {
  it('has one codec per supported AFI/SAFI and none for VPN/EVPN/FlowSpec yet', () => {
    expect(getNlriCodec(1, 1)).toBe(ipv4UnicastNlri);
    expect(getNlriCodec(1, 2)).toBe(ipv4MulticastNlri);
    expect(getNlriCodec(2, 1)).toBe(ipv6UnicastNlri);
    expect(getNlriCodec(2, 2)).toBe(ipv6MulticastNlri);
    expect(getNlriCodecByFamily(Family.IPV6_UNICAST)?.name).toBe('ipv6-unicast');
    expect(getNlriCodec(1, 128)).toBeUndefined();
    expect(getNlriCodec(25, 70)).toBeUndefined();
    expect(getNlriCodec(1, 133)).toBeUndefined();
    expect(supportedNlriFamilies().sort()).toEqual([familyKey(1, 1), familyKey(1, 2), familyKey(2, 1), familyKey(2, 2)].sort());
  });
});

describe('RFC 4271 §4.3 prefix encoding (table)', () => {
  it.each<[string, string, NlriCodec, boolean, string[]]>([
    ['default route', '00', ipv4UnicastNlri, false, ['0.0.0.0/0']],
    ['/8 takes one octet', '08 0a', ipv4UnicastNlri, false, ['10.0.0.0/8']],
    ['/9 takes two octets', '09 0a80', ipv4UnicastNlri, false, ['10.128.0.0/9']],
    ['/24 then /32', '18 c63364  20 01010101', ipv4UnicastNlri, false, ['198.51.100.0/24', '1.1.1.1/32']],
    ['trailing bits kept as received', '0d 0b0d', ipv4UnicastNlri, false, ['11.13.0.0/13']],
    ['multicast uses the same encoding', '04 e0', ipv4MulticastNlri, false, ['224.0.0.0/4']],
    ['IPv6 /32', '20 20010db8', ipv6UnicastNlri, false, ['2001:db8::/32']],
    ['IPv6 /128', '80 20010db8000000000000000000000001', ipv6UnicastNlri, false, ['2001:db8::1/128']],
    ['IPv6 multicast /8', '08 ff', ipv6MulticastNlri, false, ['ff00::/8']],
    // RFC 7911 §3: 4-octet path id before each prefix
    ['ADD-PATH IPv4', '00000001 18 c00002  00000002 18 c00002', ipv4UnicastNlri, true, ['192.0.2.0/24 id 1', '192.0.2.0/24 id 2']],
    ['ADD-PATH IPv6', 'ffffffff 30 20010db80001', ipv6UnicastNlri, true, ['2001:db8:1::/48 id 4294967295']],
  ])('%s', (_name, vector, codec, addPath, expected) => {
    expect(texts(hex(vector), codec, addPath)).toEqual(expected);
  });
});

describe('RFC 7606 §5.3 malformed NLRI items', () => {
  const cases: [string, string, NlriCodec, boolean][] = [
    ['IPv4 prefix length 33 > 32', '21 0a000000 00', ipv4UnicastNlri, false],
    ['IPv6 prefix length 129 > 128', '81 20010db8000000000000000000000000 00', ipv6UnicastNlri, false],
    ['prefix overruns the field', '18 0a00', ipv4UnicastNlri, false],
    ['ADD-PATH path id cut short', '000000', ipv4UnicastNlri, true],
    ['ADD-PATH path id without a length octet', '00000001', ipv4UnicastNlri, true],
  ];
  it.each(cases)('classic NLRI, %s: session reset 3/10', (_n, vector, codec, addPath) => {
    const b = hex(vector);
    const run = (): number => walkNlriField(b, 0, b.length, codec, addPath, CLASSIC_NLRI_FAULT);
    expect(run).toThrowError(BgpError);
    try {
      run();
    } catch (e) {
      const err = e as BgpError;
      expect([err.notifyCode, err.notifySubcode, err.action]).toEqual([3, 10, 'session-reset']);
    }
  });
  it.each(cases)('MP_REACH_NLRI, %s: AFI/SAFI disable 3/9 (§7.11)', (_n, vector, codec, addPath) => {
    const b = hex(vector);
    try {
      walkNlriField(b, 0, b.length, codec, addPath, MP_REACH_NLRI_FAULT);
      expect.unreachable('no error');
    } catch (e) {
      const err = e as BgpError;
      expect([err.notifyCode, err.notifySubcode, err.action, err.attrType]).toEqual([3, 9, 'afi-safi-disable', 14]);
    }
  });
  it('withdrawn routes field: session reset with its own field name', () => {
    const b = hex('21 0a000000');
    expect(() => walkNlriField(b, 0, b.length, ipv4UnicastNlri, false, WITHDRAWN_ROUTES_FAULT)).toThrowError(/Withdrawn Routes/);
  });
});

describe('PrefixCursor', () => {
  it('exposes length, path id and the address offset without copying, and copies on request', () => {
    const b = hex('00000007 17 c0a8fe');
    const c = new PrefixCursor();
    const end = ipv4UnicastNlri.step(b, 0, b.length, true, c, CLASSIC_NLRI_FAULT);
    expect(end).toBe(b.length);
    expect([c.afi, c.safi, c.length, c.pathId, c.addressOffset, c.addressLength]).toEqual([1, 1, 23, 7, 5, 3]);
    expect(c.buf).toBe(b);
    const out = new Uint8Array(6).fill(0xee);
    expect(c.copyAddress(out, 1)).toBe(4);
    expect(toHex(out)).toBe('eec0a8fe00ee');
    expect(c.format()).toBe('192.168.254.0/23');
    const p = c.toPrefix();
    expect(p.equals(Prefix.parse('192.168.254.0/23', 7))).toBe(true);
    b[5] = 0; // the materialised prefix owns its bytes
    expect(p.toString()).toBe('192.168.254.0/23');
  });

  it('one cursor is reused across a whole field', () => {
    const b = hex('08 0a  10 ac10  18 c0a801');
    const seen: string[] = [];
    const c = new PrefixCursor();
    const n = walkNlriField(b, 0, b.length, ipv4UnicastNlri, false, CLASSIC_NLRI_FAULT, (cur) => {
      expect(cur).toBe(c);
      seen.push(cur.format());
    }, c);
    expect(n).toBe(3);
    expect(seen).toEqual(['10.0.0.0/8', '172.16.0.0/16', '192.168.1.0/24']);
  });
});

describe('encoding', () => {
  it('writes <length, prefix> and the path id under ADD-PATH', () => {
    const p = Prefix.parse('2001:db8:1::/48', 9);
    const out = new Uint8Array(ipv6UnicastNlri.encodedLength(p, true));
    expect(ipv6UnicastNlri.encodeInto(p, out, 0, true)).toBe(out.length);
    expect(toHex(out)).toBe('00000009' + '30' + '20010db80001');
    const q = Prefix.parse('10.0.0.0/8');
    const o2 = new Uint8Array(ipv4UnicastNlri.encodedLength(q, false));
    ipv4UnicastNlri.encodeInto(q, o2, 0, false);
    expect(toHex(o2)).toBe('080a');
  });

  it('refuses a prefix of another AFI', () => {
    expect(() => ipv4UnicastNlri.encodeInto(Prefix.parse('::/0'), new Uint8Array(8), 0, false)).toThrowError(EncodeError);
  });

  it('property: encode then walk gives the same prefixes (both AFIs, with and without ADD-PATH)', () => {
    const v4 = fc.tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 32 }), fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }));
    const v6 = fc.tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 128 }), fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }));
    for (const [codec, arb, afi] of [
      [ipv4UnicastNlri, v4, 1],
      [ipv6MulticastNlri, v6, 2],
    ] as const) {
      fc.assert(
        fc.property(fc.array(arb, { maxLength: 40 }), fc.boolean(), (items, addPath) => {
          const prefixes = items.map(([a, l, id]) => new Prefix(afi, a, l, addPath ? (id ?? 0) : undefined).canonical());
          const size = prefixes.reduce((s, p) => s + codec.encodedLength(p, addPath), 0);
          const buf = new Uint8Array(size);
          let off = 0;
          for (const p of prefixes) off = codec.encodeInto(p, buf, off, addPath);
          expect(off).toBe(size);
          const back = [...nlriFieldPrefixes(buf, 0, size, codec, addPath, CLASSIC_NLRI_FAULT)];
          expect(back.length).toBe(prefixes.length);
          back.forEach((p, i) => expect(p.equals(prefixes[i]!)).toBe(true));
        }),
        { numRuns: 150 },
      );
    }
  });
});
