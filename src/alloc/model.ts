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

interface MutableNamespace {
  links: Map<string, ActualLink>;
  addresses: AddressState[];
  routes: RouteState[];
  sysctls: Record<string, string>;
}

/** Same route key as the kernel's for our purposes: family, destination, table. */
export function sameRouteKey(a: RouteState, b: RouteState): boolean {
  return a.table === b.table && samePrefix(a.destination, b.destination);
}

/** Same route in every attribute the plan sets. */
export function sameRoute(a: RouteState, b: RouteState): boolean {
  if (!sameRouteKey(a, b) || a.link !== b.link || a.protocol !== b.protocol) return false;
  if (a.gateway === undefined || b.gateway === undefined) return a.gateway === b.gateway;
  return sameAddress(a.gateway, b.gateway);
}

function sameAddressState(a: AddressState, link: string, address: IpPrefix): boolean {
  return a.link === link && samePrefix(a.address, address);
}

/**
 * A host model that operations can be played on.
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
      this.spaces.set(ns.name, {
        links: new Map(ns.links.map((l) => [l.name, { ...l }])),
        addresses: [...ns.addresses],
        routes: [...ns.routes],
        sysctls: { ...ns.sysctls },
      });
    }
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
    return [...(this.spaces.get(namespace)?.addresses ?? [])];
  }

  routes(namespace: string): RouteState[] {
    return [...(this.spaces.get(namespace)?.routes ?? [])];
  }

  sysctl(namespace: string, key: string): string | undefined {
    return this.spaces.get(namespace)?.sysctls[key];
  }

  hasAddress(namespace: string, link: string, address: IpPrefix): boolean {
    return (this.spaces.get(namespace)?.addresses ?? []).some((a) => sameAddressState(a, link, address));
  }

  /** Plays one operation. Throws on an operation the kernel would refuse (so tests notice a bad order). */
  apply(op: Operation): void {
    const need = (name: string): MutableNamespace => {
      const ns = this.spaces.get(name);
      if (!ns) throw new Error(`model: no namespace ${name} for ${op.op}`);
      return ns;
    };
    switch (op.op) {
      case 'createNamespace':
        if (this.spaces.has(op.namespace)) throw new Error(`model: namespace ${op.namespace} exists`);
        this.spaces.set(op.namespace, {
          links: new Map([['lo', { name: 'lo', kind: null, up: false }]]),
          addresses: [],
          routes: [],
          sysctls: {},
        });
        return;
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
        if (this.hasAddress(op.namespace, op.link, op.address)) throw new Error('model: address exists');
        ns.addresses.push({ link: op.link, address: op.address });
        return;
      }
      case 'removeAddress': {
        const ns = need(op.namespace);
        const before = ns.addresses.length;
        ns.addresses = ns.addresses.filter((a) => !sameAddressState(a, op.link, op.address));
        if (ns.addresses.length === before) throw new Error('model: no such address');
        return;
      }
      case 'addRoute': {
        const ns = need(op.namespace);
        if (!ns.links.has(op.route.link)) throw new Error(`model: no link ${op.route.link} for a route`);
        if (ns.routes.some((r) => sameRouteKey(r, op.route))) throw new Error('model: route exists');
        ns.routes.push(op.route);
        return;
      }
      case 'replaceRoute': {
        const ns = need(op.namespace);
        if (!ns.links.has(op.route.link)) throw new Error(`model: no link ${op.route.link} for a route`);
        ns.routes = [...ns.routes.filter((r) => !sameRouteKey(r, op.route)), op.route];
        return;
      }
      case 'removeRoute': {
        const ns = need(op.namespace);
        const before = ns.routes.length;
        ns.routes = ns.routes.filter((r) => !sameRoute(r, op.route));
        if (ns.routes.length === before) throw new Error('model: no such route');
        return;
      }
    }
  }

  /** The model as plain state (namespaces and their contents sorted). */
  toState(): ActualState {
    const namespaces: ActualNamespace[] = this.namespaceNames().map((name) => {
      const ns = this.spaces.get(name)!;
      return { name, links: this.links(name), addresses: [...ns.addresses], routes: [...ns.routes], sysctls: { ...ns.sysctls } };
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
    ns.addresses = ns.addresses.filter((a) => a.link !== name);
    ns.routes = ns.routes.filter((r) => r.link !== name);
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
