/**
 * A NamespaceHost for tests and the example: `ip netns add/delete`. Creating a
 * named namespace is unshare(2) plus a bind mount, which fibwire's netlink
 * addon does not offer; tests may use ip(1) for that fixture step, src/ never
 * does.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { listNamedNamespaces, type NamespaceHost } from '../../src/alloc/host.js';

const run = promisify(execFile);

export async function ipCommand(args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('ip', [...args], { timeout: 30_000 });
    return stdout;
  } catch (error: unknown) {
    const stderr = typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr).trim() : '';
    throw new Error(`ip ${args.join(' ')} failed: ${stderr || String(error)}`);
  }
}

/** Namespaces the host created, so that a test can delete them all whatever happens. */
export class IpNetnsHost implements NamespaceHost {
  readonly created = new Set<string>();

  /** Only names starting with `prefix` may be created or removed: a guard against touching anything else. */
  constructor(private readonly prefix: string) {
    if (!/^fw[a-z0-9]+-?$/.test(prefix)) throw new Error(`namespace prefix ${prefix} must start with fw`);
  }

  list(): Promise<string[]> {
    return listNamedNamespaces();
  }

  async create(name: string): Promise<void> {
    if (!name.startsWith(this.prefix)) throw new Error(`refusing to create ${name} outside ${this.prefix}*`);
    await ipCommand(['netns', 'add', name]);
    this.created.add(name);
  }

  async remove(name: string): Promise<void> {
    if (!name.startsWith(this.prefix)) throw new Error(`refusing to remove ${name} outside ${this.prefix}*`);
    await ipCommand(['netns', 'delete', name]);
    this.created.delete(name);
  }

  /** Deletes every namespace starting with the prefix (also ones made outside this host). */
  async removeAll(): Promise<void> {
    for (const name of await listNamedNamespaces()) {
      if (name.startsWith(this.prefix)) await ipCommand(['netns', 'delete', name]).catch(() => undefined);
    }
    this.created.clear();
  }
}
