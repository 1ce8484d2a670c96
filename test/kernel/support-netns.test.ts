import { afterEach, describe, expect, it } from 'vitest';
import { isJsonObject, type JsonValue } from '../support/json.js';
import { createNamespace, listNamespaces, type TestNamespace } from '../support/netns.js';

const owned: TestNamespace[] = [];
afterEach(async () => {
  while (owned.length > 0) await owned.pop()?.dispose();
});

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('\n!!! netns helper tests SKIPPED: creating network namespaces needs root !!!\n');

function linkNames(links: JsonValue): string[] {
  if (!Array.isArray(links)) throw new Error('ip -j link did not return an array');
  return links.map((link) => (isJsonObject(link) && typeof link['ifname'] === 'string' ? link['ifname'] : '?')).sort();
}

describe.skipIf(!isRoot)('test/support/netns', () => {
  it('creates a uniquely named namespace with a veth pair, runs ip inside, deletes it', async () => {
    const ns = await createNamespace('fwsup', { veths: [{ name: 'va0', peer: 'vb0', addresses: ['10.99.0.1/30'] }] });
    owned.push(ns);
    expect(ns.name).toMatch(/^fwsup-[0-9a-f]{6}$/);
    expect(await listNamespaces()).toContain(ns.name);
    const links = await ns.ipJson(['link']);
    expect(linkNames(links)).toEqual(['lo', 'va0', 'vb0']);
    const va0 = Array.isArray(links) ? links.find((l) => isJsonObject(l) && l['ifname'] === 'va0') : undefined;
    expect(isJsonObject(va0) && Array.isArray(va0['flags']) && va0['flags'].includes('UP')).toBe(true);
    const addresses = await ns.ipJson(['-4', 'address', 'show', 'dev', 'va0']);
    expect(JSON.stringify(addresses)).toContain('"local":"10.99.0.1"');
    const { stdout } = await ns.exec('ip', ['-j', 'link', 'show', 'lo']);
    expect(stdout).toContain('"operstate":"UNKNOWN"'); // lo is up (its operstate reads UNKNOWN)
    await ns.dispose();
    expect(await listNamespaces()).not.toContain(ns.name);
    await ns.dispose(); // idempotent
  });

  it('moves the peer end into a second namespace and connects TCP across the veth', async () => {
    const right = await createNamespace('fwsup');
    owned.push(right);
    const left = await createNamespace('fwsup', {
      veths: [
        {
          name: 'vl0',
          peer: 'vr0',
          peerNamespace: right.name,
          addresses: ['10.99.1.1/30'],
          peerAddresses: ['10.99.1.2/30'],
        },
      ],
    });
    owned.push(left);
    expect(left.name).not.toBe(right.name);
    expect(linkNames(await left.ipJson(['link']))).toEqual(['lo', 'vl0']);
    expect(linkNames(await right.ipJson(['link']))).toEqual(['lo', 'vr0']);
    // A one-shot server in `right`, a client in `left`: the veth really carries traffic.
    const serverScript =
      "const s=require('net').createServer(c=>{c.end('pong');s.close()});s.listen(17900,'10.99.1.2',()=>console.log('ready'))";
    const clientScript =
      "const c=require('net').connect(17900,'10.99.1.2');let d='';c.on('data',b=>d+=b);c.on('end',()=>console.log(d))";
    const server = right.exec(process.execPath, ['-e', serverScript]);
    server.catch(() => undefined); // awaited below; this only keeps an early failure from being unhandled
    let reply = '';
    for (let attempt = 0; attempt < 50 && reply === ''; attempt++) {
      try {
        reply = (await left.exec(process.execPath, ['-e', clientScript])).stdout.trim();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100)); // server not listening yet
      }
    }
    expect(reply).toBe('pong');
    expect((await server).stdout.trim()).toBe('ready');
  });

  it('stops processes spawned inside when disposed', async () => {
    const ns = await createNamespace('fwsup');
    owned.push(ns);
    // A process that ignores SIGTERM must still be gone after dispose (SIGKILL after the grace time).
    const stubborn = ns.spawn(process.execPath, ['-e', "process.on('SIGTERM',()=>{});console.log('up');setInterval(()=>{},1000)"], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const polite = ns.spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise<void>((resolve) => stubborn.stdout?.once('data', () => resolve()));
    const exits = [stubborn, polite].map(
      (child) => new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(String(signal ?? code)))),
    );
    await ns.dispose();
    expect((await Promise.all(exits)).sort()).toEqual(['SIGKILL', 'SIGTERM']);
    expect(await listNamespaces()).not.toContain(ns.name);
    expect(() => ns.spawn('true', [])).toThrow(/disposed/);
  });

  it('deletes the namespace when a veth cannot be created', async () => {
    const before = await listNamespaces();
    await expect(
      createNamespace('fwsup', { veths: [{ name: 'this-name-is-too-long-for-ifnamsiz', peer: 'vx0' }] }),
    ).rejects.toThrow(/ip -n fwsup-[0-9a-f]{6} link add/);
    expect((await listNamespaces()).filter((n) => !before.includes(n) && n.startsWith('fwsup-'))).toEqual([]);
  });

  it('rejects prefixes outside the fw<module> convention', async () => {
    await expect(createNamespace('test')).rejects.toThrow(/prefix/);
  });
});
