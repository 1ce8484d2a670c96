/**
 * A mutable model of a host's namespaces that plays operations the way the
 * kernel does, cascades included: deleting a veth end deletes its peer,
 * deleting a link deletes its addresses and the routes through it, deleting
 * a namespace deletes everything in it. `diff()` walks it so that it never
 * emits an operation for something an earlier one already removed, and tests
 * use it to check that applying a diff leaves nothing more to do.
 */
import { type IpPrefix, sameAddress, samePrefix } from './ip.js';
import type { Operation } from './operations.js';
import { conventionalPeer } from './ownership.js';
import type { ActualLink, ActualNamespace, ActualState, AddressState, PlanScope, RouteState } from './state.js';

interface LinkObjects {
  readonly addresses: Set<string>;
  readonly routes: Set<RouteState>;
}

interface MutableNamespace {
  links: Map<string, ActualLink>;
  /** By {@link addressKey}. */
  addresses: Map<string, AddressState>;
  /** By {@link routeKey}; the kernel can hold several routes per key (metrics, other protocols). */
  routes: Map<string, RouteState[]>;
  /** What goes away with each link. */
  byLink: Map<string, LinkObjects>;
  sysctls: Record<string, string>;
}

/** A string key of a prefix: family, bytes, length. */
export function prefixKey(p: IpPrefix): string {
  return `${p.family}:${Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength).toString('hex')}/${p.length}`;
}

/** Key of an address on a link (unique within a namespace). */
export function addressKey(link: string, address: IpPrefix): string {
  return `${link}|${prefixKey(address)}`;
}

/** Route key as the kernel sees it for our purposes: table, family, destination. */
export function routeKey(route: RouteState): string {
  return `${route.table}|${prefixKey(route.destination)}`;
}

/** Same route key. */
export function sameRouteKey(a: RouteState, b: RouteState): boolean {
  return a.table === b.table && samePrefix(a.destination, b.destination);
}

/** Same route in every attribute the plan sets. */
export function sameRoute(a: RouteState, b: RouteState): boolean {
  if (!sameRouteKey(a, b) || a.link !== b.link || a.protocol !== b.protocol || a.multipath !== b.multipath) return false;
  if (a.gateway === undefined || b.gateway === undefined) return a.gateway === b.gateway;
  return sameAddress(a.gateway, b.gateway);
}

/**
 * A host model that operations can be played on. Every lookup is a map
 * access, so a diff over an ExitNode's 4096 resources stays linear.
 *
 * @example
 * ```ts
 * const model = new StateModel({ namespaces: [] }, plan.scope);
 * model.apply({ op: 'createNamespace', namespace: 'gw-1-1' });
 * model.toState().namespaces[0]?.links; // [{ name: 'lo', kind: null, up: false }]
 * ```
 */
export class StateModel {
  private readonly spaces = new Map<string, MutableNamespace>();

  constructor(
    state: ActualState,
    private readonly scope: PlanScope,
  ) {
    for (const ns of state.namespaces) {
      const space = StateModel.emptySpace();
      for (const l of ns.links) space.links.set(l.name, { ...l });
      for (const a of ns.addresses) StateModel.putAddress(space, a);
      for (const r of ns.routes) StateModel.putRoute(space, r);
      Object.assign(space.sysctls, ns.sysctls);
      this.spaces.set(ns.name, space);
    }
  }

  private static emptySpace(): MutableNamespace {
    return { links: new Map(), addresses: new Map(), routes: new Map(), byLink: new Map(), sysctls: {} };
  }

  private static objectsOf(space: MutableNamespace, link: string): LinkObjects {
    let objects = space.byLink.get(link);
    if (!objects) {
      objects = { addresses: new Set(), routes: new Set() };
      space.byLink.set(link, objects);
    }
    return objects;
  }

  private static putAddress(space: MutableNamespace, a: AddressState): void {
    const key = addressKey(a.link, a.address);
    space.addresses.set(key, a);
    StateModel.objectsOf(space, a.link).addresses.add(key);
  }

  private static putRoute(space: MutableNamespace, r: RouteState): void {
    const key = routeKey(r);
    const list = space.routes.get(key);
    if (list) list.push(r);
    else space.routes.set(key, [r]);
    StateModel.objectsOf(space, r.link).routes.add(r);
  }

  private static dropRoute(space: MutableNamespace, r: RouteState): void {
    const key = routeKey(r);
    const rest = (space.routes.get(key) ?? []).filter((x) => x !== r);
    if (rest.length > 0) space.routes.set(key, rest);
    else space.routes.delete(key);
    space.byLink.get(r.link)?.routes.delete(r);
  }

  /** Namespace names, sorted. */
  namespaceNames(): string[] {
    return [...this.spaces.keys()].sort();
  }

  hasNamespace(name: string): boolean {
    return this.spaces.has(name);
  }

  link(namespace: string, name: string): ActualLink | undefined {
    return this.spaces.get(namespace)?.links.get(name);
  }

