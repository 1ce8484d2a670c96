import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rtnl } from '../../src/netlink/rtnl.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { createNamespace, type TestNamespace } from '../support/netns.js';
import { isJsonObject, parseJson } from '../support/json.js';
import { ipJsonObjects, isRoot, num, str, useRtnlNamespace } from './netlink-support.js';

function bridgeFdbJson(ns: string, dev: string): ReturnType<typeof ipJsonObjects> {
  const text = execFileSync('bridge', ['-j', '-n', ns, 'fdb', 'show', 'dev', dev], { encoding: 'utf8' });
  const value = parseJson(text.trim() === '' ? '[]' : text);
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

describe.skipIf(!isRoot)('netlink links, addresses, neighbours and FDB against the kernel', () => {
  // An empty namespace: the tests create the veth pair and addresses themselves.
  const { client, nsName } = useRtnlNamespace();
  let other: TestNamespace | undefined;

  beforeAll(async () => {
    other = await createNamespace('fwnl');
  });

  afterAll(async () => {
    await other?.dispose();
  });

  it('creates a veth pair, sets it up, changes MTU and address; get by name and index', async () => {
    await client().links.create({ kind: 'veth', name: 'va', peer: { name: 'vb' }, mtu: 1400 });
    await client().links.set('va', { up: true, mtu: 9000, address: '02:00:00:00:00:0a' });
    await client().links.setUp('vb');
    const va = await client().links.get('va');
    expect(va).toMatchObject({ name: 'va', kind: 'veth', up: true, mtu: 9000, address: '02:00:00:00:00:0a' });
    if (va === undefined) return;
    expect((await client().links.get(va.index))?.name).toBe('va');
    expect(await client().links.get('nosuch0')).toBeUndefined();
    const [shown] = ipJsonObjects(nsName(), ['-d', 'link', 'show', 'va']);
    expect(num(shown ?? {}, 'mtu')).toBe(9000);
    expect(str(shown ?? {}, 'address')).toBe('02:00:00:00:00:0a');
    const linkinfo = shown?.['linkinfo'];
    expect(isJsonObject(linkinfo) ? linkinfo['info_kind'] : undefined).toBe('veth');
    await client().links.setDown('va');
    expect((await client().links.get('va'))?.up).toBe(false);
  });

  it('creates a bridge, enslaves a port (master), lists by kind and master', async () => {
    await client().links.create({ kind: 'bridge', name: 'br0', up: true });
    const br = await client().links.get('br0');
    if (br === undefined) throw new Error('no bridge');
    await client().links.set('vb', { master: br.index });
    const vb = await client().links.get('vb');
    expect(vb).toMatchObject({ master: br.index, slaveKind: 'bridge' });
    expect((await client().links.list({ kind: 'bridge' })).map((l) => l.name)).toEqual(['br0']);
    expect((await client().links.list({ master: br.index })).map((l) => l.name)).toEqual(['vb']);
    const [shown] = ipJsonObjects(nsName(), ['link', 'show', 'vb']);
    expect(str(shown ?? {}, 'master')).toBe('br0');
  });

  it('creates macvlan and vxlan links', async () => {
    const va = await client().links.indexOf('va');
    await client().links.create({ kind: 'macvlan', name: 'mv0', link: va, mode: 'bridge' });
    await client().links.create({ kind: 'vxlan', name: 'vx0', vni: 4242, local: '10.0.0.1', port: 4790, learning: false });
    const mv = await client().links.get('mv0');
    expect(mv).toMatchObject({ kind: 'macvlan', link: va });
    const vx = await client().links.get('vx0');
    expect(vx).toMatchObject({ kind: 'vxlan', vxlan: { vni: 4242, local: '10.0.0.1', port: 4790 } });
    const [shown] = ipJsonObjects(nsName(), ['-d', 'link', 'show', 'vx0']);
    const data = isJsonObject(shown?.['linkinfo']) ? shown?.['linkinfo']['info_data'] : undefined;
    expect(isJsonObject(data) ? [data['id'], data['port'], data['local']] : null).toEqual([4242, 4790, '10.0.0.1']);
  });

  it('vxlan flags: learning off, proxy, l2miss, l3miss reach the kernel (ip -d agrees), and the opposite set too', async () => {
    const flagsShown = (dev: string): unknown[] => {
      const [shown] = ipJsonObjects(nsName(), ['-d', 'link', 'show', dev]);
      const data = isJsonObject(shown?.['linkinfo']) ? shown?.['linkinfo']['info_data'] : undefined;
      // ip prints learning always, the other three only when on.
      return isJsonObject(data) ? [data['learning'], data['proxy'] === true, data['l2miss'] === true, data['l3miss'] === true] : [];
    };
    await client().links.create({ kind: 'vxlan', name: 'vxf1', vni: 201, port: 4789, learning: false, proxy: true, l2miss: true, l3miss: true });
    expect(flagsShown('vxf1')).toEqual([false, true, true, true]);
    expect((await client().links.get('vxf1'))?.vxlan).toMatchObject({ vni: 201, learning: false, proxy: true, l2miss: true, l3miss: true });
    await client().links.create({ kind: 'vxlan', name: 'vxf2', vni: 202, port: 4789, learning: true, proxy: false, l2miss: false, l3miss: false });
    expect(flagsShown('vxf2')).toEqual([true, false, false, false]);
    expect((await client().links.get('vxf2'))?.vxlan).toMatchObject({ learning: true, proxy: false, l2miss: false, l3miss: false });
    // Left out, learning is the kernel's default: on. So `learning: false` must be (and is) sent explicitly.
    await client().links.create({ kind: 'vxlan', name: 'vxf3', vni: 203, port: 4789 });
    expect(flagsShown('vxf3')[0]).toBe(true);
    for (const name of ['vxf1', 'vxf2', 'vxf3']) await client().links.delete(name);
  });

  it('vrf: created with its table and read back as vrfTable (or, without a vrf link type, the kernel says so)', async () => {
    let created = true;
    try {
      await client().links.create({ kind: 'vrf', name: 'vrf-fw', table: 1001 });
    } catch (error: unknown) {
      // rtnl_newlink: no rtnl_link_ops for the kind → EOPNOTSUPP with extack "Unknown device type".
      expect(error).toBeInstanceOf(NetlinkError);
      const e = error as NetlinkError;
      expect(e.code === 'EOPNOTSUPP' || e.code === 'ENOTSUP').toBe(true);
      expect(e.message).toMatch(/Unknown device type/);
      console.warn(`netlink vrf kernel test: this kernel has no vrf link type (CONFIG_NET_VRF): ${e.code} "${e.message}"; creation and vrfTable read-back not checked against the kernel (the codec is unit-tested)`);
      created = false;
    }
    if (!created) return;
    expect(await client().links.get('vrf-fw')).toMatchObject({ kind: 'vrf', vrfTable: 1001 });
    const [shown] = ipJsonObjects(nsName(), ['-d', 'link', 'show', 'vrf-fw']);
    const data = isJsonObject(shown?.['linkinfo']) ? shown?.['linkinfo']['info_data'] : undefined;
    expect(isJsonObject(data) ? data['table'] : undefined).toBe(1001);
    await client().links.delete('vrf-fw');
  });

  it('adds, lists and deletes addresses (v4 and v6); ip agrees', async () => {
    const va = await client().links.indexOf('va');
    await client().links.setUp(va);
    await client().addresses.add({ address: '10.0.0.1/24', index: va });
    await client().addresses.add({ address: 'fd00::1/64', index: va, nodad: true });
    const ours = await client().addresses.list({ index: va });
    expect(ours.map((a) => `${a.address}/${a.prefixLength}`)).toEqual(expect.arrayContaining(['10.0.0.1/24', 'fd00::1/64']));
    const [shown] = ipJsonObjects(nsName(), ['address', 'show', 'dev', 'va']);
    const infos = shown?.['addr_info'];
    const texts = Array.isArray(infos) ? infos.filter(isJsonObject).map((i) => `${str(i, 'local')}/${num(i, 'prefixlen')}`) : [];
    expect(texts).toEqual(expect.arrayContaining(['10.0.0.1/24', 'fd00::1/64']));
    await expect(client().addresses.add({ address: '10.0.0.1/24', index: va })).rejects.toMatchObject({ code: 'EEXIST' });
    await client().addresses.delete({ address: 'fd00::1/64', index: va });
    expect((await client().addresses.list({ index: va, family: 6 })).map((a) => a.address)).not.toContain('fd00::1');
  });

  it('neighbours: v4 and v6, NUD states, router flag, lladdr; ip agrees', async () => {
    const va = await client().links.indexOf('va');
    await client().neighbors.add({ address: '10.0.0.9', index: va, lladdr: '02:00:00:00:00:09' });
    await client().neighbors.replace({ address: '10.0.0.10', index: va, lladdr: '02:00:00:00:00:10', state: 'stale' });
    await client().neighbors.add({ address: 'fd00::9', index: va, lladdr: '02:00:00:00:00:19', router: true, state: 'reachable' });
    const ours = new Map((await client().neighbors.list({ index: va })).map((n) => [n.address, n]));
    expect(ours.get('10.0.0.9')).toMatchObject({ states: ['permanent'], lladdr: '02:00:00:00:00:09' });
    expect(ours.get('10.0.0.10')).toMatchObject({ states: ['stale'] });
    expect(ours.get('fd00::9')).toMatchObject({ router: true, lladdr: '02:00:00:00:00:19' });
    const theirs = new Map(ipJsonObjects(nsName(), ['neigh', 'show', 'dev', 'va']).map((n) => [str(n, 'dst'), n]));
    expect(str(theirs.get('10.0.0.9') ?? {}, 'lladdr')).toBe('02:00:00:00:00:09');
    expect(theirs.get('10.0.0.9')?.['state']).toEqual(['PERMANENT']);
    expect(theirs.get('fd00::9')?.['router']).toBeDefined();
    await client().neighbors.delete({ address: '10.0.0.9', index: va });
    expect((await client().neighbors.list({ index: va })).map((n) => n.address)).not.toContain('10.0.0.9');
    await expect(client().neighbors.delete({ address: '10.0.0.9', index: va })).rejects.toBeInstanceOf(NetlinkError);
  });

  it('VXLAN FDB entries with NDA_DST, NDA_VNI, NDA_PORT; bridge agrees', async () => {
    const vx = await client().links.indexOf('vx0');
    await client().fdb.append({ lladdr: '00:00:00:00:00:00', index: vx, dst: '192.0.2.1' });
    await client().fdb.append({ lladdr: '00:00:00:00:00:00', index: vx, dst: '192.0.2.2', vni: 777, port: 4799 });
    await client().fdb.add({ lladdr: '02:00:00:00:00:42', index: vx, dst: '192.0.2.3' });
    const ours = await client().fdb.list({ index: vx });
    expect(ours.map((e) => [e.lladdr, e.dst, e.vni, e.port])).toEqual(
      expect.arrayContaining([
        ['00:00:00:00:00:00', '192.0.2.1', undefined, undefined],
        ['00:00:00:00:00:00', '192.0.2.2', 777, 4799],
        ['02:00:00:00:00:42', '192.0.2.3', undefined, undefined],
      ]),
    );
    const theirs = bridgeFdbJson(nsName(), 'vx0').map((e) => [str(e, 'mac'), str(e, 'dst'), num(e, 'vni'), num(e, 'port')]);
    expect(theirs).toEqual(expect.arrayContaining([['00:00:00:00:00:00', '192.0.2.2', 777, 4799]]));
    await client().fdb.delete({ lladdr: '02:00:00:00:00:42', index: vx, dst: '192.0.2.3' });
    expect((await client().fdb.list({ index: vx })).map((e) => e.lladdr)).not.toContain('02:00:00:00:00:42');
  });

  it('bridge FDB entry on a port (NTF_MASTER)', async () => {
    const vb = await client().links.indexOf('vb');
    const br = await client().links.indexOf('br0');
    await client().fdb.add({ lladdr: '02:00:00:00:00:77', index: vb, master: true });
    const entries = await client().fdb.list({ master: br });
    expect(entries.some((e) => e.lladdr === '02:00:00:00:00:77' && e.index === vb)).toBe(true);
  });

  it('moves a link to another namespace and deletes links', async () => {
    const otherName = (other as TestNamespace).name;
    await client().links.create({ kind: 'veth', name: 'vm0', peer: { name: 'vm1', netns: otherName } });
    expect(await client().links.get('vm1')).toBeUndefined();
    await client().links.moveToNetns('vm0', otherName);
    expect(await client().links.get('vm0')).toBeUndefined();
    const there = await Rtnl.open({ netns: otherName });
    try {
      expect((await there.links.list({ kind: 'veth' })).map((l) => l.name).sort()).toEqual(['vm0', 'vm1']);
      expect(ipJsonObjects(otherName, ['link', 'show', 'type', 'veth']).map((l) => str(l, 'ifname')).sort()).toEqual(['vm0', 'vm1']);
      expect(ipJsonObjects(nsName(), ['link', 'show']).map((l) => str(l, 'ifname'))).not.toContain('vm0');
      await there.links.delete('vm0');
      expect(await there.links.get('vm1')).toBeUndefined();
    } finally {
      there.close();
    }
    await client().links.delete('mv0');
    expect(await client().links.get('mv0')).toBeUndefined();
    expect(ipJsonObjects(nsName(), ['link', 'show']).map((l) => str(l, 'ifname'))).not.toContain('mv0');
    await expect(client().links.delete('mv0')).rejects.toMatchObject({ code: 'ENODEV' });
  });

  it('namespace isolation: nothing fibwire made appears in the root namespace', async () => {
    const root = await Rtnl.open();
    try {
      const ours = (await root.links.list()).map((l) => l.name);
      const viaIp = JSON.parse(execFileSync('ip', ['-j', 'link', 'show'], { encoding: 'utf8' })) as unknown;
      const theirs = Array.isArray(viaIp) ? viaIp.map((l: unknown) => (typeof l === 'object' && l !== null && 'ifname' in l ? String(l.ifname) : '')) : [];
      expect(new Set(ours)).toEqual(new Set(theirs));
      for (const name of ['va', 'vb', 'br0', 'vx0', 'mv0', 'vm0', 'vm1']) expect(ours).not.toContain(name);
      const rootAddresses = (await root.addresses.list()).map((a) => a.address);
      expect(rootAddresses).not.toContain('10.0.0.1');
      expect((await root.neighbors.list()).map((n) => n.address)).not.toContain('10.0.0.10');
    } finally {
      root.close();
    }
  });
});
