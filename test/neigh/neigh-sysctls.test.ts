import { describe, expect, it } from 'vitest';
import { NeighSysctlError } from '../../src/neigh/errors.js';
import { applyNeighSysctls, neighSysctlName, renameSavedSysctls, restoreNeighSysctls, type SysctlAccess } from '../../src/neigh/neigh-sysctls.js';

/** /proc/sys as a map; names missing from it fail like a missing file. */
function memorySysctls(initial: Record<string, string>): SysctlAccess & { values: Map<string, string>; writes: string[] } {
  const values = new Map(Object.entries(initial));
  const writes: string[] = [];
  return {
    values,
    writes,
    get: async (name) => {
      const value = values.get(name);
      if (value === undefined) throw new Error(`ENOENT ${name}`);
      return value;
    },
    set: async (name, value) => {
      if (!values.has(name)) throw new Error(`ENOENT ${name}`);
      writes.push(`${name}=${value}`);
      values.set(name, String(value));
    },
  };
}

const kernelDefaults = (link: string, families: (4 | 6)[] = [4, 6]): Record<string, string> =>
  Object.fromEntries(
    families.flatMap((f) => [
      [`net/ipv${f}/neigh/${link}/app_solicit`, '0'],
      [`net/ipv${f}/neigh/${link}/mcast_solicit`, '3'],
      [`net/ipv${f}/neigh/${link}/ucast_solicit`, '3'],
    ]),
  );

describe('neighbour sysctls', () => {
  it('sets app_solicit first, then zeroes mcast/ucast_solicit; restore puts every value back', async () => {
    const sysctls = memorySysctls(kernelDefaults('va'));
    const applied = await applyNeighSysctls(sysctls, 'va', [4, 6], { appSolicit: 1, zeroMcastSolicit: true, zeroUcastSolicit: true });
    expect(applied.errors).toEqual([]);
    expect(applied.families).toEqual([4, 6]);
    expect(sysctls.writes.slice(0, 3)).toEqual(['net/ipv4/neigh/va/app_solicit=1', 'net/ipv4/neigh/va/mcast_solicit=0', 'net/ipv4/neigh/va/ucast_solicit=0']);
    expect(sysctls.values.get('net/ipv6/neigh/va/mcast_solicit')).toBe('0');
    expect(await restoreNeighSysctls(sysctls, applied.saved)).toEqual([]);
    expect(Object.fromEntries(sysctls.values)).toEqual(kernelDefaults('va'));
  });

  it('leaves mcast/ucast_solicit alone unless asked', async () => {
    const sysctls = memorySysctls(kernelDefaults('va'));
    await applyNeighSysctls(sysctls, 'va', [4], { appSolicit: 2, zeroMcastSolicit: false, zeroUcastSolicit: false });
    expect(sysctls.writes).toEqual(['net/ipv4/neigh/va/app_solicit=2']);
  });

  it('a family that fails part-way is rolled back and reported; the other still goes ahead', async () => {
    // IPv6 disabled on the link: its mcast_solicit file is missing.
    const initial = kernelDefaults('va');
    delete initial['net/ipv6/neigh/va/mcast_solicit'];
    const sysctls = memorySysctls(initial);
    const applied = await applyNeighSysctls(sysctls, 'va', [4, 6], { appSolicit: 1, zeroMcastSolicit: true, zeroUcastSolicit: false });
    expect(applied.families).toEqual([4]);
    expect(applied.errors).toHaveLength(1);
    expect(applied.errors[0]).toBeInstanceOf(NeighSysctlError);
    expect(applied.errors[0]?.sysctl).toBe('net/ipv6/neigh/va/mcast_solicit');
    expect(sysctls.values.get('net/ipv6/neigh/va/app_solicit')).toBe('0'); // rolled back
    expect(sysctls.values.get('net/ipv4/neigh/va/app_solicit')).toBe('1');
  });

  it('tries a missing file again (a renamed link’s /proc/sys directory appears after its RTM_NEWLINK)', async () => {
    const sysctls = memorySysctls(kernelDefaults('other1', [4]));
    let misses = 2;
    const late: SysctlAccess = {
      get: sysctls.get,
      set: async (name, value) => {
        if (misses-- > 0) throw Object.assign(new Error(`ENOENT ${name}`), { code: 'ENOENT' });
        await sysctls.set(name, value);
      },
    };
    expect(await restoreNeighSysctls(late, [{ name: 'net/ipv4/neigh/other1/app_solicit', previous: '0' }])).toEqual([]);
    expect(sysctls.writes).toEqual(['net/ipv4/neigh/other1/app_solicit=0']);
    // Other errors are not retried.
    const denied: SysctlAccess = { get: sysctls.get, set: () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })) };
    const errors = await restoreNeighSysctls(denied, [{ name: 'net/ipv4/neigh/other1/app_solicit', previous: '0' }]);
    expect(errors.map((e) => e.code)).toEqual(['ERR_NEIGH_SYSCTL']);
  });

  it('names neigh sysctls in slash form so dotted interface names survive, and refuses what cannot be a path level', () => {
    expect(neighSysctlName(4, 'fabric0', 'app_solicit')).toBe('net/ipv4/neigh/fabric0/app_solicit');
    expect(neighSysctlName(6, 'eth0.100', 'app_solicit')).toBe('net/ipv6/neigh/eth0.100/app_solicit');
    expect(() => neighSysctlName(6, 'we/ird', 'app_solicit')).toThrow(NeighSysctlError);
    expect(() => neighSysctlName(4, '..', 'app_solicit')).toThrow(NeighSysctlError);
  });

  it('follows a rename', () => {
    expect(renameSavedSysctls([{ name: 'net/ipv4/neigh/mv1/app_solicit', previous: '0' }], 'mv1', 'other1')).toEqual([
      { name: 'net/ipv4/neigh/other1/app_solicit', previous: '0' },
    ]);
  });
});
