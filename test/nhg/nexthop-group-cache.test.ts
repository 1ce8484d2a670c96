import { describe, expect, it } from 'vitest';
import { NexthopGroupCache } from '../../src/nhg/nexthop-group-cache.js';
import { ModelKernel } from '../../src/nhg/model-kernel.js';
import { RecordingSink } from '../../src/nhg/recording-sink.js';
import type { KernelSnapshot, NhgOperation, RouteSpec } from '../../src/nhg/types.js';

const NH1 = { gateway: '192.0.2.1', ifindex: 2 };
const NH2 = { gateway: '198.51.100.1', ifindex: 3 };
const NH3 = { gateway: '203.0.113.1', ifindex: 4 };
const P1: RouteSpec = { prefix: '192.0.2.1/32', table: 254, metric: 20 };
const P2: RouteSpec = { prefix: '192.0.2.2/32', table: 254, metric: 20 };
const RANGE = { min: 1000, max: 1999 };

const kinds = (ops: readonly NhgOperation[]): string[] => ops.map((o) => o.op);

function setup(opts: ConstructorParameters<typeof NexthopGroupCache>[0] = {}) {
  const kernel = new ModelKernel();
  const sink = new RecordingSink();
  const cache = new NexthopGroupCache({ idRange: RANGE, ...opts, sink: { apply: (ops) => (sink.apply(ops), kernel.apply(ops)) } });
  const check = () => {
    expect(cache.checkInvariants()).toEqual([]);
    expect(kernel.violations()).toEqual([]);
  };
  return { cache, kernel, sink, check };
}

