import { describe, expect, it } from 'vitest';
import { canonicalNexthop, canonicalPaths, canonicalPrefix, groupKey, nexthopKey, routeKey } from '../../src/nhg/keys.js';

describe('nexthop keys', () => {
  it('canonicalises gateway spelling so one nexthop has one key', () => {
    const a = nexthopKey(canonicalNexthop({ gateway: '2001:DB8:0:0::1', ifindex: 3 }));
    const b = nexthopKey(canonicalNexthop({ gateway: '2001:db8::1', ifindex: 3 }));
    expect(a).toBe(b);
    expect(a).toBe('2001:db8::1|3|');
  });

  it('distinguishes ifindex and encap', () => {
    const base = { gateway: '192.0.2.1', ifindex: 2 };
    const keys = new Set([
      nexthopKey(canonicalNexthop(base)),
      nexthopKey(canonicalNexthop({ ...base, ifindex: 3 })),
      nexthopKey(canonicalNexthop({ ...base, encap: { type: 'mpls', labels: [100] } })),
      nexthopKey(canonicalNexthop({ ...base, encap: { type: 'mpls', labels: [100, 200] } })),
      nexthopKey(canonicalNexthop({ ifindex: 2 })),
    ]);
    expect(keys.size).toBe(5);
  });

  it.each([
    [{ gateway: '192.0.2.300', ifindex: 1 }],
    [{ gateway: 'x', ifindex: 1 }],
    [{}],
    [{ gateway: '192.0.2.1', ifindex: 0 }],
    [{ gateway: '192.0.2.1', ifindex: 1, encap: { type: 'mpls' as const, labels: [] } }],
    [{ gateway: '192.0.2.1', ifindex: 1, encap: { type: 'mpls' as const, labels: [0x100000] } }],
  ])('rejects bad nexthop %j', (nh) => {
    expect(() => canonicalNexthop(nh)).toThrowError(expect.objectContaining({ code: 'ERR_NHG_BAD_NEXTHOP' }) as Error);
  });
});

describe('group keys', () => {
  const n1 = { gateway: '192.0.2.1', ifindex: 2 };
  const n2 = { gateway: '192.0.2.2', ifindex: 2 };
  it('is independent of path order and includes weights', () => {
    const a = groupKey(canonicalPaths([{ nexthop: n1 }, { nexthop: n2, weight: 3 }]));
    const b = groupKey(canonicalPaths([{ nexthop: n2, weight: 3 }, { nexthop: n1 }]));
    const c = groupKey(canonicalPaths([{ nexthop: n2 }, { nexthop: n1 }]));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('merges paths through the same nexthop, adding weights up to 256', () => {
    const p = canonicalPaths([{ nexthop: n1, weight: 200 }, { nexthop: { gateway: '192.0.2.1', ifindex: 2 }, weight: 100 }]);
    expect(p).toHaveLength(1);
    expect(p[0]!.weight).toBe(256);
  });

  it.each([[0], [257], [1.5], [-1]])('rejects weight %d', (weight) => {
    expect(() => canonicalPaths([{ nexthop: n1, weight }])).toThrowError(expect.objectContaining({ code: 'ERR_NHG_BAD_WEIGHT' }) as Error);
  });

  it('rejects an empty path list', () => {
    expect(() => canonicalPaths([])).toThrowError(expect.objectContaining({ code: 'ERR_NHG_NO_PATHS' }) as Error);
  });
});

describe('route keys', () => {
  it('keys by table, prefix and metric', () => {
    expect(routeKey({ prefix: '10.0.0.0/8', table: 100, metric: 20 })).toBe('100|10.0.0.0/8|20');
  });
  it.each([
    [{ prefix: '10.0.0.0', table: 100, metric: 20 }],
    [{ prefix: '10.0.0.0/8', table: 0, metric: 20 }],
    [{ prefix: '10.0.0.0/8', table: 1, metric: -1 }],
  ])('rejects %j', (r) => {
    expect(() => routeKey(r)).toThrowError(expect.objectContaining({ code: 'ERR_NHG_BAD_ROUTE' }) as Error);
  });
});

describe('canonicalPrefix', () => {
  it.each([
    ['2001:DB8:0::/32', '2001:db8::/32'], // upper case and a zero group: RFC 5952 text as the kernel dump prints it
    ['2001:db8::/32', '2001:db8::/32'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['::FFFF:0:0/96', '::ffff:0.0.0.0/96'], // IPv4-mapped: dotted tail
  ])('%s -> %s', (input, expected) => {
    expect(canonicalPrefix(input)).toBe(expected);
  });

  it.each([['10.0.0.0'], ['not-an-ip/8'], ['']])('%j does not parse', (input) => {
    expect(canonicalPrefix(input)).toBeUndefined();
  });
});
