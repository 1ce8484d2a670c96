/**
 * A runnable FIB exporter fed from an MRT file (later: from a BGP session).
 *
 *   npx tsx examples/fib-exporter.ts --mrt examples/data/sample.mrt.gz              # dry run, in memory
 *   npx tsx examples/fib-exporter.ts --mrt rib.gz --config export.json --netns edge  # into namespace "edge"
 *
 * Options:
 *   --mrt FILE        MRT file (gzip/bzip2 accepted): TABLE_DUMP_V2 RIB and/or BGP4MP updates
 *   --config FILE     JSON config (see below); default: one rule exporting everything to table 100
 *   --netns NAME      export into this network namespace through rtnetlink
 *   --host            export into the host's own namespace (deliberate: it changes real routing tables)
 *   --peer-index N    use the RIB entries of this peer (default: the first entry of each prefix)
 *   --flush-on-exit   withdraw every exported route when stopped (default: leave them; the next start sweeps them)
 *   --watch           keep running after the replay: SIGHUP reloads the config's rules, SIGINT/SIGTERM stop
 *
 * Without --netns or --host nothing touches the kernel: an in-memory FIB that
 * treats every nexthop as reachable shows what would be exported.
 *
 * Config (JSON):
 *   {
 *     "routeProtocol": 186, "dampeningMs": 100, "useNexthopGroups": false,
 *     "rules": [
 *       { "name": "customer-a", "communities": ["65000:100", "no-export"], "table": 100, "metric": 20 },
 *       { "name": "shared", "largeCommunities": ["65000:1:2"], "table": 200, "validateNexthop": false }
 *     ]
 *   }
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MrtReader } from '../src/bgp/mrt/mrt-reader.js';
import { FibConfigError } from '../src/fib/errors.js';
import { FibExporter } from '../src/fib/fib-exporter.js';
import type { FibSink, NexthopLookup } from '../src/fib/fib-sink.js';
import { KernelFibSink } from '../src/fib/kernel-fib-sink.js';
import { InMemoryFibSink } from '../src/fib/memory-fib-sink.js';
import { MrtRouteSource } from '../src/fib/mrt-route-source.js';
import { Rtnl } from '../src/netlink/rtnl.js';

/** Dry-run FIB: in memory, every nexthop reachable (directly, on a made-up ifindex 1). */
class DryRunSink extends InMemoryFibSink {
  override async lookupNexthop(): Promise<NexthopLookup> {
    this.lookups++;
    return { reachable: true, ifindex: 1 };
  }
}

const { values } = parseArgs({
  options: {
    mrt: { type: 'string' },
    config: { type: 'string' },
    netns: { type: 'string' },
    host: { type: 'boolean', default: false },
    'peer-index': { type: 'string' },
    'flush-on-exit': { type: 'boolean', default: false },
    watch: { type: 'boolean', default: false },
  },
});

function loadConfig(): unknown {
  if (values.config === undefined) return { rules: [{ name: 'everything', table: 100 }] };
  return JSON.parse(readFileSync(values.config, 'utf8')) as unknown;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<void> {
  if (values.mrt === undefined) fail('usage: fib-exporter.ts --mrt FILE [--config FILE] [--netns NAME | --host] [--watch]');
  let rtnl: Rtnl | undefined;
  let sink: FibSink;
  if (values.netns !== undefined || values.host) {
    rtnl = await Rtnl.open(values.netns !== undefined ? { netns: values.netns } : {});
    sink = new KernelFibSink(rtnl);
  } else {
    sink = new DryRunSink();
  }
  let exporter: FibExporter;
  try {
    exporter = new FibExporter(loadConfig(), sink);
  } catch (e) {
    if (e instanceof FibConfigError) fail(e.issues.map((i) => `config ${i.path || '(root)'}: ${i.message}`).join('\n'));
    throw e;
  }
  exporter.on('failure', (e) => console.error(`[${e.code}] ${e.message}`));
  exporter.on('cleanup', (i) => console.error(`startup cleanup: ${i.deleted} stale route(s) of protocol ${i.protocol} in tables ${i.tables.join(', ')}`));
  exporter.on('reconfigured', (d) => console.error(`reconfigured: +${d.added.join(',')} -${d.removed.join(',')} ~${d.changed.join(',')}`));
  await exporter.start();

  const peerIndex = values['peer-index'] === undefined ? undefined : Number(values['peer-index']);
  const source = new MrtRouteSource(peerIndex === undefined ? {} : { peerIndex });
  exporter.attach(source);
  const t0 = Date.now();
  const replay = await source.replay(new MrtReader(values.mrt));
  await exporter.drain();
  // With nexthop groups a restart adopted what the last run left; the replay is the full feed, so drop what it did not confirm.
  await exporter.endResync();
  console.log(JSON.stringify({ replay, seconds: (Date.now() - t0) / 1000, exporter: exporter.stats() }));
  for (const table of new Set(exporter.exported().map((r) => r.table))) {
    const routes = exporter.exported({ table });
    console.error(`table ${table}: ${routes.length} route(s), e.g. ${routes.slice(0, 3).map((r) => `${r.prefix} via ${r.gateway}`).join('; ')}`);
  }

  const stop = async (): Promise<void> => {
    exporter.stop();
    if (values['flush-on-exit']) await exporter.flush();
    rtnl?.close();
  };
  if (!values.watch) {
    await stop();
    return;
  }
  process.on('SIGHUP', () => {
    try {
      const cfg = loadConfig();
      const rules = typeof cfg === 'object' && cfg !== null && 'rules' in cfg ? cfg.rules : undefined;
      exporter.reconfigure(rules).catch((e: unknown) => console.error(e instanceof FibConfigError ? e.message : e));
    } catch (e) {
      console.error(`reload failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  // Signal handlers alone do not keep Node running: hold a timer until told to stop.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(keepAlive);
  await stop();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
