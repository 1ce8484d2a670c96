import { EventEmitter } from 'node:events';
import type * as TypedEmitterTypes from 'typed-emitter';
import { NexthopGroupCache } from '../nhg/nexthop-group-cache.js';
import type { KernelNexthopEvent, NexthopSpec, NhgOperation, PathSpec } from '../nhg/types.js';
import { parseExportRules, parseFibExporterConfig, type ExportRule, type FibExporterConfig, type FibExporterSettings } from './config.js';
import { DampeningWindow } from './dampening-window.js';
import { FibOperationError } from './errors.js';
import { diffRules, ruleMatches, rulesEqual } from './export-rules.js';
import type { FibApplyResult, FibPath, FibSink, NexthopLookup } from './fib-sink.js';
import { exportedRoute, RouteRunList, routeOpsOfRuns, type InstalledRoute } from './route-runs.js';
import type { BestRoute, RouteChange, RouteSource } from './route-source.js';

/** A route the exporter has in the kernel. */
export interface ExportedRoute {
  readonly prefix: string;
  readonly table: number;
  readonly metric: number;
  /** Route protocol it was installed with. */
  readonly protocol: number;
  /** Gateway installed (the resolved one for a recursive nexthop). */
  readonly gateway: string;
  readonly ifindex: number | undefined;
  /**
   * Every path of the route: the members of its nexthop group with nexthop groups;
   * without them the RTA_MULTIPATH nexthops of an ECMP route, or empty when `gateway`
   * is the only path.
   */
  readonly paths: readonly FibPath[];
  /** Without nexthop groups: the same paths when there are several, as sent in RTA_MULTIPATH (see `FibRoute.multipath`). */
  readonly multipath: readonly FibPath[] | undefined;
  /** Name of the rule that put it there. */
  readonly rule: string;
  /** `Date.now()` when it was (re)installed. */
  readonly exportedAt: number;
}

/** Counters and timestamps of an exporter. Timestamps are `Date.now()` values or null. */
export interface FibExporterStats {
  /** Routes installed or changed in the kernel (add + replace; after a restart with nexthop groups also adopted routes the feed confirmed). */
  readonly exported: number;
  /** Routes removed from the kernel. */
  readonly withdrawn: number;
  readonly errors: number;
  /** Nexthop validations performed (per route and rule that asked for one). */
  readonly nexthopValidations: number;
  readonly nexthopFailures: number;
  /** Updates absorbed by dampening (a newer update of the same prefix replaced them). */
  readonly dampenedUpdates: number;
  /** Kernel operations sent (route and nexthop operations). */
  readonly kernelOperations: number;
  /** Routes installed, counted when sent (see `exported()`); exact after `drain()`. */
  readonly routesInKernel: number;
  /** Best routes known. */
  readonly bestRoutes: number;
  /** Prefixes waiting in the dampening window. */
  readonly pending: number;
  /** Routes deleted by startup/reconfigure cleanup. */
  readonly cleanedUp: number;
  /** With nexthop groups: routes adopted from the kernel at start() (a restart), and how many of them are still unconfirmed. */
  readonly adoptedRoutes: number;
  readonly resyncPending: boolean;
  readonly lastExportAt: number | null;
  readonly lastWithdrawAt: number | null;
  readonly lastErrorAt: number | null;
  readonly lastError: string | null;
}

/** Rule changes reported by `reconfigured`. */
export interface RuleDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

/** Events of a {@link FibExporter}. */
export type FibExporterEvents = {
  exported: (route: ExportedRoute) => void;
  withdrawn: (route: ExportedRoute) => void;
  'nexthop-unreachable': (info: { readonly prefix: string; readonly nexthop: string; readonly rule: string }) => void;
  /** A kernel or resolution failure (named `failure`, not `error`, so an unhandled one never throws). */
  failure: (error: FibOperationError) => void;
  reconfigured: (diff: RuleDiff) => void;
  cleanup: (info: { readonly protocol: number; readonly tables: readonly number[]; readonly deleted: number }) => void;
};

/** What a prefix should have in a table: the route as it will be recorded once installed. */
type Desired = InstalledRoute;

interface PendingOp {
  readonly onSuccess: () => void;
  readonly state: PrefixState;
}

/**
 * Everything known about one prefix: its best route, what is installed for it (one
 * entry per table) and the change waiting in the dampening window. One map entry
 * per prefix and one map operation per change (no map per concern, no dampening
 * map): at 100k+ prefixes every map operation per route shows in the export rate.
 */
interface PrefixState {
  readonly prefix: string;
  best: BestRoute | undefined;
  /**
   * Routes installed for it: one route (the usual case, kept without an array: one
   * object less per exported route), or one per table when several rules match.
   * Shared with the other prefixes that got the same route (see InstalledRoute).
   */
  installed: InstalledRoute | InstalledRoute[] | undefined;
  /** Latest change not yet applied; set while the state is queued in the dampening window or handed to a pass. */
  pending: RouteChange | undefined;
  /**
   * Exporter-wide number of the latest route operation sent for this prefix
   * (see FibExporter.opSeq). `installed` is updated when an operation is sent
   * (what the kernel will have once it succeeds), so a newer change can be
   * diffed while the older operation is still in the kernel; a failure only
   * forgets the prefix if no newer operation was sent since.
   */
  lastOpSeq: number;
}

type Installed = PrefixState['installed'];

function inTable(list: Installed | readonly InstalledRoute[], table: number): InstalledRoute | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return (list as InstalledRoute).table === table ? (list as InstalledRoute) : undefined;
  for (const r of list as readonly InstalledRoute[]) if (r.table === table) return r;
  return undefined;
}

const NO_ROUTES: readonly InstalledRoute[] = Object.freeze([]);

/** The installed routes as a list (allocates only for a prefix that has one route installed). */
function listOf(installed: Installed): readonly InstalledRoute[] {
  if (installed === undefined) return NO_ROUTES;
  return Array.isArray(installed) ? installed : [installed];
}

function countOf(installed: Installed): number {
  return installed === undefined ? 0 : Array.isArray(installed) ? installed.length : 1;
}

const NO_PATHS: ExportedRoute['paths'] = Object.freeze([]);

function samePaths(a: readonly FibPath[], b: readonly FibPath[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.gateway !== y.gateway || x.ifindex !== y.ifindex || x.weight !== y.weight) return false;
  }
  return true;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Plain-route slices a pass keeps in the kernel at once when the sink cannot
 * tell its backlog: one being sent and two queued behind it on the addon's
 * send thread, so a pause of this thread (a garbage collection, a burst of
 * input) does not leave the kernel idle. A sink that tells its backlog
 * (`queuedBatches`) gets up to MAX_QUEUED_BATCHES instead (see passHasRoom).
 */
