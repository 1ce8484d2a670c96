/**
 * NeighborResolver against the real kernel: namespace A (the resolver's) and
 * namespace B joined by a veth pair. A has app_solicit=1, mcast_solicit=0 on
 * its end, so it never sends ARP/ND itself: an echo to B works only when the
 * resolver answers B's MAC.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeighborResolver } from '../../src/neigh/neighbor-resolver.js';
import type { VxlanSpec } from '../../src/netlink/ops/link-codec.js';
import { Rtnl } from '../../src/netlink/rtnl.js';
import type { NeighborResolverOptions } from '../../src/neigh/resolver-settings.js';
import type { NeighError } from '../../src/neigh/errors.js';
import type { NeighborRequest, ResolveAnswer } from '../../src/neigh/types.js';
import { isJsonObject, parseJson, type JsonObject } from '../support/json.js';
import { createNamespace, type TestNamespace } from '../support/netns.js';
import { waitFor } from '../support/wait.js';
import { isRoot } from './netlink-support.js';

const run = promisify(execFile);
/** Creates a VXLAN in a test namespace through fibwire's own client; `underlay` names its IFLA_VXLAN_LINK device. */
async function addVxlan(ns: TestNamespace, spec: Omit<VxlanSpec, 'kind' | 'dev'>, underlay?: string): Promise<void> {
  const rtnl = await Rtnl.open({ netns: ns.name });
  try {
    const dev = underlay === undefined ? undefined : await rtnl.links.indexOf(underlay);
    await rtnl.links.create({ kind: 'vxlan', ...spec, ...(dev === undefined ? {} : { dev }) });
  } finally {
    rtnl.close();
  }
}

const echoScript = fileURLToPath(new URL('../alloc/icmp-echo.py', import.meta.url));

/** One ICMP/ICMPv6 echo command: ping(8) when installed, else the repository's raw-socket helper. */
async function findPinger(): Promise<((source: string, destination: string) => string[]) | undefined> {
  try {
    await run('ping', ['-V'], { timeout: 5_000 });
    return (source, destination) => ['ping', '-n', '-c', '1', '-W', '2', '-I', source, destination];
  } catch {
    // no ping(8)
  }
  if (!existsSync(echoScript)) return undefined;
  try {
    const { stdout } = await run('python3', ['-c', 'import sys; print(sys.executable)'], { timeout: 5_000 });
    return (source, destination) => [stdout.trim(), echoScript, source, destination, '2'];
  } catch {
    return undefined;
  }
}

