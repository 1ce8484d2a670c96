/**
 * Links and addresses: create a bridge and a macvlan, enslave a veth end,
 * change MTU and MAC, add addresses, list links with kind and master.
 * Run as root: `npx tsx examples/netlink-links.ts`.
 */
import { Rtnl } from '../src/index.js';
import { canRun, withThrowawayNamespace } from './netlink-netns.js';

if (canRun()) {
  await withThrowawayNamespace(async (netns) => {
    const rtnl = await Rtnl.open({ netns });
    try {
      await rtnl.links.create({ kind: 'bridge', name: 'br0', up: true });
      const br0 = await rtnl.links.indexOf('br0');
      await rtnl.links.set('vb', { master: br0, mtu: 9000 });
      const va = await rtnl.links.indexOf('va');
      await rtnl.links.create({ kind: 'macvlan', name: 'mv0', link: va, mode: 'bridge', address: '02:00:00:00:0a:0a', up: true });
      await rtnl.addresses.add({ address: '10.1.0.1/24', index: await rtnl.links.indexOf('mv0') });
      for (const l of await rtnl.links.list()) {
        console.log(`${String(l.index).padStart(2)} ${l.name.padEnd(6)} ${(l.kind ?? '').padEnd(8)} mtu ${l.mtu} ${l.up ? 'up' : 'down'}${l.master !== undefined ? ` master ${l.master}` : ''}`);
      }
      for (const a of await rtnl.addresses.list({ family: 4 })) console.log(`address ${a.address}/${a.prefixLength} on ${a.index}`);
      await rtnl.links.delete('mv0');
    } finally {
      rtnl.close();
    }
  });
}