describe('NexthopGroupCache: the seed example (two prefixes over NH1 + NH2)', () => {
  it('installs children before parents before routes, sharing one group', () => {
    const { cache, kernel, check } = setup();
    const a = cache.setRoute(P1, [{ nexthop: NH1 }, { nexthop: NH2 }]);
    expect(kinds(a)).toEqual(['nexthop-add', 'nexthop-add', 'group-add', 'route-add']);
    const b = cache.setRoute(P2, [{ nexthop: NH2 }, { nexthop: NH1 }]);
    // Same member set in another order: same group, only the route.
    expect(kinds(b)).toEqual(['route-add']);
    expect(cache.size).toEqual({ routes: 2, groups: 1, nexthops: 2 });
    const g = cache.groups()[0]!;
    expect(g.refCount).toBe(2);
    expect(cache.nexthops().map((n) => n.refCount)).toEqual([2, 2]);
    expect(kernel.lookup(P1)).toEqual([NH1, NH2]);
    check();
  });

  it('nexthopDown rewrites the group in place and sends no route operation; nexthopUp restores it', () => {
    const { cache, kernel, check } = setup();
    cache.setRoute(P1, [{ nexthop: NH1 }, { nexthop: NH2 }]);
    cache.setRoute(P2, [{ nexthop: NH1 }, { nexthop: NH2 }]);
    const nh2Id = cache.nexthops().find((n) => n.nexthop.gateway === NH2.gateway)!.id;
    const groupId = cache.groups()[0]!.id;
    const down = cache.nexthopDown(NH2);
    expect(down).toEqual([
      { op: 'group-replace', id: groupId, members: [{ id: cache.nexthops()[0]!.id, weight: 1 }] },
      { op: 'nexthop-delete', id: nh2Id },
    ]);
    expect(kernel.lookup(P1)).toEqual([NH1]);
    expect(kernel.lookup(P2)).toEqual([NH1]);
    check();
    expect(cache.nexthopDown(NH2)).toEqual([]); // idempotent
    const up = cache.nexthopUp(NH2);
    expect(kinds(up)).toEqual(['nexthop-add', 'group-replace']);
    expect(up[0]).toMatchObject({ id: nh2Id }); // same id: the entry outlived the outage
    expect(kernel.lookup(P2)).toEqual([NH1, NH2]);
    check();
  });

  it('removeNexthop re-keys groups in place, so the RIB re-announcing the remaining paths costs nothing', () => {
    const { cache, kernel, sink, check } = setup();
    cache.setRoute(P1, [{ nexthop: NH1 }, { nexthop: NH2 }]);
    cache.setRoute(P2, [{ nexthop: NH1 }, { nexthop: NH2 }]);
    const gid = cache.installedTarget(P1)!;
    sink.clear();
    // Peer 2's paths are flushed for good: FRR's NHG_CHILD_ADD(NHG_0, {NH1}) + NHG_DEL(NH2).
    expect(kinds(cache.removeNexthop(NH2))).toEqual(['group-replace', 'nexthop-delete']);
    expect(cache.size).toEqual({ routes: 2, groups: 1, nexthops: 1 });
    check();
    // The RIB then re-announces both prefixes with NH1 only: they already point at a matching group.
    expect(cache.setRoute(P1, [{ nexthop: NH1 }])).toEqual([]);
    expect(cache.setRoute(P2, [{ nexthop: NH1 }])).toEqual([]);
    // A new prefix over NH1 joins the same group.
    const P3 = { ...P1, prefix: '192.0.2.3/32' };
    expect(cache.setRoute(P3, [{ nexthop: NH1 }])).toEqual([{ op: 'route-add', route: P3, nexthopId: gid }]);
    expect(kernel.lookup(P3)).toEqual([NH1]);
    // Removing the last member withdraws (no fallback configured) and keeps the routes waiting for new paths.
    expect(kinds(cache.removeNexthop(NH1))).toEqual(['route-delete', 'route-delete', 'route-delete', 'group-delete', 'nexthop-delete']);
    expect(cache.withdrawnRouteCount).toBe(3);
    check();
    expect(kinds(cache.setRoute(P1, [{ nexthop: NH3 }]))).toEqual(['nexthop-add', 'group-add', 'route-add']);
    expect(cache.removeNexthop({ gateway: '10.10.10.10', ifindex: 9 })).toEqual([]);
    check();
  });

  it('withdraws routes when the last member goes, and re-installs them on up', () => {
    const { cache, kernel, check } = setup();
    cache.setRoute(P1, [{ nexthop: NH1 }]);
    cache.setRoute(P2, [{ nexthop: NH1 }]);
    const down = cache.nexthopDown(NH1);
    expect(kinds(down)).toEqual(['route-delete', 'route-delete', 'group-delete', 'nexthop-delete']);
    expect(kernel.routes.size).toBe(0);
    expect(kernel.objects.size).toBe(0);
    expect(cache.withdrawnRouteCount).toBe(2);
    check();
    const up = cache.nexthopUp(NH1);
    expect(kinds(up)).toEqual(['nexthop-add', 'group-add', 'route-add', 'route-add']);
    expect(kernel.lookup(P1)).toEqual([NH1]);
    expect(cache.withdrawnRouteCount).toBe(0);
    check();
  });

  it('moves routes to a configured fallback group and back', () => {
    const { cache, kernel, check } = setup({ fallback: { group: [{ nexthop: NH3 }] } });
    cache.setRoute(P1, [{ nexthop: NH1 }, { nexthop: NH2 }]);
    cache.nexthopDown(NH1);
    const down = cache.nexthopDown(NH2);
    expect(kinds(down)).toEqual(['nexthop-add', 'group-add', 'route-replace', 'group-delete', 'nexthop-delete']);
    expect(kernel.lookup(P1)).toEqual([NH3]);
    check();
    const up = cache.nexthopUp(NH1);
    expect(kinds(up)).toEqual(['nexthop-add', 'group-add', 'route-replace', 'group-delete', 'nexthop-delete']);
    expect(kernel.lookup(P1)).toEqual([NH1]);
    expect(cache.size.groups).toBe(1); // the fallback group went when unused
    check();
  });

  it('withdraws when the fallback group is down too, and uses it once it comes up', () => {
    const { cache, kernel, check } = setup({ fallback: { group: [{ nexthop: NH3 }] } });
    cache.nexthopDown(NH3);
    cache.setRoute(P1, [{ nexthop: NH1 }]);
    cache.nexthopDown(NH1);
    expect(kernel.routes.size).toBe(0);
    const up = cache.nexthopUp(NH3);
    expect(kinds(up)).toEqual(['nexthop-add', 'group-add', 'route-add']);
    expect(kernel.lookup(P1)).toEqual([NH3]);
    check();
  });

  it('removes in reverse order and reuses the freed ids, never within the same batch', () => {
    const { cache, check } = setup();
    cache.setRoute(P1, [{ nexthop: NH1 }, { nexthop: NH2 }]);
    const ids = [...cache.nexthops().map((n) => n.id), ...cache.groups().map((g) => g.id)].sort();
    const gone = cache.removeRoute(P1);
    expect(kinds(gone)).toEqual(['route-delete', 'group-delete', 'nexthop-delete', 'nexthop-delete']);
    expect(cache.size).toEqual({ routes: 0, groups: 0, nexthops: 0 });
    check();
    cache.setRoute(P1, [{ nexthop: NH1 }, { nexthop: NH3 }]);
    const again = [...cache.nexthops().map((n) => n.id), ...cache.groups().map((g) => g.id)].sort();
    expect(again).toEqual(ids);
    // Moving to a new set frees the old group in the same batch: the new one must not take its id.
    const move = cache.setRoute(P1, [{ nexthop: NH2 }]);
    const created = move.filter((o) => o.op === 'group-add' || o.op === 'nexthop-add').map((o) => ('id' in o ? o.id : 0));
    const deleted = move.filter((o) => o.op === 'group-delete' || o.op === 'nexthop-delete').map((o) => ('id' in o ? o.id : 0));
    expect(created.filter((id) => deleted.includes(id))).toEqual([]);
    check();
  });

  it('makes no operation for an unchanged path set, and one replace for a changed one', () => {
    const { cache, kernel, check } = setup();
    cache.setRoute(P1, [{ nexthop: NH1 }, { nexthop: NH2 }]);
    expect(cache.setRoute(P1, [{ nexthop: NH2 }, { nexthop: NH1 }])).toEqual([]);
    const w = cache.setRoute(P1, [{ nexthop: NH1, weight: 3 }, { nexthop: NH2 }]);
    expect(kinds(w)).toEqual(['group-add', 'route-replace', 'group-delete']);
    const gid = kernel.routes.values().next().value!.nexthopId;
    const g = kernel.objects.get(gid);
    expect(g).toMatchObject({ kind: 'group' });
    expect(g?.kind === 'group' ? g.members.map((m) => m.weight).sort() : []).toEqual([1, 3]);
    check();
  });

  it('keeps distinct routes per table and metric', () => {
    const { cache, check } = setup();
    cache.setRoute(P1, [{ nexthop: NH1 }]);
    cache.setRoute({ ...P1, table: 100 }, [{ nexthop: NH1 }]);
    cache.setRoute({ ...P1, metric: 30 }, [{ nexthop: NH1 }]);
    expect(cache.size).toEqual({ routes: 3, groups: 1, nexthops: 1 });
    check();
  });

  it('leaves the cache unchanged on bad input and on id exhaustion', () => {
    const { cache, check } = setup({ idRange: { min: 1, max: 3 } });
    cache.setRoute(P1, [{ nexthop: NH1 }, { nexthop: NH2 }]);
    const before = JSON.stringify([cache.nexthops(), cache.groups(), cache.routes()]);
    expect(() => cache.setRoute(P2, [{ nexthop: NH1, weight: 999 }])).toThrowError(expect.objectContaining({ code: 'ERR_NHG_BAD_WEIGHT' }) as Error);
    expect(() => cache.setRoute(P2, [{ nexthop: { gateway: 'nope' } }])).toThrowError(expect.objectContaining({ code: 'ERR_NHG_BAD_NEXTHOP' }) as Error);
    expect(() => cache.setRoute({ ...P2, prefix: 'x' }, [{ nexthop: NH1 }])).toThrowError(expect.objectContaining({ code: 'ERR_NHG_BAD_ROUTE' }) as Error);
    expect(() => cache.setRoute(P2, [{ nexthop: NH3 }])).toThrowError(expect.objectContaining({ code: 'ERR_NHG_ID_EXHAUSTED' }) as Error);
    expect(JSON.stringify([cache.nexthops(), cache.groups(), cache.routes()])).toBe(before);
    check();
    // the existing group still serves new routes
    expect(kinds(cache.setRoute(P2, [{ nexthop: NH1 }, { nexthop: NH2 }]))).toEqual(['route-add']);
  });

  it('resolves ids to nexthops for compat-mode-0 dumps', () => {
    const { cache } = setup();
    cache.setRoute(P1, [{ nexthop: NH1, weight: 2 }, { nexthop: NH2 }]);
    const gid = cache.installedTarget(P1)!;
    expect(cache.resolve(gid)).toEqual({ kind: 'group', id: gid, members: [{ nexthop: NH1, weight: 2 }, { nexthop: NH2, weight: 1 }] });
    const nid = cache.nexthops()[0]!.id;
    expect(cache.resolve(nid)).toEqual({ kind: 'nexthop', id: nid, nexthop: NH1 });
    expect(cache.resolve(1)).toBeUndefined();
  });

  it('remembers a nexthop reported down before any route uses it', () => {
    const { cache, kernel } = setup();
    cache.nexthopDown(NH2);
    const ops = cache.setRoute(P1, [{ nexthop: NH1 }, { nexthop: NH2 }]);
    expect(kinds(ops)).toEqual(['nexthop-add', 'group-add', 'route-add']);
    expect(kernel.lookup(P1)).toEqual([NH1]);
    expect(cache.isUsable(NH2)).toBe(false);
  });
});

