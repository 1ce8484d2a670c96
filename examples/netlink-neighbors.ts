/**
 * Neighbours (ARP/ND entries) and a VXLAN forwarding database.
 * Run as root: `npx tsx examples/netlink-neighbors.ts`.
 */
import { Rtnl } from '../src/index.js';
import { canRun, withThrowawayNamespace } from './netlink-netns.js';

if (canRun()) {
  await withThrowawayNamespace(async (netns) => {
    const rtnl = await Rtnl.open({ netns });
    try {
      const va = await rtnl.links.indexOf('va');
      await rtnl.neighbors.add({ address: '10.0.0.9', index: va, lladdr: '02:00:00:00:00:09' });
      await rtnl.neighbors.replace({ address: '10.0.0.10', index: va, lladdr: '02:00:00:00:00:10', state: 'reachable', router: true });
      for (const n of await rtnl.neighbors.list({ index: va, family: 4 })) {
        console.log(`${n.address} lladdr ${n.lladdr ?? '-'} ${n.states.join(',')}${n.router ? ' router' : ''}`);
      }
      await rtnl.links.create({ kind: 'vxlan', name: 'vx0', vni: 100, local: '10.0.0.1', learning: false, up: true });
      const vx = await rtnl.links.indexOf('vx0');
      // head-end replication: the all-zero MAC floods to every listed VTEP
      await rtnl.fdb.append({ lladdr: '00:00:00:00:00:00', index: vx, dst: '10.0.0.2' });
      await rtnl.fdb.append({ lladdr: '00:00:00:00:00:00', index: vx, dst: '10.0.0.3' });
      await rtnl.fdb.add({ lladdr: '02:00:00:00:01:01', index: vx, dst: '10.0.0.2', vni: 100, port: 4789 });
      for (const e of await rtnl.fdb.list({ index: vx })) {
        console.log(`fdb ${e.lladdr} dst ${e.dst ?? '-'}${e.vni !== undefined ? ` vni ${e.vni}` : ''}`);
      }
    } finally {
      rtnl.close();
    }
  });
}
