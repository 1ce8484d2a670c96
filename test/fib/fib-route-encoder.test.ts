/**
 * FibRouteEncoder against the single-route encoder (encodeGeneral): the same
 * bytes for every operation, or the same error. Pure logic; the kernel takes
 * these requests in test/kernel/fib-exporter.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeGeneral, FibRouteEncoder, FibRouteRunEncoder } from '../../src/fib/fib-route-encoder.js';
import type { FibRouteOp, FibRouteRun } from '../../src/fib/fib-sink.js';
import { routeOpsOfRuns } from '../../src/fib/route-runs.js';
import { MessageWriter } from '../../src/netlink/codec/writer.js';
import { NLM_F } from '../../src/netlink/constants.js';
import { NetlinkArgumentError } from '../../src/netlink/errors.js';
import { toHex } from '../support/hex.js';

type Encode = (w: MessageWriter, seq: number, o: FibRouteOp, ackFlag: number) => void;

/** Each operation's request as hex, or the field of the NetlinkArgumentError it threw (nothing half-written). */
function run(encode: Encode, ops: readonly FibRouteOp[], ackFlag = 0): string[] {
  const w = new MessageWriter(64);
  return ops.map((o, i) => {
    const before = w.offset;
    try {
      encode(w, 500 + i, o, ackFlag);
    } catch (error) {
      if (!(error instanceof NetlinkArgumentError)) throw error;
      expect(w.offset).toBe(before);
      return `error ${error.field}`;
    }
    return toHex(w.buffer.subarray(before, w.offset));
  });
}

function expectSame(ops: readonly FibRouteOp[]): void {
  const encoder = new FibRouteEncoder();
  for (const ack of [0, NLM_F.ACK]) expect(run((w, s, o, a) => encoder.encode(w, s, o, a), ops, ack)).toEqual(run(encodeGeneral, ops, ack));
}

const add = (prefix: string, gateway: string, extra: { table?: number; metric?: number; protocol?: number; ifindex?: number } = {}): FibRouteOp => ({
  op: 'add',
  route: { prefix, gateway, table: extra.table ?? 100, metric: extra.metric ?? 20, protocol: extra.protocol ?? 186, ...(extra.ifindex !== undefined ? { ifindex: extra.ifindex } : {}) },
});
const del = (prefix: string, table = 100, metric = 20): FibRouteOp => ({ op: 'delete', route: { prefix, table, metric, protocol: 186 } });