describe.skipIf(!isRoot)('NeighborResolver against the kernel', () => {
  let a: TestNamespace | undefined;
  let b: TestNamespace | undefined;
  let pinger: ((source: string, destination: string) => string[]) | undefined;
  let bMac = '';
  const resolvers: NeighborResolver[] = [];

  const nsA = (): TestNamespace => {
    if (a === undefined) throw new Error('namespace A not created');
    return a;
  };
  const nsB = (): TestNamespace => {
    if (b === undefined) throw new Error('namespace B not created');
    return b;
  };

  /** One echo, 2 s at most; true when answered. */
  async function echo(source: string, destination: string): Promise<boolean> {
    if (pinger === undefined) throw new Error('no ping(8) and no python3: cannot send ICMP echoes');
    try {
      await run('ip', ['netns', 'exec', nsA().name, ...pinger(source, destination)], { timeout: 15_000 });
      return true;
    } catch {
      return false;
    }
  }

  /** One UDP datagram from A (the kernel then needs the neighbour / FDB entry). */
  async function sendDatagram(destination: string): Promise<void> {
    const family = destination.includes(':') ? 'AF_INET6' : 'AF_INET';
    const script = `import socket; s=socket.socket(socket.${family}, socket.SOCK_DGRAM); s.sendto(b'x', ('${destination}', 9))`;
    await nsA().exec('python3', ['-c', script]);
  }

  async function sysctl(ns: TestNamespace, path: string): Promise<string> {
    return (await ns.exec('cat', [`/proc/sys/${path}`])).stdout.trim();
  }

  async function neighbours(): Promise<JsonObject[]> {
    const value = await nsA().ipJson(['neigh', 'show']);
    return Array.isArray(value) ? value.filter(isJsonObject) : [];
  }

  async function neighbourState(address: string): Promise<string[]> {
    const entry = (await neighbours()).find((n) => n.dst === address);
    const state = entry?.state;
    return Array.isArray(state) ? state.filter((s): s is string => typeof s === 'string') : [];
  }

  async function open(options: Omit<NeighborResolverOptions, 'netns'>): Promise<NeighborResolver> {
    const resolver = await NeighborResolver.open({ netns: nsA().name, ...options });
    resolvers.push(resolver);
    return resolver;
  }

  beforeAll(async () => {
    pinger = await findPinger();
    if (pinger === undefined) console.warn('neigh kernel test: neither ping(8) nor python3 with test/alloc/icmp-echo.py: echo tests skipped');
    b = await createNamespace('fwnr');
    a = await createNamespace('fwnr', {
      veths: [{ name: 'va', peer: 'vb', peerNamespace: b.name, addresses: ['10.0.0.1/24'], peerAddresses: ['10.0.0.2/24', '10.0.0.3/24', '10.0.0.6/24'] }],
    });
    await a.ip(['address', 'add', 'fd00::1/64', 'dev', 'va', 'nodad']);
    await b.ip(['address', 'add', 'fd00::2/64', 'dev', 'vb', 'nodad']);
    const link = await b.ipJson(['link', 'show', 'vb']);
    const first = Array.isArray(link) ? link[0] : undefined;
    bMac = isJsonObject(first) && typeof first.address === 'string' ? first.address : '';
    expect(bMac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
  });

  afterAll(async () => {
    for (const resolver of resolvers) await resolver.close();
    await a?.dispose();
    await b?.dispose();
  });

  it('sets app_solicit (IPv4, IPv6) and mcast_solicit=0 on the chosen link only, and restores them on close()', async () => {
    const before = {
      app4: await sysctl(nsA(), 'net/ipv4/neigh/va/app_solicit'),
      mcast4: await sysctl(nsA(), 'net/ipv4/neigh/va/mcast_solicit'),
      app6: await sysctl(nsA(), 'net/ipv6/neigh/va/app_solicit'),
      mcast6: await sysctl(nsA(), 'net/ipv6/neigh/va/mcast_solicit'),
      loApp4: await sysctl(nsA(), 'net/ipv4/neigh/lo/app_solicit'),
    };
    expect(before.app4).toBe('0');
    const resolver = await open({ links: { name: 'va' }, zeroMcastSolicit: true, resolve: () => null });
    expect(resolver.links().map((l) => [l.name, l.families])).toEqual([['va', [4, 6]]]);
    expect(await sysctl(nsA(), 'net/ipv4/neigh/va/app_solicit')).toBe('1');
    expect(await sysctl(nsA(), 'net/ipv4/neigh/va/mcast_solicit')).toBe('0');
    expect(await sysctl(nsA(), 'net/ipv6/neigh/va/app_solicit')).toBe('1');
    expect(await sysctl(nsA(), 'net/ipv6/neigh/va/mcast_solicit')).toBe('0');
    expect(await sysctl(nsA(), 'net/ipv4/neigh/lo/app_solicit')).toBe(before.loApp4);
    await resolver.close();
    expect({
      app4: await sysctl(nsA(), 'net/ipv4/neigh/va/app_solicit'),
      mcast4: await sysctl(nsA(), 'net/ipv4/neigh/va/mcast_solicit'),
      app6: await sysctl(nsA(), 'net/ipv6/neigh/va/app_solicit'),
      mcast6: await sysctl(nsA(), 'net/ipv6/neigh/va/mcast_solicit'),
      loApp4: await sysctl(nsA(), 'net/ipv4/neigh/lo/app_solicit'),
    }).toEqual(before);
  });

  it('an echo to B works only when the resolver answers B’s MAC (IPv4 and IPv6)', async (context) => {
    if (pinger === undefined) return context.skip();
    const asked: string[] = [];
    const resolver = await open({
      links: { name: 'va' },
      zeroMcastSolicit: true,
      zeroUcastSolicit: true,
      resolve: (request) => {
        asked.push(`${request.kind} ${request.address} ${request.source}`);
        // 10.0.0.3 is B's too, but the directory does not know it: negative answer.
        return request.address === '10.0.0.2' || request.address === 'fd00::2' ? { lladdr: bMac } : null;
      },
    });
    const failed: NeighError[] = [];
    resolver.on('failed', (_request, error) => failed.push(error));

    // The negative: B owns 10.0.0.3, yet without an answer A never learns where it is.
    expect(await echo('10.0.0.1', '10.0.0.3')).toBe(false);
    expect(asked).toContain('ipv4 10.0.0.3 app-solicit');
    await waitFor(() => resolver.stats.negative >= 1, 'the negative answer');
    expect(resolver.stats.installed).toBe(0);

    expect(await echo('10.0.0.1', '10.0.0.2')).toBe(true);
    expect(asked).toContain('ipv4 10.0.0.2 app-solicit');
    const entry = (await neighbours()).find((n) => n.dst === '10.0.0.2');
    expect(entry?.lladdr).toBe(bMac);

    expect(await echo('fd00::1', 'fd00::2')).toBe(true);
    expect(asked).toContain('ipv6 fd00::2 app-solicit');
    expect((await neighbours()).find((n) => n.dst === 'fd00::2')?.lladdr).toBe(bMac);

    expect(resolver.stats.installed).toBe(2);
    expect(resolver.stats.failed).toBe(0);
    expect(failed).toEqual([]);
    expect(resolver.links()[0]?.installed).toBe(2);
    await resolver.close();
  });

  it('a resolver that throws or hangs is counted, leaks nothing, and the kernel entry simply fails', async () => {
    const resolver = await open({
      links: { name: 'va' },
      zeroMcastSolicit: true,
      lookupTimeoutMs: 300,
      resolve: (request): Promise<ResolveAnswer | null> => {
        if (request.address === '10.0.0.44') throw new Error('directory is down');
        return new Promise<ResolveAnswer | null>(() => undefined); // never settles
      },
    });
    const errors: string[] = [];
    resolver.on('failed', (request, error) => errors.push(`${request.address} ${error.code}`));
    await sendDatagram('10.0.0.44');
    await sendDatagram('10.0.0.55');
    await waitFor(() => resolver.stats.resolverErrors >= 1 && resolver.stats.timeouts >= 1, 'a resolver error and a timeout');
    expect(errors).toContain('10.0.0.44 ERR_NEIGH_RESOLVER_THREW');
    expect(errors).toContain('10.0.0.55 ERR_NEIGH_TIMEOUT');
    expect(resolver.stats.inFlight).toBe(0);
    let states: string[][] = [];
    await waitFor(() => {
      void Promise.all([neighbourState('10.0.0.44'), neighbourState('10.0.0.55')]).then((s) => (states = s));
      return states.length === 2 && states.every((s) => s.includes('FAILED'));
    }, 'both kernel entries FAILED');
    await resolver.close();
  });

  it('follows links: new matching links are adopted, renames re-evaluated, a deleted lower takes its uppers’ state along', async () => {
    await nsA().ip(['link', 'add', 'vc', 'type', 'veth', 'peer', 'name', 'vd']);
    await nsA().ip(['link', 'add', 'link', 'vc', 'name', 'mvc', 'type', 'macvlan']);
    const resolver = await open({
      links: [{ name: 'vc' }, { name: 'mv*' }],
      lookupTimeoutMs: 60_000,
      resolve: () => new Promise<ResolveAnswer | null>(() => undefined),
    });
    const added: string[] = [];
    const removed: string[] = [];
    resolver.on('linkAdded', (l) => added.push(l.name));
    resolver.on('linkRemoved', (l) => removed.push(l.name));
    const errors: Error[] = [];
    resolver.on('error', (e) => errors.push(e));
    expect(resolver.links().map((l) => l.name).sort()).toEqual(['mvc', 'vc']);

    await nsA().ip(['link', 'add', 'link', 'vc', 'name', 'mv1', 'type', 'macvlan']);
    await waitFor(() => added.includes('mv1'), 'mv1 adopted');
    expect(await sysctl(nsA(), 'net/ipv4/neigh/mv1/app_solicit')).toBe('1');
    await nsA().ip(['link', 'set', 'mv1', 'name', 'other1']);
    await waitFor(() => removed.includes('other1'), 'mv1 dropped after its rename to other1');
    expect(removed).not.toContain('mv1');
    expect(await sysctl(nsA(), 'net/ipv4/neigh/other1/app_solicit')).toBe('0');

    // A lookup running on vc when it goes away is abandoned, not left hanging.
    await nsA().ip(['address', 'add', '10.9.0.1/24', 'dev', 'vc']);
    await nsA().ip(['link', 'set', 'vd', 'up']);
    await nsA().ip(['link', 'set', 'vc', 'up']);
    await sendDatagram('10.9.0.7');
    await waitFor(() => resolver.stats.inFlight === 1, 'a hanging lookup on vc');
    const vc = resolver.links().find((l) => l.name === 'vc');
    expect(vc?.requests).toBe(1);

    await nsA().ip(['link', 'delete', 'vc']);
    await waitFor(() => removed.includes('vc') && removed.includes('mvc'), 'vc and the macvlan on it dropped');
    expect(resolver.links()).toEqual([]);
    expect(resolver.stats.inFlight).toBe(0);
    expect(resolver.stats.abandoned).toBe(1);
    expect(errors).toEqual([]);
    expect(resolver.stats.sysctlErrors).toBe(0);
    await resolver.close();
  });

  it('recovers from a monitor overrun by resync: a lost link event and a lost RTM_GETNEIGH are both made good', async () => {
    await nsA().ip(['link', 'add', 've', 'type', 'veth', 'peer', 'name', 'vf']);
    const resolver = await open({
      links: [{ name: 'va' }, { name: 'vg*' }],
      zeroMcastSolicit: true,
      monitorReceiveBufferSize: 4096,
      resolve: (request) => (request.address === '10.0.0.66' ? { lladdr: bMac } : null),
    });
    const sources: string[] = [];
    const resyncs: { links: number; pending: number }[] = [];
    resolver.on('requested', (request) => sources.push(`${request.address} ${request.source}`));
    resolver.on('resynced', (found) => resyncs.push(found));
    // Everything below runs while this thread is blocked (execFileSync): the
    // monitor's small buffer overflows on the flood, so the link event and the
    // RTM_GETNEIGH that follow it are lost.
    const dir = mkdtempSync(join(tmpdir(), 'fwnr-'));
    try {
      const lines: string[] = [];
      for (let i = 0; i < 2000; i++) lines.push(`neigh add 10.5.${i >> 8}.${i & 255} lladdr 02:00:00:05:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')} dev ve`);
      lines.push('link add vg0 type veth peer name vh0');
      writeFileSync(join(dir, 'batch'), `${lines.join('\n')}\n`);
      execFileSync('ip', ['-n', nsA().name, '-batch', join(dir, 'batch')]);
      const script = "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'x', ('10.0.0.66', 9))";
      execFileSync('ip', ['netns', 'exec', nsA().name, 'python3', '-c', script]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await waitFor(() => resyncs.length > 0, 'a resync after the overrun');
    expect(resolver.stats.overruns).toBeGreaterThan(0);
    expect(resolver.links().map((l) => l.name).sort()).toEqual(['va', 'vg0']);
    await waitFor(() => resolver.stats.installed >= 1, 'the pending neighbour resolved after the resync');
    expect(sources).toContain('10.0.0.66 resync');
    const entry = (await neighbours()).find((n) => n.dst === '10.0.0.66');
    expect(entry?.lladdr).toBe(bMac);
    await resolver.close();
  });

  it('ignores RTM_NEWNEIGH / RTM_DELNEIGH noise: only RTM_GETNEIGH is a request', async () => {
    const resolve = (): null => null;
    const resolver = await open({ links: { name: 'va' }, resolve });
    await nsA().ip(['neigh', 'add', '10.0.0.77', 'lladdr', '02:00:00:00:00:77', 'dev', 'va', 'nud', 'reachable']);
    await nsA().ip(['neigh', 'replace', '10.0.0.77', 'lladdr', '02:00:00:00:00:78', 'dev', 'va', 'nud', 'stale']);
    await nsA().ip(['neigh', 'del', '10.0.0.77', 'dev', 'va']);
    // A request after the noise proves the monitor was listening all along.
    await sendDatagram('10.0.0.78');
    await waitFor(() => resolver.stats.requests >= 1, 'the RTM_GETNEIGH for 10.0.0.78');
    expect(resolver.stats).toMatchObject({ requests: 1, ignored: 0, lookups: 1 });
    await resolver.close();
  });

  it('a VXLAN l3miss (proxy: an ARP request bridged onto the VXLAN) is answered, and the VXLAN proxy then answers ARP', async () => {
    // A: bridge br1 with vx1 (proxy, l3miss) and vp; B: vq 10.1.0.5/24 on the same segment.
    await nsA().ip(['link', 'add', 'br1', 'type', 'bridge']);
    await addVxlan(nsA(), { name: 'vx1', vni: 200, port: 4789, learning: false, proxy: true, l2miss: true, l3miss: true });
    await nsA().ip(['link', 'add', 'vp', 'type', 'veth', 'peer', 'name', 'vq', 'netns', nsB().name]);
    for (const port of ['vx1', 'vp']) await nsA().ip(['link', 'set', port, 'master', 'br1']);
    for (const link of ['br1', 'vx1', 'vp']) await nsA().ip(['link', 'set', link, 'up']);
    await nsB().ip(['address', 'add', '10.1.0.5/24', 'dev', 'vq']);
    await nsB().ip(['link', 'set', 'vq', 'up']);
    const overlayMac = '02:00:00:00:02:20';
    const requests: NeighborRequest[] = [];
    try {
      const resolver = await open({
        links: { name: 'vx1' },
        resolve: (request) => {
          requests.push(request);
          return request.address === '10.1.0.20' ? { lladdr: overlayMac } : null;
        },
      });
      // B resolves 10.1.0.20 by ARP (mcast_solicit 3): the first request is an l3miss, a later one is answered by vx1's proxy.
      const script = "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'x', ('10.1.0.20', 9))";
      await nsB().exec('python3', ['-c', script]);
      await waitFor(() => resolver.stats.installed >= 1, 'the l3miss answered');
      // (IPv6 link-local ND on vx1 may be asked about too: app_solicit is on for both families.)
      expect(requests.find((r) => r.address === '10.1.0.20')).toMatchObject({ kind: 'ipv4', source: 'vxlan-l3miss', linkName: 'vx1', vni: 200, lladdr: undefined });
      let bView: JsonObject | undefined;
      await waitFor(() => {
        void nsB().ipJson(['neigh', 'show', 'dev', 'vq']).then((v) => {
          bView = Array.isArray(v) ? v.filter(isJsonObject).find((n) => n.dst === '10.1.0.20') : undefined;
        });
        return bView?.lladdr === overlayMac;
      }, 'B learning 10.1.0.20 from the VXLAN ARP proxy', 15_000);
      await resolver.close();
    } finally {
      await nsA().ip(['link', 'delete', 'vx1']);
      await nsA().ip(['link', 'delete', 'br1']);
      await nsA().ip(['link', 'delete', 'vp']);
    }
  });

  it('the kernel’s repeated requests (app_solicit=3) join a running lookup, and hit the negative cache after a null', async () => {
    const calls: string[] = [];
    const resolver = await open({
      links: { name: 'va' },
      appSolicit: 3,
      zeroMcastSolicit: true,
      lookupTimeoutMs: 10_000,
      resolve: async (request) => {
        calls.push(request.address);
        if (request.address !== '10.0.0.6') return null;
        // Slower than retrans_time (1 s): the kernel asks again while this runs.
        await new Promise<void>((resolve) => setTimeout(resolve, 1500));
        return { lladdr: bMac };
      },
    });
    const seen: string[] = [];
    resolver.on('requested', (request, d) => seen.push(`${request.address}${d.coalesced ? ' coalesced' : ''}${d.negativeCached ? ' cached' : ''}`));
    await sendDatagram('10.0.0.6');
    await sendDatagram('10.0.0.7');
    await waitFor(() => seen.filter((e) => /^10\.0\.0\.7( |$)/.test(e)).length >= 3, 'three app probes for 10.0.0.7');
    await waitFor(() => resolver.stats.installed >= 1, '10.0.0.6 installed');
    expect(calls.filter((a) => a === '10.0.0.6')).toHaveLength(1);
    expect(calls.filter((a) => a === '10.0.0.7')).toHaveLength(1);
    expect(seen).toContain('10.0.0.6 coalesced');
    expect(seen.filter((e) => e === '10.0.0.7 cached').length, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);
    expect((await neighbours()).find((n) => n.dst === '10.0.0.6')?.lladdr).toBe(bMac);
    await resolver.close();
  });

  it('keeps a VXLAN chosen by kind through bridge enslave/release (AF_BRIDGE RTM_NEWLINK/RTM_DELLINK are not link changes)', async () => {
    await nsA().ip(['link', 'add', 'br2', 'type', 'bridge']);
    await addVxlan(nsA(), { name: 'vx2', vni: 300, port: 4789, learning: false, l2miss: true });
    try {
      // mark*: a marker link whose adoption shows that every earlier link event was processed (they run in order).
      const resolver = await open({ links: [{ kind: 'vxlan', name: 'vx2' }, { name: 'mark*' }], resolve: () => null });
      const removed: string[] = [];
      const added: string[] = [];
      resolver.on('linkRemoved', (l) => removed.push(l.name));
      resolver.on('linkAdded', (l) => added.push(l.name));
      expect(resolver.links().map((l) => l.name)).toEqual(['vx2']);
      await nsA().ip(['link', 'set', 'vx2', 'master', 'br2']);
      await nsA().ip(['link', 'set', 'vx2', 'up']);
      await nsA().ip(['link', 'set', 'br2', 'up']);
      await nsA().ip(['link', 'set', 'vx2', 'nomaster']);
      await nsA().ip(['link', 'delete', 'br2']);
      await nsA().ip(['link', 'add', 'mark0', 'type', 'veth', 'peer', 'name', 'mark1']);
      await waitFor(() => added.includes('mark0') && added.includes('mark1'), 'the marker links adopted');
      await nsA().ip(['link', 'delete', 'mark0']);
      await waitFor(() => removed.includes('mark0') && removed.includes('mark1'), 'the marker links dropped');
      expect([...removed].sort()).toEqual(['mark0', 'mark1']); // and never vx2
      expect(resolver.links().map((l) => [l.name, l.kind])).toEqual([['vx2', 'vxlan']]);
      expect(await sysctl(nsA(), 'net/ipv4/neigh/vx2/app_solicit')).toBe('1');
      await resolver.close();
    } finally {
      await nsA().ip(['link', 'delete', 'vx2']);
      await nsA().ip(['link', 'delete', 'br2']).catch(() => undefined);
    }
  });

  it('a VXLAN l2miss becomes an FDB entry (nolearning l2miss l3miss)', async () => {
    await addVxlan(nsA(), { name: 'vx0', vni: 100, port: 4789, local: '10.0.0.1', learning: false, l2miss: true, l3miss: true }, 'va');
    await nsA().ip(['address', 'add', '10.1.0.1/24', 'dev', 'vx0']);
    await nsA().ip(['link', 'set', 'vx0', 'up']);
    // The static neighbour points at a MAC the VXLAN FDB does not know: sending to it is an l2miss.
    await nsA().ip(['neigh', 'add', '10.1.0.9', 'lladdr', '02:00:00:00:00:99', 'dev', 'vx0', 'nud', 'permanent']);
    const requests: NeighborRequest[] = [];
    const resolver = await open({
      links: { kind: 'vxlan' },
      resolve: (request) => {
        requests.push(request);
        return request.kind === 'ethernet' ? { fdb: { lladdr: request.address, dst: '10.0.0.2', vni: 100 } } : null;
      },
    });
    expect(resolver.links().map((l) => [l.name, l.kind, l.vni])).toEqual([['vx0', 'vxlan', 100]]);
    await sendDatagram('10.1.0.9');
    await waitFor(() => resolver.stats.installed >= 1, 'the FDB entry installed');
    expect(requests[0]).toMatchObject({ kind: 'ethernet', address: '02:00:00:00:00:99', source: 'vxlan-l2miss', linkName: 'vx0', vni: 100 });
    const { stdout } = await nsA().exec('bridge', ['-j', 'fdb', 'show', 'dev', 'vx0']);
    const fdb = parseJson(stdout);
    const entry = Array.isArray(fdb) ? fdb.find((e) => isJsonObject(e) && e.mac === '02:00:00:00:00:99') : undefined;
    expect(entry).toMatchObject({ mac: '02:00:00:00:00:99', dst: '10.0.0.2' });
    await resolver.close();
  });
});
