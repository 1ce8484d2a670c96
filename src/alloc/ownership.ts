/**
 * What a reconcile may touch: only objects whose names and addresses parse as
 * belonging to the plan's scope (same ExitNode, same allocation number, same
 * namespace prefix; routes also by protocol). Everything else is left alone.
 */
import { matchAddress } from './addresses.js';
import type { IpPrefix } from './ip.js';
import { exitPointNamespaceName, gatewayNamespaceName, gwToEpName, epPubName, matchLinkName, matchNamespaceName, nrLocalName, nrPeerName } from './names.js';
import { matchRouteDestination } from './routes.js';
import type { PlanScope, RouteState } from './state.js';

/** True for a namespace name of this scope (`gw-N-A`, `ep-XXXX-A` with XXXX in ExitNode N, `public-N-A`). */
export function isScopeNamespace(name: string, scope: PlanScope): boolean {
  const parsed = matchNamespaceName(name, scope.namespacePrefix);
  return parsed !== undefined && parsed.exitNode === scope.exitNode && parsed.allocationNumber === scope.allocationNumber;
}

/** True for an interface name of this scope. */
export function isScopeLink(name: string, scope: PlanScope): boolean {
  const parsed = matchLinkName(name);
  return parsed !== undefined && parsed.exitNode === scope.exitNode && parsed.allocationNumber === scope.allocationNumber;
}

/** True for an address that parses as one of ours (any ExitNode: on our own links a stray one of ours is still ours). */
export function isOurAddress(address: IpPrefix, scope: PlanScope): boolean {
  return matchAddress(address, scope.allocation) !== undefined;
}

/** True for a route of ours: our protocol, a destination that parses, through one of this scope's links. */
export function isScopeRoute(route: RouteState, scope: PlanScope): boolean {
  return route.protocol === scope.routeProtocol && matchRouteDestination(route.destination, scope.allocation) !== undefined && isScopeLink(route.link, scope);
}

/**
 * The conventional other end of one of our veth links: `to-X-A` and `pub-X-A`
 * (Gateway and ExitPoint namespaces), `veth-X-A` and `nr-X-A` (same
 * ExitPoint namespace). `undefined` for anything else.
 */
export function conventionalPeer(name: string, scope: PlanScope): { readonly namespace: string; readonly name: string } | undefined {
  const parsed = matchLinkName(name);
  if (!parsed || parsed.role === 'GWPubName' || parsed.role === 'WGName') return undefined;
  const { id, allocationNumber: a } = parsed;
  const ep = exitPointNamespaceName(id, a, scope.namespacePrefix);
  switch (parsed.role) {
    case 'GWtoEPName':
      return { namespace: ep, name: epPubName(id, a) };
    case 'EPPubName':
      return { namespace: gatewayNamespaceName(parsed.exitNode, a, scope.namespacePrefix), name: gwToEpName(id, a) };
    case 'NRLocalName':
      return { namespace: ep, name: nrPeerName(id, a) };
    case 'NRPeerName':
      return { namespace: ep, name: nrLocalName(id, a) };
  }
}