describe('FibRouteEncoder', () => {
  const cases: [string, FibRouteOp[]][] = [
    ['a run of adds through one gateway', [add('16.0.0.1/32', '10.0.0.2'), add('16.0.0.2/32', '10.0.0.2'), add('16.1.0.0/24', '10.0.0.2')]],
    ['gateways alternating (the set changes every route)', [add('16.0.0.1/32', '10.0.0.2'), add('16.0.0.2/32', '10.0.0.3'), add('16.0.0.3/32', '10.0.0.2'), add('16.0.0.4/32', '10.0.0.3')]],
    ['table, metric, protocol and interface changing one at a time', [
      add('16.0.0.1/32', '10.0.0.2'),
      add('16.0.0.1/32', '10.0.0.2', { table: 101 }),
      add('16.0.0.1/32', '10.0.0.2', { table: 101, metric: 30 }),
      add('16.0.0.1/32', '10.0.0.2', { table: 101, metric: 30, protocol: 187 }),
      add('16.0.0.1/32', '10.0.0.2', { table: 101, metric: 30, protocol: 187, ifindex: 4 }),
      add('16.0.0.1/32', '10.0.0.2', { table: 101, metric: 30, protocol: 187, ifindex: 5 }),
    ]],
    ['replace is encoded as add (create-or-replace)', [{ op: 'replace', route: { prefix: '16.0.0.1/32', gateway: '10.0.0.2', table: 100, metric: 20, protocol: 186 } }]],
    ['deletes between adds of the same key', [add('16.0.0.1/32', '10.0.0.2'), del('16.0.0.1/32'), add('16.0.0.2/32', '10.0.0.2'), del('16.0.0.2/32', 100, 30)]],
    ['IPv6 routes, an IPv4 route over an IPv6 next hop (RTA_VIA), the default route', [
      add('2001:db8:1::/48', 'fd00::2', { ifindex: 3 }),
      add('2001:db8:2::/48', 'fd00::2', { ifindex: 3 }),
      add('16.0.0.0/8', 'fd00::2', { ifindex: 3 }),
      add('default', '10.0.0.2'),
      add('0.0.0.0/0', '10.0.0.2'),
      del('::/0'),
    ]],
    ['multipath routes between single-path ones', [
      add('16.0.0.1/32', '10.0.0.2'),
      { op: 'add', route: { prefix: '16.0.0.2/32', gateway: '10.0.0.2', table: 100, metric: 20, protocol: 186, multipath: [{ gateway: '10.0.0.2', ifindex: 3, weight: 1 }, { gateway: '10.0.0.3', ifindex: undefined, weight: 4 }] } },
      { op: 'add', route: { prefix: '16.0.0.3/32', gateway: '10.0.0.2', table: 100, metric: 20, protocol: 186, multipath: [{ gateway: '10.0.0.4', ifindex: 3, weight: 1 }] } },
      add('16.0.0.4/32', '10.0.0.2'),
    ]],
    ['bad prefixes and bad attributes: the same error field, the stream goes on', [
      add('16.0.0.1/33', '10.0.0.2'),
      add('not a prefix', '10.0.0.2'),
      add('16.0.0.1/32', 'not a gateway'),
      add('16.0.0.1/32', '10.0.0.2', { table: 0 }),
      add('16.0.0.1/32', '10.0.0.2', { protocol: 256 }),
      add('16.0.0.2/32', '10.0.0.2'),
      del('2001:db8::/129'),
    ]],
  ];
  it.each(cases)('%s: the same bytes or error as the single-route encoder', (_, ops) => expectSame(ops));

  it('stays right past the bound on kept route sets (2,000 next hops, the map starts over)', () => {
    const ops: FibRouteOp[] = [];
    for (let i = 0; i < 2000; i++) ops.push(add(`16.${i >> 8}.${i & 255}.0/24`, `10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`));
    for (let i = 0; i < 50; i++) ops.push(add(`17.0.${i}.0/24`, '10.1.0.7'));
    expectSame(ops);
  });

  it('property: any stream of FIB route operations encodes as the single-route encoder does', () => {
    const prefix = fc.oneof(
      fc.constantFrom('16.0.0.1/32', '16.0.1.0/24', '2001:db8::/64', 'default', '16.0.0.1/33', 'junk', '10.1.2.3'),
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 32 })).map(([a, b, l]) => `${a}.${b}.0.0/${l}`),
    );
    const op = fc.record({
      kind: fc.constantFrom('add', 'replace', 'delete'),
      prefix,
      gateway: fc.constantFrom('10.0.0.2', '10.0.0.3', 'fd00::2', 'x'),
      table: fc.constantFrom(100, 101, 0, 4_000_000_000),
      metric: fc.constantFrom(20, 0, 30),
      protocol: fc.constantFrom(186, 187),
      ifindex: fc.option(fc.constantFrom(3, 4), { nil: undefined }),
      paths: fc.option(fc.array(fc.record({ gateway: fc.constantFrom('10.0.0.2', '10.0.0.9'), weight: fc.integer({ min: 1, max: 8 }) }), { minLength: 2, maxLength: 3 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (raw) => {
        const ops: FibRouteOp[] = raw.map((r) =>
          r.kind === 'delete'
            ? { op: 'delete', route: { prefix: r.prefix, table: r.table, metric: r.metric, protocol: r.protocol } }
            : {
                op: r.kind,
                route: {
                  prefix: r.prefix,
                  gateway: r.gateway,
                  table: r.table,
                  metric: r.metric,
                  protocol: r.protocol,
                  ...(r.ifindex !== undefined ? { ifindex: r.ifindex } : {}),
                  ...(r.paths !== undefined ? { multipath: r.paths.map((p) => ({ gateway: p.gateway, ifindex: r.ifindex, weight: p.weight })) } : {}),
                },
              },
        );
        expectSame(ops);
      }),
      { numRuns: 1500 },
    );
  });
});

/** The runs through a FibRouteRunEncoder, positions in order (as a bulk stream gives them). */
function runOfRuns(runs: readonly FibRouteRun[], ackFlag = 0): string[] {
  const encoder = new FibRouteRunEncoder(new FibRouteEncoder(), runs);
  const positions = [...encoder.positions()];
  expect(positions).toEqual(Array.from({ length: encoder.length }, (_, i) => i));
  return run((w, s, _o, a) => encoder.encode(w, s, positions.shift()!, a), routeOpsOfRuns(runs), ackFlag);
}

const attrs = (gateway: string, extra: { table?: number; metric?: number; ifindex?: number } = {}) => ({
  gateway,
  table: extra.table ?? 100,
  metric: extra.metric ?? 20,
  protocol: 186,
  ...(extra.ifindex !== undefined ? { ifindex: extra.ifindex } : {}),
});

