/**
 * `npm run demo` — fibwire's main job, end to end on real data:
 *
 *  1. read an MRT file (the sample in examples/data/, generated with fibwire's
 *     own encoders, or the file given as the first argument: RIS/RouteViews
 *     dumps and update files, gzip or bzip2);
 *  2. print a summary and a few decoded routes (typed attribute access);
 *  3. as root on Linux: create a throwaway network namespace, install the
 *     IPv4 routes it read into a numbered table through fibwire's rtnetlink
 *     client (one bulk stream), read them back with fibwire's dump and with
 *     `ip -j route`, remove them, and delete the namespace. Not root: it says so.
 *
 * Usage: npm run demo [-- FILE.mrt[.gz|.bz2]] [--routes N]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AttrType,
  formatAsPath,
  formatCommunity,
  formatLargeCommunity,
  formatMpNextHop,
  type KnownAttributeType,
  type AttributeValueMap,
  MrtError,
  MrtReader,
  Netns,
  type PathAttributeBlock,
  Rtnl,
  type RouteSpec,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const routesArg = args.indexOf('--routes');
const maxKernelRoutes = routesArg >= 0 ? Number(args[routesArg + 1]) : 20_000;
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--routes') ?? join(here, 'data', 'sample.mrt.gz');

/** One route as the demo shows it. */
interface RouteRow {
  prefix: string;
  peer: string;
  peerAs: number;
  asPath: string;
  nextHop: string;
  communities: string[];
}

/** Typed decode of one attribute of an MRT attribute block (undefined when absent or malformed). */
function attr<K extends KnownAttributeType>(block: PathAttributeBlock, type: K): AttributeValueMap[K] | undefined {
  try {
    return block.value(type);
  } catch {
    return undefined; // a malformed attribute in an archive: show the route without it
  }
}

function rowOf(prefix: string, peer: string, peerAs: number, block: PathAttributeBlock): RouteRow {
  const mp = attr(block, AttrType.MP_REACH_NLRI);
  return {
    prefix,
    peer,
    peerAs,
    asPath: formatAsPath(attr(block, AttrType.AS_PATH) ?? []),
    nextHop: attr(block, AttrType.NEXT_HOP) ?? (mp ? formatMpNextHop(mp.nextHop) : ''),
    communities: [
      ...(attr(block, AttrType.COMMUNITIES) ?? []).map(formatCommunity),
      ...(attr(block, AttrType.LARGE_COMMUNITY) ?? []).map(formatLargeCommunity),
    ],
  };
}

async function readMrt(path: string): Promise<{ rows: RouteRow[]; counts: Map<string, number>; errors: number; prefixes: Set<string>; peers: Set<string>; origins: Map<number, number> }> {
  const counts = new Map<string, number>();
  const prefixes = new Set<string>();
  const peers = new Set<string>();
  const origins = new Map<number, number>();
  const rows: RouteRow[] = [];
  let errors = 0;
  const note = (row: RouteRow): void => {
    prefixes.add(row.prefix);
    peers.add(`${row.peer} AS${row.peerAs}`);
    const last = row.asPath.split(' ').filter((x) => /^\d+$/.test(x)).pop();
    if (last) origins.set(Number(last), (origins.get(Number(last)) ?? 0) + 1);
    rows.push(row);
  };
  for await (const rec of new MrtReader(path)) {
    if (rec instanceof MrtError) {
      errors++;
      continue;
    }
    counts.set(rec.kind, (counts.get(rec.kind) ?? 0) + 1);
    if (rec.kind === 'rib' && rec.prefix) {
      for (const e of rec.entries) note(rowOf(rec.prefix.toString(), e.peer.ip, e.peer.asn, e.attributes));
    } else if (rec.kind === 'bgp4mp-message' && rec.messageType === 2) {
      try {
        const update = rec.update();
        if (update.validate().action !== 'ok') continue;
        const mp = update.mpReach;
        const row = {
          peer: rec.peerIp,
          peerAs: rec.peerAs,
          asPath: formatAsPath(update.asPath ?? []),
          nextHop: update.nextHop ?? (mp ? formatMpNextHop(mp.nextHop) : ''),
          communities: [...(update.communities ?? []).map(formatCommunity), ...(update.largeCommunities ?? []).map(formatLargeCommunity)],
        };
        for (const p of update.announced()) note({ prefix: p.toString(), ...row });
      } catch {
        errors++;
      }
    }
  }
  return { rows, counts, errors, prefixes, peers, origins };
}

