import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestFacts } from '../../src/neigh/request-classifier.js';
import { RequestHandler, type LinkCounters, type RequestHandlerOptions } from '../../src/neigh/request-handler.js';
import type { InstallStep, NeighborResolverStats, ResolveAnswer, ResolveFunction } from '../../src/neigh/types.js';

function emptyStats(): NeighborResolverStats {
  return {
    requests: 0, ignored: 0, coalesced: 0, negativeCacheHits: 0, lookups: 0, resolved: 0, negative: 0, installed: 0,
    failed: 0, timeouts: 0, resolverErrors: 0, badAnswers: 0, installErrors: 0, overloaded: 0, abandoned: 0,
    linksAdded: 0, linksRemoved: 0, sysctlErrors: 0, overruns: 0, resyncs: 0, resyncErrors: 0, listenerErrors: 0,
    inFlight: 0, negativeCacheSize: 0,
  };
}

const ipv4 = (address: string, index = 3): RequestFacts => ({
  kind: 'ipv4', address, index, linkName: 'va', linkKind: 'veth', vni: undefined, source: 'app-solicit', state: 1, lladdr: undefined,
});
const l2miss = (mac: string): RequestFacts => ({
  kind: 'ethernet', address: mac, index: 4, linkName: 'vx0', linkKind: 'vxlan', vni: 100, source: 'vxlan-l2miss', state: 4, lladdr: undefined,
});

/** A handler over a recording "kernel" and event log; links 3 and 4 exist. */
function setup(resolve: ResolveFunction, overrides: Partial<RequestHandlerOptions> = {}) {
  const stats = emptyStats();
  const events: string[] = [];
  const installed: InstallStep[] = [];
  const links = new Map<number, LinkCounters>([
    [3, { requests: 0, installed: 0, failed: 0 }],
    [4, { requests: 0, installed: 0, failed: 0 }],
  ]);
  const handler = new RequestHandler({
    resolve,
    install: async (step) => {
      installed.push(step);
    },
    events: {
      requested: (r, d) => events.push(`requested ${r.address}${d.coalesced ? ' coalesced' : ''}${d.negativeCached ? ' cached' : ''}`),
      resolved: (r, a) => events.push(`resolved ${r.address} ${a === null ? 'null' : 'answer'}`),
      failed: (r, e) => events.push(`failed ${r.address} ${e.code}`),
      installed: (r, s) => events.push(`installed ${r.address} ${s.what}`),
    },
    stats,
    linkCounters: (index) => links.get(index),
    installState: 'reachable',
    negativeTtlMs: 5000,
    failureTtlMs: 0,
    lookupTimeoutMs: 1000,
    maxInFlight: 16,
    maxNegativeEntries: 100,
    ...overrides,
  });
  return { handler, stats, events, installed, links };
}

