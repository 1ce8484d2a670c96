import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diff } from '../../src/alloc/diff.js';
import { simulate } from '../../src/alloc/model.js';
import { OPERATION_PHASE, formatOperation, type Operation } from '../../src/alloc/operations.js';
import { planExitNode, type PlanExitNodeInput } from '../../src/alloc/plan.js';
import { parsePrefixText, type IpPrefix } from '../../src/alloc/ip.js';
import { epPubLL, gwToEpLL } from '../../src/alloc/addresses.js';
import type { ActualNamespace, ActualState, RouteState } from '../../src/alloc/state.js';
import { canonState } from './state-canon.js';

const p = (t: string): IpPrefix => {
  const r = parsePrefixText(t);
  if (!r) throw new Error(t);
  return r;
};
const EMPTY: ActualState = { namespaces: [] };
const base = { allocation: '2001:db8:5::/48', exitNode: 1, gatewayIPv4: '192.0.2.10/24', uplink: { kind: 'macvlan', parent: 'eth1' } } as const;
const planFor = (resources: number[], extra: Partial<PlanExitNodeInput> = {}) => planExitNode({ ...base, resources, ...extra });

/** The state after applying a plan to an empty host. */
const built = (resources: number[], extra: Partial<PlanExitNodeInput> = {}): ActualState => {
  const plan = planFor(resources, extra);
  return simulate(EMPTY, diff(plan.desired, EMPTY).operations, plan.scope);
};

const canon = canonState;

const rank = (op: Operation): number => OPERATION_PHASE[op.op];

describe('diff: create from nothing', () => {
  const plan = planFor([0x1abc, 0x1123]);
  const { operations, conflicts } = diff(plan.desired, EMPTY);

  it('creates namespaces, links, addresses, routes in that order', () => {
    expect(conflicts).toEqual([]);
    for (let i = 1; i < operations.length; i++) expect(rank(operations[i]!)).toBeGreaterThanOrEqual(rank(operations[i - 1]!));
    const lines = operations.map(formatOperation);
    expect(lines.slice(0, 4)).toEqual(['ip netns add ep-1123-1', 'ip netns add ep-1abc-1', 'ip netns add gw-1-1', 'ip netns add public-1-1']);
    expect(lines).toContain('ip -n ep-1abc-1 link add pub-1abc-1 type veth peer name to-1abc-1 netns gw-1-1');
    expect(lines).toContain('ip -n ep-1abc-1 link add veth-1abc-1 type veth peer name nr-1abc-1 netns ep-1abc-1');
    expect(lines).toContain('ip -n public-1-1 link add wg-1abc-1 type wireguard && ip -n public-1-1 link set wg-1abc-1 netns ep-1abc-1 # listen-port 6844');
    expect(lines).toContain('ip link add pub-1-1 link eth1 type macvlan mode bridge && ip link set pub-1-1 netns gw-1-1');
    expect(lines).toContain('ip -n gw-1-1 route add -6 2001:db8:5:1abc::/64 via fe80::1abc:1 dev to-1abc-1 proto 196');
    // each veth pair is created once, from one end
    expect(lines.filter((l) => l.includes('to-1abc-1 ') && l.includes('type veth'))).toHaveLength(1);
    // a connected route precedes the route through its gateway
    const connected = lines.indexOf('ip -n gw-1-1 route add -4 10.255.26.188/32 dev to-1abc-1 proto 196');
    const via = lines.indexOf('ip -n gw-1-1 route add -4 10.26.188.0/24 via 10.255.26.188 dev to-1abc-1 proto 196');
    expect(connected).toBeGreaterThan(-1);
    expect(via).toBeGreaterThan(connected);
  });

  it('is idempotent: the diff of the applied state is empty', () => {
    const after = simulate(EMPTY, operations, plan.scope);
    expect(diff(plan.desired, after).operations).toEqual([]);
  });
});

