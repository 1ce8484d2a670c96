/**
 * Nexthop objects: two gateways, a weighted group, routes that name only the
 * group, and a failover that re-points every route with one group replace.
 * Run as root: `npx tsx examples/netlink-nexthops.ts`.
 */
import { Rtnl } from '../src/index.js';
import { canRun, withThrowawayNamespace } from './netlink-netns.js';

if (canRun()) {
  await withThrowawayNamespace(async (netns) => {
    const rtnl = await Rtnl.open({ netns });
    try {
      // compat mode 0: a group replace is one cheap operation, routes carry only RTA_NH_ID
      await rtnl.sysctl.setNexthopCompatMode(0);
      const va = await rtnl.links.indexOf('va');
      await rtnl.nexthops.add({ id: 1, gateway: '10.0.0.2', oif: va });
      await rtnl.nexthops.add({ id: 2, gateway: '10.0.0.3', oif: va });
      await rtnl.nexthops.add({ id: 3, blackhole: true });
      await rtnl.nexthops.add({ id: 100, group: [{ id: 1, weight: 2 }, { id: 2 }] });
      await rtnl.nexthops.add({ id: 101, group: [{ id: 1 }, { id: 2 }], groupType: 'resilient', resilient: { buckets: 64, idleTimer: 5 } });
      const result = await rtnl.bulk(
        Array.from({ length: 1000 }, (_, i) => ({ op: 'route.add' as const, route: { dst: `203.0.${i >> 8}.${i & 255}/32`, nhid: 100, table: 10 } })),
      );
      console.log(`installed ${result.succeeded} routes via group 100`);
      const t0 = process.hrtime.bigint();
      await rtnl.nexthops.replace({ id: 100, group: [{ id: 2 }] }); // gateway 10.0.0.2 is gone
      console.log(`failover of every route: one message, ${Number(process.hrtime.bigint() - t0) / 1000} µs`);
      for (const nh of await rtnl.nexthops.list()) {
        const what = nh.group?.map((m) => `${m.id}x${m.weight}`).join('+') ?? (nh.blackhole === true ? 'blackhole' : nh.gateway);
        console.log(`nexthop ${nh.id}: ${what}${nh.groupType === 'resilient' ? ' (resilient)' : ''}`);
      }
      try {
        await rtnl.routes.add({ dst: '203.0.113.0/24', nhid: 999, table: 10 });
      } catch (error) {
        console.log(`kernel says: ${(error as Error).message}`);
      }
    } finally {
      rtnl.close();
    }
  });
}
