import { NhgError } from './errors.js';
import { DEFAULT_NHG_ID_RANGE, IdAllocator, type IdRange } from './id-allocator.js';
import { canonicalNexthop, canonicalPaths, canonicalPrefix, groupKey, nexthopKey, routeKey, type CanonicalPath } from './keys.js';
import { orderOperations } from './operation-order.js';
import type {
  GroupMemberRef,
  KernelNexthopEvent,
  KernelSnapshot,
  NexthopSpec,
  NhgFallback,
  NhgOperation,
  NhgSink,
  PathSpec,
  RouteSpec,
} from './types.js';

/** Options of {@link NexthopGroupCache}. */
export interface NexthopGroupCacheOptions {
  /** Ids to allocate from; default {@link DEFAULT_NHG_ID_RANGE}. */
  readonly idRange?: IdRange;
  /** What routes do when their group has no usable member left. Default `'withdraw'`. */
  readonly fallback?: NhgFallback;
  /** Receives every non-empty batch of operations. */
  readonly sink?: NhgSink;
}

interface NexthopEntry {
  readonly id: number;
  readonly key: string;
  readonly spec: NexthopSpec;
  /** Groups listing this nexthop as a member. */
  readonly parents: Set<GroupEntry>;
  /** Route paths using this nexthop (through their group or their fallback). */
  refs: number;
  /** Whether the kernel has the object. */
  installed: boolean;
}

interface GroupMember {
  readonly nh: NexthopEntry;
  readonly weight: number;
}

interface GroupEntry {
  readonly id: number;
  /** Sorted member set with weights; changes only when a member is removed for good ({@link NexthopGroupCache.removeNexthop}). */
  key: string;
  members: readonly GroupMember[];
  /** Routes that want exactly this member set. */
  readonly routes: Set<RouteEntry>;
  /** Routes of other, dead groups pointed here as the configured fallback. */
  readonly fallbackUsers: Set<RouteEntry>;
  /** Kernel membership, or null when the kernel has no such group. */
  installed: GroupMemberRef[] | null;
}

interface RouteEntry {
  /** Key under the caller's spelling of the prefix (re-keyed once when an adopted route is confirmed in another spelling). */
  key: string;
  readonly spec: RouteSpec;
  /** The group this route wants; null once it is being removed, or for an adopted route we cannot attribute. */
  group: GroupEntry | null;
  /** The group it should point at now: its own, the fallback, or none (withdrawn). */
  target: GroupEntry | null;
  /** Kernel object id the route points at, or null when the kernel has no such route. */
  installed: number | null;
  /** Adopted from the kernel by rebuild() and not yet confirmed by setRoute(). */
  stale: boolean;
}

/** Read-only view of a nexthop entry. */
export interface NexthopEntryView {
  readonly id: number;
  readonly nexthop: NexthopSpec;
  readonly refCount: number;
  readonly groupIds: readonly number[];
  readonly usable: boolean;
  readonly installed: boolean;
}

/** Read-only view of a group entry. */
export interface GroupEntryView {
  readonly id: number;
  readonly members: readonly GroupMemberRef[];
  readonly refCount: number;
  readonly routeCount: number;
  readonly fallbackRouteCount: number;
  /** Kernel membership (the usable members), or null when not installed. */
  readonly installed: readonly GroupMemberRef[] | null;
}

/** Read-only view of a route entry. */
export interface RouteEntryView {
  readonly route: RouteSpec;
  readonly groupId: number | null;
  readonly installedId: number | null;
  readonly stale: boolean;
}

/** What a kernel object id stands for, for dumps that only show ids (compat mode 0). */
export type ResolvedNexthopId =
  | { readonly kind: 'nexthop'; readonly id: number; readonly nexthop: NexthopSpec }
  | { readonly kind: 'group'; readonly id: number; readonly members: readonly { readonly nexthop: NexthopSpec; readonly weight: number }[] };

