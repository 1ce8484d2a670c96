// Kernel test of alloc's apply(): a Gateway and two ExitPoints in their own
// namespaces with real veth pairs, addresses and routes, behind an "upstream
// router" namespace. Every namespace is named fwal<random>-..., and all of
// them are deleted in afterAll, whatever happened.
import { execFile, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllocApplyError, apply } from '../../src/alloc/apply.js';
import { diff } from '../../src/alloc/diff.js';
import { simulate } from '../../src/alloc/model.js';
import { formatOperation } from '../../src/alloc/operations.js';
import { planExitNode } from '../../src/alloc/plan.js';
import { readActualState } from '../../src/alloc/read-actual.js';
import { formatUpstreamRoute, upstreamRoutes } from '../../src/alloc/upstream.js';
import { Allocation } from '../../src/alloc/allocation.js';
import { canonState } from '../alloc/state-canon.js';
import { IpNetnsHost, ipCommand } from '../alloc/ip-netns-host.js';

const run = promisify(execFile);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) console.warn('alloc kernel test skipped: needs root to create network namespaces');

const prefix = `fwal${randomBytes(3).toString('hex')}-`;
const upstream = `${prefix}up`;
const allocationText = '2001:db8:77::/48';
const allocation = Allocation.parse(allocationText);
const host = new IpNetnsHost(prefix);

const planFor = (resources: number[], extra: { wireguard?: boolean; allocationNumber?: number } = {}) =>
  planExitNode({
    allocation,
    exitNode: 1,
    resources,
    gatewayIPv4: '192.0.2.10/24',
    namespacePrefix: prefix,
    uplink: { kind: 'macvlan', parent: 'upl0', parentNamespace: upstream },
    // The kernel has no wireguard link type (and the netlink client builds no
    // wireguard RTM_NEWLINK); WireGuard links are planned and unit-tested only.
    wireguard: false,
    ...extra,
  });

const echoScript = fileURLToPath(new URL('../alloc/icmp-echo.py', import.meta.url));

/** How to send one ICMPv6 echo inside a namespace: ping(8) when installed, else Python with a raw socket. */
async function findPinger(): Promise<((source: string, destination: string) => string[]) | undefined> {
  try {
    await run('ping', ['-V'], { timeout: 5_000 });
    return (source, destination) => ['ping', destination.includes(':') ? '-6' : '-4', '-n', '-c', '1', '-W', '2', '-I', source, destination];
  } catch {
    // no ping(8)
  }
  try {
    const { stdout } = await run('python3', ['-c', 'import sys; print(sys.executable)'], { timeout: 5_000 });
    const python = stdout.trim();
    console.warn(`alloc kernel test: no ping(8) here; ICMPv6 echoes are sent by ${python} ${echoScript}`);
    return (source, destination) => [python, echoScript, source, destination, '2'];
  } catch {
    return undefined;
  }
}
let pinger: ((source: string, destination: string) => string[]) | undefined;

/** One bounded ICMPv6 echo (2 s) inside a namespace; true when answered. Up to 3 tries (the first may wait for ND). */
async function ping(namespace: string, source: string, destination: string, attempts = 3): Promise<boolean> {
  if (!pinger) throw new Error('neither ping(8) nor python3 is available to send ICMPv6 echoes');
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      await run('ip', ['netns', 'exec', namespace, ...pinger(source, destination)], { timeout: 10_000 });
      return true;
    } catch {
      // try again
    }
  }
  return false;
}