const MAX_SLICES_IN_KERNEL = 3;

/**
 * Unanswered slices handle() may have sent during a synchronous burst when the
 * sink cannot tell its backlog (~130 KiB each at the default slice size). More
 * than a pass keeps: nothing is answered while the burst runs, and a full
 * queue leaves the kernel idle until the burst ends.
 */
const MAX_SLICES_FROM_HANDLE = 32;

/**
 * With a sink that tells its backlog (`queuedBatches`), handle() and a pass
 * send the next slice while fewer than this many wait for the kernel, however
 * many the kernel already finished without this thread hearing of it. So a burst of a
 * million changes keeps the kernel busy to its end with a bounded queue; a
 * sent slice's buffer is reused once the send thread is past it (the netlink
 * channel reads that from the addon's queue), though its answer is only read
 * after the burst.
 * The queue has to outlast this thread's longest pause: a burst of a million
 * changes grows the heap by ~300 MB, and the major collection that follows
 * stopped this thread for 240–365 ms (`--trace-gc`, three bursts), while eight
 * slices are only ~50 ms of kernel work. 64 slices (~400 ms; ~13 MiB of batch
 * buffers waiting for the send thread) ride it out. Measured at 1M routes against the client:
 * 0.71x with two, 0.78–0.88x with eight, 0.87–0.92x with 64 (A/B pairs of
 * the fib-export bench; the control moved by up to 9 % in the same runs).
 */
const MAX_QUEUED_BATCHES = 64;

/**
 * Unanswered slices, whatever the backlog: a bound on what a burst keeps until
 * their answers are read (each slice's runs; and its buffer where the socket
 * cannot tell when a send is over: ~260 MiB at 2,048 slices of 2,000 routes).
 */
const MAX_UNANSWERED_SLICES = 2048;

/** Changes handle() takes in before it asks a full kernel again whether it has room. */
const ROOM_RECHECK = 256;

/**
 * First slice handle() sends while the kernel is idle. Slices then double up
 * to `flushSliceSize`: the kernel starts after a few hundred changes instead of
 * a full slice (whose computing it would otherwise wait for), and a long burst
 * still goes out in full slices.
 */
const FIRST_SLICE = 128;

/**
 * New gateways handle() resolves synchronously for one slice (a FIB lookup is
 * a few microseconds); a slice with more goes through the queued path, whose
 * lookups do not hold the event loop.
 */
const MAX_LOOKUPS_NOW = 16;

/**
 * Exports BGP best routes into Linux routing tables by community rules (seed 000's
 * design as a library): OR-matching standard and large communities (an empty list
 * matches every route), one table per rule and every matching table for a route,
 * metric 20 and nexthop validation by default, route protocol 186, startup cleanup
 * of our protocol's leftovers, dampening with coalescing and bounded flush slices,
 * no syscall for a route the kernel already has, delete-then-add on a metric
 * change, `reconfigure()` that changes only what differs, and optionally routes on
 * nexthop groups so that a failover is one group replace.
 *
 * The kernel side is the injected {@link FibSink}: `KernelFibSink` over the netlink
 * client, or `InMemoryFibSink` for tests.
 *
 * @example
 * ```ts
 * const exporter = new FibExporter({ rules: [{ name: 'cust-a', communities: ['65000:100'], table: 100 }] }, sink);
 * await exporter.start();             // cleanup of protocol-186 leftovers in table 100
 * exporter.attach(source);            // a RouteSource: the RIB, an UPDATE or MRT adapter
 * await exporter.drain();
 * exporter.exported({ table: 100 });
 * ```
 */
export class FibExporter extends (EventEmitter as new () => TypedEmitterTypes.default<FibExporterEvents>) {
  private settings: FibExporterSettings;
  private readonly sink: FibSink;
  private readonly state = new Map<string, PrefixState>();
  private bestCount = 0;
  private readonly vrfTables = new Map<string, number>();
  private readonly window: DampeningWindow<PrefixState>;
  private coalesced = 0;
  /** Reused by desiredFor(): its result never outlives one diff. */
  private readonly desiredScratch: Desired[] = [];
  /**
   * The single-path route desiredFor() last made per rule (by the rule's
   * position): the next prefix that gets the same shares it (see InstalledRoute).
   */
  private readonly sharedRoutes: (InstalledRoute | undefined)[] = [];
  private readonly nhg: NexthopGroupCache | undefined;
  private nhgOps: NhgOperation[] = [];
  private work: Promise<void> = Promise.resolve();
  /** Tasks queued on `work` and not finished: a slice is passed synchronously only when none is. */
  private tasks = 0;
  /** Set while a synchronous slice pass runs (an event listener feeding handle() must not start another). */
  private passingNow = false;
  /**
   * Plain-route slices handed to the sink and not yet answered, oldest first. A
   * dampening batch ends once its last slice is sent, so the next batch is
   * computed while the kernel still works on this one (the addon sends from its
   * own thread); at most MAX_SLICES_IN_KERNEL are outstanding, or more while
   * the sink's backlog is short (see passHasRoom). A slice leaves
   * the list when answered (answers come in sending order).
   */
  private readonly inKernel: Promise<void>[] = [];
  /** Window size at which handle() sends the next slice (see FIRST_SLICE). */
  private nextSlice: number;
  /**
   * Nexthop lookups shared by passes for `nexthopCacheMs`: a dampening batch then
   * needs no RTM_GETROUTE round trip, which would wait behind the slices still in
   * the kernel and leave the kernel idle meanwhile.
   */
  private nexthopMemo = new Map<string, NexthopLookup>();
  private nexthopMemoSince = 0;
  /** validateGateway()'s last answer, and the memo and gateway it came from. */
  private lastLookupMemo: Map<string, NexthopLookup> | undefined;
  private lastLookupGateway: string | undefined;
  private lastLookup: NexthopLookup | undefined;
  private unsubscribe: (() => void) | undefined;
  private started = false;
  private installedCount = 0;
  /**
   * Plain-route operations numbered exporter-wide, in sending order: a slice's
   * operations are `first`, `first + 1`, ..., so a slice needs no per-operation
   * record of which prefix and which operation of it each one was (the slice's
   * operation objects are all it keeps until answered; a failure, the rare case,
   * finds its prefix's state by the route's prefix).
   */
  private opSeq = 0;
  private counters = {
    exported: 0,
    withdrawn: 0,
    errors: 0,
    nexthopValidations: 0,
    nexthopFailures: 0,
    kernelOperations: 0,
    cleanedUp: 0,
    adoptedRoutes: 0,
    lastExportAt: null as number | null,
    lastWithdrawAt: null as number | null,
    lastErrorAt: null as number | null,
    lastError: null as string | null,
  };