describe('FibRouteRunEncoder', () => {
  const cases: [string, FibRouteRun[]][] = [
    ['one run of adds', [{ op: 'add', route: attrs('10.0.0.2'), prefixes: ['16.0.0.1/32', '16.0.0.2/32', '16.1.0.0/24'] }]],
    ['runs of every operation, an empty run between them', [
      { op: 'replace', route: attrs('10.0.0.2', { ifindex: 3 }), prefixes: ['16.0.0.1/32'] },
      { op: 'add', route: attrs('10.0.0.3'), prefixes: [] },
      { op: 'delete', route: attrs('10.0.0.2', { table: 101, metric: 30 }), prefixes: ['16.0.0.1/32', '2001:db8::/64'] },
      { op: 'add', route: attrs('fd00::2', { ifindex: 3 }), prefixes: ['2001:db8:1::/48', '16.0.0.0/8'] },
    ]],
    ['a multipath run', [{ op: 'add', route: { ...attrs('10.0.0.2'), multipath: [{ gateway: '10.0.0.2', ifindex: 3, weight: 1 }, { gateway: '10.0.0.3', ifindex: 3, weight: 2 }] }, prefixes: ['16.0.0.1/32', '16.0.0.2/32'] }]],
    ['bad prefixes and a bad gateway: the same error field, the run goes on', [
      { op: 'add', route: attrs('10.0.0.2'), prefixes: ['16.0.0.1/33', 'junk', '16.0.0.2/32'] },
      { op: 'add', route: attrs('not a gateway'), prefixes: ['16.0.0.3/32'] },
    ]],
  ];
  it.each(cases)('%s: the bytes or errors of the same operations one by one', (_, runs) => {
    for (const ack of [0, NLM_F.ACK]) expect(runOfRuns(runs, ack)).toEqual(run(encodeGeneral, routeOpsOfRuns(runs), ack));
  });

  it('answers for any position, in any order (failures are looked up after the stream moved on), and refuses positions outside the runs', () => {
    const runs: FibRouteRun[] = [
      { op: 'add', route: attrs('10.0.0.2'), prefixes: ['16.0.0.1/32', '16.0.0.2/32'] },
      { op: 'delete', route: attrs('10.0.0.2'), prefixes: [] },
      { op: 'delete', route: attrs('10.0.0.2'), prefixes: ['16.0.0.3/32'] },
      { op: 'replace', route: attrs('10.0.0.3'), prefixes: ['16.0.0.4/32'] },
    ];
    const ops = routeOpsOfRuns(runs);
    const encoder = new FibRouteRunEncoder(new FibRouteEncoder(), runs);
    expect(encoder.length).toBe(4);
    for (const i of [3, 0, 2, 1, 3, 2]) {
      expect(encoder.opAt(i)).toBe(ops[i]!.op);
      expect(encoder.prefixAt(i)).toBe(ops[i]!.route.prefix);
      expect(encoder.requestOf(i)).toEqual(new FibRouteEncoder().requestOf(ops[i]!));
    }
    expect(() => encoder.opAt(4)).toThrow(RangeError);
    expect(() => encoder.opAt(-1)).toThrow(RangeError);
    expect(() => new FibRouteRunEncoder(new FibRouteEncoder(), []).opAt(0)).toThrow(RangeError);
  });

  it('positions grow past the shared array and stay 0, 1, 2, ...', () => {
    const prefixes = Array.from({ length: 5000 }, (_, i) => `16.0.${i >> 8}.${i & 255}/32`);
    const encoder = new FibRouteRunEncoder(new FibRouteEncoder(), [{ op: 'add', route: attrs('10.0.0.2'), prefixes }]);
    const p = encoder.positions();
    expect(p.length).toBe(5000);
    expect(p.every((v, i) => v === i)).toBe(true);
    expect([...new FibRouteRunEncoder(new FibRouteEncoder(), [{ op: 'add', route: attrs('10.0.0.2'), prefixes: ['16.0.0.1/32', '16.0.0.2/32'] }]).positions()]).toEqual([0, 1]);
  });

  it('property: any runs encode as their operations do one by one', () => {
    const runArb = fc.record({
      op: fc.constantFrom('add' as const, 'replace' as const, 'delete' as const),
      gateway: fc.constantFrom('10.0.0.2', '10.0.0.3', 'fd00::2', 'x'),
      table: fc.constantFrom(100, 101, 0),
      ifindex: fc.option(fc.constantFrom(3, 4), { nil: undefined }),
      prefixes: fc.array(fc.constantFrom('16.0.0.1/32', '16.0.1.0/24', '2001:db8::/64', 'default', '16.0.0.1/33', 'junk'), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(runArb, { maxLength: 8 }), (raw) => {
        const runs: FibRouteRun[] = raw.map((r) => ({ op: r.op, route: attrs(r.gateway, { table: r.table, ...(r.ifindex !== undefined ? { ifindex: r.ifindex } : {}) }), prefixes: r.prefixes }));
        expect(runOfRuns(runs)).toEqual(run(encodeGeneral, routeOpsOfRuns(runs)));
      }),
      { numRuns: 500 },
    );
  });
});
