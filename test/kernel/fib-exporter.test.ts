import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { FibExporter } from '../../src/fib/fib-exporter.js';
import type { FibSink } from '../../src/fib/fib-sink.js';
import { KernelFibSink } from '../../src/fib/kernel-fib-sink.js';
import type { BestRoute } from '../../src/fib/route-source.js';
import { Rtnl } from '../../src/netlink/rtnl.js';
import { KernelNhgWatcher } from '../../src/nhg/kernel-nhg-watcher.js';
import type { NhgOperation } from '../../src/nhg/types.js';
import { createNamespace, type TestNamespace } from '../support/netns.js';

const run = promisify(execFile);
const C100 = 0xfde80064; // 65000:100
const C200 = 0xfde800c8; // 65000:200
const GW_A = '10.77.0.2';
const GW_B = '10.78.0.2';
const RULES = [
  { name: 'a', communities: ['65000:100'], table: 100 },
  { name: 'b', communities: ['65000:200'], table: 200, metric: 30 },
];

interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  metric?: number;
  nhid?: number;
}

const opened: { ns: TestNamespace; rtnl: Rtnl }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    o.rtnl.close();
    await o.ns.dispose();
  }
});

/** Own namespace per test: two links with on-link gateways nobody owns. */
async function world(): Promise<{ ns: TestNamespace; rtnl: Rtnl; sink: KernelFibSink }> {
  const ns = await createNamespace('fwfib', {
    veths: [
      { name: 'va', peer: 'pa', addresses: ['10.77.0.1/24'] },
      { name: 'vb', peer: 'pb', addresses: ['10.78.0.1/24'] },
    ],
  });
  const rtnl = await Rtnl.open({ netns: ns.name });
  opened.push({ ns, rtnl });
  return { ns, rtnl, sink: new KernelFibSink(rtnl) };
}

/** `ip -j route show table N` with room for 100k routes of output. */
async function ipRoutes(ns: TestNamespace, table: number): Promise<IpRoute[]> {
  const { stdout } = await run('ip', ['-j', '-n', ns.name, 'route', 'show', 'table', String(table)], { maxBuffer: 512 * 1024 * 1024, timeout: 60_000 });
  return stdout.trim() === '' ? [] : (JSON.parse(stdout) as IpRoute[]);
}

const route = (prefix: string, communities: number[], nexthop = GW_A): BestRoute => ({ prefix, nexthop, communities, largeCommunities: [] });
const host = (base: number, i: number) => `10.${base + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;

/**
 * Runs an exporter script in a child process until it prints `ready ...`, then
 * kills it with SIGKILL (a crash: no cleanup runs) and returns what it printed.
 */
async function runUntilReadyThenKill(script: string, netns: string, src: string): Promise<string> {
  const child = spawn(join(src, 'node_modules/.bin/tsx'), [script, netns], { stdio: ['ignore', 'pipe', 'pipe'] });
  const ready = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child not ready: ${out}`)), 45_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve(out.trim());
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  return ready;
}

/**
 * Runs a FibExporter over a KernelFibSink in a child process inside `ns`:
 * `new FibExporter(${config}, sink)`, start, the `handle` lines, drain, then
 * it prints `console.log(${ready})` and is killed with SIGKILL (no shutdown:
 * what it installed stays, as after a crash). Returns the ready line.
 */
