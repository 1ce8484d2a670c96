import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Rtnl } from '../../src/netlink/rtnl.js';
import { setNexthopCompatMode } from '../../src/nhg/compat-mode.js';
import { KernelNhgSink } from '../../src/nhg/kernel-nhg-sink.js';
import { KernelNhgWatcher } from '../../src/nhg/kernel-nhg-watcher.js';
import { NexthopGroupCache } from '../../src/nhg/nexthop-group-cache.js';
import { RecordingSink } from '../../src/nhg/recording-sink.js';
import type { NhgOperation, NhgSink, RouteSpec } from '../../src/nhg/types.js';
import { createNamespace, type TestNamespace } from '../support/netns.js';

// Two links inside our own namespace; gateways are on-link addresses nobody owns.
const GW_A = '10.77.0.2';
const GW_B = '10.78.0.2';
const GW_C = '10.77.0.3';

let ns: TestNamespace;
let rtnl: Rtnl;
let ifA = 0;
let ifB = 0;

beforeAll(async () => {
  ns = await createNamespace('fwnhg', {
    veths: [
      { name: 'va', peer: 'pa', addresses: ['10.77.0.1/24'] },
      { name: 'vb', peer: 'pb', addresses: ['10.78.0.1/24'] },
    ],
  });
  rtnl = await Rtnl.open({ netns: ns.name });
  ifA = (await rtnl.links.get('va'))!.index;
  ifB = (await rtnl.links.get('vb'))!.index;
});

afterEach(async () => {
  // A failed test must not leave objects whose ids the next test's cache would allocate again.
  await ns.ip(['nexthop', 'flush']).catch(() => undefined);
  for (const t of ['300', '301', '302', '303']) await ns.ip(['route', 'flush', 'table', t]).catch(() => undefined);
});

afterAll(async () => {
  rtnl?.close();
  await ns?.dispose();
});

/** A sink that records, then applies through the kernel sink. */
function tee(kernel: KernelNhgSink, rec: RecordingSink): NhgSink {
  return { apply: (ops: readonly NhgOperation[]) => (rec.apply(ops), kernel.apply(ops)) };
}

async function tableRoutes(table: number): Promise<{ dst: string; nhid?: number; gateway?: string; dev?: string }[]> {
  return (await ns.ipJson(['route', 'show', 'table', String(table)])) as { dst: string; nhid?: number }[];
}

