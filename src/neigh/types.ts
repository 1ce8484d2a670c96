import type { IpFamily } from '../netlink/ip.js';
import type { NeighError } from './errors.js';

/** What the kernel asks for: an IPv4 or IPv6 neighbour (ARP / ND), or where an Ethernet address lives (VXLAN FDB). */
export type NeighborRequestKind = 'ipv4' | 'ipv6' | 'ethernet';

/**
 * Why the kernel asked: `app-solicit` is an RTM_GETNEIGH from the neighbour
 * state machine (net.ipvX.neigh.IF.app_solicit > 0); `vxlan-l2miss` and
 * `vxlan-l3miss` come from a VXLAN device created with l2miss / l3miss
 * (drivers/net/vxlan/vxlan_core.c, vxlan_fdb_miss / vxlan_ip_miss); `resync`
 * is an unresolved entry found by a dump after a monitor overrun.
 */
export type NeighborRequestSource = 'app-solicit' | 'vxlan-l2miss' | 'vxlan-l3miss' | 'resync';

/** One resolution request, as `resolve()` receives it. */
export interface NeighborRequest {
  readonly kind: NeighborRequestKind;
  /** The IP address (ipv4/ipv6) or the MAC address (ethernet, lower case) asked for. */
  readonly address: string;
  /** ifindex of the link the request came from. */
  readonly index: number;
  /** Its name when the request arrived. */
  readonly linkName: string;
  /** Its kind ('veth', 'vxlan', 'macvlan', ...), when the kernel reports one. */
  readonly linkKind: string | undefined;
  /** The link's VNI when it is a VXLAN device. */
  readonly vni: number | undefined;
  readonly source: NeighborRequestSource;
  /** ndm_state the kernel reported (NUD_INCOMPLETE, NUD_PROBE, NUD_STALE, ...). */
  readonly state: number;
  /** The link-layer address the kernel still holds (a PROBE of a known neighbour). */
  readonly lladdr: string | undefined;
  /** Fires when the lookup times out, its link goes away or the resolver closes. */
  readonly signal: AbortSignal;
}

/** A forwarding database answer: `lladdr` lives behind VTEP `dst`. */
export interface FdbAnswer {
  lladdr: string;
  /** Remote VTEP (IPv4 or IPv6). */
  dst: string;
  vni?: number;
  /** Remote UDP port. */
  port?: number;
  /** ifindex of the VXLAN device to program; default: the request's link. */
  index?: number;
}

/**
 * What `resolve()` answers. `{ lladdr }` installs a neighbour; `{ fdb }`
 * installs an FDB entry (and, for an IP request, also the neighbour with
 * `fdb.lladdr`); `null` is a negative answer, cached for `negativeTtlMs`.
 */
export interface ResolveAnswer {
  lladdr?: string;
  fdb?: FdbAnswer;
}

/**
 * The user's directory lookup. May return a promise; may throw (counted as
 * ERR_NEIGH_RESOLVER_THREW). Anything but an answer object or null
 * (undefined included) is counted as ERR_NEIGH_BAD_ANSWER. `request.signal`
 * aborts when the lookup is given up: pass it on to fetch() and the like.
 */
export type ResolveFunction = (request: NeighborRequest) => Promise<ResolveAnswer | null> | ResolveAnswer | null;

/** NUD state installed neighbours (and FDB entries) get. */
export type InstallState = 'reachable' | 'permanent';

/** One kernel write decided from an answer. */
export type InstallStep =
  | { what: 'neighbor'; index: number; address: string; lladdr: string; state: InstallState }
  | { what: 'fdb'; index: number; lladdr: string; dst: string; vni?: number; port?: number; state: InstallState };

/** Counters; nothing is dropped without being counted. */
export interface NeighborResolverStats {
  /** Requests that reached the handler (RTM_GETNEIGH on a chosen link, plus resync finds). */
  requests: number;
  /** Kernel messages ignored: other links, malformed or unsupported requests. */
  ignored: number;
  /** Requests folded into a lookup already running for the same address. */
  coalesced: number;
  /** Requests answered from the negative cache without calling resolve(). */
  negativeCacheHits: number;
  /** Calls of resolve(). */
  lookups: number;
  /** Non-null answers. */
  resolved: number;
  /** null answers. */
  negative: number;
  /** Install steps that the kernel accepted. */
  installed: number;
  /** Lookups that ended in an error (all the reasons below). */
  failed: number;
  timeouts: number;
  resolverErrors: number;
  badAnswers: number;
  installErrors: number;
  overloaded: number;
  abandoned: number;
  linksAdded: number;
  linksRemoved: number;
  sysctlErrors: number;
  overruns: number;
  resyncs: number;
  resyncErrors: number;
  /** Event listeners that threw (caught so a request never crashes the resolver). */
  listenerErrors: number;
  /** Lookups running now. */
  inFlight: number;
  /** Entries in the negative cache now. */
  negativeCacheSize: number;
}

/** A chosen link as the resolver tracks it. */
export interface ResolverLinkInfo {
  readonly index: number;
  readonly name: string;
  readonly kind: string | undefined;
  readonly vni: number | undefined;
  /** Families whose app_solicit the resolver set on this link. */
  readonly families: readonly IpFamily[];
  readonly requests: number;
  readonly installed: number;
  readonly failed: number;
}

/** Extra facts about how a request was handled. */
export interface RequestDisposition {
  readonly coalesced: boolean;
  readonly negativeCached: boolean;
}

/** The events a NeighborResolver emits (typed with typed-emitter; types only). */
export type NeighborResolverEvents = {
  requested: (request: NeighborRequest, disposition: RequestDisposition) => void;
  /** resolve() answered (null: negative). */
  resolved: (request: NeighborRequest, answer: ResolveAnswer | null) => void;
  failed: (request: NeighborRequest, error: NeighError) => void;
  installed: (request: NeighborRequest, step: InstallStep) => void;
  linkAdded: (link: ResolverLinkInfo) => void;
  linkRemoved: (link: ResolverLinkInfo) => void;
  /** A monitor overrun was recovered by dumping links and neighbours. */
  resynced: (found: { links: number; pending: number }) => void;
  /** Problems outside a request (sysctls, monitor, resync). Only emitted with a listener. */
  error: (error: Error) => void;
};