  links(namespace: string): ActualLink[] {
    return [...(this.spaces.get(namespace)?.links.values() ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  addresses(namespace: string): AddressState[] {
    return [...(this.spaces.get(namespace)?.addresses.values() ?? [])];
  }

  routes(namespace: string): RouteState[] {
    return [...(this.spaces.get(namespace)?.routes.values() ?? [])].flat();
  }

  /** The routes with the same key as `route` (usually none or one). */
  routesWithKey(namespace: string, route: RouteState): readonly RouteState[] {
    return this.spaces.get(namespace)?.routes.get(routeKey(route)) ?? [];
  }

  sysctl(namespace: string, key: string): string | undefined {
    return this.spaces.get(namespace)?.sysctls[key];
  }

  hasAddress(namespace: string, link: string, address: IpPrefix): boolean {
    return this.spaces.get(namespace)?.addresses.has(addressKey(link, address)) ?? false;
  }

  /** Plays one operation. Throws on an operation the kernel would refuse (so tests notice a bad order). */
  apply(op: Operation): void {
    const need = (name: string): MutableNamespace => {
      const ns = this.spaces.get(name);
      if (!ns) throw new Error(`model: no namespace ${name} for ${op.op}`);
      return ns;
    };
    switch (op.op) {
      case 'createNamespace': {
        if (this.spaces.has(op.namespace)) throw new Error(`model: namespace ${op.namespace} exists`);
        const space = StateModel.emptySpace();
        space.links.set('lo', { name: 'lo', kind: null, up: false });
        this.spaces.set(op.namespace, space);
        return;
      }
      case 'removeNamespace': {
        const ns = need(op.namespace);
        for (const name of [...ns.links.keys()]) this.removeLink(op.namespace, name);
        this.spaces.delete(op.namespace);
        return;
      }
      case 'setSysctl':
        need(op.namespace).sysctls[op.key] = op.value;
        return;
      case 'createVethPair':
        this.addLink(op.namespace, { name: op.name, kind: 'veth', up: false });
        this.addLink(op.peerNamespace, { name: op.peerName, kind: 'veth', up: false });
        return;
      case 'createWireguard':
        need(op.createIn);
        this.addLink(op.namespace, { name: op.name, kind: 'wireguard', up: false });
        return;
      case 'createMacvlan':
        this.addLink(op.namespace, { name: op.name, kind: 'macvlan', up: false });
        return;
      case 'removeLink':
        if (!need(op.namespace).links.has(op.name)) throw new Error(`model: no link ${op.name} in ${op.namespace}`);
        this.removeLink(op.namespace, op.name);
        return;
      case 'setLinkUp': {
        const ns = need(op.namespace);
        const link = ns.links.get(op.name);
        if (!link) throw new Error(`model: no link ${op.name} in ${op.namespace}`);
        ns.links.set(op.name, { ...link, up: true });
        return;
      }
      case 'addAddress': {
        const ns = need(op.namespace);
        if (!ns.links.has(op.link)) throw new Error(`model: no link ${op.link} for an address`);
        if (ns.addresses.has(addressKey(op.link, op.address))) throw new Error('model: address exists');
        StateModel.putAddress(ns, { link: op.link, address: op.address });
        return;
      }
      case 'removeAddress': {
        const ns = need(op.namespace);
        const key = addressKey(op.link, op.address);
        if (!ns.addresses.delete(key)) throw new Error('model: no such address');
        ns.byLink.get(op.link)?.addresses.delete(key);
        return;
      }
      case 'addRoute': {
        const ns = need(op.namespace);
        if (!ns.links.has(op.route.link)) throw new Error(`model: no link ${op.route.link} for a route`);
        if (ns.routes.has(routeKey(op.route))) throw new Error('model: route exists');
        StateModel.putRoute(ns, op.route);
        return;
      }
      case 'replaceRoute': {
        const ns = need(op.namespace);
        if (!ns.links.has(op.route.link)) throw new Error(`model: no link ${op.route.link} for a route`);
        for (const old of [...(ns.routes.get(routeKey(op.route)) ?? [])]) StateModel.dropRoute(ns, old);
        StateModel.putRoute(ns, op.route);
        return;
      }
      case 'removeRoute': {
        const ns = need(op.namespace);
        const found = (ns.routes.get(routeKey(op.route)) ?? []).find((r) => sameRoute(r, op.route));
        if (!found) throw new Error('model: no such route');
        StateModel.dropRoute(ns, found);
        return;
      }
    }
  }

  /** The model as plain state (namespaces and links sorted). */
  toState(): ActualState {
    const namespaces: ActualNamespace[] = this.namespaceNames().map((name) => {
      const ns = this.spaces.get(name)!;
      return { name, links: this.links(name), addresses: [...ns.addresses.values()], routes: this.routes(name), sysctls: { ...ns.sysctls } };
    });
    return { namespaces };
  }

  private addLink(namespace: string, link: ActualLink): void {
    const ns = this.spaces.get(namespace);
    if (!ns) throw new Error(`model: no namespace ${namespace}`);
    if (ns.links.has(link.name)) throw new Error(`model: link ${link.name} exists in ${namespace}`);
    ns.links.set(link.name, link);
  }

  private removeLink(namespace: string, name: string): void {
    const ns = this.spaces.get(namespace);
    const link = ns?.links.get(name);
    if (!ns || !link) return;
    ns.links.delete(name);
    const objects = ns.byLink.get(name);
    if (objects) {
      for (const key of objects.addresses) ns.addresses.delete(key);
      for (const r of [...objects.routes]) StateModel.dropRoute(ns, r);
      ns.byLink.delete(name);
    }
    if (link.kind === 'veth') {
      // A veth pair dies as a whole (drivers/net/veth.c: veth_dellink unregisters the peer).
      const peer = conventionalPeer(name, this.scope);
      if (peer && this.spaces.get(peer.namespace)?.links.get(peer.name)?.kind === 'veth') this.removeLink(peer.namespace, peer.name);
    }
  }
}

/** Plays `operations` on a copy of `state` and returns the result (pure). */
export function simulate(state: ActualState, operations: readonly Operation[], scope: PlanScope): ActualState {
  const model = new StateModel(state, scope);
  for (const op of operations) model.apply(op);
  return model.toState();
}
