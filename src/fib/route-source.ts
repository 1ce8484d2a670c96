import type { LargeCommunity } from '../bgp/attributes/attr-32-large-community.js';

/** One extra path of a multipath best route (used with nexthop groups). */
export interface BestRoutePath {
  readonly nexthop: string;
  /** 1–256, default 1. */
  readonly weight?: number;
}

/**
 * The best path for a prefix as the exporter needs it: where to forward and the
 * communities its rules match on.
 */
export interface BestRoute {
  /** `addr/len`, canonical (host bits clear). */
  readonly prefix: string;
  /** NEXT_HOP (or MP_REACH next hop) as address text. */
  readonly nexthop: string;
  /** All paths when the RIB selected several (ECMP); `nexthop` is used when absent. */
  readonly multipath?: readonly BestRoutePath[];
  /** RFC 1997 communities, uint32 each. */
  readonly communities: readonly number[];
  /** RFC 8092 large communities. */
  readonly largeCommunities: readonly LargeCommunity[];
}

/** A change of the best path of one prefix. */
export type RouteChange =
  | { readonly type: 'added'; readonly route: BestRoute }
  | { readonly type: 'changed'; readonly route: BestRoute }
  | { readonly type: 'withdrawn'; readonly prefix: string };

/** Listener of a {@link RouteSource}. */
export type RouteChangeListener = (change: RouteChange) => void;

/**
 * What the exporter consumes: best-path changes. The RIB implements it; so do the
 * UPDATE and MRT adapters and {@link PushRouteSource}.
 */
export interface RouteSource {
  /** Registers a listener; returns the function that unregisters it. */
  subscribe(listener: RouteChangeListener): () => void;
}

/**
 * A route source fed by hand (tests, harnesses, adapters): `announce()` emits
 * `added` or `changed` depending on whether the prefix is known, `withdraw()` emits
 * `withdrawn` only for known prefixes.
 *
 * @example
 * ```ts
 * const source = new PushRouteSource();
 * exporter.attach(source);
 * source.announce({ prefix: '203.0.113.0/24', nexthop: '192.0.2.1', communities: [0xfde80064], largeCommunities: [] });
 * source.withdraw('203.0.113.0/24');
 * ```
 */
export class PushRouteSource implements RouteSource {
  private readonly listeners = new Set<RouteChangeListener>();
  private readonly known = new Set<string>();

  subscribe(listener: RouteChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Number of prefixes currently announced. */
  get size(): number {
    return this.known.size;
  }

  announce(route: BestRoute): void {
    const type = this.known.has(route.prefix) ? 'changed' : 'added';
    this.known.add(route.prefix);
    this.emit({ type, route });
  }

  withdraw(prefix: string): void {
    if (!this.known.delete(prefix)) return;
    this.emit({ type: 'withdrawn', prefix });
  }

  private emit(change: RouteChange): void {
    for (const l of this.listeners) l(change);
  }
}
