import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  comparePrefix,
  formatIPv6,
  hostBitsClear,
  parseIPv4Text,
  parseIPv6Text,
  parsePrefixText,
} from '../../src/alloc/ip.js';

const hex = (b: Uint8Array | undefined): string | undefined => (b ? Buffer.from(b).toString('hex') : undefined);

describe('alloc/ip text', () => {
  it.each([
    // text, 16 bytes in hex
    ['2a02:1802:5e::', '2a021802005e00000000000000000000'],
    ['2a02:1802:5e:0:1000::1', '2a021802005e00001000000000000001'],
    ['fe80::1000:0:0:1', 'fe800000000000001000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['FE80::1ABC:1', 'fe80000000000000000000001abc0001'],
  ])('parses %s', (text, bytes) => {
    expect(hex(parseIPv6Text(text))).toBe(bytes);
  });

  it.each(['', ':', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::', '::ffff:1.2.3.4', 'fe80::1%eth0', '1:2:3:4:5:6:7::8'])(
    'refuses IPv6 %j',
    (text) => {
      expect(parseIPv6Text(text)).toBeUndefined();
    },
  );

  it.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-1', 'a.b.c.d', ''])('refuses IPv4 %j', (text) => {
    expect(parseIPv4Text(text)).toBeUndefined();
  });

  it('formats RFC 5952: longest zero run, first on a tie, no single-group compression', () => {
    expect(formatIPv6(parseIPv6Text('2a02:1802:5e:0:1000:0:0:1')!)).toBe('2a02:1802:5e:0:1000::1');
    expect(formatIPv6(parseIPv6Text('1:0:0:2:0:0:3:4')!)).toBe('1::2:0:0:3:4');
    expect(formatIPv6(parseIPv6Text('1:0:2:3:4:5:6:7')!)).toBe('1:0:2:3:4:5:6:7');
  });

  it('format then parse is the identity on random addresses', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect(hex(parseIPv6Text(formatIPv6(bytes)))).toBe(hex(bytes));
      }),
    );
  });

  it('prefix text: length bounds and host bits', () => {
    expect(parsePrefixText('10.0.0.0/33')).toBeUndefined();
    expect(parsePrefixText('::/129')).toBeUndefined();
    expect(parsePrefixText('::/01')).toBeUndefined();
    expect(parsePrefixText('10.0.0.0/8/8')).toBeUndefined();
    expect(hostBitsClear(parsePrefixText('2001:db8:0:1000::/52')!)).toBe(true);
    expect(hostBitsClear(parsePrefixText('2001:db8:0:1::/52')!)).toBe(false);
    expect(comparePrefix(parsePrefixText('10.0.0.0/8')!, parsePrefixText('::/0')!)).toBeLessThan(0);
  });
});