/**
 * FRR's BGP nexthop-group design as pure logic: turns "prefix P now uses paths
 * {NH1 w1, NH2 w2}" into kernel nexthop, group and route operations, and keeps the
 * state needed to make a failover one group replace.
 *
 * - Nexthop entries are keyed by (gateway, ifindex, encap); group entries by their
 *   sorted member set with weights. Ids come from a configurable range and freed ids
 *   are reused (never inside the batch that freed them, so a delete and a create of
 *   one id cannot swap places).
 * - Every batch installs nexthops, then groups, then routes, and removes in reverse.
 * - {@link nexthopDown} rewrites every group containing the nexthop in place and
 *   removes the nexthop object, with no route operation; a group left without a
 *   usable member sends its routes to the fallback (withdraw or a fallback group).
 *   {@link nexthopUp} restores membership.
 * - {@link applyKernelEvents} handles the kernel flushing nexthops on link down
 *   (and the groups and routes using them, silently); {@link rebuild} adopts our
 *   objects after a restart without touching traffic.
 *
 * No I/O: operations go to the returned array and to the optional sink.
 *
 * @example
 * ```ts
 * const sink = new RecordingSink();
 * const cache = new NexthopGroupCache({ sink });
 * const nh1 = { gateway: '192.0.2.1', ifindex: 2 }, nh2 = { gateway: '198.51.100.1', ifindex: 3 };
 * cache.setRoute({ prefix: '203.0.113.0/24', table: 254, metric: 20 }, [{ nexthop: nh1 }, { nexthop: nh2 }]);
 * // nexthop-add ×2, group-add, route-add
 * cache.nexthopDown(nh2);
 * // group-replace (nh1 only), nexthop-delete — no route operation
 * ```
 */
export class NexthopGroupCache {
  private readonly ids: IdAllocator;
  private readonly fallback: NhgFallback;
  private readonly fallbackPaths: CanonicalPath[] | null;
  private readonly sink: NhgSink | undefined;

  private readonly nexthopsByKey = new Map<string, NexthopEntry>();
  private readonly groupsByKey = new Map<string, GroupEntry>();
  private readonly nexthopsById = new Map<number, NexthopEntry>();
  private readonly groupsById = new Map<number, GroupEntry>();
  private readonly routesByKey = new Map<string, RouteEntry>();
  /** Routes by the kernel object they point at (to model kernel flushes). */
  private readonly routesOnId = new Map<number, Set<RouteEntry>>();
  /** Routes that want a group but point nowhere (dead group, no usable fallback). */
  private readonly withdrawn = new Set<RouteEntry>();

  private readonly downNexthops = new Set<string>();
  private readonly downLinks = new Set<number>();

  private readonly dirtyRoutes = new Set<RouteEntry>();
  private readonly dirtyGroups = new Set<GroupEntry>();
  private readonly dirtyNexthops = new Set<NexthopEntry>();
  private readonly idsToRelease: number[] = [];
  private resyncing = false;
  private fallbackUnavailable = 0;

  constructor(options: NexthopGroupCacheOptions = {}) {
    this.ids = new IdAllocator(options.idRange ?? DEFAULT_NHG_ID_RANGE);
    this.fallback = options.fallback ?? 'withdraw';
    this.fallbackPaths = this.fallback === 'withdraw' ? null : canonicalPaths(this.fallback.group);
    this.sink = options.sink;
  }

  // ── public operations ────────────────────────────────────────────────

  /**
   * Declares that `route` now uses `paths` (ECMP when several, weighted ECMP with
   * weights). Adds the route or moves it to the group for the new member set;
   * no operation when it already points there. Throws `NhgError` on bad input,
   * leaving the cache unchanged.
   */
  setRoute(route: RouteSpec, paths: readonly PathSpec[]): NhgOperation[] {
    const key = routeKey(route);
    const canon = canonicalPaths(paths);
    const gkey = groupKey(canon);
    let r = this.routesByKey.get(key);
    if (r === undefined && this.resyncing) r = this.adoptedInOtherSpelling(route, key);
    if (r && r.group && r.group.key === gkey) {
      r.stale = false;
      return this.finish();
    }
    const group = this.obtainGroup(gkey, canon);
    if (!r) {
      r = { key, spec: { prefix: route.prefix, table: route.table, metric: route.metric }, group: null, target: null, installed: null, stale: false };
      this.routesByKey.set(key, r);
    }
    r.stale = false;
    if (r.group) this.detachRoute(r);
    this.attachRoute(r, group);
    return this.finish();
  }

