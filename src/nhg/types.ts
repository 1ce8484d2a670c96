/**
 * Data shapes of the nexthop-group layer. Everything here is plain data so that a
 * cache's output can be recorded, compared, serialised and replayed.
 */

/** MPLS label stack pushed by a nexthop (lwtunnel encap, `linux/mpls_iptunnel.h`). */
export interface MplsEncap {
  readonly type: 'mpls';
  /** Outermost label first, 20-bit values. */
  readonly labels: readonly number[];
}

/** Encapsulation carried by a nexthop; MPLS is the one BGP needs (RFC 8277 labels). */
export type NexthopEncap = MplsEncap;

/**
 * One forwarding nexthop: a gateway reached over an interface, an interface alone
 * (a connected/onlink nexthop), optionally with an encapsulation. The kernel wants an
 * output interface for every gateway nexthop object (`NHA_OIF`, linux/nexthop.h), so
 * callers resolve `ifindex` first (the FIB exporter does it with a route lookup).
 */
export interface NexthopSpec {
  /** IPv4 or IPv6 address text; canonicalised by the cache. */
  readonly gateway?: string;
  readonly ifindex?: number;
  readonly encap?: NexthopEncap;
}

/** One path of a route: the nexthop and its weight for weighted ECMP (1–256). */
export interface PathSpec {
  readonly nexthop: NexthopSpec;
  /** Relative share of traffic, 1–256 (the kernel stores weight − 1 in a u8). Default 1. */
  readonly weight?: number;
}

/**
 * Identity of a kernel route: the kernel keys IPv4/IPv6 routes by table,
 * destination and priority (metric), so those three name one route.
 */
export interface RouteSpec {
  /** `addr/len`, canonical (host bits clear). */
  readonly prefix: string;
  readonly table: number;
  readonly metric: number;
}

/** A member of a kernel nexthop group, as sent in `NHA_GROUP` (struct nexthop_grp). */
export interface GroupMemberRef {
  readonly id: number;
  readonly weight: number;
}

/**
 * One kernel operation computed by the cache. Sinks apply a batch in array order;
 * the cache already orders it so that every object exists before anything points
 * at it (nexthops, then groups, then routes) and is unreferenced before it goes
 * (routes, then groups, then nexthops).
 */
export type NhgOperation =
  | { readonly op: 'nexthop-add'; readonly id: number; readonly nexthop: NexthopSpec }
  | { readonly op: 'group-add'; readonly id: number; readonly members: readonly GroupMemberRef[] }
  | { readonly op: 'group-replace'; readonly id: number; readonly members: readonly GroupMemberRef[] }
  | { readonly op: 'route-add'; readonly route: RouteSpec; readonly nexthopId: number }
  | { readonly op: 'route-replace'; readonly route: RouteSpec; readonly nexthopId: number }
  | { readonly op: 'route-delete'; readonly route: RouteSpec }
  | { readonly op: 'group-delete'; readonly id: number }
  | { readonly op: 'nexthop-delete'; readonly id: number };

/** Receives the operations of each cache call, in order. May apply them asynchronously. */
export interface NhgSink {
  apply(ops: readonly NhgOperation[]): void;
}

/** What to do with routes whose group lost its last usable member. */
export type NhgFallback = 'withdraw' | { readonly group: readonly PathSpec[] };

/** A nexthop object as found in the kernel (for {@link NexthopGroupCache.rebuild}). */
export interface KernelNexthopObject {
  readonly id: number;
  readonly gateway?: string;
  readonly ifindex?: number;
  readonly encap?: NexthopEncap;
  /** Present for a group object. */
  readonly group?: readonly GroupMemberRef[];
}

/** A route as found in the kernel, pointing at a nexthop object by id (`RTA_NH_ID`). */
export interface KernelRouteObject {
  readonly route: RouteSpec;
  readonly nexthopId: number;
}

/** Our objects in the kernel after a restart (found by protocol). */
export interface KernelSnapshot {
  readonly nexthops: readonly KernelNexthopObject[];
  readonly routes: readonly KernelRouteObject[];
}

/**
 * Kernel events the cache must react to. The kernel deletes nexthop objects whose
 * device goes down (and groups left empty, and every route using those) without an
 * RTM_DELROUTE per route: the cache is told about the link and nexthop events and
 * recomputes what to re-create.
 */
export type KernelNexthopEvent =
  | { readonly type: 'nexthop-deleted'; readonly id: number }
  | { readonly type: 'link-down'; readonly ifindex: number }
  | { readonly type: 'link-up'; readonly ifindex: number };
