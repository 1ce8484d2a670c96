/**
 * Test network namespaces (root only): a uniquely named namespace
 * (`<prefix>-<random hex>`), optional veth pairs, `ip` commands run inside it,
 * and cleanup that happens even when a test fails or the process exits.
 */
import { execFile, spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { parseJson, type JsonValue } from './json.js';

const run = promisify(execFile);

/** A veth pair to create inside the namespace (RTM_NEWLINK kind "veth"). */
export interface VethSpec {
  /** Interface name in this namespace (at most 15 characters, IFNAMSIZ - 1). */
  readonly name: string;
  /** Name of the other end. */
  readonly peer: string;
  /** Namespace the other end moves to (e.g. another TestNamespace's `name`); default: this one. */
  readonly peerNamespace?: string;
  /** Addresses (CIDR) for `name`, e.g. `10.99.0.1/30`. Only inside test namespaces. */
  readonly addresses?: readonly string[];
  /** Addresses (CIDR) for `peer`, assigned in the peer's namespace. */
  readonly peerAddresses?: readonly string[];
}

/** Options for {@link createNamespace}. */
export interface NamespaceOptions {
  /** Veth pairs created (and brought up) after the namespace. */
  readonly veths?: readonly VethSpec[];
}

/** A namespace owned by one test. */
export interface TestNamespace {
  /** The namespace name, `<prefix>-<hex>`. */
  readonly name: string;
  /** `ip -n <name> ...args`; resolves to stdout, rejects with ip's stderr. */
  ip(args: readonly string[]): Promise<string>;
  /** `ip -j -n <name> ...args`, parsed. */
  ipJson(args: readonly string[]): Promise<JsonValue>;
  /** `ip netns exec <name> command ...args`. */
  exec(command: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }>;
  /**
   * Start a long-running process inside the namespace (a daemon for interop
   * tests). `dispose()` stops it (SIGTERM, then SIGKILL after 2 s) before
   * deleting the namespace.
   */
  spawn(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
  /** Stop spawned processes, then delete the namespace (and every interface in it). Idempotent. */
  dispose(): Promise<void>;
}

/** Namespaces created by this process and not yet deleted. */
const live = new Set<string>();
/** Processes spawned inside them and not yet exited. */
const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: last-chance cleanup for tests that forgot dispose().
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
    for (const name of live) spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
    live.clear();
  });
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
async function stop(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function ip(args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('ip', [...args], { timeout: 30_000 });
    return stdout;
  } catch (error: unknown) {
    const stderr = typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr).trim() : '';
    throw new Error(`ip ${args.join(' ')} failed: ${stderr || String(error)}`);
  }
}

/** Names of the namespaces `ip netns list` shows. */
export async function listNamespaces(): Promise<string[]> {
  const out = await ip(['netns', 'list']);
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

/**
 * Create `<prefix>-<random>` (prefix: `fw` + lower-case module letters, as the
 * test rules ask), bring `lo` up, add the veth pairs. If any step fails the
 * namespace is deleted before the error is thrown.
 */
export async function createNamespace(prefix: string, options: NamespaceOptions = {}): Promise<TestNamespace> {
  if (!/^fw[a-z0-9]{1,10}$/.test(prefix)) {
    throw new Error(`namespace prefix must match /^fw[a-z0-9]{1,10}$/, got ${JSON.stringify(prefix)}`);
  }
  installExitHook();
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await ip(['netns', 'add', name]);
  live.add(name);
  let disposed = false;
  const spawned = new Set<ChildProcess>();
  const namespace: TestNamespace = {
    name,
    ip: (args) => ip(['-n', name, ...args]),
    ipJson: async (args) => parseJson(await ip(['-j', '-n', name, ...args])),
    exec: async (command, args) => {
      const { stdout, stderr } = await run('ip', ['netns', 'exec', name, command, ...args], { timeout: 60_000 });
      return { stdout, stderr };
    },
    spawn: (command, args, spawnOptions = {}) => {
      if (disposed) throw new Error(`namespace ${name} is already disposed`);
      const child = spawn('ip', ['netns', 'exec', name, command, ...args], spawnOptions);
      spawned.add(child);
      children.add(child);
      child.once('exit', () => {
        spawned.delete(child);
        children.delete(child);
      });
      return child;
    },
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      try {
        await Promise.all([...spawned].map((child) => stop(child)));
        await ip(['netns', 'delete', name]);
      } finally {
        live.delete(name);
      }
    },
  };
  try {
    await namespace.ip(['link', 'set', 'lo', 'up']);
    for (const veth of options.veths ?? []) {
      const peerSpec = veth.peerNamespace === undefined ? [] : ['netns', veth.peerNamespace];
      await namespace.ip(['link', 'add', veth.name, 'type', 'veth', 'peer', 'name', veth.peer, ...peerSpec]);
      const peerNs = veth.peerNamespace ?? name;
      for (const address of veth.addresses ?? []) await namespace.ip(['address', 'add', address, 'dev', veth.name]);
      for (const address of veth.peerAddresses ?? []) await ip(['-n', peerNs, 'address', 'add', address, 'dev', veth.peer]);
      await namespace.ip(['link', 'set', veth.name, 'up']);
      await ip(['-n', peerNs, 'link', 'set', veth.peer, 'up']);
    }
  } catch (error: unknown) {
    await namespace.dispose();
    throw error;
  }
  return namespace;
}
