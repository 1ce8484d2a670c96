/**
 * Remembers negative answers for a while, so a kernel that probes every
 * retrans_time does not turn into a resolve() call per probe. Bounded: when
 * full, the oldest entry goes first (a Map iterates in insertion order, and a
 * refreshed key is re-inserted at the end).
 *
 * @example
 * ```ts
 * const cache = new NegativeCache(1024);
 * cache.add('3|ipv4|10.0.0.9', 5_000, Date.now());
 * cache.has('3|ipv4|10.0.0.9', Date.now()); // true for five seconds
 * ```
 */
export class NegativeCache {
  private readonly expiries = new Map<string, number>();
  /** Entries pushed out because the cache was full. */
  evictions = 0;

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.expiries.size;
  }

  add(key: string, ttlMs: number, now: number): void {
    if (ttlMs <= 0 || this.maxEntries <= 0) return;
    this.expiries.delete(key);
    while (this.expiries.size >= this.maxEntries) {
      const oldest = this.expiries.keys().next();
      if (oldest.done === true) break;
      this.expiries.delete(oldest.value);
      this.evictions++;
    }
    this.expiries.set(key, now + ttlMs);
  }

  /** True while an unexpired entry exists; an expired one is removed on the way. */
  has(key: string, now: number): boolean {
    const expiry = this.expiries.get(key);
    if (expiry === undefined) return false;
    if (now < expiry) return true;
    this.expiries.delete(key);
    return false;
  }

  delete(key: string): boolean {
    return this.expiries.delete(key);
  }

  /** Removes every entry whose key passes `predicate` (e.g. all of one link); returns how many. */
  deleteWhere(predicate: (key: string) => boolean): number {
    let removed = 0;
    for (const key of [...this.expiries.keys()]) {
      if (predicate(key)) {
        this.expiries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Drops expired entries (called now and then so memory follows the live set). */
  prune(now: number): void {
    for (const [key, expiry] of this.expiries) if (now >= expiry) this.expiries.delete(key);
  }

  clear(): void {
    this.expiries.clear();
  }
}
