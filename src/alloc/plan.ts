/**
 * `planExitNode()`: the whole desired state of one ExitNode of one allocation,
 * as data, derived from nothing but the allocation, the ExitNode number, the
 * list of resource ids and the operator's IPv4 address (seed 002: "We need to
 * be able to derive the whole network from solely these lists").
 */
import { Allocation } from './allocation.js';
import {
  epPubIP4R,
  epPubLL,
  gwPubIP4,
  gwPubIP6,
  gwPubLL,
  gwToEpIP4,
  gwToEpLL,
  hasIPv4Network,
  nrLocalIP4,
  nrLocalIP4Network,
  nrLocalIP6,
  upstreamLL,
  wgIP4RT,
  wgLL,
} from './addresses.js';
import { AllocError } from './errors.js';
import { assertAllocationNumber, assertExitNode, assertResourceId, exitNodeOf } from './ids.js';
import { parseAddressText, type IpAddress, type IpPrefix, v4, v6 } from './ip.js';
import {
  epPubName,
  exitPointNamespaceName,
  gatewayNamespaceName,
  gwPubName,
  gwToEpName,
  nrLocalName,
  nrPeerName,
  publicNamespaceName,
  wgName,
} from './names.js';
import { ALLOC_ROUTE_PROTOCOL, MAIN_TABLE } from './routes.js';
import type { AddressState, DesiredLink, DesiredNamespace, DesiredState, LinkCreation, PlanScope, RouteState } from './state.js';
import { upstreamRoutes, type UpstreamRoute } from './upstream.js';

/** Where the Gateway's routing interface (GWPubName) comes from. */
export type UplinkSpec =
  /** The operator moves a NIC named GWPubName into the Gateway namespace; the plan never creates or removes it. */
  | { readonly kind: 'external' }
  /** The plan creates GWPubName as a macvlan on `parent` (in `parentNamespace`, default: the caller's namespace). */
  | { readonly kind: 'macvlan'; readonly parent: string; readonly parentNamespace?: string };

/** Input of {@link planExitNode}. */
export interface PlanExitNodeInput {
  /** The /48, as text or parsed. */
  readonly allocation: Allocation | string;
  /** ExitNode number 1..15. */
  readonly exitNode: number;
  /** Network-resource ids this ExitNode routes (each's top nibble must be `exitNode`); duplicates collapse. */
  readonly resources: readonly number[];
  /** GWPubIP4, the operator's public IPv4 address for SNAT, `a.b.c.d/len`. */
  readonly gatewayIPv4: string;
  /** The upstream IPv4 router (the Gateway's IPv4 default gateway); no IPv4 default route without it. */
  readonly upstreamIPv4?: string;
  /** The allocation number written at the end of every name; default 1. */
  readonly allocationNumber?: number;
  /** Prefix for every namespace name; default none. */
  readonly namespacePrefix?: string;
  /** Default `{ kind: 'external' }`. */
  readonly uplink?: UplinkSpec;
  /** Plan WireGuard links (and the public namespace they are created in); default true. */
  readonly wireguard?: boolean;
  /** rtm_protocol of the plan's routes; default {@link ALLOC_ROUTE_PROTOCOL}. */
  readonly routeProtocol?: number;
}

/** A veth pair of the plan. */
export interface VethPairPlan {
  readonly id: number;
  readonly purpose: 'gateway-to-exitpoint' | 'resource-local';
  readonly a: { readonly namespace: string; readonly name: string };
  readonly b: { readonly namespace: string; readonly name: string };
}

/** A WireGuard link of the plan (created in `createIn`, moved to `namespace`). */
export interface WireguardLinkPlan {
  readonly id: number;
  readonly name: string;
  readonly createIn: string;
  readonly namespace: string;
  /** Decided: the listen port is the resource id (4096..65535, never privileged, unique per allocation). */
  readonly listenPort: number;
  readonly addresses: readonly IpPrefix[];
}