  /** Validates `config` (throws `FibConfigError`) and prepares the exporter; nothing touches the kernel before {@link start}. */
  constructor(config: FibExporterConfig | unknown, sink: FibSink) {
    super();
    this.settings = parseFibExporterConfig(config);
    this.sink = sink;
    this.nextSlice = Math.min(FIRST_SLICE, this.settings.flushSliceSize);
    this.window = new DampeningWindow<PrefixState>(this.settings.dampeningMs, (batch) => this.onBatch(batch));
    if (this.settings.useNexthopGroups) {
      this.nhg = new NexthopGroupCache({ idRange: this.settings.nexthopIdRange, sink: { apply: (ops) => void this.nhgOps.push(...ops) } });
    }
  }

  /** The validated settings in use. */
  get config(): FibExporterSettings {
    return this.settings;
  }

  /** The nexthop-group cache, when `useNexthopGroups` is on. */
  get nexthopGroups(): NexthopGroupCache | undefined {
    return this.nhg;
  }

  /**
   * Resolves VRF tables and, unless `cleanupOnStart` is false, deletes routes of our
   * protocol left in the managed tables by an earlier run (a crash leaves them).
   *
   * With `useNexthopGroups` and a sink that can read them back, our nexthops, groups
   * and the routes on them are adopted instead (`NexthopGroupCache.rebuild()`): a
   * restart then touches no traffic, routes the new feed confirms cost no kernel
   * operation, and {@link endResync} removes the rest once the first full feed is in.
   */
  start(): Promise<void> {
    return this.enqueue(async () => {
      await this.resolveVrfs(this.settings.rules);
      const tables = this.managedTables(this.settings.rules);
      const adopt = this.nhg !== undefined && this.sink.snapshotNexthops !== undefined && !this.started && this.nhg.size.routes === 0 && this.nhg.size.nexthops === 0;
      if (this.settings.cleanupOnStart) await this.cleanupTables(tables, adopt);
      // Adopted even without cleanup: ids of objects left in the kernel must not be allocated again (EEXIST).
      if (adopt) await this.adopt(tables);
      this.started = true;
    });
  }

  /**
   * With nexthop groups after a restart: call once the first full feed is in (e.g.
   * after the source's initial dump or MRT replay). Pending changes are applied
   * first; then adopted routes the feed did not confirm are deleted, and the groups
   * and nexthops nothing uses any more go with them. A no-op otherwise.
   */
  endResync(): Promise<void> {
    this.window.flushNow();
    return this.enqueue(async () => {
      if (!this.nhg || !this.nhg.isResyncing) return;
      this.nhg.endResync();
      if (this.nhgOps.length > 0) await this.sendNhg([]);
    });
  }

  /** Subscribes to a route source (replacing any previous one). */
  attach(source: RouteSource): void {
    this.unsubscribe?.();
    this.unsubscribe = source.subscribe((change) => this.handle(change));
  }

  /**
   * Feeds one change directly (what `attach()` does for each change of the source).
   * Coalescing is kept on the prefix's state: one map lookup per change.
   */
  handle(change: RouteChange): void {
    // Sources may be plain JavaScript: a malformed change is counted, never thrown.
    const shape: unknown = change;
    const prefix =
      typeof shape === 'object' && shape !== null && 'type' in shape
        ? shape.type === 'withdrawn'
          ? 'prefix' in shape ? shape.prefix : undefined
          : 'route' in shape && typeof shape.route === 'object' && shape.route !== null && 'prefix' in shape.route
            ? shape.route.prefix
            : undefined
        : undefined;
    if (typeof prefix !== 'string') {
      this.fail(new FibOperationError('ERR_FIB_SOURCE', 'route change without a prefix'));
      return;
    }
    let st = this.state.get(prefix);
    if (st === undefined) {
      st = { prefix, best: undefined, installed: undefined, pending: undefined, lastOpSeq: 0 };
      this.state.set(prefix, st);
    }
    if (st.pending === undefined) this.window.add(st);
    else this.coalesced++;
    st.pending = change;
    // Without dampening, a burst fed synchronously (a table dump, a replay) hands a
    // full slice to the kernel at once instead of waiting for the burst to end.
    if (this.window.size >= this.nextSlice && this.settings.dampeningMs === 0) this.passSliceNow();
  }

  /** Processes pending (dampened) changes now and resolves when the kernel has everything. */
  async drain(): Promise<void> {
    this.window.flushNow();
    // Work queued while waiting (another batch) and slices still in the kernel are awaited too.
    let last: Promise<void> | undefined;
    while (last !== this.work || this.inKernel.length > 0) {
      last = this.work;
      await last;
      await this.settleKernel();
    }
  }

  /**
   * Withdraws every exported route from the kernel (the seed's `export flush`). Best
   * routes are kept: the next change of a prefix, or {@link reconfigure}/{@link revalidate},
   * exports it again.
   */
  flush(): Promise<void> {
    this.window.flushNow();
    return this.enqueue(async () => {
      // Last exported first: a feed (a table dump, an MRT file) usually comes in
      // ascending prefix order, and deleting a large table in that order takes
      // fib_trie's slow path (1M routes: 28–39 s instead of 2–4.5 s).
      const states = [...this.state.values()].filter((st) => st.installed !== undefined).reverse();
      await this.reconcile(states, false);
      await this.settleKernel();
      for (const st of states) this.forgetIfEmpty(st);
    });
  }

  /**
   * Replaces the rules (their SIGHUP reload): validates (throws `FibConfigError` and
   * keeps the old rules), compares deeply, and when they differ re-evaluates every
   * best route, changing only the kernel routes that differ. Newly managed tables are
   * swept of our protocol's leftovers first. Resolves with the rule diff.
   */
  async reconfigure(rules: unknown): Promise<RuleDiff> {
    const next = parseExportRules(rules);
    if (rulesEqual(this.settings.rules, next)) return { added: [], removed: [], changed: [] };
    const diff = diffRules(this.settings.rules, next);
    this.window.flushNow();
    await this.enqueue(async () => {
      const oldTables = new Set(this.managedTables(this.settings.rules));
      await this.resolveVrfs(next);
      this.settings = { ...this.settings, rules: next };
      const fresh = this.managedTables(next).filter((t) => !oldTables.has(t));
      if (this.started && this.settings.cleanupOnStart && fresh.length > 0) await this.cleanupTables(fresh);
      await this.reevaluateAll();
      this.emit('reconfigured', diff);
    });
    return diff;
  }

