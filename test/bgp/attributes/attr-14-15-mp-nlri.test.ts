import { describe, expect, it } from 'vitest';
import { mpReachNlriCodec, type MpReachNlri } from '../../../src/bgp/attributes/attr-14-mp-reach-nlri.js';
import { mpUnreachNlriCodec, type MpUnreachNlri } from '../../../src/bgp/attributes/attr-15-mp-unreach-nlri.js';
import { formatMpNextHop } from '../../../src/bgp/attributes/mp-next-hop.js';
import { CTX4, decodeValue, encodeValue, hex, toHex } from './helpers.js';

/** The value without its buffer offsets, for comparing decodes of different buffers. */
const strip = ({ nlriStart: _s, nlriEnd: _e, ...rest }: MpReachNlri) => rest;

const reachVectors: { name: string; hex: string; afi: number; safi: number; nextHop: unknown; nlri: string; text: string }[] = [
  {
    name: 'IPv6 unicast, global next hop',
    // afi 0002, safi 01, nh len 10, nh 2001:db8::1, reserved 00, nlri 20 20010db8 (2001:db8::/32)
    hex: '0002 01 10 20010db8000000000000000000000001 00 20 20010db8',
    afi: 2,
    safi: 1,
    nextHop: { type: 'ipv6', address: '2001:db8::1' },
    nlri: '2020010db8',
    text: '2001:db8::1',
  },
  {
    name: 'IPv6 unicast, global + link-local (32 octets)',
    // nh len 20: 2001:db8::1 then fe80::1
    hex: '0002 01 20 20010db8000000000000000000000001 fe800000000000000000000000000001 00 30 20010db80001',
    afi: 2,
    safi: 1,
    nextHop: { type: 'ipv6', address: '2001:db8::1', linkLocal: 'fe80::1' },
    nlri: '3020010db80001',
    text: '2001:db8::1',
  },
  {
    name: 'IPv4 unicast with an IPv6 next hop (RFC 8950)',
    // afi 0001 safi 01, nh len 10 (16), reserved 00, nlri 18 c00002 (192.0.2.0/24)
    hex: '0001 01 10 20010db8000000000000000000000002 00 18 c00002',
    afi: 1,
    safi: 1,
    nextHop: { type: 'ipv6', address: '2001:db8::2' },
    nlri: '18c00002',
    text: '2001:db8::2',
  },
  {
    name: 'IPv4 multicast, IPv4 next hop',
    // afi 0001 safi 02, nh len 04 c0000201, reserved 00, nlri 10 e000 (224.0/16)
    hex: '0001 02 04 c0000201 00 10 e000',
    afi: 1,
    safi: 2,
    nextHop: { type: 'ipv4', address: '192.0.2.1' },
    nlri: '10e000',
    text: '192.0.2.1',
  },
  {
    name: 'VPN-IPv4: RD-prefixed next hop kept raw',
    // afi 0001 safi 80 (128), nh len 0c: RD 0000000000000000 + 0a000001
    hex: '0001 80 0c 0000000000000000 0a000001 00',
    afi: 1,
    safi: 128,
    nextHop: { type: 'raw', bytes: hex('00000000000000000a000001') },
    nlri: '',
    text: '00000000000000000a000001',
  },
  {
    name: 'FlowSpec: no next hop, reserved octet kept',
    // afi 0001 safi 85 (133), nh len 00, reserved 00, nlri 05 0118c00002
    hex: '0001 85 00 00 05 0118c00002',
    afi: 1,
    safi: 133,
    nextHop: { type: 'none' },
    nlri: '050118c00002',
    text: '',
  },
  {
    name: 'unknown family: any next hop length, raw when not 0/4/16/32',
    // afi 4001 (16385) safi 07, nh len 03 aabbcc, reserved 01 (non-zero, kept)
    hex: '4001 07 03 aabbcc 01 ff',
    afi: 16385,
    safi: 7,
    nextHop: { type: 'raw', bytes: hex('aabbcc') },
    nlri: 'ff',
    text: 'aabbcc',
  },
];