describe.skipIf(!isRoot)('alloc apply in network namespaces', () => {
  let wireguardAvailable = false;

  beforeAll(async () => {
    // Last-chance cleanup should the worker exit before afterAll (exit handlers must be synchronous).
    process.once('exit', () => {
      let names: string[] = [];
      try {
        names = readdirSync('/var/run/netns');
      } catch {
        return;
      }
      for (const name of names) if (name.startsWith(prefix)) spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
    });
    pinger = await findPinger();
    // The upstream router: rtr0 (fe80::1, $prefix::1) and its peer upl0, the macvlan parent of GWPubName.
    await ipCommand(['netns', 'add', upstream]);
    host.created.add(upstream);
    await ipCommand(['-n', upstream, 'link', 'set', 'lo', 'up']);
    await ipCommand(['-n', upstream, 'link', 'add', 'rtr0', 'type', 'veth', 'peer', 'name', 'upl0']);
    await ipCommand(['-n', upstream, 'address', 'add', 'fe80::1/64', 'dev', 'rtr0', 'nodad']);
    await ipCommand(['-n', upstream, 'address', 'add', '2001:db8:77::1/64', 'dev', 'rtr0', 'nodad']);
    await ipCommand(['-n', upstream, 'link', 'set', 'rtr0', 'up']);
    await ipCommand(['-n', upstream, 'link', 'set', 'upl0', 'up']);
    // The upstream router's static route for ExitNode 1, exactly as the plan says.
    for (const r of upstreamRoutes(allocation, [1], 'link-local')) {
      const [dst, , via] = formatUpstreamRoute(r).split(' ');
      await ipCommand(['-n', upstream, 'route', 'add', dst!, 'via', via!, 'dev', 'rtr0']);
    }
    try {
      await ipCommand(['-n', upstream, 'link', 'add', 'fwalwg0', 'type', 'wireguard']);
      wireguardAvailable = true;
    } catch {
      wireguardAvailable = false;
    }
    console.warn(
      `alloc kernel test: WireGuard link creation skipped: ${wireguardAvailable ? 'the netlink client cannot build a wireguard RTM_NEWLINK yet' : 'no wireguard link type on this kernel'}`,
    );
  });

  afterAll(async () => {
    await host.removeAll();
    const left = (await host.list()).filter((n) => n.startsWith(prefix));
    expect(left).toEqual([]);
  });

  it('builds the Gateway and two ExitPoints, and a second apply changes nothing', async () => {
    const plan = planFor([0x1abc, 0x1123]);
    const dry = await apply(plan.desired, { host, dryRun: true });
    expect(dry.operations.length).toBeGreaterThan(30);
    expect((await host.list()).filter((n) => n.startsWith(`${prefix}ep-`))).toEqual([]); // a dry run changes nothing
    const result = await apply(plan.desired, { host });
    expect(result.operations.map(formatOperation)).toEqual(dry.operations.map(formatOperation));
    expect(result.conflicts).toEqual([]);
    expect(result.operations.length).toBeGreaterThan(30);
    expect((await host.list()).filter((n) => n.startsWith(prefix)).sort()).toEqual(
      [`${prefix}ep-1123-1`, `${prefix}ep-1abc-1`, `${prefix}gw-1-1`, upstream].sort(),
    );
    const again = await apply(plan.desired, { host });
    expect(again.operations.map(formatOperation)).toEqual([]);
  });

  it('the kernel holds the planned routes', async () => {
    const gw = await ipCommand(['-6', '-n', `${prefix}gw-1-1`, 'route', 'show', 'proto', '196']);
    expect(gw).toContain('default via fe80::1 dev pub-1-1');
    expect(gw).toContain('2001:db8:77:1abc::/64 via fe80::1abc:1 dev to-1abc-1');
    expect(gw).toContain('2001:db8:77:1123::/64 via fe80::1123:1 dev to-1123-1');
    const ep = await ipCommand(['-6', '-n', `${prefix}ep-1abc-1`, 'route', 'show', 'proto', '196']);
    expect(ep).toContain('default via fe80::1:1abc dev pub-1abc-1');
  });

  it('pings over IPv6: resource to Gateway, resource to resource through the Gateway, upstream to resource', async () => {
    expect(await ping(`${prefix}ep-1abc-1`, '2001:db8:77:1abc::1', '2001:db8:77:0:1000::1')).toBe(true); // NRLocalIP6 -> GWPubIP6
    expect(await ping(`${prefix}ep-1abc-1`, '2001:db8:77:1abc::1', '2001:db8:77:1123::1')).toBe(true); // 1abc -> 1123 via the Gateway
    expect(await ping(`${prefix}ep-1123-1`, '2001:db8:77:1123::1', '2001:db8:77:1abc::1')).toBe(true);
    expect(await ping(upstream, '2001:db8:77::1', '2001:db8:77:1123::1')).toBe(true); // through the /52 static route
  });

  it('IPv4 between the two resources\' NR-local networks goes through the Gateway (EPPubIP4R /32 routing)', async () => {
    expect(await ping(`${prefix}ep-1abc-1`, '10.26.188.1', '10.17.35.1')).toBe(true); // NRLocalIP4 1abc -> NRLocalIP4 1123
    expect(await ping(`${prefix}ep-1abc-1`, '10.255.26.188', '10.1.0.1')).toBe(true); // EPPubIP4R -> GWtoEPIP4
  });

  it('removing one resource removes exactly its objects; the other still answers', async () => {
    const plan = planFor([0x1123]);
    const before = await readActualState(plan.desired, { namespaces: await host.list() });
    const expectedOps = diff(plan.desired, before).operations;
    const result = await apply(plan.desired, { host });
    expect(result.operations.map(formatOperation)).toEqual(expectedOps.map(formatOperation));
    expect(result.operations.map(formatOperation).join('\n')).not.toContain('1123');
    const after = await readActualState(plan.desired, { namespaces: await host.list() });
    // What the kernel now has is exactly the old state minus what the operations (and their cascades) removed.
    expect(canonState(after)).toBe(canonState(simulate(before, expectedOps, plan.scope)));
    expect(after.namespaces.map((n) => n.name)).not.toContain(`${prefix}ep-1abc-1`);
    const gw = after.namespaces.find((n) => n.name === `${prefix}gw-1-1`)!;
    expect(gw.links.map((l) => l.name)).not.toContain('to-1abc-1');
    expect(JSON.stringify(gw.routes.map((r) => r.link))).not.toContain('1abc');
    const ep1123Before = before.namespaces.find((n) => n.name === `${prefix}ep-1123-1`)!;
    const ep1123After = after.namespaces.find((n) => n.name === `${prefix}ep-1123-1`)!;
    expect(canonState({ namespaces: [ep1123After] })).toBe(canonState({ namespaces: [ep1123Before] }));

    expect(await ping(upstream, '2001:db8:77::1', '2001:db8:77:1123::1')).toBe(true);
    expect(await ping(`${prefix}ep-1123-1`, '2001:db8:77:1123::1', '2001:db8:77:0:1000::1')).toBe(true);
    expect(await ping(upstream, '2001:db8:77::1', '2001:db8:77:1abc::1', 1)).toBe(false); // gone: nothing answers
    expect((await apply(plan.desired, { host })).operations).toEqual([]);
  });

  it('a route of ours that grew a second nexthop is replaced by the planned one', async () => {
    const gwNs = `${prefix}gw-1-1`;
    await ipCommand(['-6', '-n', gwNs, 'route', 'append', '2001:db8:77:1123::/64', 'via', 'fe80::99', 'dev', 'to-1123-1', 'proto', '196']);
    expect(await ipCommand(['-6', '-n', gwNs, 'route', 'show', '2001:db8:77:1123::/64'])).toContain('fe80::99');
    const plan = planFor([0x1123]);
    const result = await apply(plan.desired, { host });
    expect(result.operations.map(formatOperation)).toEqual([
      `ip -n ${gwNs} route replace -6 2001:db8:77:1123::/64 via fe80::1123:1 dev to-1123-1 proto 196`,
    ]);
    const shown = await ipCommand(['-6', '-n', gwNs, 'route', 'show', '2001:db8:77:1123::/64']);
    expect(shown).not.toContain('fe80::99');
    expect(shown).toContain('via fe80::1123:1 dev to-1123-1');
    expect((await apply(plan.desired, { host })).operations).toEqual([]);
  });

  it('touches nothing that is not ours: a foreign link and route in the Gateway survive a reconcile', async () => {
    const gwNs = `${prefix}gw-1-1`;
    await ipCommand(['-n', gwNs, 'link', 'add', 'mine0', 'type', 'veth', 'peer', 'name', 'mine1']);
    await ipCommand(['-n', gwNs, 'link', 'set', 'mine0', 'up']);
    await ipCommand(['-n', gwNs, 'address', 'add', 'fe80::1:1fff/64', 'dev', 'mine0', 'nodad']); // ours by form, not our link
    await ipCommand(['-n', gwNs, 'route', 'add', '2001:db8:77:1fff::/64', 'via', 'fe80::2', 'dev', 'mine0', 'proto', '196']);
    const result = await apply(planFor([]).desired, { host });
    expect(result.operations.map(formatOperation).join('\n')).not.toMatch(/mine[01]/);
    const links = await ipCommand(['-n', gwNs, 'link', 'show']);
    expect(links).toContain('mine0');
    expect(await ipCommand(['-6', '-n', gwNs, 'route', 'show', 'dev', 'mine0'])).toContain('2001:db8:77:1fff::/64');
    expect((await host.list()).filter((n) => n.startsWith(`${prefix}ep-`))).toEqual([]);
  });

  it('WireGuard: created where the kernel has the link type, else a typed refusal; a later apply without it resumes', async () => {
    const withWg = planFor([0x1def], { wireguard: true, allocationNumber: 2 });
    if (wireguardAvailable) {
      const result = await apply(withWg.desired, { host });
      expect(result.operations.some((o) => o.op === 'createWireguard')).toBe(true);
      expect(await ipCommand(['-n', `${prefix}ep-1def-2`, 'link', 'show', 'wg-1def-2'])).toContain('wg-1def-2');
    } else {
      console.warn('alloc kernel test: WireGuard link creation skipped: no wireguard link type on this kernel (apply must refuse it with a typed error)');
      let caught: unknown;
      try {
        await apply(withWg.desired, { host });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AllocApplyError);
      const failure = caught as AllocApplyError;
      expect(failure.code).toBe('ERR_ALLOC_APPLY_UNSUPPORTED');
      expect(failure.operation).toMatchObject({ op: 'createWireguard', name: 'wg-1def-2', createIn: `${prefix}public-1-2` });
      expect(failure.completed.filter((o) => o.op === 'createNamespace').length).toBe(3);
    }
    // Resume without WireGuard: the same allocation number converges, its public namespace goes.
    const without = planFor([0x1def], { allocationNumber: 2 });
    await apply(without.desired, { host });
    expect((await apply(without.desired, { host })).operations).toEqual([]);
    const names = await host.list();
    expect(names).not.toContain(`${prefix}public-1-2`);
    expect(names).toContain(`${prefix}ep-1def-2`);
    // Allocation number 1 was not touched by any of this.
    expect(names).toContain(`${prefix}gw-1-1`);
  });
});