async function runKilledExporter(ns: TestNamespace, config: string, handle: readonly string[], ready: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fwfib-'));
  const script = join(dir, 'child.mts');
  const src = process.cwd();
  writeFileSync(
    script,
    [
      `import { Rtnl } from '${src}/src/netlink/rtnl.js';`,
      `import { FibExporter } from '${src}/src/fib/fib-exporter.js';`,
      `import { KernelFibSink } from '${src}/src/fib/kernel-fib-sink.js';`,
      `const rtnl = await Rtnl.open({ netns: process.argv[2] });`,
      `const ex = new FibExporter(${config}, new KernelFibSink(rtnl));`,
      `await ex.start();`,
      ...handle,
      `await ex.drain();`,
      `console.log(${ready});`,
      `setTimeout(() => process.exit(3), 60_000);`,
    ].join('\n'),
  );
  try {
    return await runUntilReadyThenKill(script, ns.name, src);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('FibExporter against the kernel', () => {
  it('exports 10k routes by community into two tables, then withdraws', async () => {
    const { ns, sink } = await world();
    const exporter = new FibExporter({ rules: RULES }, sink);
    await exporter.start();
    for (let i = 0; i < 10_000; i++) {
      const communities = i % 10 === 0 ? [C100, C200] : i % 2 ? [C100] : [C200];
      exporter.handle({ type: 'added', route: route(`${host(100, i)}/32`, communities) });
    }
    await exporter.drain();
    const t100 = await ipRoutes(ns, 100);
    const t200 = await ipRoutes(ns, 200);
    // odd i: 5,000 in table 100; even i: 5,000 in 200; multiples of 10 (even) also in 100: +1,000
    expect(t100).toHaveLength(6000);
    expect(t200).toHaveLength(5000);
    expect(t100.every((r) => r.protocol === 'bgp' && r.metric === 20 && r.gateway === GW_A && r.dev === 'va')).toBe(true);
    expect(t200.every((r) => r.protocol === 'bgp' && r.metric === 30)).toBe(true);
    expect(exporter.stats()).toMatchObject({ exported: 11_000, errors: 0, routesInKernel: 11_000 });

    for (let i = 0; i < 10_000; i += 2) exporter.handle({ type: 'withdrawn', prefix: `${host(100, i)}/32` });
    await exporter.drain();
    expect(await ipRoutes(ns, 100)).toHaveLength(5000);
    expect(await ipRoutes(ns, 200)).toHaveLength(0);
    expect(exporter.stats()).toMatchObject({ withdrawn: 6000, errors: 0 });
  });

  it('reconfigure: metric change, a community moved to another table, a rule deleted', async () => {
    const { ns, sink } = await world();
    const exporter = new FibExporter({ rules: RULES }, sink);
    await exporter.start();
    for (let i = 0; i < 1000; i++) exporter.handle({ type: 'added', route: route(`${host(101, i)}/32`, [i % 2 ? C100 : C200]) });
    await exporter.drain();

    await exporter.reconfigure([{ ...RULES[0]!, metric: 40 }, RULES[1]!]);
    const t100 = await ipRoutes(ns, 100);
    expect(t100).toHaveLength(500);
    expect(t100.every((r) => r.metric === 40)).toBe(true); // no metric-20 leftovers
    expect(await ipRoutes(ns, 200)).toHaveLength(500);

    // 65000:100 moves to table 200.
    await exporter.reconfigure([{ ...RULES[0]!, table: 200 }, RULES[1]!]);
    expect(await ipRoutes(ns, 100)).toHaveLength(0);
    const t200 = await ipRoutes(ns, 200);
    expect(t200).toHaveLength(1000);
    expect(t200.filter((r) => r.metric === 20)).toHaveLength(500);

    // Rule b deleted: its routes go, rule a's stay.
    await exporter.reconfigure([{ ...RULES[0]!, table: 200 }]);
    const left = await ipRoutes(ns, 200);
    expect(left).toHaveLength(500);
    expect(left.every((r) => r.metric === 20)).toBe(true);
    expect(exporter.stats().errors).toBe(0);
  });

  it('startup cleanup removes what a killed exporter left, and nothing else', async () => {
    const { ns, rtnl, sink } = await world();
    const ready = await runKilledExporter(
      ns,
      "{ rules: [{ name: 'a', table: 100 }], dampeningMs: 0 }",
      [`for (let i = 0; i < 500; i++) ex.handle({ type: 'added', route: { prefix: '10.50.' + (i >> 8) + '.' + (i & 255) + '/32', nexthop: '${GW_A}', communities: [], largeCommunities: [] } });`],
      "'ready ' + ex.stats().routesInKernel",
    );
    expect(ready).toBe('ready 500');
    expect(await ipRoutes(ns, 100)).toHaveLength(500);
    // Not ours: a static route in the managed table, a bgp route in a table we do not manage.
    await rtnl.routes.add({ dst: '10.51.0.0/24', gateway: GW_A, table: 100, protocol: 'static' });
    await rtnl.routes.add({ dst: '10.52.0.0/24', gateway: GW_A, table: 150, protocol: 'bgp' });
    const exporter = new FibExporter({ rules: [{ name: 'a', table: 100, communities: ['65000:100'] }] }, sink);
    await exporter.start();
    expect((await ipRoutes(ns, 100)).map((r) => `${r.dst} ${r.protocol}`)).toEqual(['10.51.0.0/24 static']);
    expect(await ipRoutes(ns, 150)).toHaveLength(1);
    expect(exporter.stats().cleanedUp).toBe(500);
  });

  it('validates nexthops: an unreachable gateway is not exported; without validation the kernel refuses it', async () => {
    const { ns, sink } = await world();
    const exporter = new FibExporter(
      { rules: [{ name: 'checked', table: 100 }, { name: 'unchecked', table: 200, validateNexthop: false }], dampeningMs: 0 },
      sink,
    );
    const unreachable: string[] = [];
    exporter.on('nexthop-unreachable', (i) => unreachable.push(`${i.rule} ${i.nexthop}`));
    await exporter.start();
    exporter.handle({ type: 'added', route: route('10.60.0.0/24', [], '198.51.100.1') });
    exporter.handle({ type: 'added', route: route('10.60.1.0/24', [], GW_A) });
    await exporter.drain();
    expect((await ipRoutes(ns, 100)).map((r) => r.dst)).toEqual(['10.60.1.0/24']);
    expect((await ipRoutes(ns, 200)).map((r) => r.dst)).toEqual(['10.60.1.0/24']);
    expect(unreachable).toEqual(['checked 198.51.100.1']);
    const s = exporter.stats();
    expect(s.nexthopValidations).toBe(2);
    expect(s.nexthopFailures).toBe(1);
    expect(s.errors).toBe(1); // the kernel's ENETUNREACH for the unchecked rule
    expect(s.lastError).toMatch(/10\.60\.0\.0\/24/);
  });

  it('KernelFibSink.applyRouteRuns: runs become the same kernel routes as their operations, failures by position across runs', async () => {
    const { ns, sink } = await world();
    const base = { table: 100, metric: 20, protocol: 186 };
    const result = await sink.applyRouteRuns([
      { op: 'add', route: { ...base, gateway: GW_A }, prefixes: ['10.1.0.0/24', '10.1.1.0/24', '10.1.2.0/24'] },
      // Not in the kernel: ESRCH, which a delete does not count as a failure.
      { op: 'delete', route: { ...base, gateway: GW_A }, prefixes: ['10.9.0.0/24'] },
      // No route to this gateway: the kernel refuses the fifth operation.
      { op: 'add', route: { ...base, gateway: '198.51.100.1' }, prefixes: ['10.2.0.0/24'] },
      { op: 'replace', route: { ...base, gateway: GW_B }, prefixes: ['10.1.1.0/24', '10.3.0.0/24'] },
      { op: 'delete', route: { ...base, gateway: GW_A }, prefixes: ['10.1.2.0/24'] },
    ]);
    expect(result.failures.map((f) => [f.index, (f.error as { code?: string }).code])).toEqual([[4, 'ENETUNREACH']]);
    const routes = await ipRoutes(ns, 100);
    expect(routes.map((r) => `${r.dst} ${r.gateway} ${r.protocol} ${r.metric}`).sort()).toEqual([
      // 186 is named "bgp" in iproute2's rt_protos.
      '10.1.0.0/24 10.77.0.2 bgp 20',
      '10.1.1.0/24 10.78.0.2 bgp 20',
      '10.3.0.0/24 10.78.0.2 bgp 20',
    ]);
  });

  it('1,000 flaps of one prefix inside the window are one kernel operation', async () => {
    const { ns, rtnl, sink } = await world();
    const monitor = await rtnl.monitor({ groups: ['ipv4-route'] });
    const events: string[] = [];
    monitor.on('route', (action, r) => {
      if (r.dst === '10.70.0.0/24') events.push(action);
    });
    try {
      const exporter = new FibExporter({ rules: RULES, dampeningMs: 200 }, sink);
      await exporter.start();
      for (let i = 0; i < 1000; i++) {
        exporter.handle({ type: 'added', route: route('10.70.0.0/24', [C100]) });
        exporter.handle({ type: 'withdrawn', prefix: '10.70.0.0/24' });
      }
      exporter.handle({ type: 'added', route: route('10.70.0.0/24', [C100]) });
      await new Promise((r) => setTimeout(r, 400));
      await exporter.drain();
      await new Promise((r) => setTimeout(r, 100));
      expect(exporter.stats().kernelOperations).toBe(1);
      expect(events).toEqual(['new']);
      expect(await ipRoutes(ns, 100)).toHaveLength(1);
    } finally {
      monitor.close();
    }
  });

  it('with nexthop groups, routes the kernel flushed on link down come back on link up', async () => {
    const { ns, rtnl, sink } = await world();
    const exporter = new FibExporter({ rules: [{ name: 'all', table: 100 }], useNexthopGroups: true, dampeningMs: 0 }, sink);
    await exporter.start();
    const watcher = await KernelNhgWatcher.start(rtnl, exporter.nexthopGroups!, { apply: (ev) => void exporter.applyKernelEvents(ev) });
    try {
      exporter.handle({ type: 'added', route: { ...route('10.90.0.0/24', []), multipath: [{ nexthop: GW_A }, { nexthop: GW_B }] } });
      exporter.handle({ type: 'added', route: route('10.90.1.0/24', [], GW_B) });
      await exporter.drain();
      expect((await ipRoutes(ns, 100)).map((r) => r.dst).sort()).toEqual(['10.90.0.0/24', '10.90.1.0/24']);
      // The kernel silently drops the route whose only nexthop was on vb (FRR issue #23295's trap).
      await ns.ip(['link', 'set', 'vb', 'down']);
      await until(async () => (await ipRoutes(ns, 100)).length === 1 && watcher.events > 0);
      await ns.ip(['link', 'set', 'vb', 'up']);
      await until(async () => (await ipRoutes(ns, 100)).length === 2);
      await exporter.drain();
      const ecmp = (await ipRoutes(ns, 100)).find((r) => r.dst === '10.90.0.0/24')!;
      const group = (await ns.ipJson(['nexthop', 'show', 'id', String(ecmp.nhid)])) as unknown as { group: unknown[] }[];
      expect(group[0]!.group).toHaveLength(2);
      expect(exporter.stats().errors).toBe(0);
    } finally {
      watcher.stop();
    }
  });

  it('fails 100k routes over an ECMP group with one nexthop operation', async () => {
    const { ns, rtnl, sink } = await world();
    await rtnl.sysctl.setNexthopCompatMode(0);
    const sent: NhgOperation[] = [];
    const counting: FibSink = {
      cleanup: (p, t) => sink.cleanup(p, t),
      lookupNexthop: (g) => sink.lookupNexthop(g),
      applyRoutes: (ops) => sink.applyRoutes(ops),
      resolveVrf: (n) => sink.resolveVrf(n),
      applyNexthopOps: (ops, p) => (sent.push(...ops), sink.applyNexthopOps(ops, p)),
    };
    const exporter = new FibExporter({ rules: [{ name: 'all', table: 100 }], useNexthopGroups: true, flushSliceSize: 20_000 }, counting);
    await exporter.start();
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      exporter.handle({ type: 'added', route: { ...route(`${host(128, i)}/32`, []), multipath: [{ nexthop: GW_A }, { nexthop: GW_B }] } });
    }
    await exporter.drain();
    expect(exporter.stats().errors).toBe(0);
    expect(await ipRoutes(ns, 100)).toHaveLength(N);
    await ns.ip(['rule', 'add', 'to', '10.128.0.0/9', 'lookup', '100', 'priority', '1000']);

    sent.length = 0;
    const t0 = process.hrtime.bigint();
    await exporter.nexthopDown(GW_B);
    const failoverMs = Number(process.hrtime.bigint() - t0) / 1e6;
    // One group replace re-points all 100k routes; the dead nexthop object is then deleted. No route operation.
    expect(sent.map((o) => o.op)).toEqual(['group-replace', 'nexthop-delete']);
    const after = await ipRoutes(ns, 100);
    expect(after).toHaveLength(N);
    const gid = after[0]!.nhid!;
    const group = (await ns.ipJson(['nexthop', 'show', 'id', String(gid)])) as { group: { id: number }[] }[];
    expect(group[0]!.group).toHaveLength(1);
    for (const i of [0, 4242, N - 1]) {
      const got = (await ns.ipJson(['route', 'get', host(128, i)])) as unknown as IpRoute[];
      expect(got[0]).toMatchObject({ gateway: GW_A, dev: 'va' });
    }
    console.log(JSON.stringify({ test: 'fib failover', routes: N, failoverMs }));
  });

  it('without nexthop groups, an ECMP route installs all its nexthops with weights (RTA_MULTIPATH)', async () => {
    const { ns, sink } = await world();
    const exporter = new FibExporter({ rules: [{ name: 'all', table: 100 }], dampeningMs: 0 }, sink);
    await exporter.start();
    for (let i = 0; i < 50; i++) {
      exporter.handle({ type: 'added', route: { ...route(`10.95.${i}.0/24`, []), multipath: [{ nexthop: GW_A, weight: 3 }, { nexthop: GW_B }] } });
    }
    exporter.handle({ type: 'added', route: { ...route('10.96.0.0/24', []), multipath: [{ nexthop: GW_A }, { nexthop: '10.99.0.1' }] } });
    await exporter.drain();
    type Hop = { gateway?: string; dev?: string; weight?: number };
    const shown = (await ipRoutes(ns, 100)) as (IpRoute & { nexthops?: Hop[] })[];
    expect(shown).toHaveLength(51);
    const ecmp = shown.filter((r) => r.dst.startsWith('10.95.'));
    expect(ecmp).toHaveLength(50);
    for (const r of ecmp) {
      expect(r.protocol).toBe('bgp');
      expect(r.metric).toBe(20);
      expect(r.nexthops?.map((h) => `${h.gateway} ${h.dev} ${h.weight}`)).toEqual([`${GW_A} va 3`, `${GW_B} vb 1`]);
    }
    // An unresolvable path is left out; one path left is a plain gateway route.
    expect(shown.find((r) => r.dst === '10.96.0.0/24')).toMatchObject({ gateway: GW_A, dev: 'va' });
    expect(exporter.stats()).toMatchObject({ errors: 0, routesInKernel: 51, nexthopFailures: 1 });
    // Re-announcing the same paths costs nothing; a weight change is one replace.
    const ops0 = exporter.stats().kernelOperations;
    exporter.handle({ type: 'changed', route: { ...route('10.95.0.0/24', []), multipath: [{ nexthop: GW_A, weight: 3 }, { nexthop: GW_B }] } });
    exporter.handle({ type: 'changed', route: { ...route('10.95.1.0/24', []), multipath: [{ nexthop: GW_A }, { nexthop: GW_B, weight: 2 }] } });
    await exporter.drain();
    expect(exporter.stats().kernelOperations - ops0).toBe(1);
    const moved = ((await ipRoutes(ns, 100)) as (IpRoute & { nexthops?: Hop[] })[]).find((r) => r.dst === '10.95.1.0/24');
    expect(moved?.nexthops?.map((h) => `${h.gateway} ${h.weight}`)).toEqual([`${GW_A} 1`, `${GW_B} 2`]);
  });

  it('with nexthop groups, a restarted exporter adopts what a killed one installed: no operation for unchanged routes, stale ones removed', async () => {
    const { ns, rtnl, sink } = await world();
    // The killed run: 200 ECMP routes, 100 on GW_A alone, and 20 on GW_B alone that the next run will not announce.
    const ready = await runKilledExporter(
      ns,
      "{ rules: [{ name: 'all', table: 100 }], dampeningMs: 0, useNexthopGroups: true }",
      [
        `const r = (p, paths) => ({ type: 'added', route: { prefix: p, nexthop: paths[0], multipath: paths.map((nexthop) => ({ nexthop })), communities: [], largeCommunities: [] } });`,
        `for (let i = 0; i < 200; i++) ex.handle(r('10.40.' + i + '.0/24', ['${GW_A}', '${GW_B}']));`,
        `for (let i = 0; i < 100; i++) ex.handle(r('10.41.' + i + '.0/24', ['${GW_A}']));`,
        `for (let i = 0; i < 20; i++) ex.handle(r('10.42.' + i + '.0/24', ['${GW_B}']));`,
      ],
      "'ready ' + ex.stats().routesInKernel + ' ' + ex.stats().errors",
    );
    expect(ready).toBe('ready 320 0');
    expect(await ipRoutes(ns, 100)).toHaveLength(320);
    const objectsBefore = (await ns.ipJson(['nexthop', 'show', 'protocol', '186'])) as unknown as { id: number; group?: unknown[] }[];
    // Two nexthops, the ECMP group, and the one-member groups of GW_A and GW_B.
    expect(objectsBefore).toHaveLength(5);

    // Count every kernel route and nexthop notification from here on.
    const monitor = await rtnl.monitor({ groups: ['ipv4-route', 'nexthop'] });
    const events: string[] = [];
    monitor.on('route', (action, r) => events.push(`route ${action} ${r.dst}`));
    monitor.on('nexthop', (action, n) => events.push(`nexthop ${action} ${n.id}`));
    try {
      const exporter = new FibExporter({ rules: [{ name: 'all', table: 100 }], dampeningMs: 0, useNexthopGroups: true }, sink);
      await exporter.start();
      expect(exporter.stats()).toMatchObject({ adoptedRoutes: 320, resyncPending: true, cleanedUp: 0 });
      const feed = (p: string, paths: string[]) =>
        exporter.handle({ type: 'added', route: { ...route(p, [], paths[0]), multipath: paths.map((nexthop) => ({ nexthop })) } });
      for (let i = 0; i < 200; i++) feed(`10.40.${i}.0/24`, [GW_A, GW_B]);
      for (let i = 0; i < 100; i++) feed(`10.41.${i}.0/24`, [GW_A]);
      await exporter.drain();
      await new Promise((r) => setTimeout(r, 200)); // let any notification arrive
      expect(exporter.stats()).toMatchObject({ kernelOperations: 0, errors: 0, routesInKernel: 300 });
      expect(events).toEqual([]);
      expect(await ipRoutes(ns, 100)).toHaveLength(320); // stale ones stay until the feed is declared complete

      await exporter.endResync();
      await until(async () => events.length >= 21);
      await new Promise((r) => setTimeout(r, 200));
      // The 20 unconfirmed routes go, then the group only they used; GW_B's nexthop stays in the ECMP group.
      expect(events.filter((e) => e.startsWith('route del')).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `route del 10.42.${i}.0/24`).sort());
      expect(events.filter((e) => e.startsWith('nexthop del'))).toHaveLength(1);
      expect(events.filter((e) => e.includes(' new '))).toEqual([]);
      expect(exporter.stats()).toMatchObject({ kernelOperations: 21, errors: 0, resyncPending: false });
      const after = await ipRoutes(ns, 100);
      expect(after).toHaveLength(300);
      expect(after.some((r) => r.dst.startsWith('10.42.'))).toBe(false);
      expect((await ns.ipJson(['nexthop', 'show', 'protocol', '186'])) as unknown[]).toHaveLength(4);
      await ns.ip(['rule', 'add', 'to', '10.41.0.0/16', 'lookup', '100', 'priority', '1000']);
      const got = (await ns.ipJson(['route', 'get', '10.41.7.1'])) as unknown as IpRoute[];
      expect(got[0]).toMatchObject({ gateway: GW_A, dev: 'va' });
    } finally {
      monitor.close();
    }
  });
});

/** Polls (every 50 ms, at most 10 s) until the condition holds. */
async function until(cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met within 10 s');
}
