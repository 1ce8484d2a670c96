import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp, parseIp, parsePrefix, parseMac, formatMac } from '../../src/netlink/ip.js';
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