  /** Withdraws a route (no-op when unknown). Its group and nexthops go when nothing else uses them. */
  removeRoute(route: RouteSpec): NhgOperation[] {
    const r = this.routesByKey.get(routeKey(route));
    if (!r) return this.finish();
    if (r.group) this.detachRoute(r);
    r.stale = false;
    this.dirtyRoutes.add(r);
    return this.finish();
  }

  /**
   * A nexthop stopped forwarding (peer down, BFD down, link down). Every group
   * containing it is rewritten in place and its object removed; routes keep their
   * group and get no operation unless the group lost its last usable member.
   * Remembered for nexthops not in the cache yet.
   */
  nexthopDown(nexthop: NexthopSpec): NhgOperation[] {
    const key = nexthopKey(canonicalNexthop(nexthop));
    if (this.downNexthops.has(key)) return this.finish();
    this.changeUsability(() => this.downNexthops.add(key), (n) => n.key === key);
    return this.finish();
  }

  /** The nexthop forwards again: it is re-created and put back in every group that lists it. */
  nexthopUp(nexthop: NexthopSpec): NhgOperation[] {
    const key = nexthopKey(canonicalNexthop(nexthop));
    if (!this.downNexthops.has(key)) return this.finish();
    this.changeUsability(() => this.downNexthops.delete(key), (n) => n.key === key);
    return this.finish();
  }

  /**
   * A nexthop is gone for good (its peer's paths were flushed): it leaves every
   * group's member set, so the groups are re-keyed in place — FRR's
   * `NHG_CHILD_ADD(NHG_0, {NH1})` + `NHG_DEL(NH2)` — and routes that the RIB then
   * re-announces with the remaining paths find their group already matching: no
   * route operation at all. A group left with no member sends its routes to the
   * fallback until {@link setRoute} gives them new paths.
   */
  removeNexthop(nexthop: NexthopSpec): NhgOperation[] {
    const key = nexthopKey(canonicalNexthop(nexthop));
    const n = this.nexthopsByKey.get(key);
    if (!n) return this.finish();
    for (const g of [...n.parents]) {
      const wasViable = this.viable(g);
      const users = g.routes.size + g.fallbackUsers.size;
      n.refs -= users;
      n.parents.delete(g);
      g.members = g.members.filter((m) => m.nh !== n);
      if (this.groupsByKey.get(g.key) === g) this.groupsByKey.delete(g.key);
      g.key = groupKey(g.members.map((m) => ({ key: m.nh.key, nexthop: m.nh.spec, weight: m.weight })));
      // Another group may already have this member set; both stay valid, new routes use the indexed one.
      if (g.members.length > 0 && !this.groupsByKey.has(g.key)) this.groupsByKey.set(g.key, g);
      this.dirtyGroups.add(g);
      if (wasViable !== this.viable(g)) this.touchRoutesOf(g);
    }
    this.dirtyNexthops.add(n);
    return this.finish();
  }

  /**
   * Kernel events (from the netlink monitor) as data. The kernel deletes nexthop
   * objects on a device that goes down, drops them from groups, deletes groups left
   * empty and flushes every route using a deleted object — with no RTM_DELROUTE per
   * route. This models that, then re-creates what is still wanted and re-points the
   * routes (the trap of FRR issue #23295, where routes stayed broken).
   */
  applyKernelEvents(events: readonly KernelNexthopEvent[]): NhgOperation[] {
    for (const ev of events) {
      if (ev.type === 'nexthop-deleted') {
        this.kernelDeleted(ev.id);
      } else if (ev.type === 'link-down') {
        if (!Number.isInteger(ev.ifindex)) continue;
        if (!this.downLinks.has(ev.ifindex)) {
          this.changeUsability(() => this.downLinks.add(ev.ifindex), (n) => n.spec.ifindex === ev.ifindex);
        }
        for (const n of [...this.nexthopsById.values()]) if (n.spec.ifindex === ev.ifindex) this.kernelDeleted(n.id);
      } else if (ev.type === 'link-up') {
        if (this.downLinks.has(ev.ifindex)) {
          this.changeUsability(() => this.downLinks.delete(ev.ifindex), (n) => n.spec.ifindex === ev.ifindex);
        }
      }
    }
    return this.finish();
  }

