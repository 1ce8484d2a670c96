import { describe, expect, it } from 'vitest';
import { NetlinkArgumentError } from '../../../src/netlink/errors.js';
import { neighSysctl, sysctlPath, type SysctlName } from '../../../src/netlink/ops/sysctl.js';

describe('sysctlPath', () => {
  it.each<[string, SysctlName, string]>([
    ['dotted text: every dot is a level', 'net.ipv4.nexthop_compat_mode', '/proc/sys/net/ipv4/nexthop_compat_mode'],
    ['slash text keeps dots (as sysctl(8) does)', 'net/ipv4/neigh/eth0.100/app_solicit', '/proc/sys/net/ipv4/neigh/eth0.100/app_solicit'],
    ['levels keep dots', ['net', 'ipv4', 'neigh', 'eth0.100', 'app_solicit'], '/proc/sys/net/ipv4/neigh/eth0.100/app_solicit'],
    ['levels may hold other interface-name characters', ['net', 'ipv6', 'conf', 'v-0_a@b', 'forwarding'], '/proc/sys/net/ipv6/conf/v-0_a@b/forwarding'],
  ])('%s', (_name, name, path) => {
    expect(sysctlPath(name)).toBe(path);
  });

  it.each<[string, SysctlName]>([
    ['not under net', 'kernel.hostname'],
    ['levels not under net', ['kernel', 'hostname']],
    ['net alone', 'net'],
    ['a level climbing out', ['net', '..', '..', 'etc']],
    ['a dot level', ['net', '.', 'ipv4']],
    ['a slash inside a level', ['net', 'ipv4/../../x']],
    ['an empty level (double dot in text)', 'net..ipv4'],
    ['an empty level (trailing slash)', 'net/ipv4/'],
    ['a NUL', ['net', 'ipv4', 'a\0b']],
    ['an absolute path', '/proc/sys/net/ipv4/ip_forward'],
  ])('%s is a NetlinkArgumentError', (_name, name) => {
    expect(() => sysctlPath(name)).toThrow(NetlinkArgumentError);
  });
});

describe('neighSysctl', () => {
  it('keeps the interface name as one level', () => {
    expect(neighSysctl(4, 'v0.100', 'app_solicit')).toEqual(['net', 'ipv4', 'neigh', 'v0.100', 'app_solicit']);
    expect(sysctlPath(neighSysctl(6, 'v0.100', 'mcast_solicit'))).toBe('/proc/sys/net/ipv6/neigh/v0.100/mcast_solicit');
  });

  it('refuses names that would change the path', () => {
    expect(() => neighSysctl(4, '../x', 'app_solicit')).toThrow(NetlinkArgumentError);
    expect(() => neighSysctl(4, 'v0', 'a/b')).toThrow(NetlinkArgumentError);
    expect(() => neighSysctl(5 as 4, 'v0', 'app_solicit')).toThrow(NetlinkArgumentError);
  });
});