/** An IPv4 NAT intent for the Gateway (the BAR "does the IPv4 firewalling and NATing for the TN"). */
export interface NatIntent {
  readonly kind: 'snat';
  readonly namespace: string;
  readonly id: number;
  readonly source: IpPrefix;
  readonly outInterface: string;
  readonly toAddress: IpAddress;
}

/** An IPv4 forwarding-filter intent for the Gateway, in evaluation order. */
export type FirewallIntent =
  | { readonly kind: 'accept-established'; readonly namespace: string; readonly family: 4 }
  | { readonly kind: 'accept-outbound'; readonly namespace: string; readonly family: 4; readonly id: number; readonly inInterface: string; readonly outInterface: string; readonly source: IpPrefix }
  | { readonly kind: 'drop-other-forward'; readonly namespace: string; readonly family: 4 };

/** One resource's derived values, for people reading a plan. */
export interface ResourcePlan {
  readonly id: number;
  readonly namespace: string;
  readonly prefix: IpPrefix;
  readonly ipv4Network: IpPrefix | null;
  readonly links: { readonly gwToEp: string; readonly epPub: string; readonly wg: string | null; readonly nrLocal: string; readonly nrPeer: string };
}

/** The result of {@link planExitNode}. */
export interface ExitNodePlan {
  readonly scope: PlanScope;
  readonly desired: DesiredState;
  readonly gateway: { readonly namespace: string; readonly uplink: string; readonly uplinkSpec: UplinkSpec; readonly publicNamespace: string | null };
  readonly resources: readonly ResourcePlan[];
  readonly vethPairs: readonly VethPairPlan[];
  readonly wireguard: readonly WireguardLinkPlan[];
  readonly ipv4: { readonly nat: readonly NatIntent[]; readonly firewall: readonly FirewallIntent[] };
  /** What the farmer's upstream router needs for this ExitNode (both forms). */
  readonly upstreamRoutes: readonly UpstreamRoute[];
}

/** Sysctls of every Gateway and ExitPoint namespace: both route for others. */
export const ROUTER_SYSCTLS: Readonly<Record<string, string>> = Object.freeze({
  'net.ipv6.conf.all.forwarding': '1',
  'net.ipv4.ip_forward': '1',
});

const LOOPBACK: DesiredLink = { name: 'lo', creation: { kind: 'loopback' } };

/**
 * Plans one ExitNode: the Gateway namespace, one namespace per ExitPoint,
 * veth pairs, WireGuard links, addresses, routes, sysctls and IPv4 NAT and
 * firewall intents. Pure: same input, same plan, in a fixed order.
 *
 * @example
 * ```ts
 * const plan = planExitNode({ allocation: '2a02:1802:5e::/48', exitNode: 1, resources: [0x1abc, 0x1123], gatewayIPv4: '185.69.166.123/24' });
 * plan.desired.namespaces.map((n) => n.name); // ['ep-1123-1', 'ep-1abc-1', 'gw-1-1', 'public-1-1']
 * ```
 */