  /**
   * Adopts our objects found in the kernel after a restart (nexthops, groups and
   * routes of our protocol) without emitting anything, so traffic keeps flowing.
   * Adopted routes are stale until {@link setRoute} confirms them; {@link endResync}
   * removes what was not confirmed. Only valid on an empty cache.
   */
  rebuild(snapshot: KernelSnapshot): { adoptedNexthops: number; adoptedGroups: number; adoptedRoutes: number; ignored: number } {
    if (this.routesByKey.size > 0 || this.nexthopsById.size > 0 || this.groupsById.size > 0) {
      throw new NhgError('ERR_NHG_BAD_ROUTE', 'rebuild() needs an empty cache');
    }
    let ignored = 0;
    let adoptedNexthops = 0;
    let adoptedGroups = 0;
    let adoptedRoutes = 0;
    for (const obj of snapshot.nexthops) {
      if (obj.group || !Number.isInteger(obj.id) || obj.id < 1 || this.ids.has(obj.id)) continue;
      let spec: NexthopSpec;
      try {
        spec = canonicalNexthop(obj);
      } catch {
        ignored++;
        continue;
      }
      const key = nexthopKey(spec);
      if (this.nexthopsByKey.has(key)) {
        // A duplicate of an adopted nexthop: unused by our groups, removed at endResync().
        ignored++;
      }
      const n: NexthopEntry = { id: obj.id, key, spec, parents: new Set(), refs: 0, installed: true };
      this.ids.reserve(obj.id);
      this.nexthopsById.set(n.id, n);
      if (!this.nexthopsByKey.has(key)) this.nexthopsByKey.set(key, n);
      adoptedNexthops++;
    }
    for (const obj of snapshot.nexthops) {
      if (!obj.group || !Number.isInteger(obj.id) || obj.id < 1 || this.ids.has(obj.id)) continue;
      const members: GroupMember[] = [];
      for (const m of obj.group) {
        const nh = this.nexthopsById.get(m.id);
        if (nh && !members.some((x) => x.nh === nh)) members.push({ nh, weight: m.weight });
        else ignored++;
      }
      if (members.length === 0) {
        ignored++;
        continue;
      }
      members.sort((a, b) => (a.nh.key < b.nh.key ? -1 : a.nh.key > b.nh.key ? 1 : 0));
      const key = groupKey(members.map((m) => ({ key: m.nh.key, nexthop: m.nh.spec, weight: m.weight })));
      const g: GroupEntry = {
        id: obj.id,
        key,
        members,
        routes: new Set(),
        fallbackUsers: new Set(),
        installed: members.map((m) => ({ id: m.nh.id, weight: m.weight })),
      };
      this.ids.reserve(obj.id);
      this.groupsById.set(g.id, g);
      if (!this.groupsByKey.has(key)) this.groupsByKey.set(key, g);
      for (const m of members) m.nh.parents.add(g);
      adoptedGroups++;
    }
    for (const kr of snapshot.routes) {
      let key: string;
      try {
        key = routeKey(kr.route);
      } catch {
        ignored++;
        continue;
      }
      if (this.routesByKey.has(key)) {
        ignored++;
        continue;
      }
      const r: RouteEntry = { key, spec: { prefix: kr.route.prefix, table: kr.route.table, metric: kr.route.metric }, group: null, target: null, installed: null, stale: true };
      this.routesByKey.set(key, r);
      const g = this.groupsById.get(kr.nexthopId);
      if (g) {
        r.group = g;
        g.routes.add(r);
        for (const m of g.members) m.nh.refs++;
        r.target = g;
      }
      this.setInstalled(r, kr.nexthopId);
      adoptedRoutes++;
    }
    this.resyncing = true;
    return { adoptedNexthops, adoptedGroups, adoptedRoutes, ignored };
  }

  /** True between {@link rebuild} and {@link endResync}. */
  get isResyncing(): boolean {
    return this.resyncing;
  }

