import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Allocation } from '../../src/alloc/allocation.js';
import { AllocError } from '../../src/alloc/errors.js';
import { formatPrefix } from '../../src/alloc/ip.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AllocError ? e.code : `not an AllocError: ${String(e)}`;
  }
  return undefined;
}

describe('Allocation.parse', () => {
  it('reads the seed allocation (2a02:1802:005e) as 6 bytes', () => {
    const a = Allocation.parse('2a02:1802:005e::/48');
    expect(Buffer.from(a.bytes).toString('hex')).toBe('2a021802005e');
    expect(a.toString()).toBe('2a02:1802:5e::/48');
    expect(JSON.stringify({ a })).toBe('{"a":"2a02:1802:5e::/48"}');
  });

  it('cuts 16 /52s: PrefixZero then ExitNodes 1..15 at $prefix:N000::/52', () => {
    const a = Allocation.parse('2a02:1802:5e::/48');
    expect(a.sixteenths().map(formatPrefix)).toEqual([
      '2a02:1802:5e::/52', // PrefixZero (internal)
      '2a02:1802:5e:1000::/52',
      '2a02:1802:5e:2000::/52',
      '2a02:1802:5e:3000::/52',
      '2a02:1802:5e:4000::/52',
      '2a02:1802:5e:5000::/52',
      '2a02:1802:5e:6000::/52',
      '2a02:1802:5e:7000::/52',
      '2a02:1802:5e:8000::/52',
      '2a02:1802:5e:9000::/52',
      '2a02:1802:5e:a000::/52', // ExitNode10 -> a000 (seed table)
      '2a02:1802:5e:b000::/52',
      '2a02:1802:5e:c000::/52',
      '2a02:1802:5e:d000::/52',
      '2a02:1802:5e:e000::/52', // ExitNode14 -> e000
      '2a02:1802:5e:f000::/52', // ExitNode15 -> f000
    ]);
  });

  it('resource /64s for the seed examples and edge ids', () => {
    const a = Allocation.parse('2a02:1802:5e::/48');
    expect(formatPrefix(a.resourcePrefix(0x1abc))).toBe('2a02:1802:5e:1abc::/64');
    expect(formatPrefix(a.resourcePrefix(0x1123))).toBe('2a02:1802:5e:1123::/64');
    expect(formatPrefix(a.resourcePrefix(0x1000))).toBe('2a02:1802:5e:1000::/64');
    expect(formatPrefix(a.resourcePrefix(0xffff))).toBe('2a02:1802:5e:ffff::/64');
    expect(codeOf(() => a.resourcePrefix(0x0fff))).toBe('ERR_ALLOC_PREFIX_ZERO_ID');
    expect(codeOf(() => a.resourcePrefix(0x10000))).toBe('ERR_ALLOC_ID_RANGE');
    expect(codeOf(() => a.exitNodePrefix(0))).toBe('ERR_ALLOC_EXIT_NODE');
    expect(codeOf(() => a.exitNodePrefix(16))).toBe('ERR_ALLOC_EXIT_NODE');
  });

  it.each([
    // input, expected code
    ['2a02:1802:5e::/47', 'ERR_ALLOC_NOT_A_48'],
    ['2a02:1802:5e::/49', 'ERR_ALLOC_NOT_A_48'],
    ['2a02:1802:5e::/64', 'ERR_ALLOC_NOT_A_48'],
    ['2a02:1802:5e::', 'ERR_ALLOC_NOT_A_48'], // no length at all
    ['2a02:1802:5e:1::/48', 'ERR_ALLOC_HOST_BITS'],
    ['2a02:1802:5e::1/48', 'ERR_ALLOC_HOST_BITS'],
    ['fe80::/48', 'ERR_ALLOC_NOT_GLOBAL'],
    ['febf:1:2::/48', 'ERR_ALLOC_NOT_GLOBAL'],
    ['ff02:1:2::/48', 'ERR_ALLOC_NOT_GLOBAL'],
    ['::/48', 'ERR_ALLOC_NOT_GLOBAL'],
    ['10.0.0.0/8', 'ERR_ALLOC_BAD_PREFIX'],
    ['garbage', 'ERR_ALLOC_BAD_PREFIX'],
    ['', 'ERR_ALLOC_BAD_PREFIX'],
    ['2a02:1802:5e::/4 8', 'ERR_ALLOC_BAD_PREFIX'],
    ['2a02:1802:5e::/48/48', 'ERR_ALLOC_BAD_PREFIX'],
  ])('refuses %j with %s', (input, code) => {
    expect(codeOf(() => Allocation.parse(input))).toBe(code);
  });

  it('refuses non-strings with a typed error', () => {
    expect(codeOf(() => Allocation.parse(48))).toBe('ERR_ALLOC_BAD_PREFIX');
    expect(codeOf(() => Allocation.parse(null))).toBe('ERR_ALLOC_BAD_PREFIX');
    expect(codeOf(() => Allocation.fromBytes(new Uint8Array(7)))).toBe('ERR_ALLOC_NOT_A_48');
  });

  it('accepts documentation and ULA space, and fec0:: (not link-local)', () => {
    expect(Allocation.parse('2001:db8:1::/48').toString()).toBe('2001:db8:1::/48');
    expect(Allocation.parse('fd00:1:2::/48').toString()).toBe('fd00:1:2::/48');
    expect(Allocation.parse('fec0:1:2::/48').toString()).toBe('fec0:1:2::/48');
  });

  it('any string input gives an Allocation or an AllocError, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        try {
          expect(Allocation.parse(text)).toBeInstanceOf(Allocation);
        } catch (e) {
          expect(e).toBeInstanceOf(AllocError);
        }
      }),
    );
  });

  it('text round trip for random global /48s', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x2000, max: 0x3fff }), fc.nat(0xffff), fc.nat(0xffff), (g0, g1, g2) => {
        const text = `${g0.toString(16)}:${g1.toString(16)}:${g2.toString(16)}::/48`;
        const a = Allocation.parse(text);
        expect(Allocation.parse(a.toString()).equals(a)).toBe(true);
        expect(a.groups).toEqual([g0, g1, g2]);
      }),
    );
  });
});
