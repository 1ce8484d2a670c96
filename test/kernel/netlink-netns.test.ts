// Named network namespaces made by fibwire's addon (Netns), checked against
// iproute2 (`ip netns list`, `ip -n NAME ...`) and the mount table; and
// alloc's default NamespaceHost built on it. Every namespace is named
// fwnl<random>... and deleted in afterAll / on exit, whatever happened.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/alloc/apply.js';
import { Allocation } from '../../src/alloc/allocation.js';
import { NetnsNamespaceHost } from '../../src/alloc/netns-host.js';
import { planExitNode } from '../../src/alloc/plan.js';
import { NetlinkArgumentError } from '../../src/netlink/errors.js';
import { Netns, NetnsError } from '../../src/netlink/netns.js';
import { Rtnl } from '../../src/netlink/rtnl.js';
import { isRoot } from './netlink-support.js';

const prefix = `fwnl${randomBytes(3).toString('hex')}`;
const RUN_DIR = '/var/run/netns';
/** mountinfo names the resolved path (/var/run is usually a symlink to /run). */
const mountedAt = (name: string): string => join(realpathSync(RUN_DIR), name);

function ipNetnsList(): string[] {
  // `ip netns list` prints "NAME" or "NAME (id: N)" per line.
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '');
}

/** Mount points as the kernel lists them (field 5 of /proc/self/mountinfo). */
function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((p) => p !== '');
}

function linkNames(ns: string | undefined): string[] {
  const args = ns === undefined ? ['-j', 'link', 'show'] : ['-j', '-n', ns, 'link', 'show'];
  const parsed: unknown = JSON.parse(execFileSync('ip', args, { encoding: 'utf8' }));
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((l: unknown) => (typeof l === 'object' && l !== null && 'ifname' in l && typeof l.ifname === 'string' ? [l.ifname] : []));
}

/** The network namespace of every thread of this process (main, libuv pool, V8 workers). */
function threadNamespaces(): Set<string> {
  const out = new Set<string>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      out.add(readlinkSync(`/proc/self/task/${tid}/ns/net`));
    } catch {
      // the thread ended while we looked
    }
  }
  return out;
}

function removeOurs(): void {
  let names: string[] = [];
  try {
    names = readdirSync(RUN_DIR);
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(prefix)) spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
}