  /**
   * Ends a restart resync: adopted routes not confirmed by {@link setRoute} are
   * deleted, and adopted groups and nexthops nothing uses any more go with them.
   */
  endResync(): NhgOperation[] {
    this.resyncing = false;
    // Swept last-adopted first: the snapshot comes from a kernel dump, in
    // ascending prefix order, and deleting a large set in that order takes
    // fib_trie's slow path (1M routes: 28–39 s instead of 2–4.5 s).
    const stale: RouteEntry[] = [];
    for (const r of this.routesByKey.values()) if (r.stale) stale.push(r);
    for (let i = stale.length - 1; i >= 0; i--) {
      const r = stale[i]!;
      r.stale = false;
      if (r.group) this.detachRoute(r);
      this.dirtyRoutes.add(r);
    }
    for (const g of this.groupsById.values()) this.dirtyGroups.add(g);
    for (const n of this.nexthopsById.values()) this.dirtyNexthops.add(n);
    return this.finish();
  }

  // ── queries ──────────────────────────────────────────────────────────

  /** Number of routes, groups and nexthops held. */
  get size(): { routes: number; groups: number; nexthops: number } {
    return { routes: this.routesByKey.size, groups: this.groupsById.size, nexthops: this.nexthopsById.size };
  }

  /** Routes whose group has no usable member and no usable fallback (withdrawn from the kernel). */
  get withdrawnRouteCount(): number {
    return this.withdrawn.size;
  }

  /** Times a fallback group was wanted but could not be created (id range exhausted). */
  get fallbackFailures(): number {
    return this.fallbackUnavailable;
  }

  /** The kernel object id a route points at, or undefined when it is not installed. */
  installedTarget(route: RouteSpec): number | undefined {
    const r = this.routesByKey.get(routeKey(route));
    return r?.installed ?? undefined;
  }

  /** True when this nexthop is currently considered usable (not down, link not down). */
  isUsable(nexthop: NexthopSpec): boolean {
    const spec = canonicalNexthop(nexthop);
    return this.usableSpec(nexthopKey(spec), spec.ifindex);
  }

  nexthops(): NexthopEntryView[] {
    return [...this.nexthopsById.values()].map((n) => ({
      id: n.id,
      nexthop: n.spec,
      refCount: n.refs,
      groupIds: [...n.parents].map((g) => g.id),
      usable: this.usable(n),
      installed: n.installed,
    }));
  }

  groups(): GroupEntryView[] {
    return [...this.groupsById.values()].map((g) => ({
      id: g.id,
      members: g.members.map((m) => ({ id: m.nh.id, weight: m.weight })),
      refCount: g.routes.size + g.fallbackUsers.size,
      routeCount: g.routes.size,
      fallbackRouteCount: g.fallbackUsers.size,
      installed: g.installed ? [...g.installed] : null,
    }));
  }

  routes(): RouteEntryView[] {
    return [...this.routesByKey.values()].map((r) => ({ route: r.spec, groupId: r.group?.id ?? null, installedId: r.installed, stale: r.stale }));
  }

  /**
   * Resolves a kernel nexthop id to what it stands for, so dumps taken with
   * `nexthop_compat_mode = 0` (routes show only `nhid N`) can still print gateways.
   */
  resolve(id: number): ResolvedNexthopId | undefined {
    const n = this.nexthopsById.get(id);
    if (n) return { kind: 'nexthop', id, nexthop: n.spec };
    const g = this.groupsById.get(id);
    if (g) return { kind: 'group', id, members: g.members.map((m) => ({ nexthop: m.nh.spec, weight: m.weight })) };
    return undefined;
  }

