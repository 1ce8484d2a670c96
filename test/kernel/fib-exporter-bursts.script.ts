/**
 * Child process of fib-exporter-shapes.test.ts (run with --expose-gc and V8's
 * --trace-opt/--trace-deopt): bursts of routes through a new FIB exporter each
 * time, into the kernel of the namespace named by argv[2], with a full garbage
 * collection between bursts, so that everything a burst made is dead before
 * the next one.
 */
import { execFileSync } from 'node:child_process';
import { FibExporter } from '../../src/fib/fib-exporter.js';
import { KernelFibSink } from '../../src/fib/kernel-fib-sink.js';
import { Rtnl } from '../../src/netlink/rtnl.js';
import { burstArguments, WARM_UP_BURSTS } from '../support/traced-bursts.js';

const { netns, bursts, routes, gc } = burstArguments();

const rtnl = await Rtnl.open({ netns });
const sink = new KernelFibSink(rtnl);
for (let b = 0; b < bursts; b++) {
  const exporter = new FibExporter({ rules: [{ name: 'all', table: 100 }], dampeningMs: 0 }, sink);
  await exporter.start();
  for (let i = 0; i < routes; i++) {
    exporter.handle({ type: 'added', route: { prefix: `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`, nexthop: '10.77.0.2', communities: [], largeCommunities: [] } });
  }
  await exporter.drain();
  if (exporter.stats().routesInKernel !== routes) throw new Error(`burst ${b}: ${exporter.stats().routesInKernel}/${routes} routes in the kernel`);
  // The kernel's table is emptied behind the exporter's back, as the bench does: no withdraw pass runs.
  execFileSync('ip', ['-n', netns, 'route', 'flush', 'table', '100']);
  exporter.stop();
  gc();
  // The trace after this line is the steady state (the first bursts also
  // settle the shapes' field types, which throws code away once or twice).
  if (b === WARM_UP_BURSTS - 1) console.log('warmed up');
}
rtnl.close();
console.log('bursts done');
