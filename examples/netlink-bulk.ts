/**
 * Bulk programming: stream 100k routes in large batches (errors only, no
 * per-route ACK), see which operations failed and why, and delete them in
 * shuffled order (ascending deletes hit a fib_trie slow path). The deletes
 * share every attribute but the prefix, so they go through
 * rtnl.routes.bulk(): the attributes are encoded once, about half the CPU of
 * an operation object per route.
 * Run as root: `npx tsx examples/netlink-bulk.ts`.
 */
import { Rtnl, type BulkOperation } from '../src/index.js';
import { canRun, withThrowawayNamespace } from './netlink-netns.js';

const COUNT = Number(process.env['COUNT'] ?? 100_000);

function* adds(): Generator<BulkOperation> {
  for (let i = 0; i < COUNT; i++) {
    // every 25_000th route names a nexthop that does not exist, to show failure reports
    const nhid = i % 25_000 === 24_999 ? 999 : 1;
    yield { op: 'route.add', route: { dst: `100.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`, nhid, table: 1000 } };
  }
}

if (canRun()) {
  await withThrowawayNamespace(async (netns) => {
    const rtnl = await Rtnl.open({ netns });
    try {
      await rtnl.nexthops.add({ id: 1, gateway: '10.0.0.2', oif: await rtnl.links.indexOf('va') });
      const t0 = process.hrtime.bigint();
      const added = await rtnl.bulk(adds(), { onFailure: (f) => console.log(`operation #${f.index} failed: ${f.error.code} ${f.error.message}`) });
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(`${added.succeeded} routes in ${seconds.toFixed(2)} s (${Math.round(added.submitted / seconds)} routes/s, ${added.batches} sendmsg batches)`);
      const routes = await rtnl.routes.list({ table: 1000 });
      const order = routes.map((r) => r.dst);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j] as string, order[i] as string];
      }
      const removed = await rtnl.routes.bulk('delete', { table: 1000 }, order);
      console.log(`deleted ${removed.succeeded}; ${(await rtnl.routes.list({ table: 1000 })).length} left`);
    } finally {
      rtnl.close();
    }
  });
}
