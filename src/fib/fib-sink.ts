import type { KernelSnapshot, NhgOperation } from '../nhg/types.js';

/** Result of resolving a nexthop through the kernel's FIB (`RTM_GETROUTE`, like `ip route get`). */
export interface NexthopLookup {
  readonly reachable: boolean;
  /** Output interface of the route towards the nexthop. */
  readonly ifindex?: number;
  /**
   * Gateway of that route when the nexthop is not directly connected (a recursive
   * BGP nexthop). The exporter then installs through this resolved gateway, since
   * the kernel only accepts on-link gateways.
   */
  readonly via?: string;
}

/** Identity of a kernel route (table, destination, priority) plus our protocol. */
export interface FibRouteKey {
  readonly prefix: string;
  readonly table: number;
  readonly metric: number;
  readonly protocol: number;
}

/** One path of a multipath route (a `struct rtnexthop` of RTA_MULTIPATH, linux/rtnetlink.h). */
export interface FibPath {
  readonly gateway: string;
  readonly ifindex: number | undefined;
  /** 1–256 (the kernel stores weight − 1 in `rtnh_hops`). */
  readonly weight: number;
}

/** A route as exported: its key and where it forwards. */
export interface FibRoute extends FibRouteKey {
  /** The gateway (the first path's when `multipath` is given). */
  readonly gateway: string;
  readonly ifindex?: number | undefined;
  /** Two or more paths: the route is installed with RTA_MULTIPATH (ECMP, weighted by `weight`). */
  readonly multipath?: readonly FibPath[] | undefined;
}

/** A route operation. `add` is a route new to the table, `replace` a nexthop change of an existing one. */
export type FibRouteOp =
  | { readonly op: 'add'; readonly route: FibRoute }
  | { readonly op: 'replace'; readonly route: FibRoute }
  | { readonly op: 'delete'; readonly route: FibRouteKey };

/**
 * What a run of routes shares: the route without its prefix (table, metric,
 * protocol and where it forwards). For a delete only the key fields count.
 */
export interface FibRouteAttributes {
  readonly table: number;
  readonly metric: number;
  readonly protocol: number;
  readonly gateway: string;
  readonly ifindex?: number | undefined;
  /** Two or more paths: the routes are installed with RTA_MULTIPATH (see `FibRoute.multipath`). */
  readonly multipath?: readonly FibPath[] | undefined;
}

/**
 * Route operations that share their operation and attributes (one UPDATE's
 * prefixes through one rule): the exporter's compact form of a slice, one
 * object per run instead of two per route (see {@link FibSink.applyRouteRuns}).
 * Operation `i` of a run is `{ op, route: { prefix: prefixes[i], ...route } }`.
 */
export interface FibRouteRun {
  readonly op: FibRouteOp['op'];
  readonly route: FibRouteAttributes;
  readonly prefixes: readonly string[];
}

/** Which operations of a batch failed (by index); the others were applied. */
export interface FibApplyResult {
  readonly failures: readonly { readonly index: number; readonly error: unknown }[];
}

/**
 * The kernel side of the FIB exporter, kept small so that the exporter's logic is
 * testable against an in-memory sink and the kernel sink is a thin layer over the
 * netlink client.
 */
export interface FibSink {
  /**
   * Deletes every route of `protocol` in `tables`; must refuse protocols 0–4. Returns
   * how many were deleted. With `keepNexthopObjects`, routes on nexthop objects and
   * the objects themselves stay: the exporter adopts them with {@link snapshotNexthops}.
   */
  cleanup(protocol: number, tables: readonly number[], options?: { readonly keepNexthopObjects?: boolean }): Promise<number>;
  /** Resolves a nexthop through the kernel's routing table. */
  lookupNexthop(gateway: string): Promise<NexthopLookup>;
  /**
   * The same lookup answered before returning, or undefined when it cannot be
   * (then the exporter uses {@link lookupNexthop}). Optional: with it, a
   * synchronous burst whose gateways are new is sent while it is still being
   * fed, instead of waiting for a lookup that can only answer after the burst.
   */
  lookupNexthopNow?(gateway: string): NexthopLookup | undefined;
  /**
   * Route batches handed over and not started by the kernel side yet (the
   * kernel's backlog), known synchronously. Optional: with it, handle() keeps
   * queueing slices through a long synchronous burst as long as the backlog is
   * short, instead of stopping at a fixed number of unanswered slices (answers
   * cannot arrive before the burst ends); and a pass (what such a burst left
   * over, a flush, a reconfigure) keeps the same backlog instead of three
   * slices, so a pause of the exporter's thread does not leave the kernel idle.
   */
  queuedBatches?(): number;
  /** Applies route operations in order (a bulk send where the client has one). */
  applyRoutes(ops: readonly FibRouteOp[]): Promise<FibApplyResult>;
  /**
   * The same for operations in runs: the runs' operations in order, the first
   * run's prefixes first, and failures indexed in that order. Optional: without
   * it the exporter hands {@link applyRoutes} one operation object per route
   * (see `routeOpsOfRuns`). With it, a slice held until the kernel answers is
   * one object per run, which at a million routes spares the garbage collector
   * two objects per route while a synchronous burst is fed.
   */
  applyRouteRuns?(runs: readonly FibRouteRun[]): Promise<FibApplyResult>;
  /** Applies nexthop-group cache operations in order (routes pointing at nexthop ids). */
  applyNexthopOps(ops: readonly NhgOperation[], protocol: number): Promise<FibApplyResult>;
  /**
   * Our nexthop objects and the routes in `tables` that point at them (found by
   * protocol), for `NexthopGroupCache.rebuild()` when an exporter with nexthop
   * groups restarts. Optional: without it the exporter sweeps them instead.
   */
  snapshotNexthops?(protocol: number, tables: readonly number[]): Promise<KernelSnapshot>;
  /** Table of a VRF device, or undefined when there is no such VRF. */
  resolveVrf(name: string): Promise<number | undefined>;
}
