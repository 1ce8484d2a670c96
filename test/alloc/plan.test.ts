import { describe, expect, it } from 'vitest';
import { planExitNode, type ExitNodePlan } from '../../src/alloc/plan.js';
import { formatPrefix } from '../../src/alloc/ip.js';
import { formatRoute } from '../../src/alloc/operations.js';
import { formatPlanTable, planToJSON } from '../../src/alloc/render.js';
import { AllocError } from '../../src/alloc/errors.js';

const seedPlan = (): ExitNodePlan =>
  planExitNode({ allocation: '2a02:1802:5e::/48', exitNode: 1, resources: [0x1abc, 0x1123], gatewayIPv4: '185.69.166.123/24' });

const ns = (plan: ExitNodePlan, name: string) => {
  const found = plan.desired.namespaces.find((n) => n.name === name);
  if (!found) throw new Error(`no namespace ${name}`);
  return found;
};

describe('planExitNode: the seed drawing', () => {
  const plan = seedPlan();

  it('namespaces: Gateway, one per ExitPoint, the public one for WireGuard (sorted)', () => {
    expect(plan.desired.namespaces.map((n) => n.name)).toEqual(['ep-1123-1', 'ep-1abc-1', 'gw-1-1', 'public-1-1']);
  });

  it('routes in the Gateway are the seed\'s (plus the IPv4 routing the seed implies)', () => {
    expect(ns(plan, 'gw-1-1').routes.map(formatRoute)).toEqual([
      '-6 default via fe80::1 dev pub-1-1 proto 196', // default via fe80::1 dev pub-1-1
      '-6 2a02:1802:5e:1123::/64 via fe80::1123:1 dev to-1123-1 proto 196', // $prefix:1123::/64 via fe80::1123:1
      '-4 10.255.17.35/32 dev to-1123-1 proto 196', // the ExitPoint's routing address
      '-4 10.17.35.0/24 via 10.255.17.35 dev to-1123-1 proto 196', // its NR-local IPv4 network
      '-6 2a02:1802:5e:1abc::/64 via fe80::1abc:1 dev to-1abc-1 proto 196', // $prefix:1abc::/64 via fe80::1abc:1
      '-4 10.255.26.188/32 dev to-1abc-1 proto 196',
      '-4 10.26.188.0/24 via 10.255.26.188 dev to-1abc-1 proto 196',
    ]);
  });

  it('routes in the ExitPoint: default via GWtoEPLL dev EPPubName (and IPv4 via 10.1.0.1)', () => {
    expect(ns(plan, 'ep-1abc-1').routes.map(formatRoute)).toEqual([
      '-6 default via fe80::1:1abc dev pub-1abc-1 proto 196',
      '-4 10.1.0.1/32 dev pub-1abc-1 proto 196',
      '-4 default via 10.1.0.1 dev pub-1abc-1 proto 196',
    ]);
  });

  it('addresses exactly as drawn', () => {
    const text = (name: string) => ns(plan, name).addresses.map((a) => `${a.link} ${formatPrefix(a.address)}`);
    expect(text('gw-1-1')).toEqual([
      'pub-1-1 fe80::1000:0:0:1/64',
      'pub-1-1 2a02:1802:5e:0:1000::1/64',
      'pub-1-1 185.69.166.123/24',
      'to-1123-1 fe80::1:1123/64',
      'to-1123-1 10.1.0.1/32',
      'to-1abc-1 fe80::1:1abc/64',
      'to-1abc-1 10.1.0.1/32',
    ]);
    expect(text('ep-1abc-1')).toEqual([
      'pub-1abc-1 fe80::1abc:1/64',
      'pub-1abc-1 10.255.26.188/32',
      'veth-1abc-1 2a02:1802:5e:1abc::1/64',
      'veth-1abc-1 10.26.188.1/24',
      'wg-1abc-1 fe80::1abc/64',
      'wg-1abc-1 10.255.26.188/24',
    ]);
  });

  it('links: veth pairs with their ends, WireGuard created in the public namespace', () => {
    expect(plan.vethPairs.filter((p) => p.id === 0x1abc)).toEqual([
      { id: 0x1abc, purpose: 'gateway-to-exitpoint', a: { namespace: 'gw-1-1', name: 'to-1abc-1' }, b: { namespace: 'ep-1abc-1', name: 'pub-1abc-1' } },
      { id: 0x1abc, purpose: 'resource-local', a: { namespace: 'ep-1abc-1', name: 'veth-1abc-1' }, b: { namespace: 'ep-1abc-1', name: 'nr-1abc-1' } },
    ]);
    expect(plan.wireguard.map((w) => [w.name, w.createIn, w.namespace, w.listenPort])).toEqual([
      ['wg-1123-1', 'public-1-1', 'ep-1123-1', 0x1123],
      ['wg-1abc-1', 'public-1-1', 'ep-1abc-1', 0x1abc],
    ]);
    expect(ns(plan, 'gw-1-1').links.map((l) => `${l.name}:${l.creation.kind}`)).toEqual(['lo:loopback', 'pub-1-1:external', 'to-1123-1:veth', 'to-1abc-1:veth']);
  });

  it('IPv4 NAT and firewall intents as data', () => {
    const json = planToJSON(plan) as { ipv4: unknown; upstreamRoutes: unknown };
    expect(json.ipv4).toEqual({
      nat: [
        { kind: 'snat', namespace: 'gw-1-1', id: 0x1123, source: '10.17.35.0/24', outInterface: 'pub-1-1', toAddress: '185.69.166.123' },
        { kind: 'snat', namespace: 'gw-1-1', id: 0x1abc, source: '10.26.188.0/24', outInterface: 'pub-1-1', toAddress: '185.69.166.123' },
      ],
      firewall: [
        { kind: 'accept-established', namespace: 'gw-1-1', family: 4 },
        { kind: 'accept-outbound', namespace: 'gw-1-1', family: 4, id: 0x1123, inInterface: 'to-1123-1', outInterface: 'pub-1-1', source: '10.17.35.0/24' },
        { kind: 'accept-outbound', namespace: 'gw-1-1', family: 4, id: 0x1abc, inInterface: 'to-1abc-1', outInterface: 'pub-1-1', source: '10.26.188.0/24' },
        { kind: 'drop-other-forward', namespace: 'gw-1-1', family: 4 },
      ],
    });
    expect(json.upstreamRoutes).toEqual(['2a02:1802:5e:1000::/52 via fe80::1000:0:0:1', '2a02:1802:5e:1000::/52 via 2a02:1802:5e:0:1000::1']);
  });

  it('is deterministic: same input, same JSON, whatever the input order', () => {
    const again = planExitNode({ allocation: '2a02:1802:5e::/48', exitNode: 1, resources: [0x1123, 0x1abc, 0x1123], gatewayIPv4: '185.69.166.123/24' });
    expect(JSON.stringify(planToJSON(again))).toBe(JSON.stringify(planToJSON(plan)));
  });

  it('renders a human table naming every object', () => {
    const text = formatPlanTable(plan);
    for (const s of ['pub-1-1', 'to-1abc-1', 'pub-1abc-1', 'wg-1abc-1', 'veth-1abc-1', '10.255.26.188/32', '2a02:1802:5e:1abc::1/64', 'snat 10.26.188.0/24']) {
      expect(text).toContain(s);
    }
  });
});