describe('diff: removal of a resource that is gone (the seed\'s TODO)', () => {
  it('removes exactly that resource\'s objects and leaves the other alone', () => {
    const before = built([0x1abc, 0x1123]);
    const plan = planFor([0x1123]);
    const { operations } = diff(plan.desired, before);
    const lines = operations.map(formatOperation);
    expect(lines).toEqual([
      // routes through a gateway before the connected routes they rely on
      'ip -n gw-1-1 route del -6 2001:db8:5:1abc::/64 via fe80::1abc:1 dev to-1abc-1 proto 196',
      'ip -n gw-1-1 route del -4 10.26.188.0/24 via 10.255.26.188 dev to-1abc-1 proto 196',
      'ip -n gw-1-1 route del -4 10.255.26.188/32 dev to-1abc-1 proto 196',
      'ip -n ep-1abc-1 link del nr-1abc-1', // takes veth-1abc-1 along
      'ip -n ep-1abc-1 link del pub-1abc-1', // takes to-1abc-1 (in the Gateway) along
      'ip -n ep-1abc-1 link del wg-1abc-1',
      'ip netns del ep-1abc-1',
    ]);
    const after = simulate(before, operations, plan.scope);
    expect(canon(after)).toBe(canon(built([0x1123])));
    expect(diff(plan.desired, after).operations).toEqual([]);
  });

  it('with every resource gone the Gateway stays, empty of ExitPoints', () => {
    const before = built([0x1abc, 0x1123]);
    const plan = planFor([]);
    const after = simulate(before, diff(plan.desired, before).operations, plan.scope);
    expect(after.namespaces.map((n) => n.name)).toEqual(['gw-1-1', 'public-1-1']);
    expect(after.namespaces.find((n) => n.name === 'gw-1-1')!.links.map((l) => l.name)).toEqual(['lo', 'pub-1-1']);
  });
});

describe('diff: never touches what is not ours', () => {
  const foreignRoute = (link: string, dst: string, protocol: number, gateway?: string): RouteState =>
    gateway ? { destination: p(dst), link, protocol, table: 254, gateway: p(`${gateway}/128`) } : { destination: p(dst), link, protocol, table: 254 };

  const withForeign = (): ActualState => {
    const s = built([0x1abc]);
    const gw = s.namespaces.find((n) => n.name === 'gw-1-1')!;
    const ep = s.namespaces.find((n) => n.name === 'ep-1abc-1')!;
    const gwPlus: ActualNamespace = {
      ...gw,
      links: [...gw.links, { name: 'eth0', kind: null, up: true }, { name: 'to-2abc-1', kind: 'veth', up: true }, { name: 'to-1abc-2', kind: 'veth', up: true }],
      addresses: [
        ...gw.addresses,
        { link: 'to-1abc-1', address: p('fe80::a8c1:abff:fe12:3456/64') }, // kernel EUI-64 link-local
        { link: 'eth0', address: gwToEpLL(0x1fff) }, // ours by form, but on a link that is not ours
      ],
      routes: [
        ...gw.routes,
        foreignRoute('to-1abc-1', 'fe80::/64', 2), // proto kernel
        foreignRoute('eth0', '2001:db8:5:1fff::/64', 196, 'fe80::1fff:1'), // our protocol, a link that is not ours
        foreignRoute('to-1abc-1', '198.51.100.0/24', 196), // our protocol, a destination that is not ours
        foreignRoute('to-2abc-1', '2001:db8:5:2abc::/64', 196, 'fe80::2abc:1'), // ExitNode 2's
      ],
    };
    const others: ActualNamespace[] = ['ep-2abc-1', 'ep-1abc-2', 'gw-2-1', 'gw-1-2', 'fwalzz-ep-1abc-1', 'my-netns', 'ep-1ABC-1'].map((name) => ({
      name,
      links: [{ name: 'lo', kind: null, up: false }],
      addresses: [],
      routes: [],
      sysctls: {},
    }));
    return { namespaces: [...s.namespaces.filter((n) => n !== gw && n !== ep), gwPlus, ep, ...others] };
  };

  it('a fully applied plan next to foreign objects: no operation at all, foreign objects counted', () => {
    const d = diff(planFor([0x1abc]).desired, withForeign());
    expect(d.operations.map(formatOperation)).toEqual([]);
    expect(d.untouched.links).toBe(6); // lo in gw-1-1, ep-1abc-1, public-1-1; eth0, to-2abc-1, to-1abc-2
    // the EUI-64 link-local, the eth0 one, and the operator's GWPubIP4 (never parses as ours, so never removed)
    expect(d.untouched.addresses).toBe(3);
    expect(d.untouched.routes).toBe(4);
  });

  it('removing the resource still leaves every foreign object in place', () => {
    const before = withForeign();
    const plan = planFor([]);
    const after = simulate(before, diff(plan.desired, before).operations, plan.scope);
    const names = after.namespaces.map((n) => n.name).sort();
    expect(names).toEqual(['ep-1ABC-1', 'ep-1abc-2', 'ep-2abc-1', 'fwalzz-ep-1abc-1', 'gw-1-1', 'gw-1-2', 'gw-2-1', 'my-netns', 'public-1-1']);
    const gw = after.namespaces.find((n) => n.name === 'gw-1-1')!;
    expect(gw.links.map((l) => l.name).sort()).toEqual(['eth0', 'lo', 'pub-1-1', 'to-1abc-2', 'to-2abc-1']);
    expect(gw.addresses.filter((a) => a.link === 'eth0')).toHaveLength(1);
    expect(gw.routes.filter((r) => r.link === 'eth0' || r.link === 'to-2abc-1')).toHaveLength(2);
  });
});

