/**
 * KernelFibSink.lookupNexthopNow (what a synchronous FIB lookup's answer means
 * for the exporter) and the order of cleanup's deletes, against a stub client
 * (pure logic; the kernel path is covered by test/kernel/netlink-routes.test.ts
 * and test/kernel/fib-exporter.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { KernelFibSink } from '../../src/fib/kernel-fib-sink.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import type { RouteEntry } from '../../src/netlink/ops/route-codec.js';
import type { RouteView } from '../../src/netlink/ops/route-view.js';
import type { Rtnl } from '../../src/netlink/rtnl.js';
import type { BulkOperation } from '../../src/netlink/bulk.js';

/** A client whose getSyncView answers from `answer` (the fields a view has, or an error to throw) and counts calls. */
function stubClient(answer: (address: string) => Partial<RouteEntry> | Error): { rtnl: Rtnl; calls: () => number } {
  let calls = 0;
  const routes = {
    getSyncView(address: string): RouteView {
      calls++;
      const a = answer(address);
      if (a instanceof Error) throw a;
      return a as unknown as RouteView;
    },
  };
  return { rtnl: { routes } as unknown as Rtnl, calls: () => calls };
}

const unreachable = (): NetlinkError => new NetlinkError(101, { type: 26, typeName: 'RTM_GETROUTE', flags: 5, seq: 1 }, 'Network is unreachable');
const timedOut = (): Error => Object.assign(new Error('recvmsg ETIMEDOUT'), { code: 'ETIMEDOUT', errno: -110, syscall: 'recvmsg' });

describe('KernelFibSink.lookupNexthopNow', () => {
  const cases: [string, Partial<RouteEntry> | Error, ReturnType<KernelFibSink['lookupNexthopNow']>][] = [
    ['a connected route: its interface', { type: 'unicast', oif: 3 }, { reachable: true, ifindex: 3 }],
    ['a recursive nexthop: the resolved gateway', { type: 'unicast', oif: 3, gateway: '10.0.0.2' }, { reachable: true, ifindex: 3, via: '10.0.0.2' }],
    ['an ECMP route: its first path', { type: 'unicast', multipath: [{ gateway: '10.0.0.3', oif: 4, weight: 1 }] }, { reachable: true, ifindex: 4, via: '10.0.0.3' }],
    ['a local address: not a forwarding route', { type: 'local', oif: 1 }, { reachable: false }],
    ['a blackhole: not a forwarding route', { type: 'blackhole' }, { reachable: false }],
    ['the kernel refusing (ENETUNREACH)', unreachable(), { reachable: false }],
    ['a route naming only its nexthop object (compat mode 0): left to the asynchronous lookup', { type: 'unicast', nhid: 7 }, undefined],
  ];
  it.each(cases)('%s', (_, answer, expected) => {
    const { rtnl, calls } = stubClient(() => answer);
    const sink = new KernelFibSink(rtnl);
    expect(sink.lookupNexthopNow('192.0.2.1')).toEqual(expected);
    // none of these turns synchronous lookups off
    sink.lookupNexthopNow('192.0.2.1');
    expect(calls()).toBe(2);
  });

  it('a socket failure or timeout turns synchronous lookups off for this sink (no second stall)', () => {
    let fail = true;
    const { rtnl, calls } = stubClient(() => (fail ? timedOut() : { type: 'unicast', oif: 3 }));
    const sink = new KernelFibSink(rtnl);
    expect(sink.lookupNexthopNow('192.0.2.1')).toBeUndefined();
    fail = false;
    expect(sink.lookupNexthopNow('192.0.2.1')).toBeUndefined();
    expect(calls()).toBe(1);
    // another sink over the same client still tries
    expect(new KernelFibSink(rtnl).lookupNexthopNow('192.0.2.1')).toEqual({ reachable: true, ifindex: 3 });
  });
});

describe('KernelFibSink.cleanup', () => {
  it('deletes each table last route first (a dump is in ascending order, which fib_trie deletes slowly), our protocol only', async () => {
    const dumped: Record<number, Partial<RouteEntry>[]> = {
      100: ['16.0.0.0/24', '16.0.1.0/24', '16.0.2.0/24'].map((dst) => ({ dst, family: 4, table: 100, tos: 0, metric: 20 })),
      101: ['2001:db8::/64', '2001:db8:1::/64'].map((dst) => ({ dst, family: 6, table: 101, tos: 0 })),
    };
    const sent: BulkOperation[][] = [];
    const listed: unknown[] = [];
    const rtnl = {
      routes: {
        list: async (filter: { table: number; protocol: number }) => {
          listed.push(filter);
          return dumped[filter.table] ?? [];
        },
      },
      nexthops: { list: async () => [] },
      bulk: async (ops: BulkOperation[]) => {
        sent.push(ops);
        return { submitted: ops.length, failed: 0, succeeded: ops.length, failures: [], overrun: false, batches: 1 };
      },
    } as unknown as Rtnl;
    expect(await new KernelFibSink(rtnl).cleanup(186, [100, 101])).toBe(5);
    expect(listed).toEqual([{ table: 100, protocol: 186 }, { table: 101, protocol: 186 }]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.map((o) => (o.op === 'route.delete' ? `${o.route.table} ${String(o.route.dst)}` : o.op))).toEqual([
      '100 16.0.2.0/24',
      '100 16.0.1.0/24',
      '100 16.0.0.0/24',
      '101 2001:db8:1::/64',
      '101 2001:db8::/64',
    ]);
  });
});