describe('planExitNode: options and edges', () => {
  it('ExitNode 15 with 0xf000 and 0xffff: 0xffff is IPv6-only (no NR-local IPv4, no NAT)', () => {
    const plan = planExitNode({ allocation: '2001:db8:9::/48', exitNode: 15, resources: [0xffff, 0xf000], gatewayIPv4: '192.0.2.10/24', allocationNumber: 65535 });
    expect(plan.resources.map((r) => [r.namespace, r.ipv4Network && formatPrefix(r.ipv4Network)])).toEqual([
      ['ep-f000-65535', '10.240.0.0/24'],
      ['ep-ffff-65535', null],
    ]);
    expect(plan.ipv4.nat.map((n) => n.id)).toEqual([0xf000]);
    expect(ns(plan, 'gw-f-65535').routes.map(formatRoute)).toContain('-4 10.255.255.255/32 dev to-ffff-65535 proto 196');
  });

  it('no WireGuard: no public namespace, no wg links or addresses', () => {
    const plan = planExitNode({ allocation: '2001:db8:9::/48', exitNode: 2, resources: [0x2000], gatewayIPv4: '192.0.2.10/24', wireguard: false, namespacePrefix: 'fwalx-' });
    expect(plan.desired.namespaces.map((n) => n.name)).toEqual(['fwalx-ep-2000-1', 'fwalx-gw-2-1']);
    expect(plan.wireguard).toEqual([]);
    expect(ns(plan, 'fwalx-ep-2000-1').links.map((l) => l.name)).toEqual(['lo', 'pub-2000-1', 'veth-2000-1', 'nr-2000-1']);
  });

  it('macvlan uplink and IPv4 upstream router', () => {
    const plan = planExitNode({
      allocation: '2001:db8:9::/48',
      exitNode: 3,
      resources: [],
      gatewayIPv4: '192.0.2.10/24',
      upstreamIPv4: '192.0.2.1',
      uplink: { kind: 'macvlan', parent: 'eth1' },
    });
    const gw = ns(plan, 'gw-3-1');
    expect(gw.links[1]).toEqual({ name: 'pub-3-1', creation: { kind: 'macvlan', parent: 'eth1', parentNamespace: null } });
    expect(gw.routes.map(formatRoute)).toEqual(['-6 default via fe80::1 dev pub-3-1 proto 196', '-4 default via 192.0.2.1 dev pub-3-1 proto 196']);
  });

  it.each([
    [{ resources: [0x2abc] }, 'ERR_ALLOC_PLAN_INPUT'], // another ExitNode's id
    [{ resources: [0x0abc] }, 'ERR_ALLOC_PREFIX_ZERO_ID'],
    [{ resources: [0x10000] }, 'ERR_ALLOC_ID_RANGE'],
    [{ exitNode: 0 }, 'ERR_ALLOC_EXIT_NODE'],
    [{ exitNode: 16 }, 'ERR_ALLOC_EXIT_NODE'],
    [{ allocation: '2001:db8::/47' }, 'ERR_ALLOC_NOT_A_48'],
    [{ allocation: '2001:db8::/49' }, 'ERR_ALLOC_NOT_A_48'],
    [{ allocation: 'garbage' }, 'ERR_ALLOC_BAD_PREFIX'],
    [{ gatewayIPv4: '300.1.1.1/24' }, 'ERR_ALLOC_BAD_IPV4'],
    [{ upstreamIPv4: 'fe80::1' }, 'ERR_ALLOC_BAD_IPV4'],
    [{ allocationNumber: 70000 }, 'ERR_ALLOC_NUMBER'],
    [{ namespacePrefix: 'a/b' }, 'ERR_ALLOC_PLAN_INPUT'],
    [{ routeProtocol: 2 }, 'ERR_ALLOC_PLAN_INPUT'],
    [{ uplink: { kind: 'macvlan' as const, parent: '' } }, 'ERR_ALLOC_PLAN_INPUT'],
  ])('refuses %j with %s', (patch, code) => {
    const input = { allocation: '2001:db8:9::/48', exitNode: 1, resources: [0x1abc], gatewayIPv4: '192.0.2.10/24', ...patch };
    let caught: unknown;
    try {
      planExitNode(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AllocError);
    expect((caught as AllocError).code).toBe(code);
  });
});
