import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Allocation } from '../../src/alloc/allocation.js';
import {
  deriveAddress,
  epPubIP4R,
  epPubLL,
  gwPubIP4,
  gwPubIP6,
  gwPubLL,
  gwToEpIP4,
  gwToEpLL,
  hasIPv4Network,
  matchAddress,
  nrLocalIP4,
  nrLocalIP4Network,
  nrLocalIP6,
  parseAddress,
  upstreamIP6,
  upstreamLL,
  wgIP4RT,
  wgLL,
} from '../../src/alloc/addresses.js';
import { AllocError } from '../../src/alloc/errors.js';
import { formatPrefix, parsePrefixText, type IpPrefix } from '../../src/alloc/ip.js';

const A = Allocation.parse('2a02:1802:5e::/48');
const text = (p: IpPrefix): string => formatPrefix(p);

describe('alloc addresses: the seed drawing', () => {
  it('Gateway of ExitNode 1', () => {
    expect(text(gwPubLL(1))).toBe('fe80::1000:0:0:1/64'); // GWPubLL
    expect(text(gwPubIP6(A, 1))).toBe('2a02:1802:5e:0:1000::1/64'); // GWPubIP6 = $prefix:0:1000:0:0:1, in PrefixZero
    expect(text(gwPubIP4('185.69.166.123/24'))).toBe('185.69.166.123/24'); // GWPubIP4: the operator's
    expect(text(gwToEpIP4())).toBe('10.1.0.1/32'); // drawn on every to-XXXX-1
    expect(text(upstreamLL())).toBe('fe80::1/64'); // the router's, the Gateway's default gateway
    expect(text(upstreamIP6(A))).toBe('2a02:1802:5e::1/64'); // $prefixzero::1/64
  });

  it.each([
    // id,    GWtoEPLL,         EPPubLL,          EPPubIP4R,            WGLL,           WGIP4RT,              NRLocalIP6,                   NRLocalIP4
    [0x1abc, 'fe80::1:1abc/64', 'fe80::1abc:1/64', '10.255.26.188/32', 'fe80::1abc/64', '10.255.26.188/24', '2a02:1802:5e:1abc::1/64', '10.26.188.1/24'],
    [0x1123, 'fe80::1:1123/64', 'fe80::1123:1/64', '10.255.17.35/32', 'fe80::1123/64', '10.255.17.35/24', '2a02:1802:5e:1123::1/64', '10.17.35.1/24'],
    // edge ids
    [0x1000, 'fe80::1:1000/64', 'fe80::1000:1/64', '10.255.16.0/32', 'fe80::1000/64', '10.255.16.0/24', '2a02:1802:5e:1000::1/64', '10.16.0.1/24'],
    [0x1fff, 'fe80::1:1fff/64', 'fe80::1fff:1/64', '10.255.31.255/32', 'fe80::1fff/64', '10.255.31.255/24', '2a02:1802:5e:1fff::1/64', '10.31.255.1/24'],
    [0xf000, 'fe80::1:f000/64', 'fe80::f000:1/64', '10.255.240.0/32', 'fe80::f000/64', '10.255.240.0/24', '2a02:1802:5e:f000::1/64', '10.240.0.1/24'],
    [0xfeff, 'fe80::1:feff/64', 'fe80::feff:1/64', '10.255.254.255/32', 'fe80::feff/64', '10.255.254.255/24', '2a02:1802:5e:feff::1/64', '10.254.255.1/24'],
    [0xffff, 'fe80::1:ffff/64', 'fe80::ffff:1/64', '10.255.255.255/32', 'fe80::ffff/64', '10.255.255.255/24', '2a02:1802:5e:ffff::1/64', null],
  ])('id %i', (id, gwToEp, epPub, epPub4, wg, wg4, nr6, nr4) => {
    expect(text(gwToEpLL(id))).toBe(gwToEp);
    expect(text(epPubLL(id))).toBe(epPub);
    expect(text(epPubIP4R(id))).toBe(epPub4);
    expect(text(wgLL(id))).toBe(wg);
    expect(text(wgIP4RT(id))).toBe(wg4);
    expect(text(nrLocalIP6(A, id))).toBe(nr6);
    if (nr4 === null) {
      expect(hasIPv4Network(id)).toBe(false);
      expect(() => nrLocalIP4(id)).toThrow(expect.objectContaining({ code: 'ERR_ALLOC_NO_IPV4' }));
    } else {
      expect(text(nrLocalIP4(id))).toBe(nr4);
      expect(text(nrLocalIP4Network(id))).toBe(nr4.replace(/\.1\/24$/, '.0/24'));
    }
  });
});