describe('NexthopGroupCache against the kernel', () => {
  it('hands an MPLS-encapsulated nexthop to the kernel with its label stack (NHA_ENCAP)', async () => {
    const errors: unknown[] = [];
    const kernel = new KernelNhgSink(rtnl, { onError: (e) => errors.push(e.error) });
    const cache = new NexthopGroupCache({ sink: kernel });
    cache.setRoute({ prefix: '172.29.0.1/32', table: 303, metric: 20 }, [{ nexthop: { gateway: GW_A, ifindex: ifA, encap: { type: 'mpls', labels: [100, 200] } } }]);
    await kernel.idle();
    const mplsAvailable = existsSync('/proc/sys/net/mpls');
    if (!mplsAvailable) {
      // No MPLS modules on this kernel: the kernel itself refuses the encap, which proves the labels reached it
      // (before, the sink refused locally with ERR_NHG_UNSUPPORTED and never sent them).
      console.warn('!!! MPLS lwtunnel not available on this kernel (/proc/sys/net/mpls missing): checking the kernel\'s refusal instead of the installed label stack !!!');
      expect(errors.length).toBeGreaterThan(0);
      const first = errors[0] as { code?: string; message?: string };
      expect(first.code).not.toBe('ERR_NHG_UNSUPPORTED');
      expect(first.message ?? '').toMatch(/encap|not supported/i);
      return;
    }
    expect(errors).toEqual([]);
    const nh = (await ns.ipJson(['nexthop', 'show', 'id', String(cache.installedTarget({ prefix: '172.29.0.1/32', table: 303, metric: 20 })!)])) as { encap?: string; dst?: string }[];
    expect(JSON.stringify(nh)).toMatch(/100\/200|"dst":"100\/200"/);
  });

  it('installs an ECMP group with routes on it; nexthopDown is a group replace the kernel forwards through', async () => {
    const errors: unknown[] = [];
    const kernel = new KernelNhgSink(rtnl, { onError: (e) => errors.push(e.error) });
    const rec = new RecordingSink();
    const cache = new NexthopGroupCache({ sink: tee(kernel, rec) });
    const a = { gateway: GW_A, ifindex: ifA };
    const b = { gateway: GW_B, ifindex: ifB };
    const routes: RouteSpec[] = Array.from({ length: 1000 }, (_, i) => ({ prefix: `172.20.${i >> 8}.${i & 255}/32`, table: 300, metric: 20 }));
    for (const r of routes) cache.setRoute(r, [{ nexthop: a }, { nexthop: b }]);
    await kernel.idle();
    expect(errors).toEqual([]);
    const gid = cache.installedTarget(routes[0]!)!;
    const group = (await ns.ipJson(['nexthop', 'show', 'id', String(gid)])) as { group: { id: number }[]; protocol: string }[];
    expect(group[0]!.group).toHaveLength(2);
    expect(group[0]!.protocol).toBe('bgp');
    const listed = await tableRoutes(300);
    expect(listed).toHaveLength(1000);
    expect(listed.every((r) => r.nhid === gid)).toBe(true);

    rec.clear();
    cache.nexthopDown(b);
    await kernel.idle();
    expect(rec.operations.map((o) => o.op)).toEqual(['group-replace', 'nexthop-delete']);
    expect(await tableRoutes(300)).toHaveLength(1000);
    // A FIB lookup (policy rule sends 172.20/16 to table 300) answers through the surviving nexthop.
    await ns.ip(['rule', 'add', 'to', '172.20.0.0/16', 'lookup', '300', 'priority', '1000']);
    const inTable = (await ns.ipJson(['route', 'get', '172.20.3.7'])) as { gateway?: string; dev?: string }[];
    expect(inTable[0]).toMatchObject({ gateway: GW_A, dev: 'va' });

    rec.clear();
    cache.nexthopUp(b);
    await kernel.idle();
    expect(rec.operations.map((o) => o.op)).toEqual(['nexthop-add', 'group-replace']);
    for (const r of routes) cache.removeRoute(r);
    await kernel.idle();
    expect(await tableRoutes(300)).toHaveLength(0);
    expect((await rtnl.nexthops.list()).filter((n) => n.protocol === 186)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('re-creates what the kernel flushed on link down, and re-points the routes', async () => {
    const kernel = new KernelNhgSink(rtnl);
    const rec = new RecordingSink();
    const cache = new NexthopGroupCache({ sink: tee(kernel, rec), fallback: { group: [{ nexthop: { gateway: GW_C, ifindex: ifA } }] } });
    const watcher = await KernelNhgWatcher.start(rtnl, cache);
    try {
      const onB: RouteSpec = { prefix: '172.21.0.0/24', table: 301, metric: 20 };
      const both: RouteSpec = { prefix: '172.21.1.0/24', table: 301, metric: 20 };
      cache.setRoute(onB, [{ nexthop: { gateway: GW_B, ifindex: ifB } }]);
      cache.setRoute(both, [{ nexthop: { gateway: GW_A, ifindex: ifA } }, { nexthop: { gateway: GW_B, ifindex: ifB } }]);
      await kernel.idle();
      expect(await tableRoutes(301)).toHaveLength(2);
      rec.clear();

      // The kernel deletes the nexthop on vb, the group left empty, and the route on it — silently.
      await ns.ip(['link', 'set', 'vb', 'down']);
      await waitFor(() => watcher.events > 0 && rec.operations.length > 0);
      await kernel.idle();
      const afterDown = await tableRoutes(301);
      expect(afterDown.map((r) => r.dst).sort()).toEqual(['172.21.0.0/24', '172.21.1.0/24']);
      const fallbackId = cache.installedTarget(onB)!;
      const fb = (await ns.ipJson(['nexthop', 'show', 'id', String(fallbackId)])) as { group: { id: number }[] }[];
      expect(fb[0]!.group).toHaveLength(1);
      expect(rec.operations.map((o) => o.op)).toEqual(['nexthop-add', 'group-add', 'route-add']);

      rec.clear();
      await ns.ip(['link', 'set', 'vb', 'up']);
      await waitFor(() => rec.operations.length >= 4);
      await kernel.idle();
      const back = cache.installedTarget(onB)!;
      expect(back).not.toBe(fallbackId);
      const routes = await tableRoutes(301);
      expect(routes).toHaveLength(2);
      const bothGroup = (await ns.ipJson(['nexthop', 'show', 'id', String(cache.installedTarget(both)!)])) as { group: { id: number }[] }[];
      expect(bothGroup[0]!.group).toHaveLength(2);
      expect(cache.checkInvariants()).toEqual([]);
      expect(kernel.errors).toBe(0);
      cache.removeRoute(onB);
      cache.removeRoute(both);
      await kernel.idle();
    } finally {
      watcher.stop();
    }
  });

  it('rebuilds from the kernel after a restart without touching it, then sweeps what was not confirmed', async () => {
    const kernel = new KernelNhgSink(rtnl);
    const first = new NexthopGroupCache({ sink: kernel });
    const keep: RouteSpec = { prefix: '172.22.0.0/24', table: 302, metric: 20 };
    const drop: RouteSpec = { prefix: '172.22.1.0/24', table: 302, metric: 20 };
    first.setRoute(keep, [{ nexthop: { gateway: GW_A, ifindex: ifA } }, { nexthop: { gateway: GW_B, ifindex: ifB } }]);
    first.setRoute(drop, [{ nexthop: { gateway: GW_C, ifindex: ifA } }]);
    await kernel.idle();

    const rec = new RecordingSink();
    const second = new NexthopGroupCache({ sink: tee(kernel, rec) });
    const adopted = second.rebuild(await kernel.snapshot([302]));
    expect(adopted).toMatchObject({ adoptedNexthops: 3, adoptedGroups: 2, adoptedRoutes: 2 });
    expect(second.setRoute(keep, [{ nexthop: { gateway: GW_B, ifindex: ifB } }, { nexthop: { gateway: GW_A, ifindex: ifA } }])).toEqual([]);
    second.endResync();
    await kernel.idle();
    expect(rec.operations.map((o) => o.op)).toEqual(['route-delete', 'group-delete', 'nexthop-delete']);
    expect((await tableRoutes(302)).map((r) => r.dst)).toEqual(['172.22.0.0/24']);
    second.removeRoute(keep);
    await kernel.idle();
    expect(kernel.errors).toBe(0);
  });

  it('sets nexthop_compat_mode per namespace; with 0 dumps show only ids, which the cache resolves', async () => {
    const before = await setNexthopCompatMode(rtnl, 0);
    expect(before).toBe(1);
    expect(await rtnl.sysctl.nexthopCompatMode()).toBe(0);
    const kernel = new KernelNhgSink(rtnl);
    const cache = new NexthopGroupCache({ sink: kernel });
    const r: RouteSpec = { prefix: '172.23.0.0/24', table: 303, metric: 20 };
    cache.setRoute(r, [{ nexthop: { gateway: GW_A, ifindex: ifA } }, { nexthop: { gateway: GW_B, ifindex: ifB }, weight: 3 }]);
    await kernel.idle();
    const [dumped] = await rtnl.routes.list({ table: 303 });
    expect(dumped!.gateway).toBeUndefined(); // compat mode 0: only RTA_NH_ID
    expect(dumped!.multipath).toBeUndefined();
    expect(cache.resolve(dumped!.nhid!)).toEqual({
      kind: 'group',
      id: dumped!.nhid,
      members: [
        { nexthop: { gateway: GW_A, ifindex: ifA }, weight: 1 },
        { nexthop: { gateway: GW_B, ifindex: ifB }, weight: 3 },
      ],
    });
    expect(await setNexthopCompatMode(rtnl, 1)).toBe(0);
    const [expanded] = await rtnl.routes.list({ table: 303 });
    expect(expanded!.multipath?.map((h) => h.gateway)).toEqual([GW_A, GW_B]);
    cache.removeRoute(r);
    await kernel.idle();
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
  // let the same burst of events land
  await new Promise((r) => setTimeout(r, 100));
}
