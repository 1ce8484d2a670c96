/**
 * Child process of netlink-bulk-code.test.ts (run with --expose-gc and V8's
 * --trace-opt): bursts of route.replace operations through rtnl.bulk() into
 * the kernel of the namespace named by argv[2], with a full garbage collection
 * between bursts, so that nothing a bulk made is alive at the next one.
 */
import { execFileSync } from 'node:child_process';
import type { BulkOperation } from '../../src/netlink/bulk.js';
import { Rtnl } from '../../src/netlink/rtnl.js';
import { burstArguments, WARM_UP_BURSTS } from '../support/traced-bursts.js';

const { netns, bursts, routes, gc } = burstArguments();

function operations(n: number): BulkOperation[] {
  const ops: BulkOperation[] = new Array(n);
  for (let i = 0; i < n; i++) {
    ops[i] = { op: 'route.replace', route: { dst: `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`, gateway: '10.77.0.2', table: 100, protocol: 186 } };
  }
  return ops;
}

const rtnl = await Rtnl.open({ netns });
for (let b = 0; b < bursts; b++) {
  const result = await rtnl.bulk(operations(routes));
  if (result.failed !== 0 || result.submitted !== routes) throw new Error(`burst ${b}: ${result.failed} failed, ${result.submitted}/${routes} submitted`);
  execFileSync('ip', ['-n', netns, 'route', 'flush', 'table', '100']);
  gc();
  // The trace after this line is the steady state.
  if (b === WARM_UP_BURSTS - 1) console.log('warmed up');
}
rtnl.close();
console.log('bursts done');
