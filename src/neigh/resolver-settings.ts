import type { IpFamily } from '../netlink/ip.js';
import type { NetnsRef } from '../netlink/socket.js';
import { NeighConfigError } from './errors.js';
import { LinkSelection, type LinkSelector } from './link-selector.js';
import type { InstallState, ResolveFunction } from './types.js';

/** How to open a NeighborResolver. */
export interface NeighborResolverOptions {
  /** The network namespace to work in (name, path or fd); default: the current one. */
  netns?: NetnsRef;
  /** The links to resolve for: by name (exact, glob or RegExp), ifindex or kind. */
  links: LinkSelector | readonly LinkSelector[];
  /** The directory lookup. */
  resolve: ResolveFunction;
  /** Families whose neighbour sysctls are set (default [4, 6]). */
  families?: readonly IpFamily[];
  /** Set the per-link sysctls (default true); false when something else manages them. */
  configureSysctls?: boolean;
  /** app_solicit value (default 1). */
  appSolicit?: number;
  /** Set mcast_solicit to 0 so only user space is asked (default false). */
  zeroMcastSolicit?: boolean;
  /** Set ucast_solicit to 0 as well (default false). */
  zeroUcastSolicit?: boolean;
  /** State of installed neighbours and FDB entries (default 'reachable'). */
  installState?: InstallState;
  /** How long a null answer is remembered (default 5000 ms; 0: not at all). */
  negativeTtlMs?: number;
  /** How long a timeout or resolver error is remembered (default 0: ask again on the next probe). */
  failureTtlMs?: number;
  /** Deadline of one resolve() call (default 2000 ms). */
  lookupTimeoutMs?: number;
  /** Lookups allowed to run at once (default 1024); more are dropped and counted. */
  maxInFlight?: number;
  /** Negative cache size (default 4096 entries). */
  maxNegativeEntries?: number;
  /** Receive buffer of the monitor socket (default: the monitor's own, 64 MiB). */
  monitorReceiveBufferSize?: number;
}

/** Options checked, with every default filled in. */
export interface ResolverSettings {
  readonly netns: NetnsRef | undefined;
  readonly selection: LinkSelection;
  readonly resolve: ResolveFunction;
  readonly families: readonly IpFamily[];
  readonly configureSysctls: boolean;
  readonly appSolicit: number;
  readonly zeroMcastSolicit: boolean;
  readonly zeroUcastSolicit: boolean;
  readonly installState: InstallState;
  readonly negativeTtlMs: number;
  readonly failureTtlMs: number;
  readonly lookupTimeoutMs: number;
  readonly maxInFlight: number;
  readonly maxNegativeEntries: number;
  readonly monitorReceiveBufferSize: number | undefined;
}

function integer(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new NeighConfigError(field, `${String(value)} is not an integer in ${min}..${max}`);
  }
  return value;
}

function flag(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new NeighConfigError(field, 'true or false');
  return value;
}

/** Checks options and fills defaults; throws NeighConfigError naming the field. */
export function resolverSettings(options: NeighborResolverOptions): ResolverSettings {
  if (typeof options !== 'object' || options === null) throw new NeighConfigError('options', 'an object is needed');
  if (typeof options.resolve !== 'function') throw new NeighConfigError('resolve', 'a function is needed');
  const families = options.families ?? [4, 6];
  if (!Array.isArray(families) || families.length === 0 || families.some((f) => f !== 4 && f !== 6) || new Set(families).size !== families.length) {
    throw new NeighConfigError('families', 'a non-empty list of 4 and/or 6');
  }
  const installState = options.installState ?? 'reachable';
  if (installState !== 'reachable' && installState !== 'permanent') throw new NeighConfigError('installState', "'reachable' or 'permanent'");
  const day = 24 * 3600 * 1000;
  return {
    netns: options.netns,
    selection: new LinkSelection(options.links),
    resolve: options.resolve,
    families,
    configureSysctls: flag(options.configureSysctls, 'configureSysctls', true),
    // app_solicit is an int in struct neigh_parms; values beyond a few only make the kernel wait longer.
    appSolicit: integer(options.appSolicit, 'appSolicit', 1, 255, 1),
    zeroMcastSolicit: flag(options.zeroMcastSolicit, 'zeroMcastSolicit', false),
    zeroUcastSolicit: flag(options.zeroUcastSolicit, 'zeroUcastSolicit', false),
    installState,
    negativeTtlMs: integer(options.negativeTtlMs, 'negativeTtlMs', 0, day, 5000),
    failureTtlMs: integer(options.failureTtlMs, 'failureTtlMs', 0, day, 0),
    lookupTimeoutMs: integer(options.lookupTimeoutMs, 'lookupTimeoutMs', 1, day, 2000),
    maxInFlight: integer(options.maxInFlight, 'maxInFlight', 1, 1 << 20, 1024),
    maxNegativeEntries: integer(options.maxNegativeEntries, 'maxNegativeEntries', 0, 1 << 24, 4096),
    monitorReceiveBufferSize:
      options.monitorReceiveBufferSize === undefined ? undefined : integer(options.monitorReceiveBufferSize, 'monitorReceiveBufferSize', 4096, 1 << 30, 0),
  };
}
