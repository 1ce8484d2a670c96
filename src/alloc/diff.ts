/**
 * `diff(desired, actual)`: the ordered operations that turn the actual state
 * into the desired one, touching only what is ours.
 *
 * This is the seed's open TODO ("figure out how we can update routing tables
 * when NRs get removed"): because every name and address is derived, the
 * actual state itself says which resource each object belongs to. Whatever
 * parses as ours, is in this plan's scope and is not desired, is removed; a
 * resource that is gone leaves an ExitPoint namespace, a veth pair and Gateway
 * routes that all parse back to its id, and all of them go. Whatever does not
 * parse as ours (eth0, a kernel EUI-64 link-local, a route of another
 * protocol, another ExitNode's or another allocation number's objects) is
 * never touched, only counted.
 *
 * Decided: GWPubIP4 is the operator's address, not derived, so it never parses
 * as ours. The reconcile adds it but never removes an IPv4 address from
 * GWPubName; when the operator changes it, removing the old one is theirs.
 *
 * Order: removals first (routes, addresses, links, namespaces), then
 * creations (namespaces, sysctls, links, link up, addresses, routes: connected
 * routes before routes through a gateway). The walk plays each operation on a
 * {@link StateModel}, so a cascade (a veth end taking its peer along) never
 * produces a second, failing operation.
 */
import { comparePrefix, formatPrefix } from './ip.js';
import { StateModel, addressKey, routeKey, sameRoute } from './model.js';
import type { Operation } from './operations.js';
import { isOurAddress, isScopeLink, isScopeNamespace, isScopeRoute } from './ownership.js';
import type { ActualState, DesiredLink, DesiredNamespace, DesiredState, RouteState } from './state.js';

/** Something the reconcile wants but will not do, because it would touch what is not ours or lacks a precondition. */
export interface DiffConflict {
  readonly namespace: string;
  readonly reason:
    | 'external-link-missing'
    | 'loopback-missing'
    | 'foreign-route-in-the-way'
    | 'link-missing-for-address'
    | 'link-missing-for-route';
  readonly detail: string;
}

/** Objects in the plan's namespaces that are not ours and were left alone. */
export interface UntouchedCounts {
  links: number;
  addresses: number;
  routes: number;
}

/** Result of {@link diff}. */
export interface Diff {
  /** The operations, in the order they must run. Empty when actual == desired. */
  readonly operations: readonly Operation[];
  readonly conflicts: readonly DiffConflict[];
  readonly untouched: Readonly<UntouchedCounts>;
}