describe('RequestHandler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('installs an answer as a neighbour in the configured state', async () => {
    const { handler, stats, events, installed, links } = setup(() => ({ lladdr: '02:AA:bb:cc:dd:ee' }), { installState: 'permanent' });
    await handler.handle(ipv4('10.0.0.2'));
    expect(installed).toEqual([{ what: 'neighbor', index: 3, address: '10.0.0.2', lladdr: '02:aa:bb:cc:dd:ee', state: 'permanent' }]);
    expect(events).toEqual(['requested 10.0.0.2', 'resolved 10.0.0.2 answer', 'installed 10.0.0.2 neighbor']);
    expect(stats).toMatchObject({ requests: 1, lookups: 1, resolved: 1, installed: 1, failed: 0 });
    expect(links.get(3)).toEqual({ requests: 1, installed: 1, failed: 0 });
  });

  it('coalesces concurrent requests for the same address into one resolve() call', async () => {
    const releases: ((a: ResolveAnswer) => void)[] = [];
    const resolve = vi.fn(() => new Promise<ResolveAnswer>((r) => releases.push(r)));
    const { handler, stats, installed } = setup(resolve);
    const first = handler.handle(ipv4('10.0.0.2'));
    const second = handler.handle(ipv4('10.0.0.2'));
    const third = handler.handle(ipv4('10.0.0.2'));
    const otherLink = handler.handle(ipv4('10.0.0.2', 4));
    await Promise.all([second, third]);
    expect(resolve).toHaveBeenCalledTimes(2); // link 3 once, link 4 once
    expect(stats.coalesced).toBe(2);
    for (const release of releases) release({ lladdr: '02:00:00:00:00:02' });
    await Promise.all([first, otherLink]);
    expect(installed.filter((s) => s.index === 3)).toHaveLength(1);
    expect(installed.filter((s) => s.index === 4)).toHaveLength(1);
    expect(stats).toMatchObject({ requests: 4, lookups: 2, installed: 2 });
  });

  it('caches a negative answer for negativeTtlMs, then asks again', async () => {
    const resolve = vi.fn(() => null);
    const { handler, stats, events } = setup(resolve);
    await handler.handle(ipv4('10.0.0.3'));
    await handler.handle(ipv4('10.0.0.3'));
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(stats.negativeCacheHits).toBe(1);
    expect(events).toContain('requested 10.0.0.3 cached');
    expect(handler.negativeCacheSize).toBe(1);
    vi.advanceTimersByTime(5000);
    await handler.handle(ipv4('10.0.0.3'));
    expect(resolve).toHaveBeenCalledTimes(2);
    expect(stats.negative).toBe(2);
  });

  it('times out a hanging resolver, counts it, leaves nothing running and (failureTtlMs 0) asks again next time', async () => {
    const resolve = vi.fn(() => new Promise<ResolveAnswer | null>(() => undefined));
    const { handler, stats, events, links } = setup(resolve);
    const pending = handler.handle(ipv4('10.0.0.5'));
    expect(handler.inFlight).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    await pending;
    expect(events).toContain('failed 10.0.0.5 ERR_NEIGH_TIMEOUT');
    expect(stats).toMatchObject({ failed: 1, timeouts: 1 });
    expect(handler.inFlight).toBe(0);
    expect(links.get(3)?.failed).toBe(1);
    const again = handler.handle(ipv4('10.0.0.5'));
    expect(resolve).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000);
    await again;
  });

  it('with failureTtlMs, a throwing resolver is not asked again within that time', async () => {
    const resolve = vi.fn(() => {
      throw new Error('directory down');
    });
    const { handler, stats } = setup(resolve, { failureTtlMs: 2000 });
    await handler.handle(ipv4('10.0.0.4'));
    await handler.handle(ipv4('10.0.0.4'));
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(stats).toMatchObject({ resolverErrors: 1, negativeCacheHits: 1 });
    vi.advanceTimersByTime(2000);
    await handler.handle(ipv4('10.0.0.4'));
    expect(resolve).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['undefined', undefined],
    ['a string', '02:00:00:00:00:01'],
    ['a bad MAC', { lladdr: 'zz:00:00:00:00:01' }],
    ['an empty object', {}],
    ['an FDB answer on a veth', { fdb: { lladdr: '02:00:00:00:00:01', dst: '192.0.2.1' } }],
  ])('counts a bad answer (%s) and installs nothing', async (_name, answer) => {
    const { handler, stats, installed, events } = setup(() => answer as ResolveAnswer);
    await handler.handle(ipv4('10.0.0.2'));
    expect(stats).toMatchObject({ badAnswers: 1, failed: 1, installed: 0 });
    expect(installed).toEqual([]);
    expect(events.at(-1)).toBe('failed 10.0.0.2 ERR_NEIGH_BAD_ANSWER');
  });

  it('an l2miss answer becomes an FDB entry', async () => {
    const { handler, installed } = setup((r) => ({ fdb: { lladdr: r.address, dst: '10.0.0.2', vni: 100 } }));
    await handler.handle(l2miss('02:00:00:00:00:99'));
    expect(installed).toEqual([{ what: 'fdb', index: 4, lladdr: '02:00:00:00:00:99', dst: '10.0.0.2', vni: 100, state: 'reachable' }]);
  });

  it('a kernel refusal is an install error with the kernel error as cause', async () => {
    const refusal = new Error('ENODEV');
    const { handler, stats, events } = setup(() => ({ lladdr: '02:00:00:00:00:02' }), {
      install: () => Promise.reject(refusal),
    });
    await handler.handle(ipv4('10.0.0.2'));
    expect(stats).toMatchObject({ installErrors: 1, installed: 0 });
    expect(events.at(-1)).toBe('failed 10.0.0.2 ERR_NEIGH_INSTALL');
  });

  it('forgetLink abandons the link’s running lookups and forgets its cached negatives', async () => {
    let seen: AbortSignal | undefined;
    const { handler, stats, events, installed } = setup((r) => {
      seen = r.signal;
      return r.address === '10.0.0.3' ? null : new Promise<ResolveAnswer>(() => undefined);
    });
    await handler.handle(ipv4('10.0.0.3'));
    expect(handler.negativeCacheSize).toBe(1);
    const pending = handler.handle(ipv4('10.0.0.9'));
    handler.forgetLink(3);
    await pending;
    expect(seen?.aborted).toBe(true);
    expect(stats.abandoned).toBe(1);
    expect(events.at(-1)).toBe('failed 10.0.0.9 ERR_NEIGH_ABANDONED');
    expect(handler.negativeCacheSize).toBe(0);
    expect(installed).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an answer for a link removed while resolve() ran is not installed', async () => {
    let release: (a: ResolveAnswer) => void = () => undefined;
    const { handler, stats, installed, links } = setup(() => new Promise<ResolveAnswer>((r) => (release = r)));
    const pending = handler.handle(ipv4('10.0.0.2'));
    links.delete(3); // the resolver dropped the link but the lookup already answered
    release({ lladdr: '02:00:00:00:00:02' });
    await pending;
    expect(installed).toEqual([]);
    expect(stats.abandoned).toBe(1);
  });

  it('drops (and counts) requests beyond maxInFlight', async () => {
    const { handler, stats, events } = setup(() => new Promise<ResolveAnswer>(() => undefined), { maxInFlight: 1 });
    const first = handler.handle(ipv4('10.0.0.1'));
    await handler.handle(ipv4('10.0.0.2'));
    expect(stats.overloaded).toBe(1);
    expect(events).toContain('failed 10.0.0.2 ERR_NEIGH_OVERLOADED');
    handler.close();
    await first;
    expect(stats.abandoned).toBe(1);
  });

  it('a throwing event listener is counted, never thrown out of handle()', async () => {
    const { stats } = setup(() => null);
    const handler = new RequestHandler({
      resolve: () => ({ lladdr: '02:00:00:00:00:02' }),
      install: async () => undefined,
      events: {
        requested: () => undefined,
        resolved: () => {
          throw new Error('listener bug');
        },
        failed: () => undefined,
        installed: () => undefined,
      },
      stats,
      linkCounters: () => ({ requests: 0, installed: 0, failed: 0 }),
      installState: 'reachable',
      negativeTtlMs: 0,
      failureTtlMs: 0,
      lookupTimeoutMs: 1000,
      maxInFlight: 4,
      maxNegativeEntries: 4,
    });
    await expect(handler.handle(ipv4('10.0.0.2'))).resolves.toBeUndefined();
    expect(stats.listenerErrors).toBe(1);
  });

  it('idle() waits for an install that is on its way, close() abandons the lookups still running', async () => {
    let finishInstall: () => void = () => undefined;
    const installing = new Promise<void>((r) => (finishInstall = r));
    const { handler, stats } = setup((r) => (r.address === '10.0.0.2' ? { lladdr: '02:00:00:00:00:02' } : new Promise<ResolveAnswer>(() => undefined)), {
      install: () => installing,
    });
    void handler.handle(ipv4('10.0.0.2'));
    void handler.handle(ipv4('10.0.0.9'));
    await vi.advanceTimersByTimeAsync(0);
    handler.close();
    let idle = false;
    const waiting = handler.idle().then(() => (idle = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(idle).toBe(false);
    finishInstall();
    await waiting;
    expect(stats).toMatchObject({ installed: 1, abandoned: 1 });
  });

  it('after close() every request is abandoned', async () => {
    const resolve = vi.fn(() => null);
    const { handler, stats } = setup(resolve);
    handler.close();
    await handler.handle(ipv4('10.0.0.2'));
    expect(resolve).not.toHaveBeenCalled();
    expect(stats.abandoned).toBe(1);
  });
});
