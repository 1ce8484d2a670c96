import { NhgError } from './errors.js';

/** An inclusive range of kernel nexthop ids (u32, 0 means "let the kernel pick"). */
export interface IdRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Default id range: 0x7F000000–0x7FFFFFFF (16,777,216 ids).
 *
 * Why there: the kernel hands out ids from 1 upward when asked to pick
 * (`ip nexthop add` without `id`); FRR's zebra keeps its own ids and its
 * protocol daemons' chunks below 250,000,000 (zebra/zebra_nhg.h,
 * `ZEBRA_NHG_PROTO_UPPER`) and sets the top nibble to 1 or 2 for EVPN layer-2
 * groups (0x1xxxxxxx, 0x2xxxxxxx); systemd-networkd's `[NextHop] Id=` values are
 * hand-written and small. 0x7Fxxxxxx is clear of all of them and stays below 2^31,
 * so tools that print ids as signed 32-bit numbers show them unchanged.
 */
export const DEFAULT_NHG_ID_RANGE: IdRange = { min: 0x7f000000, max: 0x7fffffff };

/**
 * Hands out kernel object ids from a range; freed ids are reused (most recently
 * freed first), ids adopted from the kernel are reserved.
 *
 * @example
 * ```ts
 * const ids = new IdAllocator({ min: 100, max: 199 });
 * const a = ids.allocate(); // 100
 * ids.release(a);
 * ids.allocate();           // 100 again
 * ```
 */
export class IdAllocator {
  readonly range: IdRange;
  private next: number;
  private readonly freed: number[] = [];
  private readonly used = new Set<number>();

  constructor(range: IdRange = DEFAULT_NHG_ID_RANGE) {
    const { min, max } = range;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 0xffffffff || min > max) {
      throw new NhgError('ERR_NHG_BAD_RANGE', `nexthop id range must be integers with 1 <= min <= max <= 4294967295, got ${min}..${max}`);
    }
    this.range = { min, max };
    this.next = min;
  }

  /** Number of ids currently in use. */
  get inUse(): number {
    return this.used.size;
  }

  has(id: number): boolean {
    return this.used.has(id);
  }

  /** Returns a free id; throws `ERR_NHG_ID_EXHAUSTED` when the range is full. */
  allocate(): number {
    while (this.freed.length > 0) {
      const id = this.freed.pop()!;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
    while (this.next <= this.range.max) {
      const id = this.next++;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
    throw new NhgError('ERR_NHG_ID_EXHAUSTED', `no free nexthop id in ${this.range.min}..${this.range.max}`);
  }

  /** Marks an id found in the kernel as used (it may lie outside the range). */
  reserve(id: number): void {
    this.used.add(id);
  }

  /** Returns an id; ids outside the range are simply forgotten. Releasing a free id is a no-op. */
  release(id: number): void {
    if (!this.used.delete(id)) return;
    if (id >= this.range.min && id <= this.range.max) this.freed.push(id);
  }
}