const byName = <T extends { readonly name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function routeOrder(a: RouteState, b: RouteState): number {
  // Connected routes first: a route through a gateway may need them to resolve it.
  const ga = a.gateway ? 1 : 0;
  const gb = b.gateway ? 1 : 0;
  if (ga !== gb) return ga - gb;
  return comparePrefix(a.destination, b.destination) || (a.link < b.link ? -1 : a.link > b.link ? 1 : 0);
}

function creationMatches(link: DesiredLink, kind: string | null): boolean {
  switch (link.creation.kind) {
    case 'veth':
    case 'wireguard':
    case 'macvlan':
      return kind === link.creation.kind;
    case 'loopback':
    case 'external':
      return true;
  }
}

/**
 * Computes the operations that bring `actual` to `desired`.
 *
 * @example
 * ```ts
 * const plan = planExitNode({ allocation: '2001:db8:1::/48', exitNode: 1, resources: [0x1abc], gatewayIPv4: '192.0.2.10/24' });
 * const { operations } = diff(plan.desired, { namespaces: [] });
 * operations[0]; // { op: 'createNamespace', namespace: 'ep-1abc-1' }
 * diff(plan.desired, simulate({ namespaces: [] }, operations, plan.scope)).operations.length; // 0
 * ```
 */
export function diff(desired: DesiredState, actual: ActualState): Diff {
  const scope = desired.scope;
  const model = new StateModel(actual, scope);
  const operations: Operation[] = [];
  const conflicts: DiffConflict[] = [];
  const untouched: UntouchedCounts = { links: 0, addresses: 0, routes: 0 };
  const emit = (op: Operation): void => {
    model.apply(op);
    operations.push(op);
  };
  const wanted = new Map<string, DesiredNamespace>(desired.namespaces.map((ns) => [ns.name, ns]));
  const inScope = model.namespaceNames().filter((name) => isScopeNamespace(name, scope));

  // Count what is not ours in the namespaces we look at, once, before anything changes.
  for (const name of inScope) {
    for (const link of model.links(name)) if (!isScopeLink(link.name, scope)) untouched.links++;
    for (const a of model.addresses(name)) if (!isScopeLink(a.link, scope) || !isOurAddress(a.address, scope)) untouched.addresses++;
    for (const r of model.routes(name)) if (!isScopeRoute(r, scope)) untouched.routes++;
  }

  // 1. Routes of ours that are not wanted (a wanted key with other attributes is replaced later).
  for (const name of inScope) {
    const want = wanted.get(name);
    if (!want) continue;
    const wantedKeys = new Set(want.routes.map(routeKey));
    for (const route of model.routes(name).sort((a, b) => routeOrder(b, a))) {
      if (!isScopeRoute(route, scope)) continue;
      if (wantedKeys.has(routeKey(route))) continue;
      emit({ op: 'removeRoute', namespace: name, route });
    }
  }

  // 2. Addresses of ours on links of ours that are not wanted.
  for (const name of inScope) {
    const want = wanted.get(name);
    if (!want) continue;
    const wantedAddresses = new Set(want.addresses.map((w) => addressKey(w.link, w.address)));
    const wantedLinks = new Set(want.links.map((l) => l.name));
    const sorted = model.addresses(name).sort((a, b) => (a.link < b.link ? -1 : a.link > b.link ? 1 : 0) || comparePrefix(a.address, b.address));
    for (const a of sorted) {
      if (!isScopeLink(a.link, scope) || !isOurAddress(a.address, scope)) continue;
      if (wantedAddresses.has(addressKey(a.link, a.address))) continue;
      if (!wantedLinks.has(a.link)) continue; // the link itself goes in step 3
      emit({ op: 'removeAddress', namespace: name, link: a.link, address: a.address });
    }
  }

  // 3. Links of ours: not wanted here, of the wrong kind, or a veth whose wanted peer is not there.
  for (const name of inScope) {
    const wantedLinks = new Map((wanted.get(name)?.links ?? []).map((l) => [l.name, l]));
    for (const link of model.links(name)) {
      if (!isScopeLink(link.name, scope) || !model.link(name, link.name)) continue; // gone by cascade already
      const w = wantedLinks.get(link.name);
      let remove = !w || !creationMatches(w, link.kind);
      if (w && !remove && w.creation.kind === 'veth' && model.link(w.creation.peerNamespace, w.creation.peerName)?.kind !== 'veth') remove = true;
      if (remove) emit({ op: 'removeLink', namespace: name, name: link.name });
    }
  }

  // 4. Namespaces of ours that are not wanted.
  for (const name of inScope) if (!wanted.has(name)) emit({ op: 'removeNamespace', namespace: name });

  const wantedSorted = [...desired.namespaces].sort(byName);

  // 5. Namespaces, then sysctls.
  for (const ns of wantedSorted) if (!model.hasNamespace(ns.name)) emit({ op: 'createNamespace', namespace: ns.name });
  for (const ns of wantedSorted) {
    for (const key of Object.keys(ns.sysctls).sort()) {
      const value = ns.sysctls[key] ?? '';
      if (model.sysctl(ns.name, key) !== value) emit({ op: 'setSysctl', namespace: ns.name, key, value });
    }
  }

  // 6. Links, then up.
  for (const ns of wantedSorted) {
    for (const link of ns.links) {
      if (model.link(ns.name, link.name)) continue;
      const c = link.creation;
      switch (c.kind) {
        case 'veth':
          emit({ op: 'createVethPair', namespace: ns.name, name: link.name, peerNamespace: c.peerNamespace, peerName: c.peerName });
          break;
        case 'wireguard':
          emit({ op: 'createWireguard', namespace: ns.name, name: link.name, createIn: c.createIn, listenPort: c.listenPort });
          break;
        case 'macvlan':
          emit({ op: 'createMacvlan', namespace: ns.name, name: link.name, parent: c.parent, parentNamespace: c.parentNamespace });
          break;
        case 'loopback':
          conflicts.push({ namespace: ns.name, reason: 'loopback-missing', detail: `no ${link.name} in ${ns.name}` });
          break;
        case 'external':
          conflicts.push({ namespace: ns.name, reason: 'external-link-missing', detail: `${link.name} must be moved into ${ns.name} by the operator` });
          break;
      }
    }
  }
  for (const ns of wantedSorted) {
    for (const link of [...ns.links].sort(byName)) {
      const found = model.link(ns.name, link.name);
      if (found && !found.up) emit({ op: 'setLinkUp', namespace: ns.name, name: link.name });
    }
  }

  // 7. Addresses.
  for (const ns of wantedSorted) {
    for (const a of ns.addresses) {
      if (model.hasAddress(ns.name, a.link, a.address)) continue;
      if (!model.link(ns.name, a.link)) {
        conflicts.push({ namespace: ns.name, reason: 'link-missing-for-address', detail: `${formatPrefix(a.address)} needs ${a.link}` });
        continue;
      }
      emit({ op: 'addAddress', namespace: ns.name, link: a.link, address: a.address });
    }
  }

  // 8. Routes: connected ones first.
  for (const ns of wantedSorted) {
    for (const route of [...ns.routes].sort(routeOrder)) {
      if (!model.link(ns.name, route.link)) {
        conflicts.push({ namespace: ns.name, reason: 'link-missing-for-route', detail: `route needs ${route.link}` });
        continue;
      }
      const existing = model.routesWithKey(ns.name, route);
      if (existing.length === 0) emit({ op: 'addRoute', namespace: ns.name, route });
      else if (existing.some((r) => sameRoute(r, route))) continue;
      else if (existing.every((r) => isScopeRoute(r, scope))) emit({ op: 'replaceRoute', namespace: ns.name, route });
      else conflicts.push({ namespace: ns.name, reason: 'foreign-route-in-the-way', detail: `${formatPrefix(route.destination)} is held by protocol ${existing.map((r) => r.protocol).join(',')}` });
    }
  }

  return { operations, conflicts, untouched };
}