describe('alloc addresses: every ExitNode 1..15', () => {
  const expected = [
    // N, GWPubLL,               GWPubIP6
    [1, 'fe80::1000:0:0:1/64', '2a02:1802:5e:0:1000::1/64'],
    [2, 'fe80::2000:0:0:1/64', '2a02:1802:5e:0:2000::1/64'],
    [3, 'fe80::3000:0:0:1/64', '2a02:1802:5e:0:3000::1/64'],
    [4, 'fe80::4000:0:0:1/64', '2a02:1802:5e:0:4000::1/64'],
    [5, 'fe80::5000:0:0:1/64', '2a02:1802:5e:0:5000::1/64'],
    [6, 'fe80::6000:0:0:1/64', '2a02:1802:5e:0:6000::1/64'],
    [7, 'fe80::7000:0:0:1/64', '2a02:1802:5e:0:7000::1/64'],
    [8, 'fe80::8000:0:0:1/64', '2a02:1802:5e:0:8000::1/64'],
    [9, 'fe80::9000:0:0:1/64', '2a02:1802:5e:0:9000::1/64'],
    [10, 'fe80::a000:0:0:1/64', '2a02:1802:5e:0:a000::1/64'],
    [11, 'fe80::b000:0:0:1/64', '2a02:1802:5e:0:b000::1/64'],
    [12, 'fe80::c000:0:0:1/64', '2a02:1802:5e:0:c000::1/64'],
    [13, 'fe80::d000:0:0:1/64', '2a02:1802:5e:0:d000::1/64'],
    [14, 'fe80::e000:0:0:1/64', '2a02:1802:5e:0:e000::1/64'],
    [15, 'fe80::f000:0:0:1/64', '2a02:1802:5e:0:f000::1/64'],
  ] as const;
  it.each(expected)('ExitNode %i', (n, ll, ip6) => {
    expect(text(gwPubLL(n))).toBe(ll);
    expect(text(gwPubIP6(A, n))).toBe(ip6);
    expect(parseAddress(gwPubLL(n))).toEqual({ role: 'GWPubLL', exitNode: n });
    expect(parseAddress(gwPubIP6(A, n), A)).toEqual({ role: 'GWPubIP6', exitNode: n });
  });
});

describe('alloc addresses: parse refuses what is not ours', () => {
  it.each([
    'fe80::a8c1:abff:fe12:3456/64', // a kernel EUI-64 link-local on a veth
    'fe80::1000:0:0:2/64',
    'fe80::1001:0:0:1/64', // not an N000 group
    'fe80::1:fff/64', // GWtoEPLL of a PrefixZero id
    'fe80::fff:1/64',
    'fe80::fff/64',
    'fe80::1abc:1/128', // right address, wrong length
    'fe80:1::1abc:1/64',
    '2a02:1802:5e:1abc::2/64',
    '2a02:1802:5e:fff::1/64', // PrefixZero
    '2a02:1802:5e:0:1001::1/64',
    '2a02:1802:5f:1abc::1/64', // another allocation
    '10.255.15.255/32', // id 0x0fff
    '10.255.26.188/25',
    '10.26.188.2/24',
    '10.15.255.1/24', // id 0x0fff
    '10.1.0.1/24',
    '10.1.0.2/32',
    '192.168.1.1/24',
  ])('refuses %s', (t) => {
    const p = parsePrefixText(t)!;
    expect(p).toBeDefined();
    expect(matchAddress(p, A)).toBeUndefined();
    expect(() => parseAddress(p, A)).toThrow(AllocError);
  });

  it('allocation-scoped addresses need the allocation', () => {
    expect(matchAddress(nrLocalIP6(A, 0x1abc))).toBeUndefined();
    expect(parseAddress(nrLocalIP6(A, 0x1abc), A)).toEqual({ role: 'NRLocalIP6', id: 0x1abc, exitNode: 1 });
  });

  it.each(['10.0.0.0/8', '185.69.166.0/24', '185.69.166.255/24', '1.2.3.4', '::1/64', 'x', '1.2.3.4/0'])('refuses operator IPv4 %j', (t) => {
    expect(() => gwPubIP4(t)).toThrow(expect.objectContaining({ code: 'ERR_ALLOC_BAD_IPV4' }));
  });

  it('accepts /31 and /32 operator addresses', () => {
    expect(text(gwPubIP4('192.0.2.0/31'))).toBe('192.0.2.0/31');
    expect(text(gwPubIP4(' 192.0.2.7/32 '))).toBe('192.0.2.7/32');
  });
});

describe('alloc addresses: properties', () => {
  const perId = [
    (id: number) => gwToEpLL(id),
    (id: number) => epPubLL(id),
    (id: number) => epPubIP4R(id),
    (id: number) => wgLL(id),
    (id: number) => wgIP4RT(id),
    (id: number) => nrLocalIP6(A, id),
  ];

  it('distinct ids give distinct addresses in every role, and no address has two roles', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x1000, max: 0xffff }), fc.integer({ min: 0x1000, max: 0xffff }), (a, b) => {
        fc.pre(a !== b);
        const all = (id: number): string[] => [...perId.map((f) => text(f(id))), ...(hasIPv4Network(id) ? [text(nrLocalIP4(id))] : [])];
        const xa = all(a);
        const xb = all(b);
        expect(new Set([...xa, ...xb]).size).toBe(xa.length + xb.length);
      }),
    );
  });

  it('derive(parse(x)) == x for random ids and ExitNodes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x1000, max: 0xffff }), fc.integer({ min: 1, max: 15 }), (id, n) => {
        const xs = [...perId.map((f) => f(id)), gwPubLL(n), gwPubIP6(A, n), gwToEpIP4(), upstreamLL(), upstreamIP6(A)];
        if (hasIPv4Network(id)) xs.push(nrLocalIP4(id));
        for (const x of xs) expect(text(deriveAddress(parseAddress(x, A), A))).toBe(text(x));
      }),
    );
  });
});
