import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FibConfigError, FibOperationError } from '../../src/fib/errors.js';
import { FibExporter } from '../../src/fib/fib-exporter.js';
import { InMemoryFibSink } from '../../src/fib/memory-fib-sink.js';
import { PushRouteSource, type BestRoute } from '../../src/fib/route-source.js';
import type { FibApplyResult, FibRouteOp, FibRouteRun, FibSink } from '../../src/fib/fib-sink.js';

/** An in-memory kernel that answers route operations only once the test opens the gate. */
class GatedSink extends InMemoryFibSink {
  private gate: Promise<void> | undefined;
  private openGate: () => void = () => undefined;
  close(): void {
    this.gate = new Promise((resolve) => {
      this.openGate = resolve;
    });
  }
  open(): void {
    this.openGate();
    this.gate = undefined;
  }
  /** Operations handed over so far, answered or not. */
  handedOver = 0;
  override async applyRoutes(ops: readonly FibRouteOp[]): Promise<FibApplyResult> {
    this.handedOver += ops.length;
    if (this.gate !== undefined) await this.gate;
    return super.applyRoutes(ops);
  }
}

const C100 = 0xfde80064; // 65000:100
const C200 = 0xfde800c8; // 65000:200
const GW = '192.0.2.1';

const RULES = [
  { name: 'a', communities: ['65000:100'], table: 100 },
  { name: 'b', communities: ['65000:200'], largeCommunities: ['65000:1:2'], table: 200, metric: 30 },
];

function best(prefix: string, communities: number[], nexthop = GW, large: [number, number, number][] = []): BestRoute {
  return { prefix, nexthop, communities, largeCommunities: large };
}

function setup(config: Record<string, unknown> = {}) {
  const sink = new InMemoryFibSink();
  sink.setReachable(GW, { ifindex: 2 });
  const exporter = new FibExporter({ rules: RULES, ...config }, sink);
  const source = new PushRouteSource();
  exporter.attach(source);
  return { sink, exporter, source };
}

/** Lets the window pass and the exporter finish. */
async function settle(exporter: FibExporter, ms = 100): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await exporter.drain();
}