describe.skipIf(!isRoot)('Netns: named network namespaces through the addon', () => {
  const name = `${prefix}-a`;

  beforeAll(() => {
    process.once('exit', removeOurs);
  });

  afterAll(() => {
    removeOurs();
    expect(readdirSync(RUN_DIR).filter((n) => n.startsWith(prefix))).toEqual([]);
  });

  it('creates a namespace iproute2 sees, in which a client works in isolation; deletes it', async () => {
    expect(ipNetnsList()).not.toContain(name);
    const before = threadNamespaces();
    expect(before.size).toBe(1);
    await Netns.create(name);
    // unshare ran on a thread of its own that is gone: no thread of this process moved.
    expect(threadNamespaces()).toEqual(before);
    expect(ipNetnsList()).toContain(name);
    expect(await Netns.list()).toContain(name);
    expect(mountPoints()).toContain(mountedAt(name)); // the namespace is bind-mounted on the file
    // Only lo, down: a fresh namespace (not the caller's).
    expect(linkNames(name)).toEqual(['lo']);

    const rtnl = await Rtnl.open({ netns: name });
    try {
      const links = await rtnl.links.list();
      expect(links.map((l) => l.name)).toEqual(['lo']);
      await rtnl.links.create({ kind: 'veth', name: `${prefix.slice(0, 8)}x`, peer: { name: `${prefix.slice(0, 8)}y` } });
      expect(linkNames(name).sort()).toEqual(['lo', `${prefix.slice(0, 8)}x`, `${prefix.slice(0, 8)}y`].sort());
      // Nothing leaked into the namespace this process runs in.
      expect(linkNames(undefined).filter((n) => n.startsWith(prefix.slice(0, 8)))).toEqual([]);
    } finally {
      rtnl.close();
    }

    await Netns.delete(name);
    expect(ipNetnsList()).not.toContain(name);
    expect(existsSync(join(RUN_DIR, name))).toBe(false);
    expect(mountPoints()).not.toContain(mountedAt(name));
    await expect(Rtnl.open({ netns: name })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses an existing name with EEXIST and leaves that namespace intact', async () => {
    const taken = `${prefix}-b`;
    await Netns.create(taken);
    try {
      const rtnl = await Rtnl.open({ netns: taken });
      await rtnl.links.create({ kind: 'bridge', name: 'fwnlbr0' });
      rtnl.close();
      const error = await Netns.create(taken).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NetnsError);
      expect(error).toMatchObject({ code: 'EEXIST', syscall: 'open', operation: 'create', netns: taken });
      // Still the same namespace: the bridge made before is there.
      expect(linkNames(taken).sort()).toEqual(['fwnlbr0', 'lo']);
    } finally {
      await Netns.delete(taken);
    }
  });

  it('deleting a missing name is ENOENT; bad names are argument errors', async () => {
    await expect(Netns.delete(`${prefix}-missing`)).rejects.toMatchObject({ name: 'NetnsError', code: 'ENOENT', operation: 'delete' });
    await expect(Netns.create('a/b')).rejects.toBeInstanceOf(NetlinkArgumentError);
    await expect(Netns.create('..')).rejects.toBeInstanceOf(NetlinkArgumentError);
    await expect(Netns.create('')).rejects.toBeInstanceOf(NetlinkArgumentError);
    await expect(Netns.list({ runDir: 'relative' })).rejects.toBeInstanceOf(NetlinkArgumentError);
  });

  it('makes a run directory that is not yet a mount point into a shared one (as iproute2 does)', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), `${prefix}-run-`)));
    try {
      expect(mountPoints()).not.toContain(dir);
      await Netns.create('inner', { runDir: dir });
      expect(mountPoints()).toContain(dir);
      const line = readFileSync('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .find((l) => l.split(' ')[4] === dir);
      expect(line).toMatch(/ shared:\d+/);
      expect(await Netns.list({ runDir: dir })).toEqual(['inner']);
      const rtnl = await Rtnl.open({ netns: join(dir, 'inner') });
      expect((await rtnl.links.list()).map((l) => l.name)).toEqual(['lo']);
      rtnl.close();
      await Netns.delete('inner', { runDir: dir });
      expect(await Netns.list({ runDir: dir })).toEqual([]);
    } finally {
      spawnSync('umount', ['-l', join(dir, 'inner')], { stdio: 'ignore' });
      spawnSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmdirSync(dir);
    }
  });

  it("is alloc's default NamespaceHost: apply() without a host builds and removes namespaces", async () => {
    const host = new NetnsNamespaceHost();
    const upstream = `${prefix}-up`;
    await host.create(upstream);
    const rtnl = await Rtnl.open({ netns: upstream });
    try {
      await rtnl.links.create({ kind: 'veth', name: 'rtr0', peer: { name: 'upl0' } });
      await rtnl.links.setUp('upl0');
    } finally {
      rtnl.close();
    }
    const planFor = (resources: number[]) =>
      planExitNode({
        allocation: Allocation.parse('2001:db8:78::/48'),
        exitNode: 1,
        resources,
        gatewayIPv4: '192.0.2.10/24',
        namespacePrefix: `${prefix}-`,
        uplink: { kind: 'macvlan', parent: 'upl0', parentNamespace: upstream },
        wireguard: false,
      });
    const ours = async () => (await host.list()).filter((n) => n.startsWith(prefix)).sort();

    const result = await apply(planFor([0x1abc]).desired);
    expect(result.conflicts).toEqual([]);
    expect(await ours()).toEqual([`${prefix}-ep-1abc-1`, `${prefix}-gw-1-1`, upstream].sort());
    expect(ipNetnsList()).toContain(`${prefix}-ep-1abc-1`);
    expect((await apply(planFor([0x1abc]).desired)).operations).toEqual([]);

    await apply(planFor([]).desired); // the ExitPoint goes, with its namespace
    expect(await ours()).toEqual([`${prefix}-gw-1-1`, upstream].sort());
    expect(ipNetnsList()).not.toContain(`${prefix}-ep-1abc-1`);
    for (const n of await ours()) await host.remove(n);
    expect(await ours()).toEqual([]);
  });
});