  /**
   * Recounts every reference and checks the structural invariants; returns the
   * violations found (empty when consistent). Meant for tests and debug builds.
   */
  checkInvariants(): string[] {
    const bad: string[] = [];
    const expectRefs = new Map<NexthopEntry, number>();
    for (const g of this.groupsById.values()) {
      const users = g.routes.size + g.fallbackUsers.size;
      if (users === 0) bad.push(`group ${g.id} has no users`);
      for (const m of g.members) {
        if (this.nexthopsById.get(m.nh.id) !== m.nh) bad.push(`group ${g.id} references missing nexthop ${m.nh.id}`);
        if (!m.nh.parents.has(g)) bad.push(`nexthop ${m.nh.id} lacks parent ${g.id}`);
        expectRefs.set(m.nh, (expectRefs.get(m.nh) ?? 0) + users);
      }
      if (g.installed) {
        if (g.installed.length === 0) bad.push(`group ${g.id} installed empty`);
        for (const ref of g.installed) {
          const n = this.nexthopsById.get(ref.id);
          if (!n || !n.installed) bad.push(`group ${g.id} installed with uninstalled nexthop ${ref.id}`);
        }
      }
    }
    for (const n of this.nexthopsById.values()) {
      if (n.refs < 0) bad.push(`nexthop ${n.id} refs negative`);
      if (n.refs !== (expectRefs.get(n) ?? 0) && !this.resyncing) bad.push(`nexthop ${n.id} refs ${n.refs} != ${expectRefs.get(n) ?? 0}`);
      if (n.parents.size === 0 && !this.resyncing) bad.push(`nexthop ${n.id} has no parents`);
      if (this.groupsById.has(n.id)) bad.push(`id ${n.id} used twice`);
    }
    for (const r of this.routesByKey.values()) {
      if (r.installed !== null) {
        const g = this.groupsById.get(r.installed);
        const n = this.nexthopsById.get(r.installed);
        if (!(g && g.installed) && !(n && n.installed)) bad.push(`route ${r.key} points at missing ${r.installed}`);
      }
      if (!r.stale && r.group === null) bad.push(`route ${r.key} kept without a group`);
    }
    return bad;
  }

  // ── internals ────────────────────────────────────────────────────────

  /**
   * During a resync: the adopted route a caller names in another spelling than the
   * kernel's dump (`2001:DB8::/32` for `2001:db8::/32`), re-keyed to the caller's.
   * Without this, endResync() would delete the kernel route the caller just confirmed.
   */
  private adoptedInOtherSpelling(route: RouteSpec, key: string): RouteEntry | undefined {
    const canon = canonicalPrefix(route.prefix);
    if (canon === undefined || canon === route.prefix) return undefined;
    const adopted = this.routesByKey.get(`${route.table}|${canon}|${route.metric}`);
    if (!adopted || !adopted.stale) return undefined;
    this.routesByKey.delete(adopted.key);
    adopted.key = key;
    this.routesByKey.set(key, adopted);
    return adopted;
  }

  private usableSpec(key: string, ifindex: number | undefined): boolean {
    return !this.downNexthops.has(key) && !(ifindex !== undefined && this.downLinks.has(ifindex));
  }

  private usable(n: NexthopEntry): boolean {
    return this.usableSpec(n.key, n.spec.ifindex);
  }

  private viable(g: GroupEntry): boolean {
    return g.members.some((m) => this.usable(m.nh));
  }

  /** Applies a change of the down sets, touching routes only of groups whose viability flips. */
  private changeUsability(mutate: () => void, affected: (n: NexthopEntry) => boolean): void {
    const groups = new Map<GroupEntry, boolean>();
    const nhs: NexthopEntry[] = [];
    for (const n of this.nexthopsById.values()) {
      if (!affected(n)) continue;
      nhs.push(n);
      for (const g of n.parents) if (!groups.has(g)) groups.set(g, this.viable(g));
    }
    const fallbackBefore = this.fallbackViable();
    mutate();
    for (const n of nhs) this.dirtyNexthops.add(n);
    for (const [g, before] of groups) {
      this.dirtyGroups.add(g);
      if (before !== this.viable(g)) this.touchRoutesOf(g);
    }
    if (!fallbackBefore && this.fallbackViable()) for (const r of this.withdrawn) this.dirtyRoutes.add(r);
  }

  private fallbackViable(): boolean {
    return this.fallbackPaths !== null && this.fallbackPaths.some((p) => this.usableSpec(p.key, p.nexthop.ifindex));
  }

  private touchRoutesOf(g: GroupEntry): void {
    for (const r of g.routes) this.dirtyRoutes.add(r);
    for (const r of g.fallbackUsers) this.dirtyRoutes.add(r);
  }