function sh(cmd: string, argv: string[]): string {
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Installs the IPv4 routes into a throwaway namespace and takes them out again. */
async function kernelPart(rows: RouteRow[]): Promise<void> {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.platform !== 'linux' || !isRoot) {
    console.log('\n[kernel] skipped: installing routes needs Linux and root (this run is ' + `${process.platform}, uid ${process.getuid?.() ?? '?'}).`);
    return;
  }
  const ns = `fwdemo-${randomBytes(3).toString('hex')}`;
  const table = 1000;
  await Netns.create(ns); // like `ip netns add`, through fibwire's addon
  let rtnl: Rtnl | undefined;
  try {
    rtnl = await Rtnl.open({ netns: ns });
    // A veth pair inside the namespace gives the routes a real next hop.
    await rtnl.links.create({ kind: 'veth', name: 'demo0', peer: { name: 'demo1' } });
    const link = await rtnl.links.get('demo0');
    const peer = await rtnl.links.get('demo1');
    if (!link || !peer) throw new Error('veth pair did not appear');
    await rtnl.links.setUp(link.index);
    await rtnl.links.setUp(peer.index);
    await rtnl.addresses.add({ index: link.index, address: '100.64.0.1/24' });

    const v4 = [...new Set(rows.filter((r) => !r.prefix.includes(':')).map((r) => r.prefix))].slice(0, maxKernelRoutes);
    const specs: RouteSpec[] = v4.map((dst) => ({ dst, gateway: '100.64.0.2', oif: link.index, table, protocol: 186 }));
    const t0 = process.hrtime.bigint();
    const added = await rtnl.bulk(specs.map((route) => ({ op: 'route.add' as const, route })));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const ours = await rtnl.routes.list({ table, protocol: 186 });
    const ipSays = (JSON.parse(sh('ip', ['-n', ns, '-j', 'route', 'show', 'table', String(table)])) as unknown[]).length;
    console.log(`\n[kernel] namespace ${ns}: installed ${v4.length - added.failures.length} of ${v4.length} IPv4 routes into table ${table} in ${ms.toFixed(1)} ms`);
    console.log(`[kernel] fibwire dump sees ${ours.length} routes (protocol 186); \`ip -j route show table ${table}\` sees ${ipSays}`);
    for (const f of added.failures.slice(0, 3)) console.log(`[kernel]   failed: ${JSON.stringify(f.operation)}: ${f.error.message}`);
    const sample = ours[0];
    if (sample) console.log(`[kernel] e.g. ${sample.dst} via ${sample.gateway ?? '-'} dev demo0 table ${sample.table} proto ${sample.protocol}`);

    // Delete in shuffled order: ascending deletes hit a fib_trie slow path (issue 3).
    const shuffled = [...specs].sort(() => Math.random() - 0.5);
    const removed = await rtnl.bulk(shuffled.map((route) => ({ op: 'route.delete' as const, route })));
    const left = (await rtnl.routes.list({ table, protocol: 186 })).length;
    console.log(`[kernel] removed ${specs.length - removed.failures.length} routes; ${left} left in table ${table}`);
  } finally {
    rtnl?.close();
    await Netns.delete(ns);
    console.log(`[kernel] namespace ${ns} deleted`);
  }
}

async function main(): Promise<void> {
  console.log(`fibwire demo — reading ${file}`);
  const t0 = process.hrtime.bigint();
  const { rows, counts, errors, prefixes, peers, origins } = await readMrt(file);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`\nread in ${ms.toFixed(1)} ms: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}${errors ? `, ${errors} damaged` : ''}`);
  console.log(`${rows.length} routes, ${prefixes.size} distinct prefixes (${[...prefixes].filter((p) => p.includes(':')).length} IPv6), ${peers.size} peers`);
  const top = [...origins].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`top origin ASes: ${top.map(([as, n]) => `AS${as} (${n})`).join(', ')}`);
  console.log('\na few decoded routes:');
  for (const r of rows.filter((_, i) => i % Math.max(1, Math.floor(rows.length / 6)) === 0).slice(0, 6)) {
    console.log(`  ${r.prefix.padEnd(22)} via ${r.nextHop.padEnd(18)} from ${r.peer} AS${r.peerAs}  path [${r.asPath}]  ${r.communities.join(' ')}`);
  }
  await kernelPart(rows);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exitCode = 1;
});
