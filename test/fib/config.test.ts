import { describe, expect, it } from 'vitest';
import { parseExportRules, parseFibExporterConfig } from '../../src/fib/config.js';
import { FibConfigError } from '../../src/fib/errors.js';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof FibConfigError) return e.issues.map((i) => i.path);
    throw e;
  }
  throw new Error('expected a FibConfigError');
}

describe('parseFibExporterConfig', () => {
  it('fills in the seed defaults', () => {
    const s = parseFibExporterConfig({ rules: [{ name: 'a', table: 100 }] });
    expect(s.routeProtocol).toBe(186);
    expect(s.dampeningMs).toBe(100);
    expect(s.useNexthopGroups).toBe(false);
    expect(s.cleanupOnStart).toBe(true);
    expect(s.nexthopCacheMs).toBe(1000);
    expect(s.rules[0]).toEqual({ name: 'a', communities: [], largeCommunities: [], table: 100, vrf: undefined, metric: 20, validateNexthop: true });
  });

  it('decodes communities, well-known names and large communities, dropping duplicates', () => {
    const s = parseFibExporterConfig({
      rules: [{ name: 'a', table: 100, communities: ['65000:100', 'no-export', 'BLACKHOLE', '65000:100'], largeCommunities: ['65000:1:2', '4200000000:0:7'], metric: 50, validateNexthop: false }],
    });
    const r = s.rules[0]!;
    // 65000:100 = 0xfde8_0064; NO_EXPORT = 0xffffff01 (RFC 1997); BLACKHOLE = 0xffff029a (RFC 7999)
    expect(r.communities).toEqual([0xfde80064, 0xffffff01, 0xffff029a]);
    expect(r.largeCommunities).toEqual([[65000, 1, 2], [4200000000, 0, 7]]);
    expect(r.metric).toBe(50);
    expect(r.validateNexthop).toBe(false);
  });

  it('lists every problem with its path', () => {
    const paths = issuesOf(() =>
      parseFibExporterConfig({
        routeProtocol: 4,
        dampeningMs: -1,
        nexthopCacheMs: 'long',
        bogus: 1,
        rules: [
          { name: 'a', table: 0, communities: ['65536:1'], largeCommunities: ['1:2'] },
          { name: 'a', table: 255, metric: 1.5, validateNexthop: 'yes', extra: true },
          { name: '' },
          'nope',
        ],
      }),
    );
    expect(paths).toEqual([
      'bogus',
      'rules[0].communities[0]',
      'rules[0].largeCommunities[0]',
      'rules[0].table',
      'rules[1].extra',
      'rules[1].name',
      'rules[1].table',
      'rules[1].metric',
      'rules[1].validateNexthop',
      'rules[2].name',
      'rules[2]',
      'rules[3]',
      'routeProtocol',
      'dampeningMs',
      'nexthopCacheMs',
    ]);
  });

  it.each([0, 1, 2, 3, 4])('refuses kernel-reserved protocol %d', (p) => {
    expect(issuesOf(() => parseFibExporterConfig({ rules: [], routeProtocol: p }))).toEqual(['routeProtocol']);
  });

  it('accepts a VRF rule without a table, 0 ms dampening, and nexthop groups with a range', () => {
    const s = parseFibExporterConfig({ rules: [{ name: 'v', vrf: 'blue' }], dampeningMs: 0, useNexthopGroups: true, nexthopIdRange: { min: 10, max: 20 }, nexthopCacheMs: 0 });
    expect(s.nexthopCacheMs).toBe(0);
    expect(s.rules[0]!.vrf).toBe('blue');
    expect(s.dampeningMs).toBe(0);
    expect(s.nexthopIdRange).toEqual({ min: 10, max: 20 });
  });

  it('rejects non-objects without crashing', () => {
    for (const bad of [null, 1, 'x', [], { rules: {} }]) expect(() => parseFibExporterConfig(bad)).toThrow(FibConfigError);
    expect(() => parseExportRules([{ name: 'x' }])).toThrow(FibConfigError);
  });
});