  /** Re-evaluates every best route (e.g. after nexthops became reachable). */
  revalidate(): Promise<void> {
    this.window.flushNow();
    return this.enqueue(() => this.reevaluateAll());
  }

  /**
   * With nexthop groups: a nexthop (all entries with this gateway) stopped
   * forwarding. Groups are rewritten in place: no route operation.
   */
  nexthopDown(gateway: string): Promise<void> {
    return this.enqueue(() => this.nexthopState(gateway, 'down'));
  }

  /** With nexthop groups: the nexthop forwards again. */
  nexthopUp(gateway: string): Promise<void> {
    return this.enqueue(() => this.nexthopState(gateway, 'up'));
  }

  /**
   * With nexthop groups: a nexthop (all entries with this gateway) is gone for good
   * (its peer's paths were flushed). Groups are re-keyed in place, so the RIB's
   * following re-announcements with the remaining paths cost no route operation.
   */
  removeNexthop(gateway: string): Promise<void> {
    return this.enqueue(() => this.nexthopState(gateway, 'remove'));
  }

  /**
   * With nexthop groups: kernel link/nexthop events (e.g. from `KernelNhgWatcher`
   * with `apply: (ev) => exporter.applyKernelEvents(ev)`). What the kernel flushed
   * on a link down is re-created and its routes re-pointed.
   */
  applyKernelEvents(events: readonly KernelNexthopEvent[]): Promise<void> {
    return this.enqueue(async () => {
      if (!this.nhg) return;
      this.nhg.applyKernelEvents(events);
      if (this.nhgOps.length > 0) await this.sendNhg([]);
    });
  }

  /**
   * Exported routes, optionally of one table: what the kernel has once the
   * operations sent so far are answered (a route counts from the moment it is
   * sent; a failed operation takes it back out). After {@link drain} this is
   * exactly what the kernel has.
   */
  exported(filter: { table?: number } = {}): ExportedRoute[] {
    const out: ExportedRoute[] = [];
    for (const st of this.state.values()) {
      for (const r of listOf(st.installed)) if (filter.table === undefined || r.table === filter.table) out.push(exportedRoute(st.prefix, r));
    }
    return out;
  }

  stats(): FibExporterStats {
    return {
      ...this.counters,
      dampenedUpdates: this.coalesced,
      routesInKernel: this.installedCount,
      bestRoutes: this.bestCount,
      pending: this.window.size,
      resyncPending: this.nhg?.isResyncing ?? false,
    };
  }

