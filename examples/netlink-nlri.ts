/**
 * BGP bytes into the FIB without an object per prefix: UPDATE messages (made
 * here by UpdateBuilder, as a session would receive them) are read with
 * UpdateView, and each NLRI field goes to the kernel with
 * rtnl.routes.bulkNlri(), straight from the message bytes, with the UPDATE's
 * next hop as the gateway. The withdrawals take the same path.
 * Run as root: `npx tsx examples/netlink-nlri.ts`.
 */
import { createCodecContext, Prefix, Rtnl, UpdateBuilder, UpdateView } from '../src/index.js';
import { canRun, withThrowawayNamespace } from './netlink-netns.js';

const COUNT = Number(process.env['COUNT'] ?? 100_000);
const TABLE = 1000;

if (canRun()) {
  await withThrowawayNamespace(async (netns) => {
    const rtnl = await Rtnl.open({ netns });
    try {
      const oif = await rtnl.links.indexOf('va');
      const ctx = createCodecContext({ asn4: true });
      const prefixes = Array.from({ length: COUNT }, (_, i) => Prefix.parse(`${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`));
      const announcements = new UpdateBuilder(ctx).attributes({ origin: 0, asPath: [{ type: 2, asns: [65001] }], nextHop: '10.0.0.2' }).announce(prefixes).build();
      const withdrawals = new UpdateBuilder(ctx).withdraw(prefixes).build();

      /** Every IPv4 NLRI field of the messages into the kernel, one bulk stream per field. */
      const apply = async (frames: Uint8Array[], announced: boolean): Promise<{ routes: number; failed: number }> => {
        let routes = 0;
        let failed = 0;
        for (const frame of frames) {
          const update = UpdateView.fromMessage(frame, ctx);
          const gateway = update.nextHop; // the classic NEXT_HOP attribute (RFC 4271 §5.1.3)
          for (const field of update.nlriSegments(announced)) {
            if (field.codec.afi !== 1) continue;
            const block = { family: 4 as const, bytes: update.buf, start: field.start, end: field.end, addPath: field.addPath };
            const r = announced
              ? await rtnl.routes.bulkNlri('add', { gateway, oif, table: TABLE, protocol: 'bgp' }, block)
              : await rtnl.routes.bulkNlri('delete', { table: TABLE }, block);
            routes += r.submitted;
            failed += r.failed;
            for (const f of r.failures.slice(0, 3)) console.log(`prefix at byte ${f.operation.offset} (/${f.operation.length}): ${f.error.message}`);
          }
        }
        return { routes, failed };
      };

      let t0 = process.hrtime.bigint();
      const added = await apply(announcements, true);
      let seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(`${announcements.length} UPDATEs: ${added.routes} routes in ${seconds.toFixed(2)} s (${Math.round(added.routes / seconds)} routes/s), ${added.failed} failed`);
      console.log(`the kernel has ${(await rtnl.routes.list({ table: TABLE })).length} routes in table ${TABLE}`);

      t0 = process.hrtime.bigint();
      const removed = await apply(withdrawals, false);
      seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(`${withdrawals.length} withdrawing UPDATEs: ${removed.routes} routes deleted in ${seconds.toFixed(2)} s; ${(await rtnl.routes.list({ table: TABLE })).length} left`);
    } finally {
      rtnl.close();
    }
  });
}
