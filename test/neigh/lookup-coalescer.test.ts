import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NeighAbandonedError, NeighError, NeighOverloadError } from '../../src/neigh/errors.js';
import { LookupCoalescer } from '../../src/neigh/lookup-coalescer.js';

/** A promise whose settling the test controls. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function errorOf(promise: Promise<unknown>): Promise<NeighError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NeighError) return error;
    throw error;
  }
  throw new Error('promise resolved');
}

describe('LookupCoalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs one lookup per key; later callers join it and get the same answer', async () => {
    const lookups = new LookupCoalescer<string>(10);
    const answer = deferred<string>();
    const run = vi.fn(() => answer.promise);
    const first = lookups.start('k', 1000, run);
    const second = lookups.start('k', 1000, run);
    const other = lookups.start('other', 1000, () => 'x');
    expect(first.coalesced).toBe(false);
    expect(second.coalesced).toBe(true);
    expect(other.coalesced).toBe(false);
    expect(second.promise).toBe(first.promise);
    expect(run).toHaveBeenCalledTimes(1);
    answer.resolve('02:00:00:00:00:01');
    await expect(first.promise).resolves.toBe('02:00:00:00:00:01');
    await expect(other.promise).resolves.toBe('x');
    expect(lookups.size).toBe(0);
    // settled: the next call for the key is a new lookup
    expect(lookups.start('k', 1000, () => 'again').coalesced).toBe(false);
  });

  it('times out a lookup that never settles: the signal fires, the entry is gone, a late answer is ignored', async () => {
    const lookups = new LookupCoalescer<string>(10);
    const answer = deferred<string>();
    let signal: AbortSignal | undefined;
    const handle = lookups.start('k', 500, (s) => {
      signal = s;
      return answer.promise;
    });
    const failure = errorOf(handle.promise);
    await vi.advanceTimersByTimeAsync(499);
    expect(lookups.size).toBe(1);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await failure;
    expect(error.code).toBe('ERR_NEIGH_TIMEOUT');
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(error);
    expect(lookups.size).toBe(0);
    answer.resolve('late');
    await vi.runAllTimersAsync();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('wraps a synchronous throw and a rejection as NeighResolverError with the cause', async () => {
    const lookups = new LookupCoalescer<string>(10);
    const boom = new Error('boom');
    const sync = await errorOf(lookups.start('a', 1000, () => {
      throw boom;
    }).promise);
    expect(sync.code).toBe('ERR_NEIGH_RESOLVER_THREW');
    expect(sync.cause).toBe(boom);
    const rejected = await errorOf(lookups.start('b', 1000, () => Promise.reject(new Error('no'))).promise);
    expect(rejected.code).toBe('ERR_NEIGH_RESOLVER_THREW');
    expect(lookups.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses a new lookup beyond maxInFlight, but still lets callers join running ones', () => {
    const lookups = new LookupCoalescer<string>(2);
    lookups.start('a', 1000, () => new Promise<string>(() => undefined));
    lookups.start('b', 1000, () => new Promise<string>(() => undefined));
    expect(() => lookups.start('c', 1000, () => 'c')).toThrow(NeighOverloadError);
    expect(lookups.start('a', 1000, () => 'a').coalesced).toBe(true);
  });

  it('abortWhere gives up matching lookups only', async () => {
    const lookups = new LookupCoalescer<string>(10);
    const a = lookups.start('3|ipv4|10.0.0.1', 1000, () => new Promise<string>(() => undefined));
    const b = lookups.start('4|ipv4|10.0.0.1', 1000, () => new Promise<string>(() => undefined));
    const failure = errorOf(a.promise);
    expect(lookups.abortWhere((key) => key.startsWith('3|'), () => new NeighAbandonedError('link-removed'))).toBe(1);
    expect((await failure).code).toBe('ERR_NEIGH_ABANDONED');
    expect(a.signal.aborted).toBe(true);
    expect(b.signal.aborted).toBe(false);
    expect(lookups.size).toBe(1);
    void errorOf(b.promise);
    await vi.advanceTimersByTimeAsync(1000);
    expect(lookups.size).toBe(0);
  });
});
