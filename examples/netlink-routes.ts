/**
 * Routes: add, replace, dump, delete — IPv4 and IPv6, a 32-bit table id,
 * a multipath route with weights; FIB lookups, awaited and synchronous. Run as root: `npx tsx examples/netlink-routes.ts`.
 */
import { Rtnl } from '../src/index.js';
import { canRun, withThrowawayNamespace } from './netlink-netns.js';

if (canRun()) {
  await withThrowawayNamespace(async (netns) => {
    const rtnl = await Rtnl.open({ netns });
    try {
      const va = await rtnl.links.indexOf('va');
      await rtnl.addresses.add({ address: 'fd00::1/64', index: va, nodad: true });
      const table = 100_000; // any id up to 2^32-1 travels in RTA_TABLE
      await rtnl.routes.add({ dst: '192.0.2.0/24', gateway: '10.0.0.2', oif: va, table, protocol: 'bgp', metric: 20 });
      await rtnl.routes.add({ dst: '2001:db8:1::/64', gateway: 'fd00::2', oif: va, table });
      await rtnl.routes.add({
        dst: '198.51.100.0/24',
        table,
        multipath: [
          { gateway: '10.0.0.2', oif: va, weight: 3 },
          { gateway: '10.0.0.3', oif: va, weight: 1 },
        ],
      });
      await rtnl.routes.replace({ dst: '192.0.2.0/24', gateway: '10.0.0.3', oif: va, table, protocol: 'bgp', metric: 20 });
      for (const r of await rtnl.routes.list({ table })) {
        const via = r.multipath?.map((h) => `${h.gateway} w${h.weight}`).join(', ') ?? r.gateway;
        console.log(`${r.dst.padEnd(20)} via ${via} proto ${r.protocol} table ${r.table}`);
      }
      // The stack's own lookup (`ip route get fibmatch`): awaited, or answered before getSync() returns.
      await rtnl.routes.add({ dst: '203.0.113.0/24', gateway: '10.0.0.2', oif: va, protocol: 'bgp' });
      const found = await rtnl.routes.get('203.0.113.9');
      const now = rtnl.routes.getSync('203.0.113.9');
      console.log(`lookup 203.0.113.9: ${found.dst} via ${found.gateway} (getSync: ${now.dst} via ${now.gateway})`);
      await rtnl.routes.delete({ dst: '192.0.2.0/24', table });
      console.log(`after delete: ${(await rtnl.routes.list({ table })).length} routes in table ${table}`);
    } finally {
      rtnl.close();
    }
  });
}