describe('FibExporter', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('exports by community (OR) into every matching table with the rule metric and protocol 186', async () => {
    const { sink, exporter, source } = setup();
    await exporter.start();
    source.announce(best('10.0.0.0/24', [C100]));
    source.announce(best('10.0.1.0/24', [C200]));
    source.announce(best('10.0.2.0/24', [C100, C200]));
    source.announce(best('10.0.3.0/24', [], GW, [[65000, 1, 2]]));
    source.announce(best('10.0.4.0/24', [0xfde8012c]));
    await settle(exporter);
    expect(sink.table(100).map((r) => r.prefix).sort()).toEqual(['10.0.0.0/24', '10.0.2.0/24']);
    expect(sink.table(200).map((r) => r.prefix).sort()).toEqual(['10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24']);
    expect(sink.table(200).every((r) => r.metric === 30 && r.protocol === 186)).toBe(true);
    expect(sink.table(100).every((r) => r.metric === 20 && r.gateway === GW && r.ifindex === 2)).toBe(true);
    expect(exporter.exported({ table: 100 })).toHaveLength(2);
    expect(exporter.exported()).toHaveLength(5);
    expect(exporter.stats()).toMatchObject({ exported: 5, routesInKernel: 5, bestRoutes: 5, withdrawn: 0, errors: 0 });
  });

  it('withdraws from every table', async () => {
    const { sink, exporter, source } = setup();
    source.announce(best('10.0.2.0/24', [C100, C200]));
    await settle(exporter);
    const withdrawn: string[] = [];
    exporter.on('withdrawn', (r) => withdrawn.push(`${r.table} ${r.prefix}`));
    source.withdraw('10.0.2.0/24');
    await settle(exporter);
    expect(sink.routes.size).toBe(0);
    expect(withdrawn.sort()).toEqual(['100 10.0.2.0/24', '200 10.0.2.0/24']);
    expect(exporter.stats()).toMatchObject({ withdrawn: 2, routesInKernel: 0, bestRoutes: 0 });
    expect(exporter.stats().lastWithdrawAt).toBe(Date.now());
  });

  it('1,000 flaps of one prefix inside the window give one kernel operation', async () => {
    const { sink, exporter, source } = setup();
    for (let i = 0; i < 1000; i++) {
      source.announce(best('10.9.0.0/16', [C100]));
      source.withdraw('10.9.0.0/16');
    }
    source.announce(best('10.9.0.0/16', [C100]));
    await vi.advanceTimersByTimeAsync(99);
    expect(sink.operationCount).toBe(0);
    await settle(exporter, 1);
    expect(sink.operationCount).toBe(1);
    expect(sink.log[0]).toMatchObject({ op: 'add' });
    expect(exporter.stats().dampenedUpdates).toBe(2000);
  });

  it('a dampening window of 0 exports on the next turn without a timer', async () => {
    vi.useRealTimers();
    const { sink, exporter, source } = setup({ dampeningMs: 0 });
    source.announce(best('10.0.0.0/24', [C100]));
    await exporter.drain();
    expect(sink.operationCount).toBe(1);
  });

  it('is idempotent: the same route again costs nothing; a nexthop change is one replace', async () => {
    const { sink, exporter, source } = setup();
    source.announce(best('10.0.0.0/24', [C100]));
    await settle(exporter);
    source.announce(best('10.0.0.0/24', [C100, 0xfde8012c])); // extra community, same export
    await settle(exporter);
    expect(sink.operationCount).toBe(1);
    sink.setReachable('192.0.2.2', { ifindex: 2 });
    source.announce(best('10.0.0.0/24', [C100], '192.0.2.2'));
    await settle(exporter);
    expect(sink.log.map((o) => o.op)).toEqual(['add', 'replace']);
    expect(sink.table(100)[0]).toMatchObject({ gateway: '192.0.2.2' });
  });

  it('validates each route against its own gateway when one pass mixes gateways (the last answer is reused only for the same gateway)', async () => {
    const { sink, exporter, source } = setup({ rules: [RULES[0]!] });
    sink.setReachable('192.0.2.2', { ifindex: 2 });
    sink.setReachable('192.0.2.3', { ifindex: 3 });
    const unreachable: string[] = [];
    exporter.on('nexthop-unreachable', (i) => unreachable.push(`${i.nexthop}`));
    // Runs of one gateway, then a switch: reachable (2), reachable (3), unreachable, back to 2.
    const gateways = ['192.0.2.2', '192.0.2.2', '192.0.2.3', '192.0.2.3', '198.51.100.9', '198.51.100.9', '192.0.2.2', '192.0.2.3'];
    gateways.forEach((gw, i) => source.announce(best(`10.9.${i}.0/24`, [C100], gw)));
    await settle(exporter);
    expect(sink.table(100).map((r) => `${r.prefix} ${r.gateway} ${r.ifindex}`).sort()).toEqual([
      '10.9.0.0/24 192.0.2.2 2',
      '10.9.1.0/24 192.0.2.2 2',
      '10.9.2.0/24 192.0.2.3 3',
      '10.9.3.0/24 192.0.2.3 3',
      '10.9.6.0/24 192.0.2.2 2',
      '10.9.7.0/24 192.0.2.3 3',
    ]);
    expect(unreachable).toEqual(['198.51.100.9', '198.51.100.9']);
    expect(exporter.stats()).toMatchObject({ nexthopValidations: 8, nexthopFailures: 2 });
    // A new answer for the same gateway (revalidate() looks every gateway up again) is not shadowed by the last one.
    sink.setUnreachable('192.0.2.3');
    sink.setReachable('198.51.100.9', { ifindex: 5 });
    await exporter.revalidate();
    expect(sink.table(100).map((r) => `${r.prefix} ${r.gateway} ${r.ifindex}`).sort()).toEqual([
      '10.9.0.0/24 192.0.2.2 2',
      '10.9.1.0/24 192.0.2.2 2',
      '10.9.4.0/24 198.51.100.9 5',
      '10.9.5.0/24 198.51.100.9 5',
      '10.9.6.0/24 192.0.2.2 2',
    ]);
  });

  it('validates nexthops by default, per rule it can be off', async () => {
    const { sink, exporter, source } = setup({
      rules: [RULES[0]!, { ...RULES[1]!, validateNexthop: false }],
    });
    const unreachable: string[] = [];
    exporter.on('nexthop-unreachable', (i) => unreachable.push(`${i.rule} ${i.nexthop}`));
    source.announce(best('10.0.2.0/24', [C100, C200], '198.51.100.9'));
    await settle(exporter);
    expect(sink.table(100)).toEqual([]);
    expect(sink.table(200).map((r) => r.gateway)).toEqual(['198.51.100.9']);
    expect(unreachable).toEqual(['a 198.51.100.9']);
    expect(exporter.stats()).toMatchObject({ nexthopValidations: 1, nexthopFailures: 1 });
    // Once reachable, revalidate() exports it.
    sink.setReachable('198.51.100.9', { ifindex: 3 });
    await exporter.revalidate();
    expect(sink.table(100).map((r) => r.ifindex)).toEqual([3]);
  });

  it('installs a recursive nexthop through the gateway the kernel resolves it to', async () => {
    const { sink, exporter, source } = setup();
    sink.setReachable('10.255.0.1', { ifindex: 4, via: '192.0.2.254' });
    source.announce(best('10.0.0.0/24', [C100], '10.255.0.1'));
    await settle(exporter);
    expect(sink.table(100)[0]).toMatchObject({ gateway: '192.0.2.254', ifindex: 4 });
  });

  it('looks each nexthop up once per batch', async () => {
    const { sink, exporter, source } = setup();
    for (let i = 0; i < 50; i++) source.announce(best(`10.1.${i}.0/24`, [C100, C200]));
    await settle(exporter);
    expect(sink.lookups).toBe(1);
    expect(exporter.stats().nexthopValidations).toBe(100);
  });

  it('startup cleanup deletes only our protocol in managed tables', async () => {
    const { sink, exporter } = setup();
    const left = { gateway: GW, metric: 20 };
    sink.seed({ ...left, prefix: '10.7.0.0/24', table: 100, protocol: 186 });
    sink.seed({ ...left, prefix: '10.7.1.0/24', table: 200, protocol: 186 });
    sink.seed({ ...left, prefix: '10.7.2.0/24', table: 100, protocol: 4 }); // static: not ours
    sink.seed({ ...left, prefix: '10.7.3.0/24', table: 300, protocol: 186 }); // unmanaged table
    const seen: number[] = [];
    exporter.on('cleanup', (i) => seen.push(i.deleted));
    await exporter.start();
    expect([...sink.routes.values()].map((r) => r.prefix).sort()).toEqual(['10.7.2.0/24', '10.7.3.0/24']);
    expect(seen).toEqual([2]);
    expect(exporter.stats().cleanedUp).toBe(2);
  });

  it('the sink refuses to sweep kernel protocols 0-4', async () => {
    const sink = new InMemoryFibSink();
    await expect(sink.cleanup(4, [100])).rejects.toMatchObject({ code: 'ERR_FIB_RESERVED_PROTOCOL' });
    expect(() => new FibExporter({ rules: [], routeProtocol: 2 }, sink)).toThrow(FibConfigError);
  });

  describe('reconfigure', () => {
    async function loaded() {
      const s = setup();
      await s.exporter.start();
      for (let i = 0; i < 10; i++) s.source.announce(best(`10.2.${i}.0/24`, i % 2 ? [C100] : [C200]));
      await settle(s.exporter);
      s.sink.log.length = 0;
      return s;
    }

    it('identical rules: nothing happens', async () => {
      const { sink, exporter } = await loaded();
      expect(await exporter.reconfigure(structuredClone(RULES))).toEqual({ added: [], removed: [], changed: [] });
      expect(sink.log).toEqual([]);
    });

    it('metric change: delete the old route, add the new one, only for that rule', async () => {
      const { sink, exporter } = await loaded();
      const diff = await exporter.reconfigure([{ ...RULES[0]!, metric: 40 }, RULES[1]!]);
      expect(diff).toEqual({ added: [], removed: [], changed: ['a'] });
      expect(sink.log.map((o) => o.op)).toEqual(Array.from({ length: 5 }, () => ['delete', 'add']).flat());
      expect(sink.table(100).map((r) => r.metric)).toEqual([40, 40, 40, 40, 40]);
      expect(sink.table(200)).toHaveLength(5);
      expect(exporter.stats().routesInKernel).toBe(10);
    });

    it('a community moved to another table moves its routes', async () => {
      const { sink, exporter } = await loaded();
      await exporter.reconfigure([{ name: 'a', communities: ['65000:100'], table: 200 }, { ...RULES[1]!, communities: [], largeCommunities: ['65000:9:9'] }]);
      expect(sink.table(100)).toEqual([]);
      expect(sink.table(200).map((r) => r.metric).sort()).toEqual([20, 20, 20, 20, 20]);
      expect(sink.log.filter((o) => o.op === 'delete')).toHaveLength(10);
      expect(sink.log.filter((o) => o.op === 'add')).toHaveLength(5);
    });

    it('a deleted rule withdraws its routes; a bad rule list changes nothing', async () => {
      const { sink, exporter } = await loaded();
      await expect(exporter.reconfigure([{ name: 'x' }])).rejects.toBeInstanceOf(FibConfigError);
      expect(sink.log).toEqual([]);
      const events: unknown[] = [];
      exporter.on('reconfigured', (d) => events.push(d));
      await exporter.reconfigure([RULES[1]!]);
      expect(sink.table(100)).toEqual([]);
      expect(sink.table(200)).toHaveLength(5);
      expect(events).toEqual([{ added: [], removed: ['a'], changed: [] }]);
      // Withdrawn last fed first: the feed was ascending (10.2.1, .3, .5, .7, .9 carry 65000:100).
      expect(sink.log.map((o) => ('route' in o && 'prefix' in o.route ? `${o.op} ${o.route.prefix}` : o.op))).toEqual(['delete 10.2.9.0/24', 'delete 10.2.7.0/24', 'delete 10.2.5.0/24', 'delete 10.2.3.0/24', 'delete 10.2.1.0/24']);
    });

    it('a newly managed table is swept of leftovers first', async () => {
      const { sink, exporter } = await loaded();
      sink.seed({ prefix: '10.8.0.0/24', table: 300, metric: 20, protocol: 186, gateway: GW });
      await exporter.reconfigure([...RULES, { name: 'c', table: 300, communities: ['65000:100'] }]);
      expect(sink.table(300).map((r) => r.prefix).sort()).toEqual(['10.2.1.0/24', '10.2.3.0/24', '10.2.5.0/24', '10.2.7.0/24', '10.2.9.0/24']);
    });
  });

  it('flush() withdraws everything; the next change exports again', async () => {
    const { sink, exporter, source } = setup();
    source.announce(best('10.0.0.0/24', [C100]));
    source.announce(best('10.0.1.0/24', [C200]));
    await settle(exporter);
    await exporter.flush();
    expect(sink.routes.size).toBe(0);
    expect(exporter.exported()).toEqual([]);
    source.announce(best('10.0.0.0/24', [C100]));
    await settle(exporter);
    expect(sink.routes.size).toBe(1);
  });

  it('flush() withdraws the routes last exported first (a feed in ascending order is not deleted in ascending order)', async () => {
    const { sink, exporter, source } = setup();
    const prefixes = ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24'];
    for (const p of prefixes) source.announce(best(p, [C100]));
    await settle(exporter);
    const before = sink.log.length;
    await exporter.flush();
    expect(sink.log.slice(before).map((op) => ('route' in op && 'prefix' in op.route ? `${op.op} ${op.route.prefix}` : op.op))).toEqual([...prefixes].reverse().map((p) => `delete ${p}`));
  });

  it('flushes big batches in slices, letting the event loop run between them', async () => {
    const { sink, exporter, source } = setup({ flushSliceSize: 10 });
    for (let i = 0; i < 100; i++) source.announce(best(`10.3.${i}.0/24`, [C100]));
    const seen: number[] = [];
    await vi.advanceTimersByTimeAsync(100);
    // An unrelated callback gets its turn before the whole batch is done.
    await new Promise<void>((r) => setImmediate(() => (seen.push(sink.operationCount), r())));
    await exporter.drain();
    expect(seen[0]).toBeLessThan(100);
    expect(sink.operationCount).toBe(100);
  });

  it('counts kernel failures, reports them, and retries on the next change', async () => {
    const { sink, exporter, source } = setup();
    const failures: FibOperationError[] = [];
    exporter.on('failure', (e) => failures.push(e));
    sink.failNext(1);
    source.announce(best('10.0.0.0/24', [C100]));
    await settle(exporter);
    expect(exporter.stats()).toMatchObject({ errors: 1, exported: 0, routesInKernel: 0, lastError: expect.stringContaining('injected') as string });
    expect(failures[0]).toMatchObject({ code: 'ERR_FIB_ROUTE', prefix: '10.0.0.0/24' });
    source.announce(best('10.0.0.0/24', [C100]));
    await settle(exporter);
    expect(sink.table(100)).toHaveLength(1);
  });

  it('hands the sink one run per rule and next hop: a failure inside a run is its own prefix, counted, forgotten and re-sent', async () => {
    const sink = new InMemoryFibSink();
    sink.setReachable(GW, { ifindex: 2 });
    sink.setReachable('192.0.2.7', { ifindex: 3 });
    const seen: FibRouteRun[][] = [];
    const applyRouteRuns = sink.applyRouteRuns.bind(sink);
    sink.applyRouteRuns = (runs) => (seen.push(runs.map((r) => ({ ...r, prefixes: [...r.prefixes] }))), applyRouteRuns(runs));
    const exporter = new FibExporter({ rules: RULES }, sink);
    const source = new PushRouteSource();
    exporter.attach(source);
    const failures: FibOperationError[] = [];
    exporter.on('failure', (e) => failures.push(e));
    const exported: string[] = [];
    exporter.on('exported', (r) => exported.push(`${r.table} ${r.prefix} ${r.gateway} ${r.rule}`));
    for (let i = 0; i < 3; i++) source.announce(best(`10.1.${i}.0/24`, [C100]));
    for (let i = 0; i < 3; i++) source.announce(best(`10.2.${i}.0/24`, [C100], '192.0.2.7'));
    source.announce(best('10.3.0.0/24', [C200]));
    // Operations 0-2 are the first run, 3-5 the second: the fifth fails.
    const applyRoutes = sink.applyRoutes.bind(sink);
    let calls = 0;
    sink.applyRoutes = async (ops) => {
      const result = await applyRoutes(ops);
      if (calls++ > 0) return result;
      sink.routes.delete(`100 10.2.1.0/24 20`);
      return { failures: [{ index: 4, error: new Error('EINVAL') }] };
    };
    await settle(exporter);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.map((r) => `${r.op} ${r.route.table} ${r.route.gateway} ${r.prefixes.join(',')}`)).toEqual([
      'add 100 192.0.2.1 10.1.0.0/24,10.1.1.0/24,10.1.2.0/24',
      'add 100 192.0.2.7 10.2.0.0/24,10.2.1.0/24,10.2.2.0/24',
      'add 200 192.0.2.1 10.3.0.0/24',
    ]);
    expect(failures.map((f) => f.prefix)).toEqual(['10.2.1.0/24']);
    expect(exported).toHaveLength(6);
    expect(exported).not.toContain('100 10.2.1.0/24 192.0.2.7 a');
    expect(exported).toContain('200 10.3.0.0/24 192.0.2.1 b');
    expect(exporter.stats()).toMatchObject({ exported: 6, errors: 1, routesInKernel: 6 });
    // Each prefix's record is its own, though the routes behind them are shared.
    expect(exporter.exported({ table: 100 }).map((r) => `${r.prefix} ${r.gateway} ${r.ifindex}`).sort()).toEqual([
      '10.1.0.0/24 192.0.2.1 2',
      '10.1.1.0/24 192.0.2.1 2',
      '10.1.2.0/24 192.0.2.1 2',
      '10.2.0.0/24 192.0.2.7 3',
      '10.2.2.0/24 192.0.2.7 3',
    ]);
    source.announce(best('10.2.1.0/24', [C100], '192.0.2.7'));
    await settle(exporter);
    expect(seen[1]!.map((r) => `${r.op} ${r.prefixes.join(',')}`)).toEqual(['add 10.2.1.0/24']);
    expect(sink.table(100)).toHaveLength(6);
  });

  it('a sink without applyRouteRuns gets one operation per route, each route the exported record', async () => {
    const memory = new InMemoryFibSink();
    memory.setReachable(GW, { ifindex: 2 });
    const got: FibRouteOp[] = [];
    const sink: FibSink = {
      cleanup: (p, t) => memory.cleanup(p, t),
      lookupNexthop: (g) => memory.lookupNexthop(g),
      applyRoutes: (ops) => (got.push(...ops), memory.applyRoutes(ops)),
      applyNexthopOps: (ops, p) => memory.applyNexthopOps(ops, p),
      resolveVrf: (n) => memory.resolveVrf(n),
    };
    const exporter = new FibExporter({ rules: RULES }, sink);
    const source = new PushRouteSource();
    exporter.attach(source);
    source.announce(best('10.0.0.0/24', [C100, C200]));
    source.announce(best('10.0.1.0/24', [C100]));
    await settle(exporter);
    const now = Date.now();
    source.withdraw('10.0.1.0/24');
    await settle(exporter);
    const route = (prefix: string, table: number, metric: number, rule: string) => ({ prefix, table, metric, protocol: 186, gateway: GW, ifindex: 2, paths: [], multipath: undefined, rule, exportedAt: now });
    expect(got).toEqual([
      { op: 'add', route: route('10.0.0.0/24', 100, 20, 'a') },
      { op: 'add', route: route('10.0.0.0/24', 200, 30, 'b') },
      { op: 'add', route: route('10.0.1.0/24', 100, 20, 'a') },
      { op: 'delete', route: route('10.0.1.0/24', 100, 20, 'a') },
    ]);
    expect(exporter.exported()).toEqual([route('10.0.0.0/24', 100, 20, 'a'), route('10.0.0.0/24', 200, 30, 'b')]);
  });

  it('counts malformed changes from a JavaScript source instead of throwing', async () => {
    const { exporter } = setup();
    const codes: string[] = [];
    exporter.on('failure', (e) => codes.push(e.code));
    for (const bad of [null, {}, { type: 'added' }, { type: 'added', route: null }, { type: 'withdrawn' }]) {
      expect(() => exporter.handle(bad as unknown as Parameters<FibExporter['handle']>[0])).not.toThrow();
    }
    expect(codes).toEqual(['ERR_FIB_SOURCE', 'ERR_FIB_SOURCE', 'ERR_FIB_SOURCE', 'ERR_FIB_SOURCE', 'ERR_FIB_SOURCE']);
    expect(exporter.stats().errors).toBe(5);
  });

  it('resolves VRF rules to their table, and reports a missing VRF', async () => {
    const sink = new InMemoryFibSink();
    sink.setReachable(GW, { ifindex: 2 });
    sink.vrfs.set('blue', 1001);
    const exporter = new FibExporter({ rules: [{ name: 'blue', vrf: 'blue' }, { name: 'red', vrf: 'red' }] }, sink);
    const failures: string[] = [];
    exporter.on('failure', (e) => failures.push(e.code));
    await exporter.start();
    exporter.handle({ type: 'added', route: best('10.0.0.0/24', []) });
    await settle(exporter);
    expect(sink.table(1001)).toHaveLength(1);
    expect(sink.routes.size).toBe(1);
    expect(failures).toEqual(['ERR_FIB_VRF']);
  });

  it('without nexthop groups, an ECMP best route installs every validated path with its weight (RTA_MULTIPATH)', async () => {
    // every pass looks its nexthops up again: this test changes reachability between passes
    const { sink, exporter } = setup({ rules: [{ name: 'all', table: 100 }], nexthopCacheMs: 0 });
    sink.setReachable('192.0.2.2', { ifindex: 3 });
    sink.setReachable('192.0.2.9', { ifindex: 4, via: '192.0.2.1' }); // recursive: installed through the resolved gateway
    const ecmp = (paths: { nexthop: string; weight?: number }[]) => ({ ...best('10.6.0.0/24', []), nexthop: paths[0]!.nexthop, multipath: paths });
    exporter.handle({ type: 'added', route: ecmp([{ nexthop: GW, weight: 3 }, { nexthop: '192.0.2.2' }, { nexthop: '192.0.2.77' }]) });
    await settle(exporter);
    const installed = () => sink.table(100)[0];
    // 192.0.2.77 does not resolve: validation drops that path, the others stay.
    expect(installed()).toMatchObject({
      prefix: '10.6.0.0/24',
      multipath: [
        { gateway: GW, ifindex: 2, weight: 3 },
        { gateway: '192.0.2.2', ifindex: 3, weight: 1 },
      ],
    });
    expect(exporter.stats()).toMatchObject({ nexthopFailures: 1, routesInKernel: 1 });
    expect(exporter.exported()[0]!.paths).toHaveLength(2);
    // The same paths again: no operation. A weight change: one replace.
    const ops0 = sink.operationCount;
    exporter.handle({ type: 'changed', route: ecmp([{ nexthop: GW, weight: 3 }, { nexthop: '192.0.2.2' }, { nexthop: '192.0.2.77' }]) });
    await settle(exporter);
    expect(sink.operationCount).toBe(ops0);
    exporter.handle({ type: 'changed', route: ecmp([{ nexthop: GW, weight: 1 }, { nexthop: '192.0.2.2', weight: 2 }, { nexthop: '192.0.2.9' }]) });
    await settle(exporter);
    expect(sink.log.slice(ops0).map((o) => o.op)).toEqual(['replace']);
    expect(installed()!.multipath).toEqual([
      { gateway: GW, ifindex: 2, weight: 1 },
      { gateway: '192.0.2.2', ifindex: 3, weight: 2 },
      { gateway: '192.0.2.1', ifindex: 4, weight: 1 },
    ]);
    // Down to one usable path: a plain gateway route again.
    sink.setUnreachable('192.0.2.2');
    sink.setUnreachable('192.0.2.9');
    exporter.handle({ type: 'changed', route: ecmp([{ nexthop: GW }, { nexthop: '192.0.2.2' }, { nexthop: '192.0.2.9', weight: 5 }]) });
    await settle(exporter);
    expect(installed()).toMatchObject({ gateway: GW, ifindex: 2 });
    expect(installed()!.multipath).toBeUndefined();
    expect(exporter.exported()[0]!.paths).toEqual([]);
  });

  it('passes share nexthop lookups for nexthopCacheMs, then look up again; revalidate() always looks up', async () => {
    const { sink, exporter } = setup({ rules: [{ name: 'all', table: 100 }], nexthopCacheMs: 1000 });
    exporter.handle({ type: 'added', route: best('10.7.1.0/24', []) });
    await settle(exporter);
    expect(sink.lookups).toBe(1);
    sink.setUnreachable(GW);
    // within the cache lifetime: the earlier answer (reachable) is used, no lookup
    exporter.handle({ type: 'added', route: best('10.7.2.0/24', []) });
    await settle(exporter);
    expect(sink.lookups).toBe(1);
    expect(sink.table(100).map((r) => r.prefix).sort()).toEqual(['10.7.1.0/24', '10.7.2.0/24']);
    // after it: looked up again, and the new answer (unreachable) applies
    await vi.advanceTimersByTimeAsync(1000);
    exporter.handle({ type: 'added', route: best('10.7.3.0/24', []) });
    await settle(exporter);
    expect(sink.lookups).toBe(2);
    expect(sink.table(100)).toHaveLength(2);
    expect(exporter.stats().nexthopFailures).toBe(1);
    // revalidate(): a fresh lookup whatever the cache says; every route through GW goes
    await exporter.revalidate();
    expect(sink.lookups).toBe(3);
    expect(sink.table(100)).toHaveLength(0);
  });

  it('the next batch is computed while the previous one is still in the kernel, against what was sent', async () => {
    const sink = new GatedSink();
    sink.setReachable(GW, { ifindex: 2 });
    sink.setReachable('192.0.2.2', { ifindex: 3 });
    const exporter = new FibExporter({ rules: [{ name: 'all', table: 100 }] }, sink);
    sink.close();
    exporter.handle({ type: 'added', route: best('10.8.0.0/24', []) });
    await vi.advanceTimersByTimeAsync(100); // batch 1 (add) handed to the kernel, unanswered
    exporter.handle({ type: 'withdrawn', prefix: '10.8.0.0/24' });
    await vi.advanceTimersByTimeAsync(100); // batch 2 diffs against the add in flight: a delete
    expect(exporter.stats()).toMatchObject({ routesInKernel: 0, exported: 0, withdrawn: 0 });
    sink.open();
    await exporter.drain();
    expect(sink.log.map((o) => o.op)).toEqual(['add', 'delete']);
    expect(sink.table(100)).toEqual([]);
    expect(exporter.stats()).toMatchObject({ routesInKernel: 0, exported: 1, withdrawn: 1, errors: 0 });
  });

  it('a failed operation forgets its prefix only if no newer operation for it was sent meanwhile', async () => {
    const sink = new GatedSink();
    sink.setReachable(GW, { ifindex: 2 });
    sink.setReachable('192.0.2.2', { ifindex: 3 });
    const exporter = new FibExporter({ rules: [{ name: 'all', table: 100 }] }, sink);
    const failures: string[] = [];
    exporter.on('failure', (e) => failures.push(e.prefix ?? ''));
    sink.close();
    sink.failNext(1); // batch 1's add will fail
    exporter.handle({ type: 'added', route: best('10.9.0.0/24', []) });
    await vi.advanceTimersByTimeAsync(100);
    exporter.handle({ type: 'changed', route: best('10.9.0.0/24', [], '192.0.2.2') });
    await vi.advanceTimersByTimeAsync(100); // batch 2: a replace, sent before batch 1 failed
    sink.open();
    await exporter.drain();
    expect(failures).toEqual(['10.9.0.0/24']);
    // batch 2 decided the prefix: it is known as installed through 192.0.2.2
    expect(sink.table(100)).toMatchObject([{ prefix: '10.9.0.0/24', gateway: '192.0.2.2' }]);
    expect(exporter.exported()).toMatchObject([{ prefix: '10.9.0.0/24', gateway: '192.0.2.2' }]);
    expect(exporter.stats()).toMatchObject({ routesInKernel: 1, exported: 1, errors: 1 });
    // so a withdraw removes it (a forgotten prefix would leave it in the kernel)
    exporter.handle({ type: 'withdrawn', prefix: '10.9.0.0/24' });
    await settle(exporter);
    expect(sink.table(100)).toEqual([]);
    // and with nothing newer sent, a failure forgets the prefix: the next change re-sends it
    sink.failNext(1);
    exporter.handle({ type: 'added', route: best('10.9.1.0/24', []) });
    await settle(exporter);
    expect(exporter.stats().routesInKernel).toBe(0);
    exporter.handle({ type: 'changed', route: best('10.9.1.0/24', []) });
    await settle(exporter);
    expect(sink.table(100)).toMatchObject([{ prefix: '10.9.1.0/24', gateway: GW }]);
  });

  it('a failed withdraw leaves alone the prefix added again meanwhile (its state was made anew)', async () => {
    const sink = new GatedSink();
    sink.setReachable(GW, { ifindex: 2 });
    const exporter = new FibExporter({ rules: [{ name: 'all', table: 100 }] }, sink);
    const failures: string[] = [];
    exporter.on('failure', (e) => failures.push(e.prefix ?? ''));
    exporter.handle({ type: 'added', route: best('10.9.2.0/24', []) });
    await settle(exporter);
    sink.close();
    sink.failNext(1); // the delete will fail
    exporter.handle({ type: 'withdrawn', prefix: '10.9.2.0/24' });
    await vi.advanceTimersByTimeAsync(100); // batch 1: the delete; the prefix's state is forgotten
    exporter.handle({ type: 'added', route: best('10.9.2.0/24', []) });
    await vi.advanceTimersByTimeAsync(100); // batch 2: an add from a new state, sent before the delete failed
    sink.open();
    await exporter.drain();
    expect(failures).toEqual(['10.9.2.0/24']);
    expect(sink.log.map((o) => o.op)).toEqual(['add', 'add']); // the sink logs what it applied
    // The add decided the prefix: still known as installed, so a withdraw removes it.
    expect(exporter.stats()).toMatchObject({ routesInKernel: 1, errors: 1 });
    expect(sink.table(100)).toMatchObject([{ prefix: '10.9.2.0/24', gateway: GW }]);
    exporter.handle({ type: 'withdrawn', prefix: '10.9.2.0/24' });
    await settle(exporter);
    expect(sink.table(100)).toEqual([]);
    expect(exporter.stats().routesInKernel).toBe(0);
  });

  it('a change that arrives while its prefix is being exported is applied by the next pass', async () => {
    const { sink, exporter } = setup({ rules: [{ name: 'all', table: 100 }], dampeningMs: 0 });
    sink.setReachable('192.0.2.2', { ifindex: 3 });
    exporter.handle({ type: 'added', route: best('10.7.0.0/24', []) });
    exporter.drain(); // the batch is handed over and its pass started
    exporter.handle({ type: 'changed', route: best('10.7.0.0/24', [], '192.0.2.2') });
    exporter.handle({ type: 'withdrawn', prefix: '10.9.9.0/24' }); // unknown prefix: nothing, and no state kept
    await settle(exporter, 1);
    await exporter.drain();
    expect(sink.table(100)).toMatchObject([{ prefix: '10.7.0.0/24', gateway: '192.0.2.2' }]);
    expect(exporter.stats()).toMatchObject({ pending: 0, bestRoutes: 1, routesInKernel: 1, errors: 0 });
    exporter.handle({ type: 'withdrawn', prefix: '10.7.0.0/24' });
    await exporter.drain();
    expect(sink.table(100)).toEqual([]);
    expect(exporter.stats()).toMatchObject({ bestRoutes: 0, routesInKernel: 0 });
  });

  describe('with nexthop groups', () => {
    it('points routes at one group; a nexthop down is one group replace and no route operation', async () => {
      const { sink, exporter } = setup({ useNexthopGroups: true, rules: [{ name: 'all', table: 100 }] });
      sink.setReachable('192.0.2.2', { ifindex: 3 });
      for (let i = 0; i < 100; i++) {
        exporter.handle({ type: 'added', route: { ...best(`10.4.${i}.0/24`, []), multipath: [{ nexthop: GW }, { nexthop: '192.0.2.2' }] } });
      }
      await settle(exporter);
      const counts = () => sink.log.reduce<Record<string, number>>((c, o) => ((c[o.op] = (c[o.op] ?? 0) + 1), c), {});
      expect(counts()).toEqual({ 'nexthop-add': 2, 'group-add': 1, 'route-add': 100 });
      expect(sink.nhgKernel.violations()).toEqual([]);
      sink.log.length = 0;
      await exporter.nexthopDown('192.0.2.2');
      expect(counts()).toEqual({ 'group-replace': 1, 'nexthop-delete': 1 });
      expect(sink.nhgKernel.lookup({ prefix: '10.4.7.0/24', table: 100, metric: 20 })).toEqual([{ gateway: GW, ifindex: 2 }]);
      sink.log.length = 0;
      await exporter.nexthopUp('192.0.2.2');
      expect(counts()).toEqual({ 'nexthop-add': 1, 'group-replace': 1 });
      expect(exporter.stats().routesInKernel).toBe(100);
    });

    it('removeNexthop re-keys in place; kernel events re-create what the kernel flushed', async () => {
      const { sink, exporter } = setup({ useNexthopGroups: true, rules: [{ name: 'all', table: 100 }] });
      sink.setReachable('192.0.2.2', { ifindex: 3 });
      const both = { ...best('10.5.0.0/24', []), multipath: [{ nexthop: GW }, { nexthop: '192.0.2.2' }] };
      exporter.handle({ type: 'added', route: both });
      exporter.handle({ type: 'added', route: best('10.5.1.0/24', [], '192.0.2.2') });
      await settle(exporter);
      sink.log.length = 0;
      // The kernel flushes the nexthop on ifindex 3, the group left empty and its route.
      const nhId = exporter.nexthopGroups!.nexthops().find((n) => n.nexthop.ifindex === 3)!.id;
      const deleted = sink.nhgKernel.kernelDelete(nhId);
      for (const k of [...sink.routes.keys()]) if (!sink.nhgKernel.routes.has(k)) sink.routes.delete(k);
      await exporter.applyKernelEvents([{ type: 'link-down', ifindex: 3 }, ...deleted.map((id) => ({ type: 'nexthop-deleted' as const, id }))]);
      expect(sink.log).toEqual([]);
      expect(sink.routes.size).toBe(1);
      await exporter.applyKernelEvents([{ type: 'link-up', ifindex: 3 }]);
      expect(sink.log.map((o) => o.op)).toEqual(['nexthop-add', 'group-replace', 'group-add', 'route-add']);
      expect(sink.nhgKernel.violations()).toEqual([]);
      expect(sink.nhgKernel.lookup({ prefix: '10.5.1.0/24', table: 100, metric: 20 })).toEqual([{ gateway: '192.0.2.2', ifindex: 3 }]);
      sink.log.length = 0;
      await exporter.removeNexthop('192.0.2.2');
      expect(sink.log.map((o) => o.op)).toEqual(['group-replace', 'route-delete', 'group-delete', 'nexthop-delete']);
      sink.log.length = 0;
      // The RIB re-announces the ECMP prefix with the remaining path: nothing to do.
      exporter.handle({ type: 'changed', route: best('10.5.0.0/24', []) });
      await settle(exporter);
      expect(sink.log).toEqual([]);
    });

    it('a restarted exporter adopts the nexthops, groups and routes left in the kernel; endResync() removes the unconfirmed ones', async () => {
      const sink = new InMemoryFibSink();
      sink.setReachable(GW, { ifindex: 2 });
      sink.setReachable('192.0.2.2', { ifindex: 3 });
      const config = { rules: [{ name: 'all', table: 100 }], dampeningMs: 0, useNexthopGroups: true };
      const ecmp = (prefix: string, paths: string[]) => ({ type: 'added' as const, route: { ...best(prefix, [], paths[0]), multipath: paths.map((nexthop) => ({ nexthop })) } });
      const first = new FibExporter(config, sink);
      await first.start();
      for (let i = 0; i < 10; i++) first.handle(ecmp(`10.8.${i}.0/24`, [GW, '192.0.2.2']));
      first.handle(ecmp('10.9.0.0/24', ['192.0.2.2']));
      first.handle(ecmp('10.9.1.0/24', [GW]));
      await first.drain();
      first.stop(); // the process dies: nothing is cleaned up
      const objects = sink.nhgKernel.objects.size;
      expect(objects).toBe(5);

      const second = new FibExporter(config, sink);
      await second.start();
      expect(second.stats()).toMatchObject({ adoptedRoutes: 12, resyncPending: true, cleanedUp: 0 });
      expect(sink.table(100)).toHaveLength(12);
      const ops0 = sink.operationCount;
      for (let i = 0; i < 10; i++) second.handle(ecmp(`10.8.${i}.0/24`, [GW, '192.0.2.2']));
      second.handle(ecmp('10.9.1.0/24', [GW, '192.0.2.2'])); // changed: joins the ECMP group
      await second.drain();
      // Its old one-member group had no other user: it goes at once.
      expect(sink.log.slice(ops0).map((o) => o.op)).toEqual(['route-replace', 'group-delete']);
      expect(second.stats()).toMatchObject({ routesInKernel: 11, errors: 0 });
      await second.endResync();
      // 10.9.0.0/24 was not confirmed: it goes, then the group only it used (192.0.2.2 alone; the nexthop stays in the ECMP group).
      expect(sink.log.slice(ops0 + 2).map((o) => o.op)).toEqual(['route-delete', 'group-delete']);
      expect(sink.table(100).map((r) => r.prefix).sort()).not.toContain('10.9.0.0/24');
      expect(sink.nhgKernel.objects.size).toBe(3);
      expect(sink.nhgKernel.violations()).toEqual([]);
      expect(second.nexthopGroups!.checkInvariants()).toEqual([]);
      expect(second.stats().resyncPending).toBe(false);
    });

    it('adopts even with cleanupOnStart off, so ids left in the kernel are never allocated twice', async () => {
      const sink = new InMemoryFibSink();
      sink.setReachable(GW, { ifindex: 2 });
      const config = { rules: [{ name: 'all', table: 100 }], dampeningMs: 0, useNexthopGroups: true, cleanupOnStart: false };
      const first = new FibExporter(config, sink);
      await first.start();
      first.handle({ type: 'added', route: best('10.8.0.0/24', []) });
      await first.drain();
      first.stop();
      const second = new FibExporter(config, sink);
      await second.start();
      expect(second.stats()).toMatchObject({ adoptedRoutes: 1, cleanedUp: 0 });
      // A new member set needs new ids: they must not collide with the adopted ones (the model kernel refuses duplicates).
      second.handle({ type: 'added', route: { ...best('10.8.1.0/24', []), multipath: [{ nexthop: GW }, { nexthop: GW, weight: 2 }] } });
      second.handle({ type: 'added', route: best('10.8.2.0/24', [], '192.0.2.50') });
      sink.setReachable('192.0.2.50', { ifindex: 5 });
      await second.drain();
      expect(second.stats().errors).toBe(0);
      expect(sink.nhgKernel.violations()).toEqual([]);
      expect(second.nexthopGroups!.checkInvariants()).toEqual([]);
    });

    it('without a sink that can read nexthops back, start() sweeps instead of adopting', async () => {
      const sink = new InMemoryFibSink();
      sink.seed({ prefix: '10.1.0.0/24', table: 100, metric: 20, protocol: 186, gateway: GW });
      const plain = Object.assign(Object.create(sink) as InMemoryFibSink, { snapshotNexthops: undefined });
      const exporter = new FibExporter({ rules: [{ name: 'all', table: 100 }], useNexthopGroups: true }, plain);
      await exporter.start();
      expect(exporter.stats()).toMatchObject({ cleanedUp: 1, adoptedRoutes: 0, resyncPending: false });
    });

    it('withdraw and metric change go through the cache', async () => {
      const { sink, exporter, source } = setup({ useNexthopGroups: true });
      source.announce(best('10.0.0.0/24', [C100]));
      await settle(exporter);
      await exporter.reconfigure([{ ...RULES[0]!, metric: 50 }, RULES[1]!]);
      expect(sink.log.map((o) => o.op)).toEqual(['nexthop-add', 'group-add', 'route-add', 'route-add', 'route-delete']);
      source.withdraw('10.0.0.0/24');
      await settle(exporter);
      expect(sink.routes.size).toBe(0);
      expect(sink.nhgKernel.objects.size).toBe(0);
      expect(exporter.stats().routesInKernel).toBe(0);
    });
  });
});

