import { planInstall } from './answer-plan.js';
import {
  NeighAbandonedError,
  NeighAnswerError,
  NeighError,
  NeighInstallError,
  NeighOverloadError,
  NeighResolverError,
} from './errors.js';
import { LookupCoalescer } from './lookup-coalescer.js';
import { NegativeCache } from './negative-cache.js';
import { requestKey, type RequestFacts } from './request-classifier.js';
import type {
  InstallState,
  InstallStep,
  NeighborRequest,
  NeighborResolverStats,
  RequestDisposition,
  ResolveAnswer,
  ResolveFunction,
} from './types.js';

/** Where a request's outcome is reported (the resolver turns these into events). */
export interface RequestEvents {
  requested(request: NeighborRequest, disposition: RequestDisposition): void;
  resolved(request: NeighborRequest, answer: ResolveAnswer | null): void;
  failed(request: NeighborRequest, error: NeighError): void;
  installed(request: NeighborRequest, step: InstallStep): void;
}

/** Per-link counters the handler keeps up to date. */
export interface LinkCounters {
  requests: number;
  installed: number;
  failed: number;
}

export interface RequestHandlerOptions {
  resolve: ResolveFunction;
  /** Writes one step to the kernel; rejects with the kernel's error. */
  install: (step: InstallStep) => Promise<void>;
  events: RequestEvents;
  stats: NeighborResolverStats;
  /** The counters of a link still tracked, or undefined when it is gone. */
  linkCounters: (index: number) => LinkCounters | undefined;
  installState: InstallState;
  negativeTtlMs: number;
  failureTtlMs: number;
  lookupTimeoutMs: number;
  maxInFlight: number;
  maxNegativeEntries: number;
  now?: () => number;
}

const NEVER_ABORTED = new AbortController().signal;

function linkPrefix(index: number): (key: string) => boolean {
  const prefix = `${index}|`;
  return (key) => key.startsWith(prefix);
}

/**
 * The request pipeline, free of sockets: negative cache, coalescing, a
 * deadline per lookup, checking the answer, installing it, counting and
 * reporting every outcome. `handle()` never rejects: whatever the resolver,
 * the kernel or a listener does ends up in a counter.
 *
 * @example
 * ```ts
 * const handler = new RequestHandler({ resolve, install: (step) => kernel.write(step), events, stats, ... });
 * await handler.handle(classifyRequest(entry, link) as RequestFacts);
 * ```
 */
export class RequestHandler {
  private readonly lookups: LookupCoalescer<ResolveAnswer | null>;
  private readonly negative: NegativeCache;
  private readonly now: () => number;
  private closed = false;
  private readonly active = new Set<Promise<void>>();

  constructor(private readonly options: RequestHandlerOptions) {
    this.lookups = new LookupCoalescer(options.maxInFlight);
    this.negative = new NegativeCache(options.maxNegativeEntries);
    this.now = options.now ?? Date.now;
  }

  get inFlight(): number {
    return this.lookups.size;
  }

  get negativeCacheSize(): number {
    return this.negative.size;
  }

  handle(facts: RequestFacts): Promise<void> {
    const done = this.process(facts).catch(() => {
      // Only a listener can throw this far: everything else is caught in process().
      this.options.stats.listenerErrors++;
    });
    this.active.add(done);
    void done.then(() => this.active.delete(done));
    return done;
  }

