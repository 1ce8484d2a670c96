import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NegativeCache } from '../../src/neigh/negative-cache.js';

describe('NegativeCache', () => {
  it('holds an entry for its TTL and not a millisecond longer', () => {
    const cache = new NegativeCache(10);
    cache.add('k', 5000, 1000);
    expect(cache.has('k', 1000)).toBe(true);
    expect(cache.has('k', 5999)).toBe(true);
    expect(cache.has('k', 6000)).toBe(false);
    expect(cache.size).toBe(0); // the expired entry was removed on the way
  });

  it('a TTL of 0 (or a cache of size 0) stores nothing', () => {
    const cache = new NegativeCache(10);
    cache.add('k', 0, 0);
    expect(cache.size).toBe(0);
    const none = new NegativeCache(0);
    none.add('k', 1000, 0);
    expect(none.has('k', 1)).toBe(false);
  });

  it('evicts the oldest entry when full; a refreshed key counts as new', () => {
    const cache = new NegativeCache(2);
    cache.add('a', 1000, 0);
    cache.add('b', 1000, 0);
    cache.add('a', 1000, 1); // refresh: 'b' is now the oldest
    cache.add('c', 1000, 2);
    expect(cache.has('a', 3)).toBe(true);
    expect(cache.has('b', 3)).toBe(false);
    expect(cache.has('c', 3)).toBe(true);
    expect(cache.evictions).toBe(1);
  });

  it('deleteWhere removes the entries of one link; prune removes expired ones', () => {
    const cache = new NegativeCache(10);
    cache.add('3|ipv4|10.0.0.1', 1000, 0);
    cache.add('3|ipv6|fd00::1', 1000, 0);
    cache.add('4|ipv4|10.0.0.1', 5000, 0);
    expect(cache.deleteWhere((k) => k.startsWith('3|'))).toBe(2);
    cache.add('5|ipv4|10.0.0.5', 10, 0);
    cache.prune(100);
    expect(cache.size).toBe(1);
    expect(cache.has('4|ipv4|10.0.0.1', 100)).toBe(true);
  });

  it('never grows beyond maxEntries (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 50 }))), (max, adds) => {
        const cache = new NegativeCache(max);
        let now = 0;
        for (const [key, ttl] of adds) {
          cache.add(String(key), ttl, now++);
          if (cache.size > max) return false;
        }
        return true;
      }),
    );
  });
});
