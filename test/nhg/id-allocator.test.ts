import { describe, expect, it } from 'vitest';
import { DEFAULT_NHG_ID_RANGE, IdAllocator } from '../../src/nhg/id-allocator.js';
import { NhgError } from '../../src/nhg/errors.js';

describe('IdAllocator', () => {
  it('allocates from the bottom of the range and reuses freed ids', () => {
    const ids = new IdAllocator({ min: 10, max: 12 });
    expect([ids.allocate(), ids.allocate()]).toEqual([10, 11]);
    ids.release(10);
    expect(ids.allocate()).toBe(10);
    expect(ids.allocate()).toBe(12);
    expect(() => ids.allocate()).toThrowError(expect.objectContaining({ code: 'ERR_NHG_ID_EXHAUSTED' }) as Error);
    ids.release(11);
    expect(ids.allocate()).toBe(11);
  });

  it('skips reserved ids and forgets released ids outside the range', () => {
    const ids = new IdAllocator({ min: 1, max: 3 });
    ids.reserve(2);
    ids.reserve(99);
    expect([ids.allocate(), ids.allocate()]).toEqual([1, 3]);
    ids.release(99);
    expect(ids.has(99)).toBe(false);
    ids.release(2);
    expect(ids.allocate()).toBe(2);
  });

  it('ignores double release', () => {
    const ids = new IdAllocator({ min: 1, max: 2 });
    const a = ids.allocate();
    ids.release(a);
    ids.release(a);
    expect(ids.allocate()).toBe(a);
    expect(ids.allocate()).toBe(2);
    expect(() => ids.allocate()).toThrow(NhgError);
  });

  it.each([
    [{ min: 0, max: 5 }],
    [{ min: 5, max: 4 }],
    [{ min: 1, max: 2 ** 32 }],
    [{ min: 1.5, max: 4 }],
  ])('rejects bad range %j', (range) => {
    expect(() => new IdAllocator(range)).toThrowError(expect.objectContaining({ code: 'ERR_NHG_BAD_RANGE' }) as Error);
  });

  it('default range sits clear of FRR (below 250M, 0x1/0x2 top nibble) and below 2^31', () => {
    expect(DEFAULT_NHG_ID_RANGE.min).toBeGreaterThan(0x2fffffff);
    expect(DEFAULT_NHG_ID_RANGE.max).toBeLessThan(2 ** 31);
  });
});
