import { closeSync, constants, readSync, writeSync } from 'node:fs';
import { NetlinkArgumentError } from '../errors.js';
import { loadNativeBinding } from '../native/load-binding.js';
import type { IpFamily } from '../ip.js';

/**
 * A net.* sysctl: dotted text (`'net.ipv4.ip_forward'`, every '.' a level),
 * slash text (`'net/ipv4/neigh/eth0.100/app_solicit'`, dots kept, as
 * sysctl(8) reads a name containing '/'), or the levels as an array
 * (`['net', 'ipv4', 'neigh', 'eth0.100', 'app_solicit']`), which keeps dots
 * in a level: the way to name an interface such as a VLAN `eth0.100`.
 */
export type SysctlName = string | readonly string[];

/** One level of a sysctl path: anything but '/', NUL, '.' and '..' (an interface name may hold dots). */
function checkLevel(level: string, name: SysctlName): string {
  if (level.length === 0 || level.length > 255 || level.includes('/') || level.includes('\0') || level === '.' || level === '..') {
    throw new NetlinkArgumentError('name', `not a net.* sysctl: ${JSON.stringify(name)}`);
  }
  return level;
}

/**
 * The /proc/sys file of a net.* sysctl. Only net.* is per network namespace,
 * and nothing may climb out of /proc/sys/net: typed error otherwise.
 */
export function sysctlPath(name: SysctlName): string {
  let levels: readonly string[];
  if (typeof name === 'string') levels = name.includes('/') ? name.split('/') : name.split('.');
  else if (Array.isArray(name)) levels = name;
  else throw new NetlinkArgumentError('name', 'a string or an array of strings is needed');
  if (levels[0] !== 'net' || levels.length < 2) throw new NetlinkArgumentError('name', `not a net.* sysctl: ${JSON.stringify(name)}`);
  for (const level of levels) {
    if (typeof level !== 'string') throw new NetlinkArgumentError('name', 'every level must be a string');
    checkLevel(level, name);
  }
  return `/proc/sys/${levels.join('/')}`;
}

/**
 * net.ipvF.neigh.IFNAME.KEY as levels, so an interface name with dots
 * (eth0.100) stays one level.
 *
 * @example
 * ```ts
 * await rtnl.sysctl.set(neighSysctl(4, 'eth0.100', 'app_solicit'), 1);
 * ```
 */
export function neighSysctl(family: IpFamily, ifname: string, key: string): readonly string[] {
  if (family !== 4 && family !== 6) throw new NetlinkArgumentError('family', `must be 4 or 6, got ${String(family)}`);
  const name = ['net', `ipv${family}`, 'neigh', ifname, key];
  checkLevel(ifname, name);
  checkLevel(key, name);
  return name;
}

/**
 * Per-namespace network sysctls (/proc/sys/net/...). A sysctl file is opened
 * while the thread is inside the namespace (the addon's setns window), and
 * keeps naming that namespace's value afterwards.
 *
 * @example
 * ```ts
 * await rtnl.sysctl.set('net.ipv4.nexthop_compat_mode', '0');
 * console.log(await rtnl.sysctl.get('net.ipv4.nexthop_compat_mode')); // '0'
 * await rtnl.sysctl.set(['net', 'ipv4', 'neigh', 'eth0.100', 'app_solicit'], 1); // a dot in a level
 * ```
 */
export class SysctlOps {
  constructor(private readonly netns: string | number | null) {}

  /** The value as the kernel prints it, without the trailing newline. */
  async get(name: SysctlName): Promise<string> {
    const fd = loadNativeBinding().openInNetns(this.netns, sysctlPath(name), constants.O_RDONLY);
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

  async set(name: SysctlName, value: string | number): Promise<void> {
    const fd = loadNativeBinding().openInNetns(this.netns, sysctlPath(name), constants.O_WRONLY);
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