  /** Stops listening and drops pending changes. Exported routes stay (the next start() sweeps them). */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const st of this.window.stop()) {
      st.pending = undefined;
      this.forgetIfEmpty(st);
    }
  }

  // ── internals ────────────────────────────────────────────────────────

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.tasks++;
    const run = this.work.then(task).finally(() => {
      this.tasks--;
    });
    // The chain itself never rejects, so one failed task does not block the next.
    this.work = run.catch((e: unknown) => {
      this.fail(e instanceof FibOperationError ? e : new FibOperationError('ERR_FIB_ROUTE', errorText(e), undefined, e));
    });
    return run;
  }

  private fail(error: FibOperationError): void {
    this.counters.errors++;
    this.counters.lastErrorAt = Date.now();
    this.counters.lastError = error.message;
    this.emit('failure', error);
  }

  private managedTables(rules: readonly ExportRule[]): number[] {
    const t = new Set<number>();
    for (const r of rules) {
      const id = r.table ?? (r.vrf !== undefined ? this.vrfTables.get(r.vrf) : undefined);
      if (id !== undefined) t.add(id);
    }
    return [...t];
  }

  private async resolveVrfs(rules: readonly ExportRule[]): Promise<void> {
    for (const r of rules) {
      if (r.vrf === undefined || r.table !== undefined || this.vrfTables.has(r.vrf)) continue;
      let table: number | undefined;
      try {
        table = await this.sink.resolveVrf(r.vrf);
      } catch (e) {
        this.fail(e instanceof FibOperationError ? e : new FibOperationError('ERR_FIB_VRF', `VRF ${r.vrf}: ${errorText(e)}`, undefined, e));
        continue;
      }
      if (table === undefined) this.fail(new FibOperationError('ERR_FIB_VRF', `VRF ${r.vrf} of rule ${r.name} not found; rule inactive`));
      else this.vrfTables.set(r.vrf, table);
    }
  }

  private async cleanupTables(tables: readonly number[], keepNexthopObjects = false): Promise<void> {
    if (tables.length === 0) return;
    try {
      const deleted = await this.sink.cleanup(this.settings.routeProtocol, tables, keepNexthopObjects ? { keepNexthopObjects } : undefined);
      this.counters.cleanedUp += deleted;
      this.emit('cleanup', { protocol: this.settings.routeProtocol, tables, deleted });
    } catch (e) {
      this.fail(new FibOperationError('ERR_FIB_CLEANUP', `cleanup failed: ${errorText(e)}`, undefined, e));
    }
  }

  /** Adopts our kernel nexthop objects and the routes on them (restart without touching traffic). */
  private async adopt(tables: readonly number[]): Promise<void> {
    const cache = this.nhg!;
    try {
      const snapshot = await this.sink.snapshotNexthops!(this.settings.routeProtocol, tables);
      const result = cache.rebuild(snapshot);
      this.counters.adoptedRoutes += result.adoptedRoutes;
    } catch (e) {
      this.fail(new FibOperationError('ERR_FIB_CLEANUP', `adopting kernel nexthops failed: ${errorText(e)}`, undefined, e));
    }
  }

  private onBatch(batch: PrefixState[]): void {
    // Without dampening, the rest of a feed (what did not fill a slice in handle()) goes
    // out now when the in-handle() path could take it, instead of one task later.
    if (this.settings.dampeningMs === 0 && batch.length <= this.settings.flushSliceSize && this.canPassNow() && this.kernelHasRoom()) {
      this.takePending(batch);
      this.passNow(batch);
      return;
    }
    this.queuePass(batch, true);
  }

  /** Queues a pass over `batch` on the work chain (taking in the pending changes first when asked). */
  private queuePass(batch: PrefixState[], takeIn: boolean): void {
    // Failures are counted and reported by enqueue(); nobody awaits this one.
    void this.enqueue(async () => {
      if (takeIn) this.takePending(batch);
      await this.reconcile(batch, true);
      for (let i = 0; i < batch.length; i++) this.forgetIfEmpty(batch[i]!);
    }).catch(() => undefined);
  }

  /**
   * Makes each state's latest change its best route, keeping in `batch` only
   * the states left with something to do (flaps that arrived after the window
   * closed were coalesced into the change).
   */
  private takePending(batch: PrefixState[]): void {
    let kept = 0;
    for (let i = 0; i < batch.length; i++) {
      const st = batch[i]!;
      const change = st.pending;
      st.pending = undefined;
      if (change === undefined) continue;
      if (change.type === 'withdrawn') {
        if (st.best === undefined && st.installed === undefined) {
          this.forgetIfEmpty(st);
          continue;
        }
        if (st.best) this.bestCount--;
        st.best = undefined;
      } else {
        if (!st.best) this.bestCount++;
        st.best = change.route;
      }
      batch[kept++] = st;
    }
    batch.length = kept;
  }

  /**
   * The window holds a full slice and dampening is off: computes and sends it
   * now, inside handle(), so the kernel works while the rest of a synchronous
   * burst is still being fed (otherwise it would sit idle until the burst ends
   * and the window's turn comes). Only when that is the same as what the
   * queued path would do: plain routes, nothing queued or running on the work
   * chain (order), room in the kernel, and every gateway known to the nexthop
   * cache or resolved by the sink's synchronous lookup (an asynchronous one
   * could only answer after the burst). Otherwise the window goes on as usual.
   */
  private passSliceNow(): void {
    if (!this.canPassNow()) return;
    if (!this.kernelHasRoom()) {
      // Asked again after ROOM_RECHECK more changes, not on every one (the backlog is read through the addon).
      this.nextSlice = this.window.size + ROOM_RECHECK;
      return;
    }
    // At most one slice: a window that grew while the kernel was full goes out slice by slice, as room appears.
    const batch = this.window.takeFirst(this.settings.flushSliceSize);
    this.nextSlice = Math.min(this.settings.flushSliceSize, batch.length * 2);
    this.takePending(batch);
    this.passNow(batch);
  }

  /** Can a slice be computed and sent synchronously, with the queued path's result? (see passSliceNow) */
  private canPassNow(): boolean {
    return this.nhg === undefined && this.tasks === 0 && !this.passingNow && this.started;
  }

  /** Computes and sends one slice of taken-in states now (through the queued path when a gateway needs an asynchronous lookup). */
  private passNow(batch: PrefixState[]): void {
    const memo = this.nexthopLookups();
    const missing = this.missingGateways(batch, memo);
    if (missing.size > 0 && !this.lookupNow(missing, memo)) {
      // Needs an asynchronous lookup first: the queued path does it (the changes are already taken in).
      this.queuePass(batch, false);
      return;
    }
    this.passingNow = true;
    try {
      const routeOps = new RouteRunList();
      const firstSeq = this.opSeq + 1;
      const now = Date.now();
      for (const st of batch) this.diffPlain(st, this.desiredFor(st, memo, now), routeOps);
      // send() runs synchronously up to the addon's queue: the kernel has the slice when this returns.
      if (routeOps.length > 0) this.trackInKernel(this.send(routeOps, firstSeq));
    } finally {
      this.passingNow = false;
    }
    for (const st of batch) this.forgetIfEmpty(st);
  }

  /** May handle() send another slice now? (see MAX_QUEUED_BATCHES) */
  private kernelHasRoom(): boolean {
    return this.inKernel.length < MAX_SLICES_FROM_HANDLE || this.backlogIsShort();
  }

  /** Does the sink tell a backlog short enough for another slice, whatever is unanswered (up to MAX_UNANSWERED_SLICES)? */
  private backlogIsShort(): boolean {
    const queued = this.sink.queuedBatches?.();
    return queued !== undefined && queued < MAX_QUEUED_BATCHES && this.inKernel.length < MAX_UNANSWERED_SLICES;
  }

  private async reevaluateAll(): Promise<void> {
    // Rules or reachability changed: every nexthop is looked up again.
    this.nexthopMemo = new Map();
    this.nexthopMemoSince = Date.now();
    // Last fed first, like flush(): a rule deleted withdraws its routes, and a
    // feed in ascending prefix order must not be deleted in that order (fib_trie's
    // slow path). Adds cost about the same in either order (100k: 315 ms ascending,
    // 334 ms descending, medians of 10 here).
    const states = [...this.state.values()].reverse();
    await this.reconcile(states, true);
    await this.settleKernel();
    for (const st of states) this.forgetIfEmpty(st);
  }

  /** Gateways the prefixes' matching rules need resolved, looked up together (once per gateway per pass). */
  private async resolveGateways(states: readonly PrefixState[], memo: Map<string, NexthopLookup>): Promise<void> {
    const gateways = [...this.missingGateways(states, memo)];
    const results = await Promise.all(gateways.map((g) => this.sink.lookupNexthop(g).catch((): NexthopLookup => ({ reachable: false }))));
    gateways.forEach((g, i) => memo.set(g, results[i]!));
  }

  /** Gateways the prefixes' matching rules need resolved that `memo` does not have. */
  private missingGateways(states: readonly PrefixState[], memo: Map<string, NexthopLookup>): Set<string> {
    const missing = new Set<string>();
    // A slice's routes mostly share a next hop (one UPDATE's prefixes, one peer):
    // the last one found in `memo` is compared first, with no hash of a fresh string.
    let known: string | undefined;
    for (const st of states) {
      const route = st.best;
      if (!route) continue;
      for (const rule of this.settings.rules) {
        if (!(rule.validateNexthop || this.nhg) || !ruleMatches(rule, route)) continue;
        const multipath = route.multipath;
        if (multipath !== undefined && multipath.length > 0) {
          for (const p of multipath) if (!memo.has(p.nexthop)) missing.add(p.nexthop);
        } else {
          const gateway = route.nexthop;
          if (gateway === known) continue;
          if (memo.has(gateway)) known = gateway;
          else missing.add(gateway);
        }
      }
    }
    return missing;
  }

  /**
   * Resolves `gateways` through the sink's synchronous lookup into `memo`; false
   * when the sink has none, there are too many for the event loop to wait on,
   * or one of them cannot be answered synchronously.
   */
  private lookupNow(gateways: ReadonlySet<string>, memo: Map<string, NexthopLookup>): boolean {
    const sink = this.sink;
    if (sink.lookupNexthopNow === undefined || gateways.size > MAX_LOOKUPS_NOW) return false;
    for (const g of gateways) {
      let res: NexthopLookup | undefined;
      try {
        res = sink.lookupNexthopNow(g);
      } catch {
        res = undefined; // the asynchronous lookup reports what is wrong
      }
      if (res === undefined) return false;
      memo.set(g, res);
    }
    return true;
  }

  /** The kernel's answer for a nexthop a rule validates, counted; undefined (and an event) when it is unreachable. */
  private validateGateway(memo: Map<string, NexthopLookup>, prefix: string, gateway: string, rule: string): NexthopLookup | undefined {
    this.counters.nexthopValidations++;
    // The previous answer first (see missingGateways): a memo never changes an entry once set.
    let res: NexthopLookup | undefined;
    if (memo === this.lastLookupMemo && gateway === this.lastLookupGateway) res = this.lastLookup;
    else {
      res = memo.get(gateway);
      if (res !== undefined) {
        this.lastLookupMemo = memo;
        this.lastLookupGateway = gateway;
        this.lastLookup = res;
      }
    }
    if (res && res.reachable) return res;
    this.counters.nexthopFailures++;
    this.emit('nexthop-unreachable', { prefix, nexthop: gateway, rule });
    return undefined;
  }

  /** Computes what a prefix should have in each table. */
  private desiredFor(st: PrefixState, memo: Map<string, NexthopLookup>, now: number): Desired[] {
    const out = this.desiredScratch;
    // pop() is inlined; assigning length goes through a runtime call (it showed in profiles).
    while (out.length > 0) out.pop();
    const route = st.best;
    if (!route) return out;
    const prefix = st.prefix;
    const protocol = this.settings.routeProtocol;
    const rules = this.settings.rules;
    for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
      const rule = rules[ruleIndex]!;
      if (!ruleMatches(rule, route)) continue;
      const table = rule.table ?? (rule.vrf !== undefined ? this.vrfTables.get(rule.vrf) : undefined);
      // First matching rule wins a table; several tables each get the route.
      if (table === undefined || inTable(out, table)) continue;
      if (!this.nhg && route.multipath !== undefined && route.multipath.length > 1) {
        // Plain ECMP: every validated path in one route (RTA_MULTIPATH, weights from the RIB).
        const paths: FibPath[] = [];
        for (const p of route.multipath) {
          let gateway = p.nexthop;
          let ifindex: number | undefined;
          if (rule.validateNexthop) {
            const res = this.validateGateway(memo, prefix, gateway, rule.name);
            if (!res) continue;
            if (res.via !== undefined) gateway = res.via;
            ifindex = res.ifindex;
          }
          paths.push({ gateway, ifindex, weight: p.weight ?? 1 });
        }
        const first = paths[0];
        if (!first) continue;
        if (paths.length === 1) {
          out.push(this.sharedRoute(ruleIndex, table, rule.metric, protocol, first.gateway, first.ifindex, rule.name, now));
          continue;
        }
        out.push({ table, metric: rule.metric, protocol, gateway: first.gateway, ifindex: first.ifindex, paths, multipath: paths, rule: rule.name, exportedAt: now });
        continue;
      }
      if (!this.nhg) {
        // Plain routes: one gateway, validated through the kernel unless the rule says not to.
        let gateway = route.multipath?.[0]?.nexthop ?? route.nexthop;
        let ifindex: number | undefined;
        if (rule.validateNexthop) {
          const res = this.validateGateway(memo, prefix, gateway, rule.name);
          if (!res) continue;
          if (res.via !== undefined) gateway = res.via;
          ifindex = res.ifindex;
        }
        out.push(this.sharedRoute(ruleIndex, table, rule.metric, protocol, gateway, ifindex, rule.name, now));
        continue;
      }
      // Nexthop groups: every path resolved (nexthop objects need an interface).
      const wanted = route.multipath && route.multipath.length > 0 ? route.multipath : [{ nexthop: route.nexthop, weight: 1 }];
      const paths: FibPath[] = [];
      for (const p of wanted) {
        if (rule.validateNexthop) this.counters.nexthopValidations++;
        const res = memo.get(p.nexthop);
        if (!res || !res.reachable || res.ifindex === undefined) {
          if (rule.validateNexthop) {
            this.counters.nexthopFailures++;
            this.emit('nexthop-unreachable', { prefix, nexthop: p.nexthop, rule: rule.name });
          } else {
            this.fail(new FibOperationError('ERR_FIB_NEXTHOP', `nexthop ${p.nexthop} has no interface; nexthop objects need one`, prefix));
          }
          continue;
        }
        paths.push({ gateway: res.via ?? p.nexthop, ifindex: res.ifindex, weight: p.weight ?? 1 });
      }
      const first = paths[0];
      if (!first) continue;
      out.push({ table, metric: rule.metric, protocol, gateway: first.gateway, ifindex: first.ifindex, paths, multipath: undefined, rule: rule.name, exportedAt: now });
    }
    return out;
  }

  /**
   * A single-path route for rule `ruleIndex`: the one this rule's previous
   * prefix got when it is the same (the usual case: a slice of one UPDATE's
   * prefixes), a new one otherwise (see InstalledRoute).
   */
  private sharedRoute(ruleIndex: number, table: number, metric: number, protocol: number, gateway: string, ifindex: number | undefined, rule: string, now: number): InstalledRoute {
    const last = this.sharedRoutes[ruleIndex];
    if (
      last !== undefined &&
      last.exportedAt === now &&
      last.gateway === gateway &&
      last.ifindex === ifindex &&
      last.table === table &&
      last.metric === metric &&
      last.protocol === protocol &&
      last.rule === rule
    ) {
      return last;
    }
    const made: InstalledRoute = { table, metric, protocol, gateway, ifindex, paths: NO_PATHS, multipath: undefined, rule, exportedAt: now };
    this.sharedRoutes[ruleIndex] = made;
    return made;
  }

  /**
   * Brings the kernel in line for `prefixes`, slice by slice, yielding to the event
   * loop between slices so a flap storm never starves it. Plain-route slices are
   * left in the kernel's hands (see `inKernel`); callers that promise a settled
   * kernel await {@link settleKernel} afterwards. Safe because a pass never holds a
   * prefix twice and `installed` already says what the sent operations will do.
   */
  private async reconcile(prefixes: readonly PrefixState[], evaluate: boolean): Promise<void> {
    const memo = this.nexthopLookups();
    const slice = this.settings.flushSliceSize;
    // Nexthop-group slices: up to two in flight, all answered before the pass ends.
    const nhgInflight: Promise<void>[] = [];
    for (let start = 0; start < prefixes.length; start += slice) {
      const part = prefixes.slice(start, start + slice);
      if (evaluate) await this.resolveGateways(part, memo);
      const routeOps = new RouteRunList();
      const firstSeq = this.opSeq + 1;
      const nhgMeta: PendingOp[][] = [];
      const now = Date.now();
      for (const st of part) {
        const desired = evaluate ? this.desiredFor(st, memo, now) : [];
        if (this.nhg) this.diffWithGroups(st, desired, nhgMeta);
        else this.diffPlain(st, desired, routeOps);
      }
      if (routeOps.length > 0) await this.handToKernel(this.send(routeOps, firstSeq));
      if (this.nhgOps.length > 0) nhgInflight.push(this.sendNhg(nhgMeta));
      while (nhgInflight.length > 1) await nhgInflight.shift();
      if (start + slice < prefixes.length) await yieldToLoop();
    }
    await Promise.all(nhgInflight);
  }

  /** The nexthop lookups this pass may reuse (a fresh map when the cache is off or expired). */
  private nexthopLookups(): Map<string, NexthopLookup> {
    const cacheMs = this.settings.nexthopCacheMs;
    if (cacheMs === 0) return new Map();
    const now = Date.now();
    if (now - this.nexthopMemoSince >= cacheMs) {
      this.nexthopMemo = new Map();
      this.nexthopMemoSince = now;
    }
    return this.nexthopMemo;
  }

  /** Keeps a sent slice until answered, waiting for the oldest when too many are out. */
  private async handToKernel(answered: Promise<void>): Promise<void> {
    this.trackInKernel(answered);
    while (!this.passHasRoom()) await this.inKernel[0];
  }

  /**
   * May a pass send its next slice before the oldest is answered? While fewer
   * than MAX_SLICES_IN_KERNEL are out; beyond that only while the sink tells
   * its backlog and that backlog is short, as for handle(). A synchronous
   * burst that outruns the kernel leaves the rest of its changes to a pass
   * (130k–330k of a million), and with three slices in the kernel every pause
   * of this thread longer than ~16 ms of kernel work (a scavenge, the answer's
   * event-loop turn) left the send thread idle: 0.23–0.53 s per 1M burst,
   * against 0.06–0.07 s for the client (per-thread schedstat, four runs).
   */
  private passHasRoom(): boolean {
    return this.inKernel.length <= MAX_SLICES_IN_KERNEL || this.backlogIsShort();
  }

  /** Keeps a sent slice in `inKernel` until answered. */
  private trackInKernel(answered: Promise<void>): void {
    // send() reports its own failures; this catch only keeps the chain unbroken.
    const slice: Promise<void> = answered
      .catch((e: unknown) => this.fail(new FibOperationError('ERR_FIB_ROUTE', errorText(e), undefined, e)))
      .then(() => {
        // Runs before any waiter on `slice` resumes: they see the list without it.
        const i = this.inKernel.indexOf(slice);
        if (i >= 0) this.inKernel.splice(i, 1);
        if (this.inKernel.length === 0) this.nextSlice = Math.min(FIRST_SLICE, this.settings.flushSliceSize);
      });
    this.inKernel.push(slice);
  }

  /** Resolves once every slice handed to the kernel has been answered. */
  private async settleKernel(): Promise<void> {
    while (this.inKernel.length > 0) await this.inKernel[0];
  }

  /**
   * Plain routes: appends the operations that bring `st` to `desired` (a
   * withdraw for deletes, an export otherwise), each numbered by `opSeq`.
   * `installed` changes here, when the operation is decided (see PrefixState.lastOpSeq).
   */
  private diffPlain(st: PrefixState, desired: readonly Desired[], ops: RouteRunList): void {
    const current = st.installed;
    const prefix = st.prefix;
    if (current !== undefined) {
      // A copy: removeInstalled() splices the installed list.
      for (const cur of Array.isArray(current) ? [...current] : [current]) {
        if (inTable(desired, cur.table)) continue;
        ops.add('delete', cur, prefix);
        st.lastOpSeq = ++this.opSeq;
        this.removeInstalled(st, cur);
      }
    }
    for (const next of desired) {
      const cur = inTable(current, next.table);
      if (cur === next) continue;
      if (cur && cur.metric === next.metric && cur.gateway === next.gateway && cur.ifindex === next.ifindex && cur.protocol === next.protocol && samePaths(cur.paths, next.paths)) {
        // Idempotency: the kernel already has this route; only the bookkeeping may change.
        if (cur.rule !== next.rule) this.setInstalled(st, { ...cur, rule: next.rule });
        continue;
      }
      if (cur && cur.metric !== next.metric) {
        // The metric is part of the kernel's route key: a replace would leave the old one.
        ops.add('delete', cur, prefix);
        ++this.opSeq;
        ops.add('add', next, prefix);
      } else {
        ops.add(cur ? 'replace' : 'add', next, prefix);
      }
      st.lastOpSeq = ++this.opSeq;
      this.setInstalled(st, next);
    }
  }

  private diffWithGroups(st: PrefixState, desired: readonly Desired[], meta: PendingOp[][]): void {
    const cache = this.nhg!;
    const prefix = st.prefix;
    const current = st.installed;
    const before = this.nhgOps.length;
    const after: (() => void)[] = [];
    for (const d of desired) {
      const table = d.table;
      const cur = inTable(current, table);
      const paths: PathSpec[] = d.paths.map((p) => ({ nexthop: nexthopSpec(p.gateway, p.ifindex), weight: p.weight }));
      let ops: NhgOperation[];
      try {
        ops = cache.setRoute({ prefix, table, metric: d.metric }, paths);
      } catch (e) {
        this.fail(new FibOperationError('ERR_FIB_NEXTHOP', errorText(e), prefix, e));
        continue;
      }
      const next = d;
      if (ops.length === 0 && cur && cur.metric === d.metric) {
        if (cur.rule !== d.rule) this.setInstalled(st, { ...cur, rule: d.rule, exportedAt: cur.exportedAt });
        continue;
      }
      after.push(() => this.recordExport(st, next));
    }
    // Removals after additions: a metric change then reuses the group instead of re-creating it.
    if (current !== undefined) {
      for (const cur of listOf(current)) {
        const d = inTable(desired, cur.table);
        if (d && d.metric === cur.metric) continue;
        cache.removeRoute({ prefix, table: cur.table, metric: cur.metric });
        after.push(() => this.recordWithdraw(st, cur));
      }
    }
    // Route operations of this prefix succeed or fail together with the batch slice.
    const produced = this.nhgOps.length - before;
    const entries: PendingOp[] = after.map((onSuccess) => ({ state: st, onSuccess }));
    meta.push(entries);
    if (produced === 0) {
      for (const e of entries) e.onSuccess();
      meta.pop();
    }
  }

  /**
   * Sends a slice of plain-route operations (in runs), numbered `firstSeq` on
   * in run order (see opSeq); counts, announces or undoes each one by the
   * kernel's answer. The slice is one object per run while the kernel has it
   * (a sink with `applyRouteRuns`); the records events carry are made only
   * when someone listens.
   */
  private async send(ops: RouteRunList, firstSeq: number): Promise<void> {
    const runs = ops.runs;
    const sink = this.sink;
    let result: FibApplyResult;
    try {
      result = sink.applyRouteRuns !== undefined ? await sink.applyRouteRuns(runs) : await sink.applyRoutes(routeOpsOfRuns(runs));
    } catch (e) {
      result = { failures: Array.from({ length: ops.length }, (_, index) => ({ index, error: e })) };
    }
    this.counters.kernelOperations += ops.length;
    const failed = result.failures.length === 0 ? undefined : new Map(result.failures.map((f) => [f.index, f.error]));
    // Events cost an emit() per route even without listeners: ask once per slice.
    const announceExports = this.listenerCount('exported') > 0;
    const announceWithdraws = this.listenerCount('withdrawn') > 0;
    let exported = 0;
    let withdrawn = 0;
    let lastExportAt = 0;
    let i = 0;
    for (const run of runs) {
      const del = run.op === 'delete';
      const prefixes = run.prefixes;
      if (failed === undefined && !(del ? announceWithdraws : announceExports)) {
        // The usual slice: every operation succeeded and nobody listens.
        if (del) withdrawn += prefixes.length;
        else {
          exported += prefixes.length;
          lastExportAt = run.route.exportedAt;
        }
        i += prefixes.length;
        continue;
      }
      for (let k = 0; k < prefixes.length; k++, i++) {
        const prefix = prefixes[k]!;
        const err = failed === undefined ? undefined : failed.get(i);
        if (err === undefined) {
          if (del) {
            withdrawn++;
            if (announceWithdraws) this.emit('withdrawn', exportedRoute(prefix, run.route));
          } else {
            exported++;
            lastExportAt = run.route.exportedAt;
            if (announceExports) this.emit('exported', exportedRoute(prefix, run.route));
          }
          continue;
        }
        // We no longer know what the kernel has for this prefix: forget it so the next
        // pass re-sends, unless a newer operation (sent after this one) decides it.
        // (A state forgotten since, or made again for the prefix, has another number.)
        const st = this.state.get(prefix);
        if (st !== undefined && st.lastOpSeq === firstSeq + i) this.dropInstalled(st);
        this.fail(new FibOperationError('ERR_FIB_ROUTE', `route operation for ${prefix} failed: ${errorText(err)}`, prefix, err));
      }
    }
    if (exported > 0) {
      this.counters.exported += exported;
      this.counters.lastExportAt = lastExportAt;
    }
    if (withdrawn > 0) {
      this.counters.withdrawn += withdrawn;
      this.counters.lastWithdrawAt = Date.now();
    }
  }

  private async sendNhg(meta: readonly PendingOp[][]): Promise<void> {
    const ops = this.nhgOps;
    this.nhgOps = [];
    let result: FibApplyResult;
    try {
      result = await this.sink.applyNexthopOps(ops, this.settings.routeProtocol);
    } catch (e) {
      result = { failures: ops.map((_, index) => ({ index, error: e })) };
    }
    this.counters.kernelOperations += ops.length;
    const failedPrefixes = new Set<string>();
    for (const f of result.failures) {
      const op = ops[f.index];
      const prefix = op && 'route' in op ? op.route.prefix : undefined;
      if (prefix !== undefined) failedPrefixes.add(prefix);
      this.fail(new FibOperationError(prefix !== undefined ? 'ERR_FIB_ROUTE' : 'ERR_FIB_NEXTHOP', `${op?.op ?? 'operation'} failed: ${errorText(f.error)}`, prefix, f.error));
    }
    for (const entries of meta) {
      for (const m of entries) {
        if (failedPrefixes.has(m.state.prefix)) this.dropInstalled(m.state);
        else m.onSuccess();
      }
    }
  }

  private async nexthopState(gateway: string, change: 'down' | 'up' | 'remove'): Promise<void> {
    const cache = this.nhg;
    if (!cache) return;
    const specs = cache.nexthops().filter((n) => n.nexthop.gateway === gateway).map((n) => n.nexthop);
    for (const spec of specs) {
      if (change === 'up') cache.nexthopUp(spec);
      else if (change === 'down') cache.nexthopDown(spec);
      else cache.removeNexthop(spec);
    }
    if (this.nhgOps.length > 0) await this.sendNhg([]);
  }

  private setInstalled(st: PrefixState, r: InstalledRoute): void {
    const list = st.installed;
    if (list === undefined) {
      st.installed = r;
      this.installedCount++;
      return;
    }
    if (!Array.isArray(list)) {
      if (list.table === r.table) st.installed = r;
      else {
        st.installed = [list, r];
        this.installedCount++;
      }
      return;
    }
    const i = list.findIndex((x) => x.table === r.table);
    if (i >= 0) list[i] = r;
    else {
      list.push(r);
      this.installedCount++;
    }
  }

  private recordExport(st: PrefixState, r: InstalledRoute): void {
    this.setInstalled(st, r);
    this.counters.exported++;
    this.counters.lastExportAt = r.exportedAt;
    if (this.listenerCount('exported') > 0) this.emit('exported', exportedRoute(st.prefix, r));
  }

  /** Takes one route out of a prefix's installed set (no counters, no event). */
  private removeInstalled(st: PrefixState, r: InstalledRoute): void {
    const list = st.installed;
    if (list === r) {
      st.installed = undefined;
      this.installedCount--;
    } else if (Array.isArray(list)) {
      const i = list.indexOf(r);
      if (i >= 0) {
        list.splice(i, 1);
        this.installedCount--;
        if (list.length === 0) st.installed = undefined;
        else if (list.length === 1) st.installed = list[0];
      }
    }
  }

  private recordWithdraw(st: PrefixState, r: InstalledRoute): void {
    // A metric change deletes then re-adds in one table: only forget the entry if it is still this one.
    this.removeInstalled(st, r);
    this.counters.withdrawn++;
    this.counters.lastWithdrawAt = Date.now();
    if (this.listenerCount('withdrawn') > 0) this.emit('withdrawn', exportedRoute(st.prefix, r));
  }

  /** After a failed operation we no longer know the kernel state of the prefix: forget it so the next pass re-sends. */
  private dropInstalled(st: PrefixState): void {
    this.installedCount -= countOf(st.installed);
    st.installed = undefined;
  }

  /** Drops the entry of a prefix with neither a best route nor an installed one. */
  private forgetIfEmpty(st: PrefixState): void {
    if (st.best === undefined && st.installed === undefined && st.pending === undefined && this.state.get(st.prefix) === st) this.state.delete(st.prefix);
  }
}

function nexthopSpec(gateway: string, ifindex: number | undefined): NexthopSpec {
  return ifindex === undefined ? { gateway } : { gateway, ifindex };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
