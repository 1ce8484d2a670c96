import { closeSync, constants, readSync, writeSync } from 'node:fs';
import { NetlinkArgumentError } from '../errors.js';
import { loadNativeBinding } from '../native/load-binding.js';

/**
 * Per-namespace network sysctls (/proc/sys/net/...). A sysctl file is opened
 * while the thread is inside the namespace (the addon's setns window), and
 * keeps naming that namespace's value afterwards.
 *
 * @example
 * ```ts
 * await rtnl.sysctl.set('net.ipv4.nexthop_compat_mode', '0');
 * console.log(await rtnl.sysctl.get('net.ipv4.nexthop_compat_mode')); // '0'
 * ```
 */
export class SysctlOps {
  constructor(private readonly netns: string | number | null) {}

  private path(name: string): string {
    // Only net.* is per network namespace; refuse anything that could climb out of /proc/sys.
    if (!/^net\.[A-Za-z0-9_.\-/]+$/.test(name) || name.includes('..')) {
      throw new NetlinkArgumentError('name', `not a net.* sysctl: ${JSON.stringify(name)}`);
    }
    return `/proc/sys/${name.replace(/\./g, '/')}`;
  }

  /** The value as the kernel prints it, without the trailing newline. */
  async get(name: string): Promise<string> {
    const fd = loadNativeBinding().openInNetns(this.netns, this.path(name), constants.O_RDONLY);
    try {
      const buf = Buffer.alloc(4096);
      let length = 0;
      for (;;) {
        const n = readSync(fd, buf, length, buf.length - length, null);
        if (n === 0 || length + n >= buf.length) {
          length += n;
          break;
        }
        length += n;
      }
      return buf.toString('utf8', 0, length).replace(/\n$/, '');
    } finally {
      closeSync(fd);
    }
  }

  async set(name: string, value: string | number): Promise<void> {
    const fd = loadNativeBinding().openInNetns(this.netns, this.path(name), constants.O_WRONLY);
    try {
      writeSync(fd, `${value}\n`);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * net.ipv4.nexthop_compat_mode: with 1 (the default) routes using nexthop
   * objects are also reported with their expanded nexthops and a group
   * replace notifies per route; with 0 they carry only RTA_NH_ID and a group
   * replace is a single cheap operation.
   */
  async nexthopCompatMode(): Promise<0 | 1> {
    return (await this.get('net.ipv4.nexthop_compat_mode')) === '0' ? 0 : 1;
  }

  setNexthopCompatMode(mode: 0 | 1): Promise<void> {
    return this.set('net.ipv4.nexthop_compat_mode', mode);
  }
}
