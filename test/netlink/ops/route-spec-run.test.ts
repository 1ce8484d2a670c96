/**
 * RouteSpecRun (what rtnl.bulk() does with runs of route operations that share
 * their attributes) against the single-route encoder: the same bytes for every
 * operation of a stream, or the same error. Pure logic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageWriter } from '../../../src/netlink/codec/writer.js';
import { NLM_F } from '../../../src/netlink/constants.js';
import { NetlinkArgumentError } from '../../../src/netlink/errors.js';
import type { RouteSpec } from '../../../src/netlink/ops/route-codec.js';
import type { RouteSetOp } from '../../../src/netlink/ops/route-set.js';
import { RouteSpecRun, SHARED_ROUTE_FIELDS } from '../../../src/netlink/ops/route-spec-run.js';
import { toHex } from '../../support/hex.js';
import { writeSingleRoute } from '../../support/single-route.js';

const single = writeSingleRoute;

/** Each operation's request as hex, or the field of its NetlinkArgumentError (nothing half-written). */
function stream(encode: (w: MessageWriter, seq: number, op: RouteSetOp, spec: RouteSpec, ack: number) => void, items: readonly [RouteSetOp, RouteSpec][], ack = 0): string[] {
  const w = new MessageWriter(64);
  return items.map(([op, spec], i) => {
    const before = w.offset;
    try {
      encode(w, 900 + i, op, spec, ack);
    } catch (error) {
      if (!(error instanceof NetlinkArgumentError)) throw error;
      expect(w.offset).toBe(before);
      return `error ${error.field}`;
    }
    return toHex(w.buffer.subarray(before, w.offset));
  });
}

function expectSame(items: readonly [RouteSetOp, RouteSpec][]): { viaSet: number } {
  const run = new RouteSpecRun();
  let viaSet = 0;
  for (const ack of [0, NLM_F.ACK]) {
    const got = stream((w, seq, op, spec, a) => {
      if (run.encode(w, seq, op, spec, a)) viaSet++;
      else single(w, seq, op, spec, a);
    }, items, ack);
    expect(got).toEqual(stream(single, items, ack));
  }
  return { viaSet };
}

const dst = (i: number): string => `16.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`;
const BASE: RouteSpec = { dst: '', table: 100, protocol: 186, metric: 20, scope: 0, type: 'unicast', tos: 0, gateway: '10.0.0.2', oif: 3, onlink: false, prefsrc: '10.0.0.1' };

/** Another value for each shared field (what a run must notice). */
const OTHER: { [K in keyof typeof SHARED_ROUTE_FIELDS]: RouteSpec[K] } = {
  family: 4,
  table: 101,
  protocol: 187,
  metric: 30,
  scope: 'link',
  type: 'blackhole',
  tos: 4,
  gateway: '10.0.0.3',
  oif: 4,
  onlink: true,
  prefsrc: '10.0.0.9',
  nhid: 7,
};

describe('RouteSpecRun', () => {
  it('a long run of one attribute set goes through a route set after the first routes', () => {
    const items: [RouteSetOp, RouteSpec][] = Array.from({ length: 200 }, (_, i) => ['add', { ...BASE, dst: dst(i) }]);
    const { viaSet } = expectSame(items);
    expect(viaSet).toBeGreaterThan(2 * 150); // both passes (with and without ACK)
  });

  for (const field of Object.keys(SHARED_ROUTE_FIELDS) as (keyof typeof SHARED_ROUTE_FIELDS)[]) {
    it(`notices ${field} changing alone in the middle of a run`, () => {
      const changed = { ...BASE, [field]: OTHER[field] } as RouteSpec;
      const items: [RouteSetOp, RouteSpec][] = [];
      for (let i = 0; i < 40; i++) items.push(['replace', { ...BASE, dst: dst(i) }]);
      for (let i = 40; i < 80; i++) items.push(['replace', { ...changed, dst: dst(i) }]);
      for (let i = 80; i < 120; i++) items.push(['replace', { ...BASE, dst: dst(i) }]);
      expectSame(items);
    });
  }

  it('notices the operation changing, multipath routes, default routes, bad prefixes and refused attributes', () => {
    const items: [RouteSetOp, RouteSpec][] = [];
    for (const op of ['add', 'replace', 'append', 'delete'] as const) for (let i = 0; i < 30; i++) items.push([op, { ...BASE, dst: dst(i) }]);
    for (let i = 0; i < 30; i++) items.push(['add', { ...BASE, dst: i % 10 === 3 ? 'default' : i % 10 === 5 ? '16.0.0.1/33' : i % 10 === 7 ? '2001:db8::/64' : dst(i) }]);
    for (let i = 0; i < 30; i++) items.push(['add', { ...BASE, dst: dst(i), multipath: [{ gateway: '10.0.0.2', oif: 3, weight: 2 }, { gateway: '10.0.0.3' }] }]);
    for (let i = 0; i < 30; i++) items.push(['add', { ...BASE, dst: dst(i), table: 0 }]); // refused: each route says why
    expectSame(items);
  });

  it('property: any stream of route specs encodes as the single-route encoder does', () => {
    const spec = fc.record(
      {
        family: fc.constantFrom(4 as const, 6 as const),
        table: fc.constantFrom(100, 0, 70000),
        protocol: fc.constantFrom(186, 'bgp' as const, 'static' as const),
        metric: fc.constantFrom(20, 0),
        scope: fc.constantFrom(0, 'link' as const),
        type: fc.constantFrom('unicast' as const, 'blackhole' as const),
        gateway: fc.constantFrom('10.0.0.2', 'fd00::2'),
        oif: fc.constantFrom(3, 4),
        onlink: fc.boolean(),
        nhid: fc.constantFrom(1, 2),
      },
      { requiredKeys: [] },
    );
    const prefix = fc.constantFrom('16.0.0.1/32', '16.0.1.0/24', '2001:db8::/64', 'default', 'bad', '16.0.0.1/33');
    // Runs: a spec repeated for a random length with random prefixes, so route sets are built and left.
    const runArb = fc.tuple(fc.constantFrom<RouteSetOp>('add', 'replace', 'delete'), spec, fc.array(prefix, { minLength: 1, maxLength: 40 }));
    fc.assert(
      fc.property(fc.array(runArb, { maxLength: 6 }), (runs) => {
        const items: [RouteSetOp, RouteSpec][] = runs.flatMap(([op, s, prefixes]) => prefixes.map((p): [RouteSetOp, RouteSpec] => [op, { ...s, dst: p }]));
        expectSame(items);
      }),
      { numRuns: 500 },
    );
  });
});
