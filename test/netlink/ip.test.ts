import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp, formatIpv4Prefix, formatIpv4U32, formatMac, parseIp, parseIpv4PrefixInto, parseMac, parsePrefix, parsePrefixInto } from '../../src/netlink/ip.js';
import { NetlinkArgumentError } from '../../src/netlink/errors.js';

describe('netlink ip text', () => {
  it.each([
    ['10.0.0.1', 4, '0a000001'],
    ['0.0.0.0', 4, '00000000'],
    ['::', 6, '00000000000000000000000000000000'],
    ['::1', 6, '00000000000000000000000000000001'],
    ['2001:db8::1:0:0:1', 6, '20010db8000000000001000000000001'],
    ['::ffff:192.0.2.1', 6, '00000000000000000000ffffc0000201'],
    ['fe80::', 6, 'fe800000000000000000000000000000'],
  ])('%s', (text, family, bytes) => {
    const parsed = parseIp(text, 'x');
    expect(parsed.family).toBe(family);
    expect(parsed.bytes.toString('hex')).toBe(bytes);
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1::2::3', ':1', '1:', '12345::', '1:2:3:4:5:6:7:8:9', 'x'])(
    '%s is refused',
    (text) => {
      expect(() => parseIp(text, 'x')).toThrow(NetlinkArgumentError);
    },
  );

  it('prefixes', () => {
    expect(parsePrefix('10.0.0.0/8', 'd')).toMatchObject({ family: 4, length: 8 });
    expect(parsePrefix('2001:db8::/32', 'd')).toMatchObject({ family: 6, length: 32 });
    expect(parsePrefix('10.0.0.1', 'd').length).toBe(32);
    expect(() => parsePrefix('10.0.0.0/33', 'd')).toThrow(NetlinkArgumentError);
    expect(() => parsePrefix('::/129', 'd')).toThrow(NetlinkArgumentError);
    expect(() => parsePrefix('10.0.0.0/', 'd')).toThrow(NetlinkArgumentError);
    expect(() => parsePrefix({ bytes: new Uint8Array(5), length: 1 }, 'd')).toThrow(NetlinkArgumentError);
  });

  it('property: IPv6 format/parse round trip agrees with node:net', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = formatIp(bytes);
        expect(isIP(text)).toBe(6);
        expect(Buffer.from(parseIp(text, 'x').bytes).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: IPv6 text is the canonical RFC 5952 form (as the WHATWG URL serializer writes it)', () => {
    const word = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(word, { minLength: 8, maxLength: 8 }), (words) => {
        const bytes = new Uint8Array(16);
        words.forEach((w, i) => {
          bytes[2 * i] = w >> 8;
          bytes[2 * i + 1] = w & 255;
        });
        const text = formatIp(bytes);
        expect(`[${text}]`).toBe(new URL(`http://[${text}]/`).hostname);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: IPv4 round trip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (bytes) => {
        expect(Buffer.from(parseIp(formatIp(bytes), 'x').bytes).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('MAC', () => {
    expect(formatMac(parseMac('02:AB:00:00:00:01', 'm'))).toBe('02:ab:00:00:00:01');
    expect(() => parseMac('02:ab:00:00:00', 'm')).toThrow(NetlinkArgumentError);
  });
});

// The hot-path IPv4 helpers (route encoder, route dumps), each checked against
// the general parser / formatter it stands in for.
describe('parseIpv4PrefixInto', () => {
  it.each([
    ['10.1.2.3/32', 32, [10, 1, 2, 3]],
    ['10.1.2.3', 32, [10, 1, 2, 3]], // a bare address is a host prefix
    ['0.0.0.0/0', 0, [0, 0, 0, 0]],
    ['255.255.255.255/32', 32, [255, 255, 255, 255]],
    ['192.0.2.0/24', 24, [192, 0, 2, 0]],
    ['100.64.0.0/9', 9, [100, 64, 0, 0]],
  ])('%s', (text, length, bytes) => {
    const out = new Uint8Array(16);
    expect(parseIpv4PrefixInto(text, out)).toBe(length);
    expect([...out.subarray(0, 4)]).toEqual(bytes);
  });

  it.each([
    '', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.4/33', '1.2.3.4/', '1.2.3.4/1x', '1.2.3.4/123',
    '1..2.3', '.1.2.3', '1.2.3.', 'a.b.c.d', '::1', '2001:db8::/64', '1.2.3.4/05', '1.2.3.4 ',
  ])('%j is left to the general parser (-1)', (text) => {
    expect(parseIpv4PrefixInto(text, new Uint8Array(16))).toBe(-1);
  });

  it('property: agrees with the general parser whenever it accepts', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('00', '01', '256', '999', ''));
    const length = fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 40 }).map((n) => `/${n}`), fc.constantFrom('/', '/x', '/007'));
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), length, (parts, suffix) => {
        const text = parts.join('.') + suffix;
        const fast = new Uint8Array(16);
        const general = new Uint8Array(16);
        const got = parseIpv4PrefixInto(text, fast);
        const packed = parsePrefixInto(text, general);
        if (got >= 0) {
          expect(packed).toBe(4 * 256 + got);
          expect([...fast.subarray(0, 4)]).toEqual([...general.subarray(0, 4)]);
        } else {
          // refused here: the general parser refuses too, or takes a form the fast path leaves to it (/05)
          expect(packed <= 0 || /\/0\d/.test(text)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('IPv4 formatting tables', () => {
  it('formats like formatIp, for addresses and prefixes', () => {
    expect(formatIpv4U32(0)).toBe('0.0.0.0');
    expect(formatIpv4U32(0xffffffff)).toBe('255.255.255.255');
    expect(formatIpv4U32(0x0a000102)).toBe('10.0.1.2');
    expect(formatIpv4U32(0x0a000102)).toBe('10.0.1.2'); // the one-entry cache
    expect(formatIpv4Prefix(0xc0000200, 24)).toBe('192.0.2.0/24');
    expect(formatIpv4Prefix(0, 0)).toBe('0.0.0.0/0');
  });

  it('property: formatIpv4U32 and formatIpv4Prefix equal the general formatter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (address, length) => {
        const bytes = Uint8Array.from([address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255]);
        expect(formatIpv4U32(address)).toBe(formatIp(bytes));
        expect(formatIpv4Prefix(address, length)).toBe(`${formatIp(bytes)}/${length}`);
      }),
      { numRuns: 2000 },
    );
  });
});
