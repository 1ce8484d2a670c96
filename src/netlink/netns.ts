/**
 * Named network namespaces, made and removed the way `ip netns add/delete`
 * does it (iproute2 ip/ipnetns.c): a file in a run directory with a fresh
 * namespace bind-mounted on it. The syscalls are in native/named_netns.cc;
 * the namespace is created on a short-lived thread of its own, never on
 * Node's main thread.
 */
import { readdir } from 'node:fs/promises';
import { NativeAddonLoadError, NetlinkArgumentError } from './errors.js';
import type { NativeBinding } from './native/binding-types.js';
import { loadNativeBinding } from './native/load-binding.js';
import { isSystemError } from './socket.js';

/** iproute2's NETNS_RUN_DIR: where `ip netns` keeps named namespaces. */
export const DEFAULT_NETNS_RUN_DIR = '/var/run/netns';

/** Where the namespace files live (default {@link DEFAULT_NETNS_RUN_DIR}). */
export interface NetnsOptions {
  readonly runDir?: string;
}

/**
 * A named namespace could not be created or deleted. `code` is the errno
 * name: `EEXIST` (a namespace of that name exists), `ENOENT` (none to
 * delete), `EPERM` (needs CAP_SYS_ADMIN), ...; `syscall` says which step failed.
 *
 * @example
 * ```ts
 * try { await Netns.create('blue'); } catch (e) { if (e instanceof NetnsError && e.code === 'EEXIST') reuse(); }
 * ```
 */
export class NetnsError extends Error {
  readonly code: string;
  /** Positive errno value. */
  readonly errno: number;
  readonly syscall: string;
  constructor(
    readonly operation: 'create' | 'delete',
    readonly netns: string,
    cause: unknown,
  ) {
    const code = isSystemError(cause) ? cause.code : 'EIO';
    super(`netns ${operation} ${netns}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'NetnsError';
    this.code = code;
    this.errno = isSystemError(cause) ? Math.abs(cause.errno) : 0;
    this.syscall = isSystemError(cause) ? cause.syscall : '';
    this.cause = cause;
  }
}

/** Same rule as a NetnsRef name (socket.ts): one path component of safe characters. */
function checkName(name: string): void {
  if (!/^[A-Za-z0-9_.-]{1,255}$/.test(name) || name === '.' || name === '..') {
    throw new NetlinkArgumentError('netns', `not a namespace name: ${JSON.stringify(name)}`);
  }
}

function runDirOf(options: NetnsOptions): string {
  const dir = options.runDir ?? DEFAULT_NETNS_RUN_DIR;
  if (!dir.startsWith('/')) throw new NetlinkArgumentError('runDir', `must be an absolute path, got ${JSON.stringify(dir)}`);
  return dir;
}

type NetnsCall = (runDir: string, name: string) => Promise<void>;

function nativeCall(binding: NativeBinding, which: 'createNetns' | 'deleteNetns'): NetnsCall {
  const call = binding[which];
  if (call === undefined) throw new NativeAddonLoadError(`addon has no ${which}: rebuild it (npm rebuild fibwire)`);
  return call.bind(binding);
}

/**
 * Named network namespaces (`ip netns add/delete/list`). Needs CAP_SYS_ADMIN.
 * A created namespace holds only `lo`, down; open a client in it with
 * `Rtnl.open({ netns: name })`.
 *
 * @example
 * ```ts
 * await Netns.create('fwdemo');
 * const rtnl = await Rtnl.open({ netns: 'fwdemo' });
 * // ...
 * rtnl.close();
 * await Netns.delete('fwdemo');
 * ```
 */
export class Netns {
  private constructor() {}

  /** Creates `runDir/name`; rejects with NetnsError `EEXIST` when it exists. */
  static async create(name: string, options: NetnsOptions = {}): Promise<void> {
    checkName(name);
    const call = nativeCall(loadNativeBinding(), 'createNetns');
    try {
      await call(runDirOf(options), name);
    } catch (error: unknown) {
      throw new NetnsError('create', name, error);
    }
  }

  /**
   * Removes the name (lazy unmount: sockets or processes still inside keep
   * the namespace alive until they go). NetnsError `ENOENT` when there is none.
   */
  static async delete(name: string, options: NetnsOptions = {}): Promise<void> {
    checkName(name);
    const call = nativeCall(loadNativeBinding(), 'deleteNetns');
    try {
      await call(runDirOf(options), name);
    } catch (error: unknown) {
      throw new NetnsError('delete', name, error);
    }
  }

  /** The names in the run directory, sorted (none when it does not exist). */
  static async list(options: NetnsOptions = {}): Promise<string[]> {
    try {
      return (await readdir(runDirOf(options))).sort();
    } catch (error: unknown) {
      if (isSystemError(error, 'ENOENT')) return [];
      throw error;
    }
  }
}