  /** Models the kernel deleting object `id` and everything that depended on it. */
  private kernelDeleted(id: number): void {
    const n = this.nexthopsById.get(id);
    if (n) {
      if (!n.installed) return;
      n.installed = false;
      this.dirtyNexthops.add(n);
      this.flushRoutesOn(id);
      for (const g of n.parents) {
        if (!g.installed) continue;
        const left = g.installed.filter((m) => m.id !== id);
        if (left.length === g.installed.length) continue;
        this.dirtyGroups.add(g);
        this.touchRoutesOf(g);
        if (left.length === 0) this.kernelDeleted(g.id);
        else g.installed = left;
      }
      return;
    }
    const g = this.groupsById.get(id);
    if (g) {
      if (!g.installed) return;
      g.installed = null;
      this.dirtyGroups.add(g);
      this.touchRoutesOf(g);
      this.flushRoutesOn(id);
      return;
    }
    // An id we do not hold (e.g. an adopted route's foreign nexthop): its routes are gone.
    this.flushRoutesOn(id);
  }

  private flushRoutesOn(id: number): void {
    const set = this.routesOnId.get(id);
    if (!set) return;
    for (const r of [...set]) {
      this.setInstalled(r, null);
      this.dirtyRoutes.add(r);
    }
  }

  private setInstalled(r: RouteEntry, id: number | null): void {
    if (r.installed !== null) {
      const set = this.routesOnId.get(r.installed);
      if (set) {
        set.delete(r);
        if (set.size === 0) this.routesOnId.delete(r.installed);
      }
    }
    r.installed = id;
    if (id !== null) {
      let set = this.routesOnId.get(id);
      if (!set) this.routesOnId.set(id, (set = new Set()));
      set.add(r);
    }
  }

  /** Finds or creates the group for a member set; allocates every id first so a failure changes nothing. */
  private obtainGroup(gkey: string, paths: readonly CanonicalPath[]): GroupEntry {
    const existing = this.groupsByKey.get(gkey);
    if (existing) return existing;
    const missing = paths.filter((p) => !this.nexthopsByKey.has(p.key));
    const needed = missing.length + 1;
    const got: number[] = [];
    try {
      for (let i = 0; i < needed; i++) got.push(this.ids.allocate());
    } catch (e) {
      for (const id of got) this.ids.release(id);
      throw e;
    }
    for (const p of missing) {
      const n: NexthopEntry = { id: got.shift()!, key: p.key, spec: p.nexthop, parents: new Set(), refs: 0, installed: false };
      this.nexthopsByKey.set(n.key, n);
      this.nexthopsById.set(n.id, n);
    }
    const g: GroupEntry = {
      id: got.shift()!,
      key: gkey,
      members: paths.map((p) => ({ nh: this.nexthopsByKey.get(p.key)!, weight: p.weight })),
      routes: new Set(),
      fallbackUsers: new Set(),
      installed: null,
    };
    for (const m of g.members) m.nh.parents.add(g);
    this.groupsByKey.set(gkey, g);
    this.groupsById.set(g.id, g);
    this.dirtyGroups.add(g);
    return g;
  }

  private attachRoute(r: RouteEntry, g: GroupEntry): void {
    r.group = g;
    g.routes.add(r);
    for (const m of g.members) m.nh.refs++;
    this.dirtyGroups.add(g);
    this.dirtyRoutes.add(r);
  }

  private detachRoute(r: RouteEntry): void {
    const g = r.group;
    if (!g) return;
    g.routes.delete(r);
    for (const m of g.members) m.nh.refs--;
    r.group = null;
    this.dirtyGroups.add(g);
    this.dirtyRoutes.add(r);
  }

  /** The fallback group entry, created on first use; null when withdrawing or impossible. */
  private fallbackGroup(): GroupEntry | null {
    if (!this.fallbackPaths || !this.fallbackViable()) return null;
    try {
      return this.obtainGroup(groupKey(this.fallbackPaths), this.fallbackPaths);
    } catch (e) {
      if (e instanceof NhgError && e.code === 'ERR_NHG_ID_EXHAUSTED') {
        this.fallbackUnavailable++;
        return null;
      }
      throw e;
    }
  }

  private retarget(r: RouteEntry): void {
    let next: GroupEntry | null = null;
    if (r.group) next = this.viable(r.group) ? r.group : this.fallbackGroup();
    if (r.group && next === null) this.withdrawn.add(r);
    else this.withdrawn.delete(r);
    const prev = r.target;
    const prevFallback = prev !== null && prev.fallbackUsers.has(r);
    const nextFallback = next !== null && next !== r.group;
    if (prev === next && prevFallback === nextFallback) return;
    if (prev && prevFallback) {
      prev.fallbackUsers.delete(r);
      for (const m of prev.members) m.nh.refs--;
    }
    if (next && nextFallback) {
      next.fallbackUsers.add(r);
      for (const m of next.members) m.nh.refs++;
    }
    if (prev) this.dirtyGroups.add(prev);
    if (next) this.dirtyGroups.add(next);
    r.target = next;
  }

