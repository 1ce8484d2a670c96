import type { IpFamily } from '../netlink/ip.js';
import { NeighSysctlError } from './errors.js';
import { neighSysctl, sysctlPath } from '../netlink/ops/sysctl.js';

/** The part of the client's SysctlOps the resolver uses. */
export interface SysctlAccess {
  get(name: string): Promise<string>;
  set(name: string, value: string | number): Promise<void>;
}

/** What the resolver asks of a link's neighbour parameters. */
export interface NeighSysctlSettings {
  /** app_solicit: probes sent to user space as RTM_GETNEIGH (Documentation/networking/ip-sysctl.rst). */
  readonly appSolicit: number;
  /** mcast_solicit = 0: no broadcast ARP / multicast NS, the kernel asks only us. */
  readonly zeroMcastSolicit: boolean;
  /** ucast_solicit = 0: no unicast re-probes of known neighbours either. */
  readonly zeroUcastSolicit: boolean;
}

/** One value changed, with what it was before. */
export interface SavedSysctl {
  readonly name: string;
  readonly previous: string;
}

/** The outcome for one link: what was changed (to restore), the families done and the failures. */
export interface AppliedSysctls {
  readonly saved: SavedSysctl[];
  readonly families: IpFamily[];
  readonly errors: NeighSysctlError[];
}

/**
 * net/ipv4/neigh/IF/KEY or net/ipv6/neigh/IF/KEY, in slash form so that an
 * interface name holding a dot (eth0.100) stays one level (as sysctl(8) reads
 * it). A name that cannot be one path level ('/', '..') is a NeighSysctlError.
 */
export function neighSysctlName(family: IpFamily, linkName: string, key: string): string {
  // Slash form (as sysctl(8) accepts it): an interface name like `eth0.100` keeps its dot.
  const name = `net/ipv${family}/neigh/${linkName}/${key}`;
  try {
    sysctlPath(neighSysctl(family, linkName, key));
  } catch (error) {
    throw new NeighSysctlError(name, error);
  }
  return name;
}

/**
 * ENOENT right after a rename is expected: the kernel sends RTM_NEWLINK for
 * the new name (rtnetlink's NETDEV_CHANGENAME notifier) before inetdev /
 * addrconf re-register /proc/sys/net/ipvX/neigh/NEWNAME. So a missing file is
 * tried again a few times (20, 40, 80, 160, 320 ms: bounded, about 0.6 s).
 */
const MISSING_FILE_RETRIES = 5;
const FIRST_RETRY_DELAY_MS = 20;

function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'ENOENT';
}

async function retryMissing<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isMissingFile(error) || attempt >= MISSING_FILE_RETRIES) throw error;
      await new Promise<void>((resolve) => setTimeout(resolve, FIRST_RETRY_DELAY_MS << attempt));
    }
  }
}

function wanted(settings: NeighSysctlSettings): [string, number][] {
  // app_solicit first: there is never a moment with neither user space nor the kernel probing.
  const values: [string, number][] = [['app_solicit', settings.appSolicit]];
  if (settings.zeroMcastSolicit) values.push(['mcast_solicit', 0]);
  if (settings.zeroUcastSolicit) values.push(['ucast_solicit', 0]);
  return values;
}

/** Restores saved values, last first; returns the failures (the rest is still restored). */
export async function restoreNeighSysctls(access: SysctlAccess, saved: readonly SavedSysctl[]): Promise<NeighSysctlError[]> {
  const errors: NeighSysctlError[] = [];
  for (const { name, previous } of [...saved].reverse()) {
    try {
      await retryMissing(() => access.set(name, previous));
    } catch (error) {
      errors.push(error instanceof NeighSysctlError ? error : new NeighSysctlError(name, error));
    }
  }
  return errors;
}

/**
 * Sets the neighbour sysctls of one link, family by family. A family that
 * fails part-way (IPv6 disabled on the link, an odd name) is rolled back and
 * reported; the other family still goes ahead.
 */
export async function applyNeighSysctls(
  access: SysctlAccess,
  linkName: string,
  families: readonly IpFamily[],
  settings: NeighSysctlSettings,
): Promise<AppliedSysctls> {
  const result: AppliedSysctls = { saved: [], families: [], errors: [] };
  for (const family of families) {
    const saved: SavedSysctl[] = [];
    try {
      for (const [key, value] of wanted(settings)) {
        const name = neighSysctlName(family, linkName, key);
        let previous: string;
        try {
          previous = await retryMissing(() => access.get(name));
          await access.set(name, value);
        } catch (error) {
          throw error instanceof NeighSysctlError ? error : new NeighSysctlError(name, error);
        }
        saved.push({ name, previous });
      }
      result.saved.push(...saved);
      result.families.push(family);
    } catch (error) {
      result.errors.push(error instanceof NeighSysctlError ? error : new NeighSysctlError(`net.ipv${family}.neigh.${linkName}`, error));
      result.errors.push(...(await restoreNeighSysctls(access, saved)));
    }
  }
  return result;
}

/** Rewrites saved sysctl names after a link rename (the /proc/sys directory follows the link). */
export function renameSavedSysctls(saved: readonly SavedSysctl[], from: string, to: string): SavedSysctl[] {
  return saved.map(({ name, previous }) => ({ name: name.replace(`/neigh/${from}/`, `/neigh/${to}/`), previous }));
}
