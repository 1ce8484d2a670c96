import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AllocError } from '../../src/alloc/errors.js';
import { exitNodeOf, idHex, resourceIdRange } from '../../src/alloc/ids.js';

describe('alloc ids', () => {
  it.each([
    [0x1abc, 1],
    [0x1123, 1],
    [0x1000, 1],
    [0x1fff, 1],
    [0x2000, 2],
    [0xa123, 10],
    [0xf000, 15],
    [0xffff, 15],
  ])('exitNodeOf(%i) = %i', (id, n) => {
    expect(exitNodeOf(id)).toBe(n);
  });

  it.each([0, 1, 0x0abc, 0x0fff])('refuses PrefixZero id %i', (id) => {
    expect(() => exitNodeOf(id)).toThrow(expect.objectContaining({ code: 'ERR_ALLOC_PREFIX_ZERO_ID' }));
  });

  it.each([-1, 0x10000, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses non-uint16 %d', (id) => {
    expect(() => exitNodeOf(id)).toThrow(expect.objectContaining({ code: 'ERR_ALLOC_ID_RANGE' }));
  });

  it('every ExitNode owns 4096 consecutive ids', () => {
    for (let n = 1; n <= 15; n++) {
      const { first, last } = resourceIdRange(n);
      expect(last - first + 1).toBe(4096);
      expect(exitNodeOf(first)).toBe(n);
      expect(exitNodeOf(last)).toBe(n);
      expect(idHex(first)).toBe(`${n.toString(16)}000`);
    }
    expect(() => resourceIdRange(0)).toThrow(AllocError);
  });

  it('exitNodeOf is the top nibble for every resource id', () => {
    fc.assert(fc.property(fc.integer({ min: 0x1000, max: 0xffff }), (id) => exitNodeOf(id) === Number.parseInt(idHex(id)[0] ?? '', 16)));
  });
});
