/**
 * The dampening window of {@link Dampener} without its map: items are queued once
 * and the caller keeps each item's latest value on the item itself (the FIB
 * exporter keeps it on its per-prefix state). Coalescing then costs no map
 * operation at all, where a `Map<prefix, change>` costs a hash, a delete and an
 * insert per update plus a table that grows from empty every window — the largest
 * per-route cost of the exporter at 100k routes.
 *
 * The first item after a quiet period arms one timer; items added until it fires
 * join the same batch, handed over in arrival order. A window of 0 hands over on
 * the next turn of the event loop (`setImmediate`), which still merges a
 * synchronous burst.
 *
 * @example
 * ```ts
 * const w = new DampeningWindow<{ latest: number; queued: boolean }>(100, (items) => console.log(items.map((i) => i.latest)));
 * const item = { latest: 1, queued: false };
 * w.add(item); item.queued = true;   // the caller tracks "already queued"
 * item.latest = 2;                   // a flap: only the value changes
 * // 100 ms later: [2]
 * ```
 */
export class DampeningWindow<T> {
  private items: T[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;

  constructor(
    readonly windowMs: number,
    private readonly onBatch: (items: T[]) => void,
  ) {}

  /** Items waiting for the window to end. */
  get size(): number {
    return this.items.length;
  }

  /** Queues an item; the caller must not add an item that is still queued. */
  add(item: T): void {
    this.items.push(item);
    if (this.timer !== undefined || this.immediate !== undefined) return;
    if (this.windowMs === 0) this.immediate = setImmediate(() => this.flushNow());
    else this.timer = setTimeout(() => this.flushNow(), this.windowMs);
  }

  /** Hands the queued items over now (if any). */
  flushNow(): void {
    this.disarm();
    if (this.items.length === 0) return;
    const batch = this.items;
    this.items = [];
    this.onBatch(batch);
  }

  /** Takes the queued items out (disarming the timer) for a caller that processes them itself. */
  take(): T[] {
    this.disarm();
    const batch = this.items;
    this.items = [];
    return batch;
  }

  /**
   * Takes the first `count` items out (all of them, disarming the timer, when
   * there are no more); the others stay queued for the window as before.
   */
  takeFirst(count: number): T[] {
    if (count >= this.items.length) return this.take();
    return this.items.splice(0, count);
  }

  /** Drops the queued items and the timer; returns the dropped items. */
  stop(): T[] {
    this.disarm();
    const dropped = this.items;
    this.items = [];
    return dropped;
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}