  /** Computes the operations for everything marked dirty, in kernel-safe order. */
  private finish(): NhgOperation[] {
    const ops: NhgOperation[] = [];
    // 1. where each touched route should point
    const routes = [...this.dirtyRoutes];
    for (const r of routes) this.retarget(r);
    // 2. groups: (re)install with their usable members, or delete; forget unused ones
    for (const g of this.dirtyGroups) {
      const targeted = g.fallbackUsers.size > 0 || (g.routes.size > 0 && this.viable(g));
      const members: GroupMemberRef[] = [];
      if (targeted) {
        for (const m of g.members) {
          if (!this.usable(m.nh)) continue;
          if (!m.nh.installed) {
            ops.push({ op: 'nexthop-add', id: m.nh.id, nexthop: m.nh.spec });
            m.nh.installed = true;
          }
          members.push({ id: m.nh.id, weight: m.weight });
        }
      }
      if (members.length > 0) {
        if (!g.installed) ops.push({ op: 'group-add', id: g.id, members });
        else if (!sameMembers(g.installed, members)) ops.push({ op: 'group-replace', id: g.id, members });
        g.installed = members;
      } else if (g.installed) {
        ops.push({ op: 'group-delete', id: g.id });
        g.installed = null;
        // Anything still on it (an adopted route) is flushed by the kernel; it is dirty anyway.
        for (const r of this.routesOnId.get(g.id) ?? []) routes.push(r);
      }
      for (const m of g.members) this.dirtyNexthops.add(m.nh);
      if (g.routes.size === 0 && g.fallbackUsers.size === 0) {
        for (const m of g.members) m.nh.parents.delete(g);
        this.groupsById.delete(g.id);
        if (this.groupsByKey.get(g.key) === g) this.groupsByKey.delete(g.key);
        this.idsToRelease.push(g.id);
      }
    }
    // 3. routes: point at the target's object, or go
    const seen = new Set<RouteEntry>();
    for (const r of routes) {
      if (seen.has(r)) continue;
      seen.add(r);
      const want = r.target && r.target.installed ? r.target.id : null;
      if (want !== r.installed) {
        if (want === null) ops.push({ op: 'route-delete', route: r.spec });
        else if (r.installed === null) ops.push({ op: 'route-add', route: r.spec, nexthopId: want });
        else ops.push({ op: 'route-replace', route: r.spec, nexthopId: want });
        this.setInstalled(r, want);
      }
      if (r.group === null && !r.stale && r.installed === null) {
        this.routesByKey.delete(r.key);
        this.withdrawn.delete(r);
      }
    }
    // 4. nexthops: remove objects no installed group uses; forget entries nothing lists
    for (const n of this.dirtyNexthops) {
      let wanted = false;
      for (const g of n.parents) if (g.installed?.some((m) => m.id === n.id)) wanted = true;
      if (n.installed && !wanted) {
        ops.push({ op: 'nexthop-delete', id: n.id });
        n.installed = false;
        this.flushRoutesOn(n.id);
      }
      if (n.parents.size === 0 && !(this.resyncing && n.installed)) {
        this.nexthopsById.delete(n.id);
        if (this.nexthopsByKey.get(n.key) === n) this.nexthopsByKey.delete(n.key);
        this.idsToRelease.push(n.id);
      }
    }
    this.dirtyRoutes.clear();
    this.dirtyGroups.clear();
    this.dirtyNexthops.clear();
    for (const id of this.idsToRelease) this.ids.release(id);
    this.idsToRelease.length = 0;
    const ordered = orderOperations(ops);
    if (this.sink && ordered.length > 0) this.sink.apply(ordered);
    return ordered;
  }
}

function sameMembers(a: readonly GroupMemberRef[], b: readonly GroupMemberRef[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.id !== b[i]!.id || a[i]!.weight !== b[i]!.weight) return false;
  return true;
}
