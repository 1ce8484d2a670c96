import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NexthopGroupCache } from '../../src/nhg/nexthop-group-cache.js';
import { ModelKernel } from '../../src/nhg/model-kernel.js';
import { operationPhase } from '../../src/nhg/operation-order.js';
import type { NexthopSpec, NhgOperation, PathSpec, RouteSpec } from '../../src/nhg/types.js';

// Six nexthops over three interfaces, so a link-down takes out two at once.
const NEXTHOPS: NexthopSpec[] = [0, 1, 2, 3, 4, 5].map((i) => ({ gateway: `10.0.${i}.1`, ifindex: 10 + (i % 3) }));
const FALLBACK: NexthopSpec = { gateway: '10.9.9.9', ifindex: 20 };
const ROUTES: RouteSpec[] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({ prefix: `172.16.${i}.0/24`, table: 100 + (i % 2), metric: 20 }));
const RANGE = { min: 500, max: 599 };

type Cmd =
  | { t: 'set'; r: number; paths: { n: number; w: number }[] }
  | { t: 'remove'; r: number }
  | { t: 'down'; n: number }
  | { t: 'up'; n: number }
  | { t: 'forget'; n: number }
  | { t: 'link-down'; ifindex: number; announce: boolean }
  | { t: 'link-up'; ifindex: number }
  | { t: 'kernel-delete'; pick: number; announce: boolean };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('set' as const), r: fc.nat(7), paths: fc.array(fc.record({ n: fc.nat(5), w: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('remove' as const), r: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('down' as const), n: fc.nat(6) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('up' as const), n: fc.nat(6) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('forget' as const), n: fc.nat(6) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('link-down' as const), ifindex: fc.constantFrom(10, 11, 12, 20), announce: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('link-up' as const), ifindex: fc.constantFrom(10, 11, 12, 20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('kernel-delete' as const), pick: fc.nat(50), announce: fc.boolean() }) },
);

const nh = (n: number): NexthopSpec => (n === 6 ? FALLBACK : NEXTHOPS[n]!);
const gwKey = (s: NexthopSpec) => `${s.gateway}|${s.ifindex}`;

