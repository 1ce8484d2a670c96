import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DampeningWindow } from '../../src/fib/dampening-window.js';

interface Item {
  readonly key: string;
  latest: number;
  queued: boolean;
}

describe('DampeningWindow', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] }));
  afterEach(() => vi.useRealTimers());

  /** What the exporter does: the latest value lives on the item, which is queued once. */
  function push(w: DampeningWindow<Item>, item: Item, value: number): void {
    if (!item.queued) {
      w.add(item);
      item.queued = true;
    }
    item.latest = value;
  }

  it('hands over each queued item once, in arrival order, when the window ends', () => {
    const batches: string[][] = [];
    const w = new DampeningWindow<Item>(100, (items) => {
      batches.push(items.map((i) => `${i.key}=${i.latest}`));
      for (const i of items) i.queued = false;
    });
    const p: Item = { key: 'p', latest: 0, queued: false };
    const q: Item = { key: 'q', latest: 0, queued: false };
    for (let i = 0; i < 1000; i++) push(w, p, i);
    push(w, q, 1);
    expect(w.size).toBe(2);
    vi.advanceTimersByTime(99);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([['p=999', 'q=1']]);
    expect(w.size).toBe(0);
    // A new window starts with the next item.
    push(w, q, 2);
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([['p=999', 'q=1'], ['q=2']]);
  });

  it('a window of 0 hands over on the next turn (setImmediate), merging a synchronous burst', () => {
    const sizes: number[] = [];
    const w = new DampeningWindow<Item>(0, (items) => sizes.push(items.length));
    for (let i = 0; i < 5; i++) w.add({ key: String(i), latest: i, queued: true });
    expect(sizes).toEqual([]);
    vi.runAllTicks();
    vi.advanceTimersToNextTimer();
    expect(sizes).toEqual([5]);
  });

  it('flushNow() hands over at once and disarms; stop() returns what it drops', () => {
    const sizes: number[] = [];
    const w = new DampeningWindow<Item>(100, (items) => sizes.push(items.length));
    w.add({ key: 'a', latest: 1, queued: true });
    w.flushNow();
    expect(sizes).toEqual([1]);
    vi.advanceTimersByTime(200);
    expect(sizes).toEqual([1]);
    w.flushNow(); // nothing queued: no empty batch
    expect(sizes).toEqual([1]);
    const b: Item = { key: 'b', latest: 2, queued: true };
    w.add(b);
    expect(w.stop()).toEqual([b]);
    vi.advanceTimersByTime(200);
    expect(sizes).toEqual([1]);
    expect(w.size).toBe(0);
  });

  it('takeFirst(n) takes the oldest n and leaves the rest on the running window; taking the last disarms it', () => {
    const batches: string[][] = [];
    const w = new DampeningWindow<Item>(100, (items) => batches.push(items.map((x) => x.key)));
    const items = ['a', 'b', 'c', 'd'].map((key): Item => ({ key, latest: 0, queued: false }));
    for (const x of items) push(w, x, 1);
    expect(w.takeFirst(3).map((x) => x.key)).toEqual(['a', 'b', 'c']);
    expect(w.size).toBe(1);
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([['d']]);
    const e: Item = { key: 'e', latest: 0, queued: false };
    push(w, e, 1);
    expect(w.takeFirst(5).map((x) => x.key)).toEqual(['e']);
    vi.advanceTimersByTime(1000);
    expect(batches).toEqual([['d']]);
  });

  it('takes items in arrival order through any mix of add, takeFirst, take, flushNow and stop (model: one array)', () => {
    // takeFirst() moves a head index and drops the taken part now and then: the
    // order and the sizes must be those of a plain array spliced from the front.
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), n: fc.integer({ min: 1, max: 300 }) }),
      fc.record({ kind: fc.constant('takeFirst' as const), n: fc.integer({ min: 0, max: 400 }) }),
      fc.record({ kind: fc.constantFrom('take' as const, 'flushNow' as const, 'stop' as const), n: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const flushed: number[][] = [];
        const w = new DampeningWindow<number>(100, (items) => flushed.push(items));
        let model: number[] = [];
        let next = 0;
        for (const o of ops) {
          let got: number[] | undefined;
          let want: number[] | undefined;
          if (o.kind === 'add') {
            for (let i = 0; i < o.n; i++) {
              w.add(next);
              model.push(next++);
            }
          } else if (o.kind === 'takeFirst') {
            got = w.takeFirst(o.n);
            want = model.splice(0, o.n);
          } else if (o.kind === 'flushNow') {
            const before = flushed.length;
            w.flushNow();
            got = flushed.length > before ? flushed[flushed.length - 1] : [];
            want = model;
            model = [];
          } else {
            got = o.kind === 'take' ? w.take() : w.stop();
            want = model;
            model = [];
          }
          if (got !== undefined) expect(got).toEqual(want);
          expect(w.size).toBe(model.length);
        }
      }),
    );
  });
});
