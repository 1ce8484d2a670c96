/**
 * Shared by the netlink examples: a throwaway network namespace with a veth
 * pair (va 10.0.0.1/24 <-> vb 10.0.0.2/24), always deleted afterwards. Needs
 * root; says so plainly otherwise.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Netns, Rtnl } from '../src/index.js';

export function canRun(): boolean {
  if (process.platform !== 'linux') {
    console.log('This example programs the Linux kernel through rtnetlink; it only runs on Linux.');
    return false;
  }
  if (process.getuid?.() !== 0) {
    console.log('This example creates a network namespace and must run as root (sudo npx tsx ...). Nothing was changed.');
    return false;
  }
  return true;
}

/** Runs body with the name of a fresh namespace; the namespace is deleted however body ends. */
export async function withThrowawayNamespace(body: (netns: string) => Promise<void>): Promise<void> {
  const netns = `fwex-${randomBytes(3).toString('hex')}`;
  await Netns.create(netns); // like `ip netns add`, done by fibwire's addon
  let deleted = false;
  // Last resort when the program dies without unwinding: 'exit' handlers must be synchronous.
  const removeNow = (): void => {
    if (deleted) return;
    deleted = true;
    execFileSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
  };
  process.on('exit', removeNow);
  process.once('SIGINT', () => {
    removeNow();
    process.exit(130);
  });
  const rtnl = await Rtnl.open({ netns });
  try {
    await rtnl.links.setUp('lo');
    await rtnl.links.create({ kind: 'veth', name: 'va', peer: { name: 'vb' } });
    const va = await rtnl.links.indexOf('va');
    const vb = await rtnl.links.indexOf('vb');
    await rtnl.addresses.add({ index: va, address: '10.0.0.1/24' });
    await rtnl.addresses.add({ index: vb, address: '10.0.0.2/24' });
    await rtnl.links.setUp(va);
    await rtnl.links.setUp(vb);
    rtnl.close();
    console.log(`(throwaway namespace ${netns})`);
    await body(netns);
  } finally {
    rtnl.close();
    if (!deleted) {
      deleted = true;
      await Netns.delete(netns);
    }
    process.off('exit', removeNow);
  }
}
