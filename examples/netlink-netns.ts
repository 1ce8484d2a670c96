/**
 * Shared by the netlink examples: a throwaway network namespace with a veth
 * pair (va 10.0.0.1/24 <-> vb 10.0.0.2/24), always deleted afterwards. Needs
 * root; says so plainly otherwise.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

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
  execFileSync('ip', ['netns', 'add', netns]);
  let deleted = false;
  const remove = (): void => {
    if (deleted) return;
    deleted = true;
    execFileSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
  };
  process.on('exit', remove); // also when the program dies without unwinding
  process.once('SIGINT', () => {
    remove();
    process.exit(130);
  });
  try {
    const ip = (...args: string[]): void => {
      execFileSync('ip', ['-n', netns, ...args]);
    };
    ip('link', 'set', 'lo', 'up');
    ip('link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb');
    ip('address', 'add', '10.0.0.1/24', 'dev', 'va');
    ip('address', 'add', '10.0.0.2/24', 'dev', 'vb');
    ip('link', 'set', 'va', 'up');
    ip('link', 'set', 'vb', 'up');
    console.log(`(throwaway namespace ${netns})`);
    await body(netns);
  } finally {
    remove();
  }
}