  /** Settles when every request handled so far has finished (after close(): promptly, lookups are abandoned). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.all([...this.active]);
  }

  private async process(facts: RequestFacts): Promise<void> {
    const { stats, events } = this.options;
    const counters = this.options.linkCounters(facts.index);
    stats.requests++;
    if (counters !== undefined) counters.requests++;
    const key = requestKey(facts);
    if (this.closed) {
      this.fail({ ...facts, signal: NEVER_ABORTED }, new NeighAbandonedError('closed'));
      return;
    }
    if (this.negative.has(key, this.now())) {
      stats.negativeCacheHits++;
      events.requested({ ...facts, signal: NEVER_ABORTED }, { coalesced: false, negativeCached: true });
      return;
    }
    let request: NeighborRequest | undefined;
    let handle;
    try {
      handle = this.lookups.start(key, this.options.lookupTimeoutMs, (signal) => {
        request = { ...facts, signal };
        stats.lookups++;
        return this.options.resolve(request);
      });
    } catch (error) {
      if (!(error instanceof NeighOverloadError)) throw error;
      const dropped = { ...facts, signal: NEVER_ABORTED };
      events.requested(dropped, { coalesced: false, negativeCached: false });
      this.fail(dropped, error);
      return;
    }
    request ??= { ...facts, signal: handle.signal };
    events.requested(request, { coalesced: handle.coalesced, negativeCached: false });
    if (handle.coalesced) {
      stats.coalesced++;
      return;
    }
    let answer: ResolveAnswer | null;
    try {
      answer = await handle.promise;
    } catch (error) {
      this.fail(request, error instanceof NeighError ? error : new NeighResolverError(error), key);
      return;
    }
    if (answer === null) {
      stats.negative++;
      this.negative.add(key, this.options.negativeTtlMs, this.now());
      events.resolved(request, null);
      return;
    }
    let steps: InstallStep[];
    try {
      steps = planInstall(facts, answer, this.options.installState);
    } catch (error) {
      this.fail(request, error instanceof NeighError ? error : new NeighAnswerError('', String(error)));
      return;
    }
    stats.resolved++;
    events.resolved(request, answer);
    for (const step of steps) {
      // The link may have gone (or the resolver closed) while resolve() ran: the answer has nowhere to go.
      if (this.closed) return this.fail(request, new NeighAbandonedError('closed'));
      if (this.options.linkCounters(facts.index) === undefined) return this.fail(request, new NeighAbandonedError('link-removed'));
      try {
        await this.options.install(step);
      } catch (error) {
        this.fail(request, new NeighInstallError(step.what, error));
        return;
      }
      stats.installed++;
      const live = this.options.linkCounters(facts.index);
      if (live !== undefined) live.installed++;
      events.installed(request, step);
    }
  }

  private fail(request: NeighborRequest, error: NeighError, key?: string): void {
    const { stats } = this.options;
    stats.failed++;
    switch (error.code) {
      case 'ERR_NEIGH_TIMEOUT':
        stats.timeouts++;
        break;
      case 'ERR_NEIGH_RESOLVER_THREW':
        stats.resolverErrors++;
        break;
      case 'ERR_NEIGH_BAD_ANSWER':
        stats.badAnswers++;
        break;
      case 'ERR_NEIGH_INSTALL':
        stats.installErrors++;
        break;
      case 'ERR_NEIGH_OVERLOADED':
        stats.overloaded++;
        break;
      default:
        stats.abandoned++;
        break;
    }
    const counters = this.options.linkCounters(request.index);
    if (counters !== undefined) counters.failed++;
    if (key !== undefined && (error.code === 'ERR_NEIGH_TIMEOUT' || error.code === 'ERR_NEIGH_RESOLVER_THREW')) {
      this.negative.add(key, this.options.failureTtlMs, this.now());
    }
    this.options.events.failed(request, error);
  }

  /** Drops everything of one link: running lookups are abandoned, cached negatives forgotten. */
  forgetLink(index: number): void {
    const ofLink = linkPrefix(index);
    this.lookups.abortWhere(ofLink, () => new NeighAbandonedError('link-removed'));
    this.negative.deleteWhere(ofLink);
  }

  /** Removes expired negative entries. */
  prune(): void {
    this.negative.prune(this.now());
  }

  close(): void {
    this.closed = true;
    this.lookups.abortWhere(() => true, () => new NeighAbandonedError('closed'));
    this.negative.clear();
  }
}
