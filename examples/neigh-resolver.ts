/**
 * NeighborResolver with a static JSON directory (examples/data/neigh-directory.json):
 * the kernel asks user space for neighbours and VXLAN destinations, and the
 * answers come from the file, as varpd's come from its directory service.
 *
 * Run as root: `npx tsx examples/neigh-resolver.ts`. It creates two throwaway
 * namespaces A and B joined by a veth pair (A: va 10.0.0.1, B: vb 10.0.0.2
 * with the MAC the directory lists), resolves B's address from A, and makes a
 * VXLAN l2miss in A become an FDB entry. Everything is deleted at the end.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { NeighborResolver, Rtnl, type FdbAnswer, type NeighborRequest, type ResolveAnswer } from '../src/index.js';
import { canRun } from './netlink-netns.js';

/** The JSON directory, checked field by field (it is input: it may be wrong). */
class StaticDirectory {
  private readonly neighbors = new Map<string, string>();
  private readonly fdb = new Map<string, FdbAnswer>();

  constructor(json: unknown) {
    const root = json as { neighbors?: unknown; fdb?: unknown };
    if (typeof json !== 'object' || json === null || !Array.isArray(root.neighbors) || !Array.isArray(root.fdb)) {
      throw new Error('directory: { neighbors: [...], fdb: [...] } expected');
    }
    for (const [i, n] of root.neighbors.entries()) {
      const { address, lladdr } = n as { address?: unknown; lladdr?: unknown };
      if (typeof address !== 'string' || typeof lladdr !== 'string') throw new Error(`directory: neighbors[${i}] needs address and lladdr`);
      this.neighbors.set(address, lladdr.toLowerCase());
    }
    for (const [i, f] of root.fdb.entries()) {
      const { lladdr, dst, vni } = f as { lladdr?: unknown; dst?: unknown; vni?: unknown };
      if (typeof lladdr !== 'string' || typeof dst !== 'string' || (vni !== undefined && typeof vni !== 'number')) {
        throw new Error(`directory: fdb[${i}] needs lladdr, dst and an optional numeric vni`);
      }
      this.fdb.set(lladdr.toLowerCase(), vni === undefined ? { lladdr, dst } : { lladdr, dst, vni });
    }
  }

  /** The resolver's `resolve`: an IP gives its MAC, a MAC (l2miss) its VTEP; unknown is null (cached negative). */
  lookup(request: NeighborRequest): ResolveAnswer | null {
    if (request.kind === 'ethernet') {
      const fdb = this.fdb.get(request.address);
      return fdb === undefined ? null : { fdb };
    }
    const lladdr = this.neighbors.get(request.address);
    return lladdr === undefined ? null : { lladdr };
  }
}

const B_MAC = '02:fb:00:00:00:02';

/** One UDP datagram from inside namespace `netns` (this Node binary, run there by ip netns exec). */
function sendDatagram(netns: string, destination: string): void {
  const type = destination.includes(':') ? 'udp6' : 'udp4';
  const script = `const s=require('dgram').createSocket('${type}'); s.send('x', 9, '${destination}', () => s.close());`;
  execFileSync('ip', ['netns', 'exec', netns, process.execPath, '-e', script]);
}

async function main(): Promise<void> {
  const directory = new StaticDirectory(JSON.parse(readFileSync(new URL('./data/neigh-directory.json', import.meta.url), 'utf8')) as unknown);
  const suffix = randomBytes(3).toString('hex');
  const nsA = `fwex-nra-${suffix}`;
  const nsB = `fwex-nrb-${suffix}`;
  execFileSync('ip', ['netns', 'add', nsA]);
  try {
    execFileSync('ip', ['netns', 'add', nsB]);
    try {
      console.log(`(throwaway namespaces ${nsA} and ${nsB})`);
      const a = await Rtnl.open({ netns: nsA });
      const b = await Rtnl.open({ netns: nsB });
      let resolver: NeighborResolver | undefined;
      try {
        // A's va <-> B's vb; vb gets the MAC the directory knows.
        await a.links.create({ kind: 'veth', name: 'va', peer: { name: 'vb', netns: nsB } });
        const va = await a.links.indexOf('va');
        const vb = await b.links.indexOf('vb');
        await b.links.set(vb, { address: B_MAC });
        await a.addresses.add({ address: '10.0.0.1/24', index: va });
        await b.addresses.add({ address: '10.0.0.2/24', index: vb });
        await a.links.setUp(va);
        await b.links.setUp(vb);
        // A VXLAN that asks user space about misses (RTM_GETNEIGH) and learns nothing by itself.
        await a.links.create({ kind: 'vxlan', name: 'vx0', vni: 100, port: 4789, local: '10.0.0.1', dev: va, learning: false, l2miss: true, l3miss: true });
        const vx0 = await a.links.indexOf('vx0');
        await a.addresses.add({ address: '10.1.0.1/24', index: vx0 });
        await a.links.setUp(vx0);
        // A static neighbour on the overlay whose MAC the VXLAN FDB does not know: sending to it is an l2miss.
        await a.neighbors.add({ address: '10.1.0.9', index: vx0, lladdr: '02:fb:00:00:01:09' });

        resolver = await NeighborResolver.open({
          netns: nsA,
          links: [{ name: 'va' }, { kind: 'vxlan' }],
          zeroMcastSolicit: true, // A sends no ARP of its own: only the directory answers
          resolve: (request) => directory.lookup(request),
        });
        resolver.on('requested', (r, d) => console.log(`requested ${r.kind} ${r.address} on ${r.linkName} (${r.source})${d.negativeCached ? ' [negative cache]' : ''}`));
        resolver.on('installed', (r, step) =>
          console.log(step.what === 'neighbor' ? `installed neighbour ${step.address} lladdr ${step.lladdr}` : `installed fdb ${step.lladdr} dst ${step.dst} vni ${step.vni ?? '-'}`),
        );
        resolver.on('resolved', (r, answer) => {
          if (answer === null) console.log(`directory has no entry for ${r.address}`);
        });
        console.log(`serving ${resolver.links().map((l) => `${l.name} (${l.kind ?? '?'})`).join(', ')}`);

        sendDatagram(nsA, '10.0.0.2');
        sendDatagram(nsA, '10.0.0.3');
        sendDatagram(nsA, '10.1.0.9');
        // Three answers are expected (two installs, one negative); bounded wait, then the kernel's view.
        const served = resolver;
        const deadline = Date.now() + 5000;
        while (served.stats.installed + served.stats.negative + served.stats.failed < 3 && Date.now() < deadline) {
          await new Promise<void>((resolve) => setTimeout(resolve, 20));
        }
        // The kernel gives 10.0.0.3 up after its one app probe (retrans_time, 1 s by default).
        await new Promise<void>((resolve) => setTimeout(resolve, 1100));

        for (const n of await a.neighbors.list({ index: va, family: 4 })) console.log(`A: ${n.address} lladdr ${n.lladdr ?? '-'} ${n.states.join(',')}`);
        for (const e of await a.fdb.list({ index: vx0 })) console.log(`A: fdb ${e.lladdr} dst ${e.dst ?? '-'}`);
        const s = resolver.stats;
        console.log(`stats: ${s.requests} requests, ${s.lookups} lookups, ${s.installed} installed, ${s.negative} negative, ${s.failed} failed`);
      } finally {
        await resolver?.close();
        a.close();
        b.close();
      }
    } finally {
      execFileSync('ip', ['netns', 'del', nsB]);
    }
  } finally {
    execFileSync('ip', ['netns', 'del', nsA]);
  }
}

if (canRun()) await main();