describe('NexthopGroupCache: the kernel flushing nexthops on link down', () => {
  function feedKernelDelete(cache: NexthopGroupCache, kernel: ModelKernel, ifindex: number): NhgOperation[] {
    const deleted = kernel.nexthopsOn(ifindex).flatMap((id) => kernel.kernelDelete(id));
    return cache.applyKernelEvents([{ type: 'link-down', ifindex }, ...deleted.map((id) => ({ type: 'nexthop-deleted' as const, id }))]);
  }

  it('one member lost: nothing to do until link up, then re-create and re-add to the group', () => {
    const { cache, kernel, check } = setup();
    cache.setRoute(P1, [{ nexthop: NH1 }, { nexthop: NH2 }]);
    expect(feedKernelDelete(cache, kernel, NH2.ifindex)).toEqual([]);
    expect(kernel.lookup(P1)).toEqual([NH1]);
    check();
    const up = cache.applyKernelEvents([{ type: 'link-up', ifindex: NH2.ifindex }]);
    expect(kinds(up)).toEqual(['nexthop-add', 'group-replace']);
    expect(kernel.lookup(P1)).toEqual([NH1, NH2]);
    check();
  });

  it('last member lost: the kernel flushed group and routes; the fallback group takes them', () => {
    const { cache, kernel, check } = setup({ fallback: { group: [{ nexthop: NH3 }] } });
    cache.setRoute(P1, [{ nexthop: NH1 }]);
    cache.setRoute(P2, [{ nexthop: NH1 }]);
    const ops = feedKernelDelete(cache, kernel, NH1.ifindex);
    // No delete for what the kernel already removed; routes re-added on the fallback.
    expect(kinds(ops)).toEqual(['nexthop-add', 'group-add', 'route-add', 'route-add']);
    expect(kernel.lookup(P2)).toEqual([NH3]);
    check();
    const up = cache.applyKernelEvents([{ type: 'link-up', ifindex: NH1.ifindex }]);
    expect(kinds(up)).toEqual(['nexthop-add', 'group-add', 'route-replace', 'route-replace', 'group-delete', 'nexthop-delete']);
    expect(kernel.lookup(P1)).toEqual([NH1]);
    check();
  });

  it('a nexthop deleted behind our back with the link up is re-created and routes re-pointed', () => {
    const { cache, kernel, check } = setup();
    cache.setRoute(P1, [{ nexthop: NH1 }]);
    const nid = cache.nexthops()[0]!.id;
    const deleted = kernel.kernelDelete(nid);
    expect(kernel.routes.size).toBe(0); // the trap: the kernel flushed the route silently
    const ops = cache.applyKernelEvents(deleted.map((id) => ({ type: 'nexthop-deleted' as const, id })));
    expect(kinds(ops)).toEqual(['nexthop-add', 'group-add', 'route-add']);
    expect(kernel.lookup(P1)).toEqual([NH1]);
    check();
  });

  it('ignores events about ids it does not hold', () => {
    const { cache, check } = setup();
    cache.setRoute(P1, [{ nexthop: NH1 }]);
    expect(cache.applyKernelEvents([{ type: 'nexthop-deleted', id: 5 }, { type: 'link-up', ifindex: 9 }])).toEqual([]);
    check();
  });
});

