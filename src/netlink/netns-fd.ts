import { closeSync, openSync } from 'node:fs';
import type { NetnsRef } from './socket.js';
import { resolveNetns } from './socket.js';

/**
 * An fd naming a network namespace for IFLA_NET_NS_FD: opened here when given
 * a name or path (and closed by release()), passed through when given an fd.
 *
 * @example
 * ```ts
 * const ns = NetnsFd.open('fwdemo');
 * try { w.attrU32(IFLA.NET_NS_FD, ns.fd); } finally { ns.release(); }
 * ```
 */
export class NetnsFd {
  private constructor(
    readonly fd: number,
    private readonly owned: boolean,
  ) {}

  static open(netns: NetnsRef): NetnsFd {
    const resolved = resolveNetns(netns);
    if (typeof resolved === 'number') return new NetnsFd(resolved, false);
    if (resolved === null) throw new Error('unreachable: netns is defined');
    return new NetnsFd(openSync(resolved, 'r'), true);
  }

  release(): void {
    if (this.owned) closeSync(this.fd);
  }
}