function run(cmds: Cmd[], withFallback: boolean): void {
  const kernel = new ModelKernel();
  const batches: NhgOperation[][] = [];
  const cache = new NexthopGroupCache({
    idRange: RANGE,
    ...(withFallback ? { fallback: { group: [{ nexthop: FALLBACK }] } } : {}),
    sink: { apply: (ops) => (batches.push([...ops]), kernel.apply(ops)) },
  });
  // Reference model: what each route wants, and which nexthops are down.
  const wanted = new Map<number, PathSpec[]>();
  const downNh = new Set<string>();
  const downLink = new Set<number>();
  const usable = (s: NexthopSpec) => !downNh.has(gwKey(s)) && !downLink.has(s.ifindex!);

  for (const c of cmds) {
    switch (c.t) {
      case 'set': {
        const paths = c.paths.map((p) => ({ nexthop: nh(p.n), weight: p.w }));
        cache.setRoute(ROUTES[c.r]!, paths);
        wanted.set(c.r, paths);
        break;
      }
      case 'remove':
        cache.removeRoute(ROUTES[c.r]!);
        wanted.delete(c.r);
        break;
      case 'down':
        cache.nexthopDown(nh(c.n));
        downNh.add(gwKey(nh(c.n)));
        break;
      case 'up':
        cache.nexthopUp(nh(c.n));
        downNh.delete(gwKey(nh(c.n)));
        break;
      case 'forget': {
        // Gone for good: every route keeps its other paths.
        cache.removeNexthop(nh(c.n));
        for (const [r, paths] of wanted) wanted.set(r, paths.filter((p) => gwKey(p.nexthop) !== gwKey(nh(c.n))));
        break;
      }
      case 'link-down': {
        const plain = kernel.nexthopsOn(c.ifindex);
        const cascade = plain.flatMap((id) => kernel.kernelDelete(id));
        // Without `announce` the cache hears only of the plain nexthops and must infer the
        // groups and routes the kernel removed with them.
        const deleted = c.announce ? cascade : plain;
        cache.applyKernelEvents([{ type: 'link-down', ifindex: c.ifindex }, ...deleted.map((id) => ({ type: 'nexthop-deleted' as const, id }))]);
        downLink.add(c.ifindex);
        break;
      }
      case 'link-up':
        cache.applyKernelEvents([{ type: 'link-up', ifindex: c.ifindex }]);
        downLink.delete(c.ifindex);
        break;
      case 'kernel-delete': {
        const ids = [...kernel.objects.keys()];
        if (ids.length === 0) break;
        const victim = ids[c.pick % ids.length]!;
        const cascade = kernel.kernelDelete(victim);
        const deleted = c.announce ? cascade : [victim];
        cache.applyKernelEvents(deleted.map((id) => ({ type: 'nexthop-deleted' as const, id })));
        break;
      }
    }
    // Invariants after every step.
    expect(cache.checkInvariants()).toEqual([]);
    expect(kernel.violations()).toEqual([]);
    for (const n of cache.nexthops()) expect(n.refCount).toBeGreaterThan(0);
    const ids = [...cache.nexthops().map((n) => n.id), ...cache.groups().map((g) => g.id)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id >= RANGE.min && id <= RANGE.max).toBe(true);
    // The kernel forwards every wanted route through exactly its usable nexthops (or the fallback).
    for (let r = 0; r < ROUTES.length; r++) {
      const paths = wanted.get(r);
      const got = kernel.lookup(ROUTES[r]!)?.map(gwKey).sort();
      if (!paths) {
        expect(got).toBeUndefined();
        continue;
      }
      const live = [...new Set(paths.map((p) => p.nexthop).filter(usable).map(gwKey))].sort();
      if (live.length > 0) expect(got).toEqual(live);
      else if (withFallback && usable(FALLBACK)) expect(got).toEqual([gwKey(FALLBACK)]);
      else expect(got).toBeUndefined();
    }
  }
  // Every batch installs before it removes, in phase order.
  for (const b of batches) {
    const phases = b.map(operationPhase);
    expect(phases).toEqual([...phases].sort((x, y) => x - y));
  }
  // Tearing everything down empties both the cache and the kernel, in reverse order.
  for (let r = 0; r < ROUTES.length; r++) cache.removeRoute(ROUTES[r]!);
  expect(cache.size).toEqual({ routes: 0, groups: 0, nexthops: 0 });
  expect(kernel.routes.size).toBe(0);
  expect(kernel.objects.size).toBe(0);
}

describe('NexthopGroupCache properties', () => {
  it('random add/remove/down/up/link/kernel-delete sequences keep cache and model kernel consistent (withdraw)', () => {
    fc.assert(fc.property(fc.array(cmd, { maxLength: 60 }), (cmds) => run(cmds, false)), { numRuns: 300 });
  });

  it('the same with a fallback group', () => {
    fc.assert(fc.property(fc.array(cmd, { maxLength: 60 }), (cmds) => run(cmds, true)), { numRuns: 300 });
  });

  it('a down/up of a member of a multi-member group never emits a route operation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(5), (routeCount, victim) => {
        const ops: NhgOperation[] = [];
        const cache = new NexthopGroupCache({ idRange: RANGE, sink: { apply: (o) => void ops.push(...o) } });
        for (let i = 0; i < routeCount; i++) cache.setRoute({ prefix: `10.1.${i}.0/24`, table: 254, metric: 20 }, NEXTHOPS.map((nexthop) => ({ nexthop })));
        ops.length = 0;
        cache.nexthopDown(NEXTHOPS[victim]!);
        cache.nexthopUp(NEXTHOPS[victim]!);
        expect(ops.map((o) => o.op)).toEqual(['group-replace', 'nexthop-delete', 'nexthop-add', 'group-replace']);
      }),
      { numRuns: 50 },
    );
  });
});
