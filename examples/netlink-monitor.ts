/**
 * Events: watch routes, nexthops, links and neighbours while another client
 * changes them; recover from an overrun by dumping.
 * Run as root: `npx tsx examples/netlink-monitor.ts`.
 */
import { Rtnl } from '../src/index.js';
import { canRun, withThrowawayNamespace } from './netlink-netns.js';

if (canRun()) {
  await withThrowawayNamespace(async (netns) => {
    const rtnl = await Rtnl.open({ netns });
    const monitor = await rtnl.monitor({ groups: ['link', 'ipv4-route', 'nexthop', 'neighbor'] });
    try {
      monitor.on('route', (action, r) => console.log(`route ${action} ${r.dst} table ${r.table}`));
      monitor.on('nexthop', (action, nh) => console.log(`nexthop ${action} ${nh.id}`));
      monitor.on('link', (action, l) => console.log(`link ${action} ${l.name}`));
      monitor.on('neighbor', (action, n) => console.log(`neighbour ${action} ${n.address}`));
      monitor.on('neighborRequest', (n) => console.log(`kernel asks to resolve ${n.address}`));
      monitor.on('overrun', () => {
        void rtnl.resync(monitor.resyncParts()).then((s) => console.log(`resynced: ${s.routes?.length} routes`));
      });
      const va = await rtnl.links.indexOf('va');
      await rtnl.nexthops.add({ id: 1, gateway: '10.0.0.2', oif: va });
      await rtnl.routes.add({ dst: '192.0.2.0/24', nhid: 1, table: 7 });
      await rtnl.neighbors.add({ address: '10.0.0.9', index: va, lladdr: '02:00:00:00:00:09' });
      await rtnl.links.create({ kind: 'bridge', name: 'br0' });
      await rtnl.routes.delete({ dst: '192.0.2.0/24', table: 7 });
      await new Promise((resolve) => setTimeout(resolve, 200)); // let the last events arrive
    } finally {
      monitor.close();
      rtnl.close();
    }
  });
}
