// Per-namespace sysctls addressed with levels, so that an interface whose name
// holds a dot (v0.100, like a VLAN eth0.100) can be named. Own namespace
// fwnl-<hex>, deleted afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neighSysctl } from '../../src/netlink/ops/sysctl.js';
import { Rtnl } from '../../src/netlink/rtnl.js';
import { createNamespace, type TestNamespace } from '../support/netns.js';
import { isRoot } from './netlink-support.js';

describe.skipIf(!isRoot)('sysctl levels against the kernel', () => {
  let ns: TestNamespace | undefined;
  let rtnl: Rtnl | undefined;
  const client = (): Rtnl => {
    if (rtnl === undefined) throw new Error('client not open');
    return rtnl;
  };
  const read = async (path: string): Promise<string> => (await (ns as TestNamespace).exec('cat', [path])).stdout.trim();

  beforeAll(async () => {
    ns = await createNamespace('fwnl');
    rtnl = await Rtnl.open({ netns: ns.name });
    await rtnl.links.create({ kind: 'veth', name: 'v0.100', peer: { name: 'v1' } });
  });

  afterAll(async () => {
    rtnl?.close();
    await ns?.dispose();
  });

  it('reads and sets net.ipv4.neigh.v0.100.app_solicit through levels, neighSysctl and slash text', async () => {
    const file = '/proc/sys/net/ipv4/neigh/v0.100/app_solicit';
    expect(await read(file)).toBe('0');
    await client().sysctl.set(['net', 'ipv4', 'neigh', 'v0.100', 'app_solicit'], 3);
    expect(await read(file)).toBe('3');
    expect(await client().sysctl.get(neighSysctl(4, 'v0.100', 'app_solicit'))).toBe('3');
    await client().sysctl.set('net/ipv4/neigh/v0.100/app_solicit', 2);
    expect(await read(file)).toBe('2');
    await client().sysctl.set(neighSysctl(6, 'v0.100', 'app_solicit'), 1);
    expect(await read('/proc/sys/net/ipv6/neigh/v0.100/app_solicit')).toBe('1');
  });

  it('dotted text still splits at every dot: v0.100 that way is a missing file (ENOENT), not another link', async () => {
    await expect(client().sysctl.get('net.ipv4.neigh.v0.100.app_solicit')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('only the namespace changed: the root namespace has no v0.100', async () => {
    const root = await Rtnl.open();
    try {
      await expect(root.sysctl.get(neighSysctl(4, 'v0.100', 'app_solicit'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      root.close();
    }
  });
});