describe('NexthopGroupCache: restart', () => {
  function snapshotOf(kernel: ModelKernel): KernelSnapshot {
    return {
      nexthops: [...kernel.objects].map(([id, o]) => (o.kind === 'nexthop' ? { id, ...o.nexthop } : { id, group: o.members })),
      routes: [...kernel.routes.values()],
    };
  }

  it('adopts the kernel state without an operation, confirms, and sweeps the rest at endResync', () => {
    const first = setup();
    first.cache.setRoute(P1, [{ nexthop: NH1 }, { nexthop: NH2 }]);
    first.cache.setRoute(P2, [{ nexthop: NH3 }]);
    const kernel = first.kernel;
    const sink = new RecordingSink();
    const cache = new NexthopGroupCache({ idRange: RANGE, sink: { apply: (ops) => (sink.apply(ops), kernel.apply(ops)) } });
    const res = cache.rebuild(snapshotOf(kernel));
    expect(res).toEqual({ adoptedNexthops: 3, adoptedGroups: 2, adoptedRoutes: 2, ignored: 0 });
    expect(sink.operations).toEqual([]);
    expect(cache.isResyncing).toBe(true);
    // The RIB re-feeds P1 unchanged: nothing touches the kernel.
    expect(cache.setRoute(P1, [{ nexthop: NH2 }, { nexthop: NH1 }])).toEqual([]);
    // P2 is not re-fed: endResync removes it and what only it used.
    const end = cache.endResync();
    expect(kinds(end)).toEqual(['route-delete', 'group-delete', 'nexthop-delete']);
    expect(kernel.lookup(P1)).toEqual([NH1, NH2]);
    expect(kernel.lookup(P2)).toBeUndefined();
    expect(cache.checkInvariants()).toEqual([]);
    expect(kernel.violations()).toEqual([]);
    // New allocations avoid the adopted ids.
    cache.setRoute(P2, [{ nexthop: NH3 }]);
    expect(cache.checkInvariants()).toEqual([]);
    expect(kernel.violations()).toEqual([]);
  });

  it('endResync sweeps the unconfirmed routes last-adopted first (a dump is ascending; deleting in that order is fib_trie\'s slow path)', () => {
    const kernel = new ModelKernel();
    const routes: RouteSpec[] = Array.from({ length: 6 }, (_, i) => ({ prefix: `10.0.${i}.0/24`, table: 100, metric: 20 }));
    kernel.apply([{ op: 'nexthop-add', id: 7, nexthop: NH1 }, { op: 'group-add', id: 8, members: [{ id: 7, weight: 1 }] }, ...routes.map((route) => ({ op: 'route-add' as const, route, nexthopId: 8 }))]);
    const cache = new NexthopGroupCache({ idRange: RANGE, sink: kernel });
    cache.rebuild(snapshotOf(kernel));
    // The feed confirms 10.0.2.0/24 only.
    expect(cache.setRoute(routes[2]!, [{ nexthop: NH1 }])).toEqual([]);
    const end = cache.endResync();
    expect(end.filter((o) => o.op === 'route-delete').map((o) => ('route' in o ? o.route.prefix : ''))).toEqual(['10.0.5.0/24', '10.0.4.0/24', '10.0.3.0/24', '10.0.1.0/24', '10.0.0.0/24']);
    expect(kernel.lookup(routes[2]!)).toEqual([NH1]);
    expect(kernel.violations()).toEqual([]);
    expect(cache.checkInvariants()).toEqual([]);
  });

  it('re-points adopted routes that point at plain nexthops or unknown ids', () => {
    const kernel = new ModelKernel();
    kernel.apply([
      { op: 'nexthop-add', id: 7, nexthop: NH1 },
      { op: 'route-add', route: P1, nexthopId: 7 },
    ]);
    const cache = new NexthopGroupCache({ idRange: RANGE, sink: kernel });
    cache.rebuild({ nexthops: [{ id: 7, ...NH1 }, { id: 8, group: [{ id: 99, weight: 1 }] }], routes: [{ route: P1, nexthopId: 7 }] });
    const ops = cache.setRoute(P1, [{ nexthop: NH1 }]);
    expect(kinds(ops)).toEqual(['group-add', 'route-replace']);
    const end = cache.endResync();
    expect(end).toEqual([]);
    expect(kernel.violations()).toEqual([]);
    expect(cache.checkInvariants()).toEqual([]);
  });

  it('confirms an adopted route named in another spelling than the kernel dump (no operation, not swept)', () => {
    const kernel = new ModelKernel();
    const dumped: RouteSpec = { prefix: '2001:db8::/32', table: 100, metric: 20 };
    kernel.apply([
      { op: 'nexthop-add', id: 7, nexthop: NH1 },
      { op: 'group-add', id: 8, members: [{ id: 7, weight: 1 }] },
      { op: 'route-add', route: dumped, nexthopId: 8 },
    ]);
    const sink = new RecordingSink();
    const cache = new NexthopGroupCache({ idRange: RANGE, sink: { apply: (ops) => (sink.apply(ops), kernel.apply(ops)) } });
    cache.rebuild(snapshotOf(kernel));
    const spelled: RouteSpec = { prefix: '2001:DB8:0::/32', table: 100, metric: 20 };
    expect(cache.setRoute(spelled, [{ nexthop: NH1 }])).toEqual([]);
    expect(cache.endResync()).toEqual([]);
    expect(kernel.lookup(dumped)).toEqual([NH1]);
    // Later calls use the caller's spelling; the kernel operations keep the kernel's.
    expect(kinds(cache.removeRoute(spelled))).toEqual(['route-delete', 'group-delete', 'nexthop-delete']);
    expect(kernel.lookup(dumped)).toBeUndefined();
    expect(kernel.violations()).toEqual([]);
    expect(cache.checkInvariants()).toEqual([]);
  });

  it('refuses rebuild on a non-empty cache', () => {
    const { cache } = setup();
    cache.setRoute(P1, [{ nexthop: NH1 }]);
    expect(() => cache.rebuild({ nexthops: [], routes: [] })).toThrow();
  });
});
