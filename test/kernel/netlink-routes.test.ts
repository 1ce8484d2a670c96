import { describe, expect, it } from 'vitest';
import { NetlinkArgumentError, NetlinkError } from '../../src/netlink/errors.js';
import type { BulkOperation } from '../../src/netlink/bulk.js';
import type { RouteEntry } from '../../src/netlink/ops/route-codec.js';
import { RouteView } from '../../src/netlink/ops/route-view.js';
import { isJsonObject } from '../support/json.js';
import { createCodecContext } from '../../src/bgp/context.js';
import { Prefix } from '../../src/bgp/prefix.js';
import { UpdateBuilder } from '../../src/bgp/update/update-builder.js';
import { UpdateView } from '../../src/bgp/update/update-view.js';
import { useVethNamespace, countLines, ipJsonObjects, ipLarge, isRoot, num, shuffled, str } from './netlink-support.js';

const ROUTES_100K = Number(process.env['FIBWIRE_NETLINK_TEST_ROUTES'] ?? 100_000);

describe.skipIf(!isRoot)('netlink routes against the kernel', () => {
  const { client, nsName, va } = useVethNamespace();

  it('adds an IPv4 route with gateway, oif, 32-bit table, protocol and metric; dump and ip agree', async () => {
    await client().routes.add({ dst: '10.1.0.0/24', gateway: '10.0.0.2', oif: va(), table: 100000, protocol: 'bgp', metric: 10 });
    const ours = await client().routes.list({ table: 100000 });
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ family: 4, dst: '10.1.0.0/24', gateway: '10.0.0.2', oif: va(), table: 100000, protocol: 186, metric: 10, type: 'unicast' });
    const theirs = ipJsonObjects(nsName(), ['route', 'show', 'table', '100000']);
    expect(theirs).toHaveLength(1);
    const r = theirs[0];
    if (r === undefined) throw new Error('no route from ip');
    expect(str(r, 'dst')).toBe('10.1.0.0/24');
    expect(str(r, 'gateway')).toBe('10.0.0.2');
    expect(str(r, 'dev')).toBe('va');
    expect(str(r, 'protocol')).toBe('bgp');
    expect(num(r, 'metric')).toBe(10);
  });

  it('adds an IPv6 route and a route with a preferred source', async () => {
    await client().routes.add({ dst: '2001:db8:1::/64', gateway: 'fd00::2', oif: va(), table: 100001 });
    await client().routes.add({ dst: '10.5.0.0/16', gateway: '10.0.0.2', prefsrc: '10.0.0.1', table: 100001 });
    const ours = await client().routes.list({ table: 100001 });
    expect(ours.map((r) => [r.dst, r.gateway, r.prefsrc])).toEqual(
      expect.arrayContaining([
        ['2001:db8:1::/64', 'fd00::2', undefined],
        ['10.5.0.0/16', '10.0.0.2', '10.0.0.1'],
      ]),
    );
    const v6 = ipJsonObjects(nsName(), ['-6', 'route', 'show', 'table', '100001']);
    expect(v6.map((r) => [str(r, 'dst'), str(r, 'gateway')])).toEqual([['2001:db8:1::/64', 'fd00::2']]);
    const v4 = ipJsonObjects(nsName(), ['route', 'show', 'table', '100001']);
    expect(v4.map((r) => [str(r, 'dst'), str(r, 'prefsrc')])).toEqual([['10.5.0.0/16', '10.0.0.1']]);
  });

  it('adds an IPv4 route via an IPv6 gateway (RTA_VIA)', async () => {
    await client().routes.add({ dst: '10.60.0.0/24', gateway: 'fd00::2', oif: va(), table: 100002 });
    const [ours] = await client().routes.list({ table: 100002 });
    expect(ours).toMatchObject({ family: 4, dst: '10.60.0.0/24', gateway: 'fd00::2', oif: va() });
    const [theirs] = ipJsonObjects(nsName(), ['route', 'show', 'table', '100002']);
    const via = theirs?.['via'];
    expect(isJsonObject(via) ? [via['family'], via['host']] : null).toEqual(['inet6', 'fd00::2']);
  });

  it('adds blackhole, unreachable, prohibit and local routes', async () => {
    const t = 300;
    await client().routes.add({ dst: '192.0.2.0/24', type: 'blackhole', table: t });
    await client().routes.add({ dst: '198.51.100.0/24', type: 'unreachable', table: t });
    await client().routes.add({ dst: '203.0.113.0/24', type: 'prohibit', table: t });
    await client().routes.add({ dst: '10.0.0.77/32', type: 'local', oif: va(), table: t });
    const ours = await client().routes.list({ table: t });
    const byDst = new Map(ours.map((r) => [r.dst, r]));
    expect(byDst.get('192.0.2.0/24')?.type).toBe('blackhole');
    expect(byDst.get('198.51.100.0/24')?.type).toBe('unreachable');
    expect(byDst.get('203.0.113.0/24')?.type).toBe('prohibit');
    expect(byDst.get('10.0.0.77/32')).toMatchObject({ type: 'local', scope: 254 });
    const theirs = ipJsonObjects(nsName(), ['route', 'show', 'table', String(t)]);
    const types = new Map(theirs.map((r) => [str(r, 'dst'), str(r, 'type')]));
    expect(types.get('192.0.2.0/24')).toBe('blackhole');
    expect(types.get('198.51.100.0/24')).toBe('unreachable');
    expect(types.get('203.0.113.0/24')).toBe('prohibit');
    expect(types.get('10.0.0.77')).toBe('local');
    const typeFiltered = await client().routes.list({ table: t, type: 'blackhole' });
    expect(typeFiltered.map((r) => r.dst)).toEqual(['192.0.2.0/24']);
  });

  it('adds a multipath route with weights', async () => {
    await client().routes.add({
      dst: '10.6.0.0/24',
      table: 301,
      multipath: [
        { gateway: '10.0.0.2', oif: va(), weight: 3 },
        { gateway: '10.0.0.3', oif: va(), weight: 1 },
      ],
    });
    const [ours] = await client().routes.list({ table: 301 });
    expect(ours?.multipath).toEqual([
      { gateway: '10.0.0.2', oif: va(), weight: 3 },
      { gateway: '10.0.0.3', oif: va(), weight: 1 },
    ]);
    const [theirs] = ipJsonObjects(nsName(), ['route', 'show', 'table', '301']);
    const hops = theirs?.['nexthops'];
    expect(Array.isArray(hops)).toBe(true);
    if (!Array.isArray(hops)) return;
    expect(hops.map((h) => (typeof h === 'object' && h !== null && !Array.isArray(h) ? [h['gateway'], h['weight']] : null))).toEqual([
      ['10.0.0.2', 3],
      ['10.0.0.3', 1],
    ]);
  });

  it('replace semantics: add is exclusive, replace swaps the nexthop in place, delete removes', async () => {
    const t = 302;
    await client().routes.add({ dst: '10.7.0.0/24', gateway: '10.0.0.2', table: t });
    const again = client().routes.add({ dst: '10.7.0.0/24', gateway: '10.0.0.3', table: t });
    await expect(again).rejects.toBeInstanceOf(NetlinkError);
    await expect(again).rejects.toMatchObject({ code: 'EEXIST', errno: 17 });
    await client().routes.replace({ dst: '10.7.0.0/24', gateway: '10.0.0.3', table: t });
    await client().routes.replace({ dst: '10.8.0.0/24', gateway: '10.0.0.3', table: t }); // replace creates
    const ours = await client().routes.list({ table: t });
    expect(ours.map((r) => [r.dst, r.gateway])).toEqual([
      ['10.7.0.0/24', '10.0.0.3'],
      ['10.8.0.0/24', '10.0.0.3'],
    ]);
    expect(ipJsonObjects(nsName(), ['route', 'show', 'table', String(t)]).map((r) => [str(r, 'dst'), str(r, 'gateway')])).toEqual([
      ['10.7.0.0/24', '10.0.0.3'],
      ['10.8.0.0/24', '10.0.0.3'],
    ]);
    await client().routes.delete({ dst: '10.7.0.0/24', table: t });
    await expect(client().routes.delete({ dst: '10.7.0.0/24', table: t })).rejects.toMatchObject({ code: 'ESRCH' });
    expect((await client().routes.list({ table: t })).map((r) => r.dst)).toEqual(['10.8.0.0/24']);
  });

  it('filters dumps by protocol in the kernel and in user space; a missing table is empty', async () => {
    const t = 303;
    await client().routes.add({ dst: '10.9.1.0/24', gateway: '10.0.0.2', table: t, protocol: 'bgp' });
    await client().routes.add({ dst: '10.9.2.0/24', gateway: '10.0.0.2', table: t, protocol: 'static' });
    expect((await client().routes.list({ table: t, protocol: 'bgp' })).map((r) => r.dst)).toEqual(['10.9.1.0/24']);
    expect((await client().routes.list({ table: t, protocol: 4 })).map((r) => r.dst)).toEqual(['10.9.2.0/24']);
    expect(await client().routes.list({ table: 424242, family: 4 })).toEqual([]);
    const iterated: string[] = [];
    for await (const route of client().routes.dump({ table: t })) iterated.push(route.dst);
    expect(iterated).toEqual((await client().routes.list({ table: t })).map((r) => r.dst));
    expect(iterated).toHaveLength(2);
    const viaIp = ipJsonObjects(nsName(), ['route', 'show', 'table', String(t), 'proto', 'bgp']);
    expect(viaIp.map((r) => str(r, 'dst'))).toEqual(['10.9.1.0/24']);
  });

  it('bad arguments give typed errors: prefix length 33, table 0, a missing device', async () => {
    await expect(client().routes.add({ dst: '10.10.0.0/33', gateway: '10.0.0.2' })).rejects.toBeInstanceOf(NetlinkArgumentError);
    await expect(client().routes.add({ dst: '10.10.0.0/24', gateway: '10.0.0.2', table: 0 })).rejects.toMatchObject({
      code: 'ERR_NETLINK_INVALID_ARGUMENT',
      field: 'table',
    });
    const missingDevice = client().routes.add({ dst: '10.10.0.0/24', oif: 99999, table: 304 });
    await expect(missingDevice).rejects.toBeInstanceOf(NetlinkError);
    await expect(missingDevice).rejects.toMatchObject({ code: 'ENODEV' });
    await expect(client().links.indexOf('nosuchdev0')).rejects.toMatchObject({ code: 'ENODEV' });
    // A gateway that no device reaches: the kernel's extack text is surfaced.
    await expect(client().routes.add({ dst: '10.10.0.0/24', gateway: '172.31.0.1', table: 304 })).rejects.toMatchObject({
      code: 'ENETUNREACH',
      message: 'Nexthop has invalid gateway',
    });
    // The client stays usable after errors.
    await client().routes.add({ dst: '10.10.0.0/24', gateway: '10.0.0.2', table: 304 });
    expect(await client().routes.list({ table: 304 })).toHaveLength(1);
  });

  it('FIB lookup (get) finds the matching entry', async () => {
    await client().routes.add({ dst: '10.11.0.0/16', gateway: '10.0.0.2' });
    const found = await client().routes.get('10.11.3.4');
    expect(found).toMatchObject({ dst: '10.11.0.0/16', table: 254, gateway: '10.0.0.2' });
    await expect(client().routes.get('10.11.3.999')).rejects.toBeInstanceOf(NetlinkArgumentError);
  });

  it('getSync answers like get() before returning, from a socket in the same namespace', async () => {
    const rtnl = client();
    await rtnl.routes.add({ dst: '10.12.0.0/16', gateway: '10.0.0.2', table: 254 });
    await rtnl.routes.add({ dst: '2001:db8:12::/48', gateway: 'fd00::2', oif: va(), table: 254 });
    for (const address of ['10.12.3.4', '10.0.0.2', '2001:db8:12::1', 'fd00::2']) {
      expect(rtnl.routes.getSync(address)).toEqual(await rtnl.routes.get(address));
    }
    expect(rtnl.routes.getSync('10.12.3.4')).toMatchObject({ dst: '10.12.0.0/16', gateway: '10.0.0.2', table: 254 });
    // no default route in the namespace: the kernel's refusal, typed, thrown synchronously
    expect(() => rtnl.routes.getSync('172.31.0.1')).toThrow(expect.objectContaining({ code: 'ENETUNREACH' }));
    expect(() => rtnl.routes.getSync('172.31.0.1')).toThrow(NetlinkError);
    expect(() => rtnl.routes.getSync('10.12.3.999')).toThrow(NetlinkArgumentError);
    // the socket is usable after errors
    expect(rtnl.routes.getSync('10.12.9.9').dst).toBe('10.12.0.0/16');
  });

  it('getSyncView answers what getSync does, read from the reply in place until the next synchronous call', async () => {
    const rtnl = client();
    await rtnl.routes.add({ dst: '10.14.0.0/16', gateway: '10.0.0.2', table: 254 });
    await rtnl.routes.add({ dst: '2001:db8:14::/48', gateway: 'fd00::2', oif: va(), table: 254 });
    const view = new RouteView();
    for (const address of ['10.14.3.4', '10.0.0.2', '2001:db8:14::1', 'fd00::2']) {
      const entry = rtnl.routes.getSync(address);
      expect(rtnl.routes.getSyncView(address, view)).toBe(view);
      expect(view.toEntry()).toEqual(entry);
    }
    const { oif } = rtnl.routes.getSync('10.0.0.2');
    const first = rtnl.routes.getSyncView('10.14.3.4', new RouteView());
    expect([first.type, first.dst, first.gateway, first.oif]).toEqual(['unicast', '10.14.0.0/16', '10.0.0.2', oif]);
    // The next synchronous call reuses the receive buffer the view reads.
    rtnl.routes.getSyncView('fd00::2', view);
    expect(first.dst).not.toBe('10.14.0.0/16');
    expect(() => rtnl.routes.getSyncView('172.31.0.1', view)).toThrow(expect.objectContaining({ code: 'ENETUNREACH' }));
    expect(() => rtnl.routes.getSyncView('10.14.3.999', view)).toThrow(NetlinkArgumentError);
    expect(rtnl.routes.getSyncView('10.14.9.9', view).dst).toBe('10.14.0.0/16');
  });

  it('getSync answers while a large bulk stream is in the kernel, and both end correctly', async () => {
    const rtnl = client();
    const ops: BulkOperation[] = Array.from({ length: 20_000 }, (_, i) => ({ op: 'route.add', route: { dst: `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`, gateway: '10.0.0.2', table: 306 } }));
    await rtnl.routes.add({ dst: '10.13.0.0/16', gateway: '10.0.0.2', table: 254 });
    const bulk = rtnl.bulk(ops);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add(rtnl.routes.getSync('10.13.1.1').dst);
    const result = await bulk;
    expect(result.failures).toEqual([]);
    expect([...seen]).toEqual(['10.13.0.0/16']);
    expect(countLines(ipLarge(nsName(), ['route', 'show', 'table', '306']))).toBe(20_000);
  });

  it('pipelines many requests in one sendmsg and matches answers by seq', async () => {
    const before = client().stats.datagramsSent;
    const adds = Array.from({ length: 200 }, (_, i) => client().routes.add({ dst: `10.20.${i}.0/24`, gateway: '10.0.0.2', table: 305 }));
    // One of them fails; the others must still resolve.
    adds.push(client().routes.add({ dst: '10.20.0.0/24', gateway: '10.0.0.2', table: 305 }));
    const settled = await Promise.allSettled(adds);
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(200);
    const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({ code: 'EEXIST' });
    expect(client().stats.datagramsSent - before).toBeLessThan(5);
    expect(await client().routes.list({ table: 305 })).toHaveLength(200);
  });

  it(`bulk: ${ROUTES_100K} routes added, dumped (fibwire and ip) and deleted in shuffled order`, async () => {
    const t = 1000;
    const dsts: string[] = [];
    for (let i = 0; i < ROUTES_100K; i++) dsts.push(`11.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`);
    const failures: number[] = [];
    const add = await client().bulk(
      (function* (): Generator<BulkOperation> {
        for (const dst of dsts) yield { op: 'route.add', route: { dst, gateway: '10.0.0.2', oif: va(), table: t, protocol: 'bgp' } };
      })(),
      { onFailure: (f) => failures.push(f.index) },
    );
    expect(failures).toEqual([]);
    expect(add).toMatchObject({ submitted: ROUTES_100K, failed: 0, succeeded: ROUTES_100K, overrun: false });
    const ours: RouteEntry[] = await client().routes.list({ table: t });
    expect(ours).toHaveLength(ROUTES_100K);
    expect(new Set(ours.map((r) => r.dst)).size).toBe(ROUTES_100K);
    expect(ours.every((r) => r.gateway === '10.0.0.2' && r.protocol === 186)).toBe(true);
    expect(countLines(ipLarge(nsName(), ['route', 'show', 'table', String(t)]))).toBe(ROUTES_100K);
    // scan(): the same routes read in place, one reused view, no objects
    const scanned = new Set<string>();
    let viaGateway = 0;
    const visited = await client().routes.scan({ table: t }, (route) => {
      scanned.add(route.dst);
      if (route.gateway === '10.0.0.2' && route.protocol === 186 && route.dstLength === 32) viaGateway++;
    });
    expect(visited).toBe(ROUTES_100K);
    expect(viaGateway).toBe(ROUTES_100K);
    expect(scanned).toEqual(new Set(ours.map((r) => r.dst)));
    // streamed with a slow consumer that also makes requests inside the loop:
    // bounded memory, no deadlock while the stream is paused, same routes
    let streamed = 0;
    for await (const route of client().routes.stream({ table: t })) {
      if (route.table === t) streamed++;
      if (streamed % 1000 === 0) expect((await client().links.get(va()))?.name).toBe('va');
    }
    expect(streamed).toBe(ROUTES_100K);

    // Deleting in ascending prefix order hits a fib_trie slow path: shuffle.
    const del = await client().bulk(shuffled(dsts).map((dst): BulkOperation => ({ op: 'route.delete', route: { dst, table: t } })));
    expect(del).toMatchObject({ submitted: ROUTES_100K, failed: 0 });
    expect(await client().routes.list({ table: t })).toEqual([]);
    expect(countLines(ipLarge(nsName(), ['route', 'show', 'table', String(t)]))).toBe(0);
  });

  it(`routes.bulk (one attribute set): ${ROUTES_100K} IPv4 routes as text and IPv6 as bytes added, replaced, deleted; ip agrees`, async () => {
    const t = 1010;
    const v4: string[] = [];
    for (let i = 0; i < ROUTES_100K; i++) v4.push(`21.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`);
    const v6 = Array.from({ length: 5000 }, (_, i) => ({ bytes: new Uint8Array([0x20, 0x01, 0x0d, 0xb8, 0, 0x21, i >> 8, i & 255, 0, 0, 0, 0, 0, 0, 0, 0]), length: 64 }));
    await client().nexthops.add({ id: 1010, gateway: '10.0.0.3', oif: va() });

    const add = await client().routes.bulk('add', { gateway: '10.0.0.2', oif: va(), table: t, protocol: 'bgp', metric: 30 }, v4);
    expect(add).toMatchObject({ submitted: ROUTES_100K, failed: 0, succeeded: ROUTES_100K, overrun: false });
    const add6 = await client().routes.bulk('add', { gateway: 'fd00::2', oif: va(), table: t, protocol: 'bgp' }, v6);
    expect(add6).toMatchObject({ submitted: 5000, failed: 0 });

    const ours = await client().routes.list({ table: t, family: 4 });
    expect(ours).toHaveLength(ROUTES_100K);
    expect(new Set(ours.map((r) => r.dst))).toEqual(new Set(v4));
    expect(ours.every((r) => r.gateway === '10.0.0.2' && r.oif === va() && r.protocol === 186 && r.metric === 30)).toBe(true);
    expect(countLines(ipLarge(nsName(), ['route', 'show', 'table', String(t)]))).toBe(ROUTES_100K);
    const sample = ipJsonObjects(nsName(), ['route', 'show', 'table', String(t), '21.0.1.7/32']);
    expect(sample.map((r) => [str(r, 'dst'), str(r, 'gateway'), str(r, 'dev'), str(r, 'protocol'), num(r, 'metric')])).toEqual([['21.0.1.7', '10.0.0.2', 'va', 'bgp', 30]]);
    const six = ipJsonObjects(nsName(), ['-6', 'route', 'show', 'table', String(t)]);
    expect(six).toHaveLength(5000);
    expect(six.some((r) => str(r, 'dst') === '2001:db8:21:1ff::/64' && str(r, 'gateway') === 'fd00::2')).toBe(true);

    // replace every IPv4 route onto a nexthop object (same key: table, dst, tos, metric)
    const replaced = await client().routes.bulk('replace', { nhid: 1010, table: t, protocol: 'bgp', metric: 30 }, v4);
    expect(replaced).toMatchObject({ submitted: ROUTES_100K, failed: 0 });
    const after = await client().routes.list({ table: t, family: 4 });
    expect(after).toHaveLength(ROUTES_100K);
    expect(after.every((r) => r.nhid === 1010)).toBe(true);

    const del = await client().routes.bulk('delete', { table: t, metric: 30 }, shuffled(v4));
    expect(del).toMatchObject({ submitted: ROUTES_100K, failed: 0 });
    const del6 = await client().routes.bulk('delete', { table: t }, v6);
    expect(del6).toMatchObject({ submitted: 5000, failed: 0 });
    expect(await client().routes.list({ table: t })).toEqual([]);
    expect(countLines(ipLarge(nsName(), ['route', 'show', 'table', String(t)]))).toBe(0);
    await client().nexthops.delete(1010);
  });

  it('routes.bulk reports failed prefixes (kernel errors and bad text) by position and item, without stopping', async () => {
    const t = 1011;
    const prefixes: string[] = [];
    for (let i = 0; i < 1000; i++) prefixes.push(`22.0.${i >> 8}.${i & 255}/32`);
    prefixes[3] = '22.0.0.4/32'; // a duplicate of [4] in the same stream: EEXIST for the second
    prefixes[500] = '22.9.9.10/33'; // cannot be encoded
    prefixes[700] = '22.9.9.0/24'; // a network route: fine
    prefixes[701] = '22.9.10.1/24'; // host bits set: the kernel refuses it
    const seen: number[] = [];
    const result = await client().routes.bulk('add', { gateway: '10.0.0.2', table: t }, prefixes, { batchBytes: 8192, onFailure: (f) => seen.push(f.index) });
    expect(result.submitted).toBe(999);
    expect(result.failed).toBe(3);
    expect(result.succeeded).toBe(997);
    expect(seen.sort((a, b) => a - b)).toEqual([4, 500, 701]);
    const byIndex = new Map(result.failures.map((f) => [f.index, f]));
    expect(byIndex.get(4)).toMatchObject({ operation: '22.0.0.4/32', error: { code: 'EEXIST' } });
    expect(byIndex.get(500)?.error).toBeInstanceOf(NetlinkArgumentError);
    expect(byIndex.get(500)?.operation).toBe('22.9.9.10/33');
    expect(byIndex.get(701)?.error).toMatchObject({ code: 'EINVAL' });
    expect((byIndex.get(701)?.error as NetlinkError).message).toMatch(/prefix/i);
    expect(result.batches).toBeGreaterThan(1);
    expect(await client().routes.list({ table: t })).toHaveLength(997);
    // attributes wrong for every route: a typed rejection, nothing sent
    await expect(client().routes.bulk('add', { table: 0 }, prefixes)).rejects.toBeInstanceOf(NetlinkArgumentError);
  });

  it('routes.bulkNlri: the prefixes of UPDATEs made by the bgp module (classic NLRI, MP_REACH IPv6) go in straight from their bytes; withdrawn by the same path; ip agrees', async () => {
    const t = 1012;
    const ctx = createCodecContext({ asn4: true });
    const v4 = Array.from({ length: 20_000 }, (_, i) => Prefix.parse(i % 4 === 0 ? `23.${(i >> 8) & 255}.${i & 255}.0/24` : `24.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`));
    const v6 = Array.from({ length: 2000 }, (_, i) => Prefix.parse(`2001:db8:${(0x2300 + (i >> 8)).toString(16)}:${(i & 255).toString(16)}::/64`));
    const announce = new UpdateBuilder(ctx)
      .attributes({ origin: 0, asPath: [{ type: 2, asns: [65001] }], nextHop: '10.0.0.2' })
      .announce(v4)
      .announce(v6, { nextHop: 'fd00::2' })
      .build();
    /** Every NLRI field of the frames through routes.bulkNlri, IPv4 and IPv6 with their own attributes. */
    const apply = async (frames: Uint8Array[], announced: boolean, op: 'add' | 'delete'): Promise<{ submitted: number; failures: { family: number; text: string; code: string }[] }> => {
      let submitted = 0;
      const failures: { family: number; text: string; code: string }[] = [];
      for (const frame of frames) {
        const view = UpdateView.fromMessage(frame, ctx);
        for (const seg of view.nlriSegments(announced)) {
          const family = seg.codec.afi === 2 ? 6 : 4;
          const attributes = op === 'delete' ? { table: t } : { gateway: family === 4 ? '10.0.0.2' : 'fd00::2', oif: va(), table: t, protocol: 'bgp' as const };
          const r = await client().routes.bulkNlri(op, attributes, { family, bytes: view.buf, start: seg.start, end: seg.end, addPath: seg.addPath });
          submitted += r.submitted;
          for (const f of r.failures) failures.push({ family, text: new Prefix(family === 4 ? 1 : 2, f.operation.bytes, f.operation.length).toString(), code: (f.error as NetlinkError).code });
        }
      }
      return { submitted, failures };
    };
    expect(announce.length).toBeGreaterThan(10); // many UPDATEs, each with its own NLRI fields
    const added = await apply(announce, true, 'add');
    expect(added).toEqual({ submitted: 22_000, failures: [] });

    const ours4 = await client().routes.list({ table: t, family: 4 });
    expect(new Set(ours4.map((r) => r.dst))).toEqual(new Set(v4.map((p) => p.toString())));
    expect(ours4.every((r) => r.gateway === '10.0.0.2' && r.oif === va() && r.protocol === 186)).toBe(true);
    const ours6 = await client().routes.list({ table: t, family: 6 });
    expect(new Set(ours6.map((r) => r.dst))).toEqual(new Set(v6.map((p) => p.toString())));
    expect(countLines(ipLarge(nsName(), ['route', 'show', 'table', String(t)]))).toBe(20_000);
    expect(ipJsonObjects(nsName(), ['route', 'show', 'table', String(t), '23.0.4.0/24']).map((r) => [str(r, 'gateway'), str(r, 'protocol')])).toEqual([['10.0.0.2', 'bgp']]);
    expect(ipJsonObjects(nsName(), ['-6', 'route', 'show', 'table', String(t)])).toHaveLength(2000);

    // The same UPDATE again: every add fails with EEXIST, each named by its prefix.
    const again = await apply(announce.slice(0, 1), true, 'add');
    expect(again.failures.length).toBe(again.submitted);
    expect(again.failures.every((f) => f.code === 'EEXIST')).toBe(true);
    expect(again.failures[0]?.text).toBe(v4[0]!.toString());

    // A malformed block (a /33) is refused whole: nothing sent, nothing changed.
    await expect(client().routes.bulkNlri('delete', { table: t }, { family: 4, bytes: Uint8Array.from([24, 23, 0, 0, 33, 24, 0, 0, 1, 1]) })).rejects.toBeInstanceOf(NetlinkArgumentError);
    expect(await client().routes.list({ table: t, family: 4 })).toHaveLength(20_000);

    const withdraw = new UpdateBuilder(ctx).withdraw([...v4, ...v6]).build();
    const deleted = await apply(withdraw, false, 'delete');
    expect(deleted).toEqual({ submitted: 22_000, failures: [] });
    // Deletes go from the block's end to its start; a failure still gives its position in the block.
    const gone = Uint8Array.from([24, 23, 0, 4, /* 23.0.4.0/24 */ 32, 24, 0, 0, 1, /* 24.0.0.1/32 */ 24, 23, 0, 8 /* 23.0.8.0/24 */]);
    const again2 = await client().routes.bulkNlri('delete', { table: t }, { family: 4, bytes: gone });
    expect(again2.failures.map((f) => [f.index, f.operation.offset, new Prefix(1, f.operation.bytes, f.operation.length).toString(), (f.error as NetlinkError).code]).sort()).toEqual([
      [0, 0, '23.0.4.0/24', 'ESRCH'],
      [1, 4, '24.0.0.1/32', 'ESRCH'],
      [2, 9, '23.0.8.0/24', 'ESRCH'],
    ]);
    expect(await client().routes.list({ table: t })).toEqual([]);
    expect(countLines(ipLarge(nsName(), ['route', 'show', 'table', String(t)]))).toBe(0);
  });

  it('bulk reports each failed operation (index, errno, extack) without stopping', async () => {
    const ops: BulkOperation[] = [];
    for (let i = 0; i < 1000; i++) ops.push({ op: 'route.add', route: { dst: `12.0.${i >> 8}.${i & 255}/32`, gateway: '10.0.0.2', table: 1001 } });
    ops[10] = { op: 'route.add', route: { dst: '12.9.9.9/32', nhid: 4242, table: 1001 } }; // no such nexthop
    ops[500] = { op: 'route.add', route: { dst: '12.9.9.10/33', table: 1001 } }; // cannot be encoded
    ops[900] = { op: 'route.add', route: { dst: '12.9.9.11/32', oif: 77777, table: 1001 } }; // no device
    const result = await client().bulk(ops, { batchBytes: 8192 });
    expect(result.failed).toBe(3);
    expect(result.submitted).toBe(999);
    expect(result.succeeded).toBe(997);
    const byIndex = new Map(result.failures.map((f) => [f.index, f.error]));
    expect(byIndex.get(10)).toMatchObject({ code: 'EINVAL', message: 'Nexthop id does not exist' });
    expect(byIndex.get(500)).toBeInstanceOf(NetlinkArgumentError);
    expect(byIndex.get(900)).toMatchObject({ code: 'ENODEV' });
    expect(result.batches).toBeGreaterThan(1);
    expect(await client().routes.list({ table: 1001 })).toHaveLength(997);
  });

  it('bulk takes an async iterable and bounds the window', async () => {
    async function* source(): AsyncGenerator<BulkOperation> {
      for (let i = 0; i < 3000; i++) {
        if (i % 500 === 0) await new Promise<void>((resolve) => setImmediate(resolve)); // a slow producer
        yield { op: 'route.add', route: { dst: `2001:db8:aa:${i.toString(16)}::/64`, gateway: 'fd00::2', oif: va(), table: 1003 } };
      }
    }
    const result = await client().bulk(source(), { batchBytes: 16 * 1024, window: 1 });
    expect(result).toMatchObject({ submitted: 3000, failed: 0, succeeded: 3000 });
    expect(result.batches).toBeGreaterThan(5);
    expect(await client().routes.list({ table: 1003, family: 6 })).toHaveLength(3000);
    expect(countLines(ipLarge(nsName(), ['-6', 'route', 'show', 'table', '1003']))).toBe(3000);
  });

  it('a request made while bulk batches are in sendmsg (on the addon thread) reaches the kernel after them', async () => {
    const t = 1004;
    const ops: BulkOperation[] = Array.from({ length: 20_000 }, (_, i) => ({ op: 'route.add', route: { dst: `14.0.${(i >> 8) & 255}.${i & 255}/32`, gateway: '10.0.0.2', table: t } }));
    const before = client().stats.datagramsSent;
    const bulk = client().bulk(ops, { batchBytes: 32 * 1024 });
    // The first batches are queued or in sendmsg now; this delete must not overtake them (ESRCH).
    const removed = client().routes.delete({ dst: '14.0.0.0/32', table: t });
    const [result] = await Promise.all([bulk, removed]);
    expect(result).toMatchObject({ submitted: 20_000, failed: 0 });
    expect(result.batches).toBeGreaterThan(10);
    expect(client().stats.datagramsSent - before).toBe(result.batches + 1);
    const left = await client().routes.list({ table: t });
    expect(left).toHaveLength(19_999);
    expect(left.some((r) => r.dst === '14.0.0.0/32')).toBe(false);
    expect(countLines(ipLarge(nsName(), ['route', 'show', 'table', String(t)]))).toBe(19_999);
  });

  it('bulk with per-operation ACKs counts confirmations', async () => {
    const ops: BulkOperation[] = Array.from({ length: 300 }, (_, i) => ({ op: 'route.add', route: { dst: `13.0.${i >> 8}.${i & 255}/32`, gateway: '10.0.0.2', table: 1002 } }));
    const result = await client().bulk(ops, { ack: true });
    expect(result).toMatchObject({ submitted: 300, succeeded: 300, failed: 0 });
  });
});