describe('MP_REACH_NLRI header', () => {
  it.each(reachVectors)('$name', ({ hex: h, afi, safi, nextHop, nlri, text }) => {
    const bytes = hex(h);
    const v = decodeValue<MpReachNlri>(mpReachNlriCodec, bytes);
    expect([v.afi, v.safi]).toEqual([afi, safi]);
    expect(v.nextHop).toEqual(nextHop);
    expect(toHex(v.nlri)).toBe(nlri);
    // the NLRI range points into the decoded buffer
    expect(toHex(bytes.subarray(v.nlriStart, v.nlriEnd))).toBe(nlri);
    expect(v.nlriEnd).toBe(bytes.length);
    expect(formatMpNextHop(v.nextHop)).toBe(text);
    // encode(decode(b)) == b and decode(encode(x)) == x
    const again = encodeValue<MpReachNlri>(mpReachNlriCodec, v);
    expect(toHex(again)).toBe(toHex(bytes));
    expect(strip(decodeValue<MpReachNlri>(mpReachNlriCodec, again))).toEqual(strip(v));
  });

  it('NLRI offsets are relative to the whole buffer when the value sits inside a message', () => {
    // flags 90, type 0e, ext length 000c, then the IPv4-multicast value above
    const msg = hex('ffff 90 0e 000c 0001 02 04 c0000201 00 10 e000');
    const v = mpReachNlriCodec.decode({ buf: msg, start: 6, end: msg.length, flags: 0x90, ctx: CTX4 });
    expect([v.nlriStart, v.nlriEnd]).toEqual([15, 18]);
    expect(v.nlri.buffer).toBe(msg.buffer);
  });

  it('JSON form', () => {
    const v = decodeValue<MpReachNlri>(mpReachNlriCodec, reachVectors[1]!.hex);
    expect(mpReachNlriCodec.toJSON(v)).toEqual({
      afi: 2,
      safi: 1,
      family: 'ipv6-unicast',
      nextHop: { type: 'ipv6', address: '2001:db8::1', linkLocal: 'fe80::1' },
      reserved: 0,
      nlri: '3020010db80001',
    });
  });

  it('encodes from a plain init object (no offsets needed)', () => {
    const bytes = encodeValue(mpReachNlriCodec, { afi: 2, safi: 1, nextHop: { type: 'ipv6', address: '2001:db8::1' }, reserved: 0, nlri: hex('2020010db8') });
    expect(toHex(bytes)).toBe(hex(reachVectors[0]!.hex).reduce((s, b) => s + b.toString(16).padStart(2, '0'), ''));
  });
});

describe('MP_REACH_NLRI in an MRT RIB entry (RFC 6396 §4.3.4)', () => {
  it.each([
    // nh len 10 + 2001:db8::1
    ['abbreviated IPv6', '10 20010db8000000000000000000000001', { type: 'ipv6', address: '2001:db8::1' }],
    // nh len 20: global + link-local
    ['abbreviated IPv6 + link-local', '20 20010db8000000000000000000000001 fe800000000000000000000000000001', { type: 'ipv6', address: '2001:db8::1', linkLocal: 'fe80::1' }],
    // nh len 04 + 192.0.2.1
    ['abbreviated IPv4', '04 c0000201', { type: 'ipv4', address: '192.0.2.1' }],
  ])('%s', (_n, h, nextHop) => {
    const v = decodeValue<MpReachNlri>(mpReachNlriCodec, h, CTX4, 0x80, true);
    expect(v.abbreviated).toBe(true);
    expect([v.afi, v.safi, v.nlri.length]).toEqual([0, 0, 0]);
    expect(v.nextHop).toEqual(nextHop);
    expect(toHex(encodeValue<MpReachNlri>(mpReachNlriCodec, v))).toBe(h.replace(/\s/g, ''));
  });

  it('a full attribute inside a RIB entry is still read in full', () => {
    const v = decodeValue<MpReachNlri>(mpReachNlriCodec, reachVectors[0]!.hex, CTX4, 0x80, true);
    expect(v.abbreviated).toBeUndefined();
    expect([v.afi, v.safi]).toEqual([2, 1]);
  });
});

describe('MP_UNREACH_NLRI header', () => {
  it.each([
    // afi 0002 safi 01, withdrawn 20 20010db8
    ['IPv6 withdraw', '0002 01 20 20010db8', 2, 1, '2020010db8'],
    // afi 0002 safi 01, nothing: End-of-RIB (RFC 4724 §2)
    ['End-of-RIB', '0002 01', 2, 1, ''],
  ])('%s', (_n, h, afi, safi, nlri) => {
    const bytes = hex(h);
    const v = decodeValue<MpUnreachNlri>(mpUnreachNlriCodec, bytes);
    expect([v.afi, v.safi, toHex(v.nlri), v.nlriStart, v.nlriEnd]).toEqual([afi, safi, nlri, 3, bytes.length]);
    expect(toHex(encodeValue<MpUnreachNlri>(mpUnreachNlriCodec, v))).toBe(toHex(bytes));
    expect(mpUnreachNlriCodec.toJSON(v)).toEqual({ afi, safi, family: 'ipv6-unicast', nlri });
  });
});
