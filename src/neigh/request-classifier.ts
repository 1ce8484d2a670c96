import { NUD } from '../netlink/constants.js';
import type { NeighborEntry } from '../netlink/ops/neighbor-codec.js';
import type { NeighborRequest } from './types.js';

/** A request before it is attached to a lookup (no AbortSignal yet). */
export type RequestFacts = Omit<NeighborRequest, 'signal'>;

/** The link facts a request is classified with. */
export interface RequestLink {
  readonly name: string;
  readonly kind: string | undefined;
  readonly vni: number | undefined;
}

/** Why a kernel message was not turned into a request. */
export type IgnoreReason = 'no-address' | 'multicast-mac' | 'not-vxlan' | 'settled-state';

const ZERO_MAC = '00:00:00:00:00:00';

/** NUD states in which an entry still needs an answer (include/uapi/linux/neighbour.h). */
const UNRESOLVED = NUD.INCOMPLETE | NUD.PROBE | NUD.DELAY | NUD.STALE | NUD.NONE;

function isMulticastMac(mac: string): boolean {
  // I/G bit: least significant bit of the first octet (IEEE 802-2014 §8.2).
  return (Number.parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/**
 * Turns an RTM_GETNEIGH the monitor decoded into a request, or says why it is
 * ignored. Who asked is read from the message layout (`entry.bridge`, see
 * NeighborEntry), as the kernel fills it:
 *
 * - app_solicit (net/core/neighbour.c, neigh_app_ns → __neigh_notify →
 *   neigh_fill_info): NDA_DST is the IP, NDA_PROBES always present;
 *   NDA_LLADDR only while the entry is valid (a PROBE of a known neighbour);
 * - VXLAN l2miss (vxlan_fdb_miss → vxlan_fdb_info): no NDA_PROBES,
 *   NDA_LLADDR is the unknown MAC, no NDA_DST (ndm_family says AF_INET);
 * - VXLAN l3miss (vxlan_ip_miss → vxlan_fdb_info): no NDA_PROBES, NDA_DST is
 *   the IP (ndm_family its family), NUD_STALE, NDA_LLADDR all zeros (older
 *   kernels) or absent (6.x).
 * The layout decides, not the NUD state: an app_solicit probe of a STALE
 * entry on a VXLAN device stays an app_solicit request.
 */
export function classifyRequest(entry: NeighborEntry, link: RequestLink): RequestFacts | IgnoreReason {
  const common = { index: entry.index, linkName: link.name, linkKind: link.kind, vni: link.vni, state: entry.state };
  if (entry.address === '') {
    // Only an FDB-layout message (vxlan_fdb_miss) asks about a MAC; a neighbour-table request without NDA_DST asks nothing.
    if (entry.bridge === undefined || entry.lladdr === undefined || entry.lladdr === ZERO_MAC) return 'no-address';
    if (link.kind !== 'vxlan') return 'not-vxlan';
    const mac = entry.lladdr.toLowerCase();
    if (isMulticastMac(mac)) return 'multicast-mac';
    return { ...common, kind: 'ethernet', address: mac, source: 'vxlan-l2miss', lladdr: undefined };
  }
  if (entry.state !== 0 && (entry.state & UNRESOLVED) === 0) return 'settled-state';
  const kind = entry.family === 6 ? 'ipv6' : 'ipv4';
  const l3miss = entry.bridge !== undefined;
  if (l3miss && link.kind !== 'vxlan') return 'not-vxlan';
  const lladdr = l3miss || entry.lladdr === undefined ? undefined : entry.lladdr.toLowerCase();
  return { ...common, kind, address: entry.address, source: l3miss ? 'vxlan-l3miss' : 'app-solicit', lladdr };
}

/** The coalescing / negative-cache key of a request: one per link, kind and address. */
export function requestKey(request: Pick<RequestFacts, 'index' | 'kind' | 'address'>): string {
  return `${request.index}|${request.kind}|${request.address}`;
}
