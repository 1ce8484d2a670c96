/**
 * The operations a reconcile emits, in the order it emits them. Each is plain
 * data; `apply()` hands them to the netlink client, `simulate()` plays them on
 * a state model, and `formatOperation()` prints them the way ip(8) would be
 * typed.
 */
import { formatAddress, formatPrefix, type IpPrefix } from './ip.js';
import type { RouteState } from './state.js';

/** One reconcile step. */
export type Operation =
  | { readonly op: 'removeRoute'; readonly namespace: string; readonly route: RouteState }
  | { readonly op: 'removeAddress'; readonly namespace: string; readonly link: string; readonly address: IpPrefix }
  | { readonly op: 'removeLink'; readonly namespace: string; readonly name: string }
  | { readonly op: 'removeNamespace'; readonly namespace: string }
  | { readonly op: 'createNamespace'; readonly namespace: string }
  | { readonly op: 'setSysctl'; readonly namespace: string; readonly key: string; readonly value: string }
  | { readonly op: 'createVethPair'; readonly namespace: string; readonly name: string; readonly peerNamespace: string; readonly peerName: string }
  | { readonly op: 'createWireguard'; readonly namespace: string; readonly name: string; readonly createIn: string; readonly listenPort: number }
  | { readonly op: 'createMacvlan'; readonly namespace: string; readonly name: string; readonly parent: string; readonly parentNamespace: string | null }
  | { readonly op: 'setLinkUp'; readonly namespace: string; readonly name: string }
  | { readonly op: 'addAddress'; readonly namespace: string; readonly link: string; readonly address: IpPrefix }
  | { readonly op: 'addRoute'; readonly namespace: string; readonly route: RouteState }
  | { readonly op: 'replaceRoute'; readonly namespace: string; readonly route: RouteState };

/**
 * The phase of each operation: a diff's operations never go back to an
 * earlier phase. Removals run in reverse dependency order, creations in
 * dependency order; the three link creations share one phase.
 */
export const OPERATION_PHASE: Readonly<Record<Operation['op'], number>> = {
  removeRoute: 0,
  removeAddress: 1,
  removeLink: 2,
  removeNamespace: 3,
  createNamespace: 4,
  setSysctl: 5,
  createVethPair: 6,
  createWireguard: 6,
  createMacvlan: 6,
  setLinkUp: 7,
  addAddress: 8,
  addRoute: 9,
  replaceRoute: 9,
};

/** `ip route` text of a route. */
export function formatRoute(route: RouteState): string {
  const destination = route.destination.length === 0 ? 'default' : formatPrefix(route.destination);
  const via = route.gateway ? ` via ${formatAddress(route.gateway)}` : '';
  const family = route.destination.family === 4 ? '-4' : '-6';
  return `${family} ${destination}${via} dev ${route.link}${route.table === 254 ? '' : ` table ${route.table}`} proto ${route.protocol}`;
}

/** One line of ip(8)-style text for an operation (for logs and the example; apply never runs it). */
export function formatOperation(op: Operation): string {
  const n = (ns: string | null): string => (ns === null ? '' : `-n ${ns} `);
  switch (op.op) {
    case 'removeRoute':
      return `ip ${n(op.namespace)}route del ${formatRoute(op.route)}`;
    case 'addRoute':
      return `ip ${n(op.namespace)}route add ${formatRoute(op.route)}`;
    case 'replaceRoute':
      return `ip ${n(op.namespace)}route replace ${formatRoute(op.route)}`;
    case 'removeAddress':
      return `ip ${n(op.namespace)}address del ${formatPrefix(op.address)} dev ${op.link}`;
    case 'addAddress':
      return `ip ${n(op.namespace)}address add ${formatPrefix(op.address)} dev ${op.link}${op.address.family === 6 ? ' nodad' : ''}`;
    case 'removeLink':
      return `ip ${n(op.namespace)}link del ${op.name}`;
    case 'removeNamespace':
      return `ip netns del ${op.namespace}`;
    case 'createNamespace':
      return `ip netns add ${op.namespace}`;
    case 'setSysctl':
      return `ip netns exec ${op.namespace} sysctl -w ${op.key}=${op.value}`;
    case 'createVethPair':
      return `ip ${n(op.namespace)}link add ${op.name} type veth peer name ${op.peerName} netns ${op.peerNamespace}`;
    case 'createWireguard':
      return `ip ${n(op.createIn)}link add ${op.name} type wireguard && ip ${n(op.createIn)}link set ${op.name} netns ${op.namespace} # listen-port ${op.listenPort}`;
    case 'createMacvlan':
      return `ip ${n(op.parentNamespace)}link add ${op.name} link ${op.parent} type macvlan mode bridge && ip ${n(op.parentNamespace)}link set ${op.name} netns ${op.namespace}`;
    case 'setLinkUp':
      return `ip ${n(op.namespace)}link set ${op.name} up`;
  }
}
