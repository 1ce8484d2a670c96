/**
 * The static routes the farmer's upstream router needs: one per enabled
 * ExitNode, `$prefix:N000::/52`, towards that ExitNode's Gateway Container.
 *
 * Disagreement in the seed, decided here: the drawing writes the route as
 * `$prefix:1::/52`, but `$prefix:1::` has bits set after the 52nd and is not
 * ExitNode 1's sixteenth; the text ("we start at `$prefix:1000::/52`") and the
 * table of prefixes per ExitNode say `$prefix:N000::/52`. We use the latter.
 */
import type { Allocation } from './allocation.js';
import { gwPubIP6, gwPubLL } from './addresses.js';
import { assertExitNode } from './ids.js';
import { formatAddress, formatPrefix, type IpAddress, type IpPrefix } from './ip.js';

/** How the upstream router reaches a Gateway: its link-local or its PrefixZero address. */
export type UpstreamNexthopKind = 'link-local' | 'global';

/** One static route of the upstream router. */
export interface UpstreamRoute {
  readonly exitNode: number;
  /** `$prefix:N000::/52`. */
  readonly destination: IpPrefix;
  /** GWPubLL (needs the router's interface name too) or GWPubIP6. */
  readonly via: IpAddress;
  readonly nexthopKind: UpstreamNexthopKind;
}

/**
 * The upstream router's static routes for `exitNodes`, in ExitNode order.
 *
 * @example
 * ```ts
 * upstreamRoutes(Allocation.parse('2a02:1802:5e::/48'), [1], 'link-local').map(formatUpstreamRoute);
 * // ['2a02:1802:5e:1000::/52 via fe80::1000:0:0:1']
 * ```
 */
export function upstreamRoutes(allocation: Allocation, exitNodes: readonly number[], nexthopKind: UpstreamNexthopKind = 'link-local'): UpstreamRoute[] {
  const unique = [...new Set(exitNodes)];
  unique.forEach((n) => assertExitNode(n));
  unique.sort((a, b) => a - b);
  return unique.map((exitNode) => {
    const via = nexthopKind === 'link-local' ? gwPubLL(exitNode) : gwPubIP6(allocation, exitNode);
    return { exitNode, destination: allocation.exitNodePrefix(exitNode), via: { family: 6, bytes: via.bytes }, nexthopKind };
  });
}

/** `ip route` style text of an upstream route; a link-local nexthop needs `dev` (the router's interface), appended when given. */
export function formatUpstreamRoute(route: UpstreamRoute, device?: string): string {
  const dev = route.nexthopKind === 'link-local' && device !== undefined ? ` dev ${device}` : '';
  return `${formatPrefix(route.destination)} via ${formatAddress(route.via)}${dev}`;
}
