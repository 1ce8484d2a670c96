/**
 * Coalesces updates per key inside a time window: the first update after a quiet
 * period arms one timer; every later update of any key until it fires replaces the
 * pending value of its key. When the window ends the latest value of each key is
 * handed over in one batch. A window of 0 hands over on the next turn of the event
 * loop (`setImmediate`), which still merges a synchronous burst.
 *
 * @example
 * ```ts
 * const d = new Dampener<string>(100, (batch) => console.log([...batch]));
 * d.push('10.0.0.0/8', 'a'); d.push('10.0.0.0/8', 'b');
 * // 100 ms later: [['10.0.0.0/8', 'b']]; d.coalesced === 1
 * ```
 */
export class Dampener<V> {
  private pending = new Map<string, V>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  /** Updates that replaced a pending one (flaps absorbed). */
  coalesced = 0;

  constructor(
    readonly windowMs: number,
    private readonly onBatch: (batch: Map<string, V>) => void,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Queues a value; returns true when it replaced a pending value of the same key. */
  push(key: string, value: V): boolean {
    // Deleting first keeps arrival order of the latest value, so a batch reflects the final sequence.
    const replaced = this.pending.delete(key);
    if (replaced) this.coalesced++;
    this.pending.set(key, value);
    this.arm();
    return replaced;
  }

  /** Hands the pending batch over now (if any). */
  flushNow(): void {
    this.disarm();
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.onBatch(batch);
  }

  /** Drops pending values and timers. */
  stop(): void {
    this.disarm();
    this.pending.clear();
  }

  private arm(): void {
    if (this.timer !== undefined || this.immediate !== undefined) return;
    if (this.windowMs === 0) this.immediate = setImmediate(() => this.flushNow());
    else this.timer = setTimeout(() => this.flushNow(), this.windowMs);
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}