describe('FibExporter without dampening: full slices of a synchronous burst go out at once', () => {
  const prefixOf = (i: number): string => `10.${(i >> 8) & 255}.${i & 255}.0/24`;
  const added = (i: number, nexthop = GW) => ({ type: 'added' as const, route: best(prefixOf(i), [], nexthop) });

  async function warmed(config: Record<string, unknown> = {}) {
    const sink = new GatedSink();
    sink.setReachable(GW, { ifindex: 2 });
    const exporter = new FibExporter({ rules: [{ name: 'all', table: 100 }], dampeningMs: 0, flushSliceSize: 100, ...config }, sink);
    await exporter.start();
    // one route through GW: the nexthop cache now knows it
    exporter.handle({ type: 'added', route: best('10.255.0.0/24', []) });
    await exporter.drain();
    return { sink, exporter };
  }

  it('sends each full slice inside handle(), before the burst ends, and ends equal to the queued path', async () => {
    const { sink, exporter } = await warmed();
    const before = sink.log.length;
    for (let i = 0; i < 250; i++) exporter.handle(added(i));
    // no await yet: two slices of 100 are already with the sink, 50 wait in the window
    expect(sink.log.length - before).toBe(200);
    expect(exporter.stats()).toMatchObject({ pending: 50, routesInKernel: 201 });
    await exporter.drain();
    expect(sink.table(100)).toHaveLength(251);
    expect(exporter.stats()).toMatchObject({ exported: 251, errors: 0, routesInKernel: 251, pending: 0 });
    expect(sink.lookups).toBe(1);
  });

  it('keeps at most 32 slices unanswered; the rest waits for the window as before', async () => {
    const { sink, exporter } = await warmed();
    sink.close();
    for (let i = 0; i < 4000; i++) exporter.handle(added(i));
    // 32 slices of 100 went out while nothing was answered; the other 800 changes wait
    expect(exporter.stats().pending).toBe(800);
    sink.open();
    await exporter.drain();
    expect(sink.table(100)).toHaveLength(4001);
    expect(exporter.stats()).toMatchObject({ exported: 4001, errors: 0, pending: 0 });
  });

  // The exporter sends from handle() while fewer than 64 batches wait for the send thread (MAX_QUEUED_BATCHES).
  it.each([
    [0, 0],
    [63, 0],
    [64, 800],
    [80, 800],
  ])('with a sink that tells its backlog (%i batches not started), more than 32 unanswered slices go out while it stays short (pending %i)', async (queued, pending) => {
    const { sink, exporter } = await warmed();
    Object.assign(sink, { queuedBatches: () => queued });
    sink.close();
    for (let i = 0; i < 4000; i++) exporter.handle(added(i));
    expect(exporter.stats().pending).toBe(pending);
    sink.open();
    await exporter.drain();
    expect(sink.table(100)).toHaveLength(4001);
    expect(exporter.stats()).toMatchObject({ exported: 4001, errors: 0, pending: 0 });
  });

  it('a window that grew while the kernel was full goes out slice by slice once its backlog shrinks, asked every 256 changes', async () => {
    const { sink, exporter } = await warmed();
    let queued = 64; // full (MAX_QUEUED_BATCHES)
    let asked = 0;
    Object.assign(sink, { queuedBatches: () => (asked++, queued) });
    sink.close();
    for (let i = 0; i < 4000; i++) exporter.handle(added(i));
    expect(exporter.stats().pending).toBe(800);
    // 800 changes past the 32nd slice: the backlog was read about every 256, not 800 times
    expect(asked).toBeLessThanOrEqual(4);
    queued = 0;
    // the gate holds every answer: routes count as in the kernel when sent
    const sizes: number[] = [];
    let seen = exporter.stats().routesInKernel;
    for (let i = 4000; i < 4300; i++) {
      exporter.handle(added(i));
      const now = exporter.stats().routesInKernel;
      if (now !== seen) {
        sizes.push(now - seen);
        seen = now;
      }
    }
    expect(sizes.length).toBeGreaterThanOrEqual(8);
    expect(sizes.every((n) => n === 100)).toBe(true);
    sink.open();
    await exporter.drain();
    expect(sink.table(100)).toHaveLength(4301);
    expect(exporter.stats()).toMatchObject({ exported: 4301, errors: 0, pending: 0 });
  });

  // What a burst left in the window goes out through a pass. A pass sends a slice and then waits
  // while more than MAX_SLICES_IN_KERNEL are unanswered, unless the sink tells a backlog under 64
  // batches (MAX_QUEUED_BATCHES): then it goes on sending.
  it.each([
    ['tells a backlog of 0 batches: all 800 waiting operations', 0, 800],
    ['tells a backlog of 63 batches: all 800 waiting operations', 63, 800],
    ['tells a full backlog (64 batches): one slice of 100', 64, 100],
    ['cannot tell its backlog: one slice of 100', undefined, 100],
  ])('a pass after the burst, while nothing is answered, when the sink %s go out', async (_what, backlog, more) => {
    const { sink, exporter } = await warmed();
    let queued: number | undefined = 64;
    Object.assign(sink, { queuedBatches: () => queued });
    sink.close();
    for (let i = 0; i < 4000; i++) exporter.handle(added(i));
    expect(exporter.stats().pending).toBe(800);
    const before = sink.handedOver;
    queued = backlog;
    if (backlog === undefined) Object.assign(sink, { queuedBatches: undefined });
    const drained = exporter.drain();
    for (let turn = 0; turn < 30; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(sink.handedOver - before).toBe(more);
    sink.open();
    await drained;
    expect(sink.table(100)).toHaveLength(4001);
    expect(exporter.stats()).toMatchObject({ exported: 4001, errors: 0, pending: 0 });
  });

  it('starts with a small slice while the kernel is idle and doubles up to flushSliceSize', async () => {
    const { sink, exporter } = await warmed({ flushSliceSize: 1000 });
    const sizes: number[] = [];
    let seen = sink.log.length;
    for (let i = 0; i < 3000; i++) {
      exporter.handle(added(i));
      if (sink.log.length !== seen) {
        sizes.push(sink.log.length - seen);
        seen = sink.log.length;
      }
    }
    // nothing is answered while a synchronous burst runs
    expect(sizes).toEqual([128, 256, 512, 1000, 1000]);
    await exporter.drain();
    // the kernel went idle: the next burst starts small again
    sizes.length = 0;
    seen = sink.log.length;
    for (let i = 0; i < 200; i++) {
      exporter.handle(added(5000 + i));
      if (sink.log.length !== seen) {
        sizes.push(sink.log.length - seen);
        seen = sink.log.length;
      }
    }
    expect(sizes).toEqual([128]);
    await exporter.drain();
    expect(sink.table(100)).toHaveLength(3201);
    expect(exporter.stats()).toMatchObject({ errors: 0, routesInKernel: 3201 });
  });

  it('a gateway the nexthop cache does not know is resolved by the sink synchronously: the slice still goes out inside handle()', async () => {
    const { sink, exporter } = await warmed();
    sink.setReachable('192.0.2.9', { ifindex: 4 });
    const before = sink.log.length;
    for (let i = 0; i < 150; i++) exporter.handle(added(i, '192.0.2.9'));
    expect(sink.log.length - before).toBe(100);
    expect(sink.lookups).toBe(2);
    await exporter.drain();
    expect(sink.lookups).toBe(2); // the answer is kept for the rest of the burst
    expect(sink.table(100).filter((r) => r.gateway === '192.0.2.9' && r.ifindex === 4)).toHaveLength(150);
  });

  it('an unreachable new gateway found synchronously counts its failures like the queued path', async () => {
    const { sink, exporter } = await warmed();
    const unreachable: string[] = [];
    exporter.on('nexthop-unreachable', (e) => unreachable.push(e.prefix));
    for (let i = 0; i < 100; i++) exporter.handle(added(i, '192.0.2.77'));
    expect(unreachable).toHaveLength(100);
    await exporter.drain();
    expect(sink.table(100)).toHaveLength(1);
    expect(exporter.stats()).toMatchObject({ nexthopFailures: 100, errors: 0, routesInKernel: 1 });
  });

  const queuedCases: [string, (sink: GatedSink) => void, number][] = [
    ['a sink without a synchronous lookup', (sink) => Object.assign(sink, { lookupNexthopNow: undefined }), 100],
    ['a synchronous lookup that cannot answer', (sink) => Object.assign(sink, { lookupNexthopNow: () => undefined }), 100],
    ['a synchronous lookup that throws', (sink) => Object.assign(sink, { lookupNexthopNow: () => { throw new Error('socket gone'); } }), 100],
    ['more new gateways in one slice than handle() waits on (17)', () => undefined, 17],
  ];
  it.each(queuedCases)('%s: the burst goes through the queued path (asynchronous lookups), with the same result', async (_, alter, gateways) => {
    const { sink, exporter } = await warmed();
    alter(sink);
    const gw = (i: number): string => `198.51.100.${i % gateways}`;
    for (let i = 0; i < gateways; i++) sink.setReachable(gw(i), { ifindex: 4 });
    const before = sink.log.length;
    for (let i = 0; i < 150; i++) exporter.handle(added(i, gw(i)));
    expect(sink.log.length).toBe(before); // waits for the lookups
    await exporter.drain();
    expect(sink.table(100).filter((r) => r.ifindex === 4)).toHaveLength(150);
    expect(exporter.stats()).toMatchObject({ errors: 0, routesInKernel: 151 });
  });

  it('never overtakes work already queued: a flush() running keeps the burst on the queued path', async () => {
    const { sink, exporter } = await warmed();
    sink.close();
    const flushed = exporter.flush();
    for (let i = 0; i < 150; i++) exporter.handle(added(i));
    // the flush is in the kernel: nothing of the burst may be sent before it
    expect(sink.log.filter((o) => o.op !== 'delete')).toHaveLength(1);
    sink.open();
    await flushed;
    await exporter.drain();
    const ops = sink.log.map((o) => o.op);
    expect(ops.indexOf('delete')).toBeLessThan(ops.lastIndexOf('add'));
    expect(sink.table(100)).toHaveLength(150);
    expect(exporter.stats()).toMatchObject({ errors: 0, routesInKernel: 150 });
  });

  it('a failed operation of a slice sent from handle() is counted and its prefix re-sent by its next change', async () => {
    const { sink, exporter } = await warmed();
    const failures: string[] = [];
    exporter.on('failure', (e) => failures.push(e.prefix ?? ''));
    sink.failNext(1);
    for (let i = 0; i < 100; i++) exporter.handle(added(i));
    await exporter.drain();
    expect(failures).toEqual([prefixOf(0)]);
    expect(exporter.stats()).toMatchObject({ errors: 1, routesInKernel: 100 });
    exporter.handle(added(0));
    await exporter.drain();
    expect(sink.table(100)).toHaveLength(101);
  });

  it('a listener that feeds handle() from inside a slice pass does not start a nested pass', async () => {
    const { sink, exporter } = await warmed({ rules: [{ name: 'all', table: 100 }] });
    // an unreachable gateway the cache knows: every route through it raises nexthop-unreachable during the pass
    exporter.handle({ type: 'added', route: best('10.254.0.0/24', [], '192.0.2.66') });
    await exporter.drain();
    let fed = 0;
    let nested = 0;
    exporter.on('nexthop-unreachable', () => {
      // a full slice's worth arrives while the pass runs; none of it is sent from inside it
      if (fed >= 100) return;
      const logged = sink.log.length;
      exporter.handle(added(1000 + fed++));
      if (sink.log.length !== logged) nested++;
    });
    for (let i = 0; i < 100; i++) exporter.handle(added(i, '192.0.2.66'));
    await exporter.drain();
    expect(fed).toBe(100);
    expect(nested).toBe(0);
    expect(sink.table(100).filter((r) => r.gateway === GW)).toHaveLength(101);
    expect(exporter.stats().nexthopFailures).toBe(101);
    expect(exporter.stats().errors).toBe(0);
  });
});