describe('diff: repairs', () => {
  it('a route of ours with the wrong nexthop is replaced; a foreign route holding our key is a conflict', () => {
    const s = built([0x1abc]);
    const wrongVia = { family: 6 as const, bytes: epPubLL(0x1123).bytes };
    const edit = (proto: number): ActualState => ({
      namespaces: s.namespaces.map((n) =>
        n.name !== 'gw-1-1'
          ? n
          : { ...n, routes: n.routes.map((r) => (r.destination.length === 64 ? { ...r, gateway: wrongVia, protocol: proto } : r)) },
      ),
    });
    const plan = planFor([0x1abc]);
    expect(diff(plan.desired, edit(196)).operations.map(formatOperation)).toEqual([
      'ip -n gw-1-1 route replace -6 2001:db8:5:1abc::/64 via fe80::1abc:1 dev to-1abc-1 proto 196',
    ]);
    const foreign = diff(plan.desired, edit(3));
    expect(foreign.operations).toEqual([]);
    expect(foreign.conflicts.map((c) => c.reason)).toEqual(['foreign-route-in-the-way']);
  });

  it('a multipath route of ours is replaced; a multipath route that is not wanted is removed', () => {
    const s = built([0x1abc]);
    const mp: ActualState = {
      namespaces: s.namespaces.map((n) =>
        n.name !== 'gw-1-1' ? n : { ...n, routes: [...n.routes.map((r) => (r.destination.length === 64 ? { ...r, multipath: true as const } : r)), { destination: p('2001:db8:5:1def::/64'), link: 'to-1abc-1', table: 254, protocol: 196, multipath: true as const }] },
      ),
    };
    expect(diff(planFor([0x1abc]).desired, mp).operations.map(formatOperation)).toEqual([
      'ip -n gw-1-1 route del -6 2001:db8:5:1def::/64 dev to-1abc-1 proto 196',
      'ip -n gw-1-1 route replace -6 2001:db8:5:1abc::/64 via fe80::1abc:1 dev to-1abc-1 proto 196',
    ]);
  });

  it('a link of ours of the wrong kind is removed and recreated as a veth pair', () => {
    const s = built([0x1abc]);
    const broken: ActualState = {
      namespaces: s.namespaces.map((n) => {
        if (n.name === 'ep-1abc-1') return { ...n, links: n.links.filter((l) => l.name !== 'pub-1abc-1'), addresses: n.addresses.filter((a) => a.link !== 'pub-1abc-1'), routes: n.routes.filter((r) => r.link !== 'pub-1abc-1') };
        if (n.name === 'gw-1-1') return { ...n, links: n.links.map((l) => (l.name === 'to-1abc-1' ? { ...l, kind: 'bridge' } : l)) };
        return n;
      }),
    };
    const plan = planFor([0x1abc]);
    const lines = diff(plan.desired, broken).operations.map(formatOperation);
    expect(lines.slice(0, 2)).toEqual(['ip -n gw-1-1 link del to-1abc-1', 'ip -n ep-1abc-1 link add pub-1abc-1 type veth peer name to-1abc-1 netns gw-1-1']);
    const after = simulate(broken, diff(plan.desired, broken).operations, plan.scope);
    expect(canon(after)).toBe(canon(built([0x1abc])));
  });

  it('a missing external uplink is a conflict, not an operation', () => {
    const plan = planExitNode({ ...base, uplink: { kind: 'external' }, resources: [0x1abc] });
    const d = diff(plan.desired, EMPTY);
    expect(d.conflicts.map((c) => c.reason)).toContain('external-link-missing');
    expect(d.operations.some((o) => 'name' in o && o.name === 'pub-1-1')).toBe(false);
  });

  it('a stray address of ours on a link of ours is removed', () => {
    const s = built([0x1abc]);
    const stray: ActualState = {
      namespaces: s.namespaces.map((n) => (n.name === 'gw-1-1' ? { ...n, addresses: [...n.addresses, { link: 'to-1abc-1', address: gwToEpLL(0x1def) }] } : n)),
    };
    expect(diff(planFor([0x1abc]).desired, stray).operations.map(formatOperation)).toEqual(['ip -n gw-1-1 address del fe80::1:1def/64 dev to-1abc-1']);
  });
});

