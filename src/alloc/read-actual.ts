/**
 * `readActualState()`: what the kernel has, in the data model `diff()` reads.
 * Only the namespaces of the plan's scope are read: everything else is not
 * ours and diff never looks at it.
 */
import { Rtnl } from '../netlink/rtnl.js';
import { AllocError } from './errors.js';
import { listNamedNamespaces } from './host.js';
import { parseAddressText, parsePrefixText, type IpPrefix } from './ip.js';
import type { AllocRtnl, RtnlOpener } from './netlink-port.js';
import { isScopeNamespace } from './ownership.js';
import { MAIN_TABLE } from './routes.js';
import type { ActualLink, ActualNamespace, ActualState, AddressState, DesiredState, RouteState } from './state.js';

/** Opens `Rtnl` clients (the default opener). */
export const openRtnl: RtnlOpener = (netns) => Rtnl.open(netns === null ? {} : { netns });

/** Options of {@link readActualState}. */
export interface ReadActualStateOptions {
  /** Named namespaces to consider; default: the entries of /var/run/netns. */
  readonly namespaces?: readonly string[];
  /** Default: `Rtnl.open()` in the namespace (or the current one for null). */
  readonly open?: RtnlOpener;
  /** Sysctls to read in each namespace; default: every key the desired state names. */
  readonly sysctls?: readonly string[];
}

function prefixOf(text: string, length: number): IpPrefix {
  const parsed = parsePrefixText(text.includes('/') ? text : `${text}/${length}`);
  if (!parsed) throw new AllocError('ERR_ALLOC_READ_STATE', `kernel reported an address fibwire alloc cannot read: ${text}`, text);
  return parsed;
}

/** Reads links, addresses, main-table unicast routes and sysctls of one namespace through `rtnl`. */
export async function readNamespace(name: string, rtnl: AllocRtnl, sysctlKeys: readonly string[]): Promise<ActualNamespace> {
  const links = await rtnl.links.list();
  const nameByIndex = new Map<number, string>(links.map((l) => [l.index, l.name]));
  const actualLinks: ActualLink[] = links.map((l) => ({ name: l.name, kind: l.kind ?? null, up: l.up }));
  const addresses: AddressState[] = [];
  for (const a of await rtnl.addresses.list()) {
    const link = nameByIndex.get(a.index);
    if (link === undefined) continue;
    addresses.push({ link, address: prefixOf(a.address, a.prefixLength) });
  }
  const routes: RouteState[] = [];
  for (const r of await rtnl.routes.list({ table: MAIN_TABLE })) {
    // Only unicast main-table routes can be ours; a multipath one is kept (marked) so that diff replaces or reports it.
    if (r.type !== 'unicast' || r.table !== MAIN_TABLE) continue;
    const first = r.multipath?.[0];
    const oif = first ? first.oif : r.oif;
    const link = oif === undefined ? undefined : nameByIndex.get(oif);
    if (link === undefined) continue;
    const destination = prefixOf(r.dst, r.dstLength);
    const via = first ? first.gateway : r.gateway;
    const gateway = via !== undefined ? parseAddressText(via) : undefined;
    const base = { destination, link, table: r.table, protocol: r.protocol, ...(gateway ? { gateway } : {}) };
    routes.push(r.multipath !== undefined ? { ...base, multipath: true } : base);
  }
  const sysctls: Record<string, string> = {};
  for (const key of sysctlKeys) sysctls[key] = await rtnl.sysctl.get(key);
  return { name, links: actualLinks, addresses, routes, sysctls };
}

/**
 * Reads the kernel state of every existing namespace in the scope of
 * `desired` (same ExitNode, allocation number and namespace prefix).
 *
 * @example
 * ```ts
 * const actual = await readActualState(plan.desired);
 * const { operations } = diff(plan.desired, actual);
 * ```
 */
export async function readActualState(desired: DesiredState, options: ReadActualStateOptions = {}): Promise<ActualState> {
  const open = options.open ?? openRtnl;
  const names = (options.namespaces ?? (await listNamedNamespaces())).filter((n) => isScopeNamespace(n, desired.scope)).sort();
  const keys = options.sysctls ?? [...new Set(desired.namespaces.flatMap((n) => Object.keys(n.sysctls)))].sort();
  const namespaces: ActualNamespace[] = [];
  for (const name of names) {
    const rtnl = await open(name);
    try {
      namespaces.push(await readNamespace(name, rtnl, keys));
    } finally {
      rtnl.close();
    }
  }
  return { namespaces };
}