export function planExitNode(input: PlanExitNodeInput): ExitNodePlan {
  const allocation = typeof input.allocation === 'string' ? Allocation.parse(input.allocation) : input.allocation;
  if (!(allocation instanceof Allocation)) throw new AllocError('ERR_ALLOC_PLAN_INPUT', 'allocation must be an Allocation or its text', input.allocation);
  const exitNode = input.exitNode;
  assertExitNode(exitNode);
  const allocationNumber = input.allocationNumber ?? 1;
  assertAllocationNumber(allocationNumber);
  const prefix = input.namespacePrefix ?? '';
  if (typeof prefix !== 'string' || !/^[A-Za-z0-9_.-]{0,32}$/.test(prefix)) {
    throw new AllocError('ERR_ALLOC_PLAN_INPUT', 'namespacePrefix may hold only [A-Za-z0-9_.-], at most 32', prefix);
  }
  const routeProtocol = input.routeProtocol ?? ALLOC_ROUTE_PROTOCOL;
  if (!Number.isInteger(routeProtocol) || routeProtocol <= 4 || routeProtocol > 255) {
    throw new AllocError('ERR_ALLOC_PLAN_INPUT', 'routeProtocol must be 5..255 (0-4 are the kernel\'s)', routeProtocol);
  }
  const gatewayIPv4 = gwPubIP4(input.gatewayIPv4);
  let upstreamIPv4: IpAddress | null = null;
  if (input.upstreamIPv4 !== undefined) {
    const parsed = parseAddressText(String(input.upstreamIPv4).trim());
    if (!parsed || parsed.family !== 4) throw new AllocError('ERR_ALLOC_BAD_IPV4', `upstreamIPv4 '${String(input.upstreamIPv4)}' is not an IPv4 address`, input.upstreamIPv4);
    upstreamIPv4 = parsed;
  }
  const uplinkSpec: UplinkSpec = input.uplink ?? { kind: 'external' };
  if (uplinkSpec.kind === 'macvlan' && (typeof uplinkSpec.parent !== 'string' || uplinkSpec.parent.length === 0 || uplinkSpec.parent.length > 15)) {
    throw new AllocError('ERR_ALLOC_PLAN_INPUT', 'uplink parent must be an interface name', uplinkSpec);
  }
  if (!Array.isArray(input.resources)) throw new AllocError('ERR_ALLOC_PLAN_INPUT', 'resources must be an array of ids', input.resources);
  const ids = [...new Set(input.resources)];
  for (const id of ids) {
    assertResourceId(id);
    if (exitNodeOf(id) !== exitNode) {
      throw new AllocError('ERR_ALLOC_PLAN_INPUT', `id 0x${id.toString(16)} belongs to ExitNode ${exitNodeOf(id)}, not ${exitNode}`, id);
    }
  }
  ids.sort((a, b) => a - b);
  const withWireguard = input.wireguard ?? true;

  const scope: PlanScope = { allocation, exitNode, allocationNumber, namespacePrefix: prefix, routeProtocol };
  const gwNs = gatewayNamespaceName(exitNode, allocationNumber, prefix);
  const pubNs = withWireguard ? publicNamespaceName(exitNode, allocationNumber, prefix) : null;
  const uplink = gwPubName(exitNode, allocationNumber);
  const route = (destination: IpPrefix, link: string, gateway?: IpAddress): RouteState =>
    gateway ? { destination, gateway, link, table: MAIN_TABLE, protocol: routeProtocol } : { destination, link, table: MAIN_TABLE, protocol: routeProtocol };
  const addr = (link: string, address: IpPrefix): AddressState => ({ link, address });
  const asAddress = (p: IpPrefix): IpAddress => ({ family: p.family, bytes: p.bytes });
  const defaultV6 = v6(new Uint8Array(16), 0);
  const defaultV4 = v4(0, 0, 0, 0, 0);

  const uplinkCreation: LinkCreation =
    uplinkSpec.kind === 'macvlan' ? { kind: 'macvlan', parent: uplinkSpec.parent, parentNamespace: uplinkSpec.parentNamespace ?? null } : { kind: 'external' };
  const gwLinks: DesiredLink[] = [LOOPBACK, { name: uplink, creation: uplinkCreation }];
  const gwAddresses: AddressState[] = [addr(uplink, gwPubLL(exitNode)), addr(uplink, gwPubIP6(allocation, exitNode)), addr(uplink, gatewayIPv4)];
  const gwRoutes: RouteState[] = [route(defaultV6, uplink, asAddress(upstreamLL()))];
  if (upstreamIPv4) gwRoutes.push(route(defaultV4, uplink, upstreamIPv4));

  const namespaces: DesiredNamespace[] = [];
  const resources: ResourcePlan[] = [];
  const vethPairs: VethPairPlan[] = [];
  const wireguard: WireguardLinkPlan[] = [];
  const nat: NatIntent[] = [];
  const firewall: FirewallIntent[] = [{ kind: 'accept-established', namespace: gwNs, family: 4 }];

  for (const id of ids) {
    const epNs = exitPointNamespaceName(id, allocationNumber, prefix);
    const toEp = gwToEpName(id, allocationNumber);
    const epPub = epPubName(id, allocationNumber);
    const wg = wgName(id, allocationNumber);
    const local = nrLocalName(id, allocationNumber);
    const peer = nrPeerName(id, allocationNumber);
    const ipv4 = hasIPv4Network(id);

    gwLinks.push({ name: toEp, creation: { kind: 'veth', peerNamespace: epNs, peerName: epPub } });
    gwAddresses.push(addr(toEp, gwToEpLL(id)), addr(toEp, gwToEpIP4()));
    gwRoutes.push(route(allocation.resourcePrefix(id), toEp, asAddress(epPubLL(id))), route(epPubIP4R(id), toEp));
    if (ipv4) gwRoutes.push(route(nrLocalIP4Network(id), toEp, asAddress(epPubIP4R(id))));

    const epLinks: DesiredLink[] = [
      LOOPBACK,
      { name: epPub, creation: { kind: 'veth', peerNamespace: gwNs, peerName: toEp } },
      { name: local, creation: { kind: 'veth', peerNamespace: epNs, peerName: peer } },
      { name: peer, creation: { kind: 'veth', peerNamespace: epNs, peerName: local } },
    ];
    const epAddresses: AddressState[] = [addr(epPub, epPubLL(id)), addr(epPub, epPubIP4R(id)), addr(local, nrLocalIP6(allocation, id))];
    if (ipv4) epAddresses.push(addr(local, nrLocalIP4(id)));
    if (pubNs !== null) {
      epLinks.push({ name: wg, creation: { kind: 'wireguard', createIn: pubNs, listenPort: id } });
      epAddresses.push(addr(wg, wgLL(id)), addr(wg, wgIP4RT(id)));
      wireguard.push({ id, name: wg, createIn: pubNs, namespace: epNs, listenPort: id, addresses: [wgLL(id), wgIP4RT(id)] });
    }
    // Seed: "routes in Exitpoint (only penultimate, the rest is handled by the NR code)": the defaults.
    const epRoutes: RouteState[] = [
      route(defaultV6, epPub, asAddress(gwToEpLL(id))),
      route(gwToEpIP4(), epPub),
      route(defaultV4, epPub, asAddress(gwToEpIP4())),
    ];
    namespaces.push({ name: epNs, links: epLinks, addresses: epAddresses, routes: epRoutes, sysctls: ROUTER_SYSCTLS });

    vethPairs.push(
      { id, purpose: 'gateway-to-exitpoint', a: { namespace: gwNs, name: toEp }, b: { namespace: epNs, name: epPub } },
      { id, purpose: 'resource-local', a: { namespace: epNs, name: local }, b: { namespace: epNs, name: peer } },
    );
    resources.push({
      id,
      namespace: epNs,
      prefix: allocation.resourcePrefix(id),
      ipv4Network: ipv4 ? nrLocalIP4Network(id) : null,
      links: { gwToEp: toEp, epPub, wg: pubNs !== null ? wg : null, nrLocal: local, nrPeer: peer },
    });
    if (ipv4) {
      const source = nrLocalIP4Network(id);
      nat.push({ kind: 'snat', namespace: gwNs, id, source, outInterface: uplink, toAddress: asAddress(gatewayIPv4) });
      firewall.push({ kind: 'accept-outbound', namespace: gwNs, family: 4, id, inInterface: toEp, outInterface: uplink, source });
    }
  }
  firewall.push({ kind: 'drop-other-forward', namespace: gwNs, family: 4 });

  namespaces.push({ name: gwNs, links: gwLinks, addresses: gwAddresses, routes: gwRoutes, sysctls: ROUTER_SYSCTLS });
  if (pubNs !== null) namespaces.push({ name: pubNs, links: [LOOPBACK], addresses: [], routes: [], sysctls: {} });
  namespaces.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  return {
    scope,
    desired: { scope, namespaces },
    gateway: { namespace: gwNs, uplink, uplinkSpec, publicNamespace: pubNs },
    resources,
    vethPairs,
    wireguard,
    ipv4: { nat, firewall },
    upstreamRoutes: [...upstreamRoutes(allocation, [exitNode], 'link-local'), ...upstreamRoutes(allocation, [exitNode], 'global')],
  };
}
