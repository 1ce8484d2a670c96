import { NeighOverloadError, NeighResolverError, NeighTimeoutError, type NeighError } from './errors.js';

/** A running lookup as a caller sees it. */
export interface LookupHandle<T> {
  /** Settles once: the answer, or a NeighError (timeout, resolver error, abandoned). */
  readonly promise: Promise<T>;
  readonly signal: AbortSignal;
  /** True when the caller joined a lookup that was already running. */
  readonly coalesced: boolean;
}

interface RunningLookup<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  fail(error: NeighError): void;
}

/**
 * One lookup per key at a time: a second request for the same key while the
 * first is running joins it instead of calling the resolver again. Each
 * lookup has a deadline; when it passes (or the lookup is aborted) its
 * AbortSignal fires, the promise rejects, and whatever the resolver answers
 * later is ignored. The map never keeps a settled lookup, so a resolver that
 * never settles costs nothing after its deadline.
 *
 * @example
 * ```ts
 * const lookups = new LookupCoalescer<string | null>(1024);
 * const a = lookups.start('3|ipv4|10.0.0.2', 2_000, (signal) => directory.get('10.0.0.2', signal));
 * const b = lookups.start('3|ipv4|10.0.0.2', 2_000, () => 'never called');
 * b.coalesced; // true, and b.promise === a.promise
 * ```
 */
export class LookupCoalescer<T> {
  private readonly running = new Map<string, RunningLookup<T>>();

  constructor(readonly maxInFlight: number) {}

  get size(): number {
    return this.running.size;
  }

  has(key: string): boolean {
    return this.running.has(key);
  }

  /**
   * Joins the lookup running for `key`, or starts `run` with a deadline of
   * `timeoutMs`. Throws NeighOverloadError when a new lookup would exceed
   * `maxInFlight`.
   */
  start(key: string, timeoutMs: number, run: (signal: AbortSignal) => Promise<T> | T): LookupHandle<T> {
    const existing = this.running.get(key);
    if (existing !== undefined) return { promise: existing.promise, signal: existing.controller.signal, coalesced: true };
    if (this.running.size >= this.maxInFlight) throw new NeighOverloadError(this.maxInFlight);
    const controller = new AbortController();
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let resolvePromise: (value: T) => void = () => undefined;
    let rejectPromise: (error: NeighError) => void = () => undefined;
    const promise = new Promise<T>((resolve, reject) => {
      resolvePromise = resolve;
      rejectPromise = reject;
    });
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      if (this.running.get(key) === lookup) this.running.delete(key);
      return true;
    };
    const lookup: RunningLookup<T> = {
      promise,
      controller,
      fail: (error) => {
        if (!finish()) return;
        controller.abort(error);
        rejectPromise(error);
      },
    };
    this.running.set(key, lookup);
    timer = setTimeout(() => lookup.fail(new NeighTimeoutError(timeoutMs)), timeoutMs);
    let result: Promise<T> | T;
    try {
      result = run(controller.signal);
    } catch (error) {
      lookup.fail(new NeighResolverError(error));
      return { promise, signal: controller.signal, coalesced: false };
    }
    Promise.resolve(result).then(
      (value) => {
        if (finish()) resolvePromise(value);
      },
      (error: unknown) => lookup.fail(new NeighResolverError(error)),
    );
    return { promise, signal: controller.signal, coalesced: false };
  }

  /** Gives up the lookups whose key passes `predicate`; returns how many. */
  abortWhere(predicate: (key: string) => boolean, error: () => NeighError): number {
    let count = 0;
    for (const [key, lookup] of [...this.running]) {
      if (!predicate(key)) continue;
      lookup.fail(error());
      count++;
    }
    return count;
  }
}
