/**
 * The data model a plan and a reconcile share: network namespaces, and inside
 * each its links, addresses, routes and sysctls. The desired state says how to
 * create each link; the actual state (read from the kernel, or built by hand
 * in tests) only says what is there.
 */
import type { Allocation } from './allocation.js';
import type { IpAddress, IpPrefix } from './ip.js';

/** How a desired link comes into being. */
export type LinkCreation =
  /** One end of a veth pair; the pair is created once, with both ends in their namespaces. */
  | { readonly kind: 'veth'; readonly peerNamespace: string; readonly peerName: string }
  /** A WireGuard link, created in `createIn` (its UDP socket stays there) and moved into its namespace. */
  | { readonly kind: 'wireguard'; readonly createIn: string; readonly listenPort: number }
  /** A macvlan (bridge mode) on `parent`, created where the parent lives and moved into its namespace. */
  | { readonly kind: 'macvlan'; readonly parent: string; readonly parentNamespace: string | null }
  /** The namespace's loopback: never created or removed, only brought up. */
  | { readonly kind: 'loopback' }
  /** A link the operator provides (a NIC moved into the namespace): never created or removed. */
  | { readonly kind: 'external' };

/** A link the plan wants. */
export interface DesiredLink {
  readonly name: string;
  readonly creation: LinkCreation;
}

/** An address on a link. */
export interface AddressState {
  readonly link: string;
  readonly address: IpPrefix;
}

/** A unicast route. */
export interface RouteState {
  readonly destination: IpPrefix;
  /** Nexthop; absent for a directly connected (scope link) route. */
  readonly gateway?: IpAddress;
  /** Output interface name. */
  readonly link: string;
  readonly table: number;
  readonly protocol: number;
  /** Set on a route read from the kernel with several nexthops (`link`/`gateway` are its first); the plan never wants one. */
  readonly multipath?: true;
}

/** A namespace the plan wants, with everything in it. */
export interface DesiredNamespace {
  readonly name: string;
  readonly links: readonly DesiredLink[];
  readonly addresses: readonly AddressState[];
  readonly routes: readonly RouteState[];
  /** `net.ipv6.conf.all.forwarding` style keys and their values. */
  readonly sysctls: Readonly<Record<string, string>>;
}

/** Who the plan is for: a reconcile touches only objects that parse as belonging to this scope. */
export interface PlanScope {
  readonly allocation: Allocation;
  readonly exitNode: number;
  readonly allocationNumber: number;
  /** Prefix of every namespace name (tests use `fwal<random>-`). */
  readonly namespacePrefix: string;
  /** rtm_protocol of the plan's routes. */
  readonly routeProtocol: number;
}

/** Everything one ExitNode of one allocation should look like. */
export interface DesiredState {
  readonly scope: PlanScope;
  readonly namespaces: readonly DesiredNamespace[];
}

/** A link as found. `kind` is IFLA_INFO_KIND (`veth`, `wireguard`, ...) or `null` when the kernel gives none (lo, NICs). */
export interface ActualLink {
  readonly name: string;
  readonly kind: string | null;
  readonly up: boolean;
}

/** A namespace as found. */
export interface ActualNamespace {
  readonly name: string;
  readonly links: readonly ActualLink[];
  readonly addresses: readonly AddressState[];
  readonly routes: readonly RouteState[];
  /** Values of the sysctls the plan cares about (others may be absent). */
  readonly sysctls: Readonly<Record<string, string>>;
}

/** The state found on a host: its named namespaces (all of them, ours or not). */
export interface ActualState {
  readonly namespaces: readonly ActualNamespace[];
}