describe('diff: properties', () => {
  const ids = fc.uniqueArray(fc.constantFrom(0x1000, 0x1001, 0x1123, 0x1abc, 0x1fff, 0x1ff0), { maxLength: 6 });

  it('from any plan to any plan: one diff reaches exactly the target, the next diff is empty, order holds', () => {
    fc.assert(
      fc.property(ids, ids, fc.boolean(), fc.boolean(), (from, to, wg1, wg2) => {
        const start = built(from, { wireguard: wg1 });
        const plan = planFor(to, { wireguard: wg2 });
        const { operations } = diff(plan.desired, start);
        for (let i = 1; i < operations.length; i++) expect(rank(operations[i]!)).toBeGreaterThanOrEqual(rank(operations[i - 1]!));
        const after = simulate(start, operations, plan.scope);
        expect(canon(after)).toBe(canon(built(to, { wireguard: wg2 })));
        expect(diff(plan.desired, after).operations).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('from a randomly damaged state: the diff repairs it', () => {
    fc.assert(
      fc.property(ids, fc.array(fc.nat(), { maxLength: 8 }), (resources, damage) => {
        const plan = planFor(resources);
        let state = built(resources);
        // Damage: remove random objects the way the kernel would (cascades included), or take links down.
        for (const pick of damage) {
          const ns = state.namespaces[pick % Math.max(1, state.namespaces.length)];
          if (!ns) break;
          const kind = pick % 4;
          let op: Operation | undefined;
          if (kind === 0 && ns.routes.length) op = { op: 'removeRoute', namespace: ns.name, route: ns.routes[pick % ns.routes.length]! };
          else if (kind === 1 && ns.addresses.length) {
            const a = ns.addresses[pick % ns.addresses.length]!;
            op = { op: 'removeAddress', namespace: ns.name, link: a.link, address: a.address };
          } else if (kind === 2 && ns.links.length > 1) op = { op: 'removeLink', namespace: ns.name, name: ns.links[pick % ns.links.length]!.name };
          else if (kind === 3) {
            state = { namespaces: state.namespaces.map((n) => (n === ns ? { ...n, links: n.links.map((l) => ({ ...l, up: false })) } : n)) };
          }
          if (op && !(op.op === 'removeLink' && op.name === 'lo')) state = simulate(state, [op], plan.scope);
        }
        const after = simulate(state, diff(plan.desired, state).operations, plan.scope);
        expect(canon(after)).toBe(canon(built(resources)));
      }),
      { numRuns: 200 },
    );
  });
});
