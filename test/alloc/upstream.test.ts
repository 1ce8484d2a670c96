import { describe, expect, it } from 'vitest';
import { Allocation } from '../../src/alloc/allocation.js';
import { formatUpstreamRoute, upstreamRoutes } from '../../src/alloc/upstream.js';
import { hostBitsClear } from '../../src/alloc/ip.js';

const A = Allocation.parse('2a02:1802:5e::/48');

describe('upstream router static routes', () => {
  it('seed: $prefix:1000::/52 via fe80::1000:0:0:1 dev swp1, or via $prefix:0:1000:0:0:1', () => {
    expect(upstreamRoutes(A, [1], 'link-local').map((r) => formatUpstreamRoute(r, 'swp1'))).toEqual([
      '2a02:1802:5e:1000::/52 via fe80::1000:0:0:1 dev swp1',
    ]);
    expect(upstreamRoutes(A, [1], 'global').map((r) => formatUpstreamRoute(r, 'swp1'))).toEqual(['2a02:1802:5e:1000::/52 via 2a02:1802:5e:0:1000::1']);
  });

  it('decided: the drawing\'s $prefix:1::/52 is not a /52 network, we use $prefix:N000::/52', () => {
    for (const r of upstreamRoutes(A, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])) {
      expect(hostBitsClear(r.destination)).toBe(true);
    }
  });

  it('all 15 ExitNodes, sorted and deduplicated: at most 15 routes (16 with PrefixZero connected)', () => {
    const routes = upstreamRoutes(A, [15, 3, 3, 10, 1, 2, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14]).map((r) => formatUpstreamRoute(r));
    expect(routes).toEqual([
      '2a02:1802:5e:1000::/52 via fe80::1000:0:0:1',
      '2a02:1802:5e:2000::/52 via fe80::2000:0:0:1',
      '2a02:1802:5e:3000::/52 via fe80::3000:0:0:1',
      '2a02:1802:5e:4000::/52 via fe80::4000:0:0:1',
      '2a02:1802:5e:5000::/52 via fe80::5000:0:0:1',
      '2a02:1802:5e:6000::/52 via fe80::6000:0:0:1',
      '2a02:1802:5e:7000::/52 via fe80::7000:0:0:1',
      '2a02:1802:5e:8000::/52 via fe80::8000:0:0:1',
      '2a02:1802:5e:9000::/52 via fe80::9000:0:0:1',
      '2a02:1802:5e:a000::/52 via fe80::a000:0:0:1',
      '2a02:1802:5e:b000::/52 via fe80::b000:0:0:1',
      '2a02:1802:5e:c000::/52 via fe80::c000:0:0:1',
      '2a02:1802:5e:d000::/52 via fe80::d000:0:0:1',
      '2a02:1802:5e:e000::/52 via fe80::e000:0:0:1',
      '2a02:1802:5e:f000::/52 via fe80::f000:0:0:1',
    ]);
    expect(() => upstreamRoutes(A, [0])).toThrow(expect.objectContaining({ code: 'ERR_ALLOC_EXIT_NODE' }));
  });
});
