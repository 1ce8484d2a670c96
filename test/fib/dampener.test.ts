import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dampener } from '../../src/fib/dampener.js';

describe('Dampener', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('coalesces updates of a key inside the window and hands over the latest', () => {
    const batches: [string, number][][] = [];
    const d = new Dampener<number>(100, (b) => batches.push([...b]));
    for (let i = 0; i < 1000; i++) d.push('p', i);
    d.push('q', 1);
    vi.advanceTimersByTime(99);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[['p', 999], ['q', 1]]]);
    expect(d.coalesced).toBe(999);
    expect(d.size).toBe(0);
  });

  it('starts a new window after a flush', () => {
    const batches: number[] = [];
    const d = new Dampener<number>(50, (b) => batches.push(b.size));
    d.push('a', 1);
    vi.advanceTimersByTime(50);
    d.push('a', 2);
    d.push('b', 2);
    vi.advanceTimersByTime(50);
    expect(batches).toEqual([1, 2]);
  });

  it('window 0 hands over on the next event-loop turn', async () => {
    vi.useRealTimers();
    const batches: number[] = [];
    const d = new Dampener<number>(0, (b) => batches.push(b.size));
    d.push('a', 1);
    d.push('a', 2);
    expect(batches).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([1]);
    expect(d.coalesced).toBe(1);
  });

  it('flushNow and stop', () => {
    const batches: number[] = [];
    const d = new Dampener<number>(100, (b) => batches.push(b.size));
    d.push('a', 1);
    d.flushNow();
    expect(batches).toEqual([1]);
    d.push('b', 1);
    d.stop();
    vi.advanceTimersByTime(1000);
    expect(batches).toEqual([1]);
  });
});
