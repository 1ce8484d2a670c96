import { ModelKernel } from '../nhg/model-kernel.js';
import type { KernelNexthopObject, KernelSnapshot, NhgOperation } from '../nhg/types.js';
import { assertSweepableProtocol } from './errors.js';
import type { FibApplyResult, FibRoute, FibRouteKey, FibRouteOp, FibRouteRun, FibSink, NexthopLookup } from './fib-sink.js';
import { routeOpsOfRuns } from './route-runs.js';

/** A route held by {@link InMemoryFibSink}: gateway routes, or routes on a nexthop object. */
export type MemoryRoute =
  | (FibRoute & { readonly nexthopId?: undefined })
  | (FibRouteKey & { readonly nexthopId: number; readonly gateway?: undefined; readonly ifindex?: undefined; readonly multipath?: undefined });

/**
 * An in-memory FIB for unit tests and harnesses: keeps routes by (table, prefix,
 * metric), answers nexthop lookups from a table you fill, counts every operation
 * (one per would-be syscall) and can be told to fail the next operations.
 * Nexthop-group operations are checked by a {@link ModelKernel}.
 *
 * @example
 * ```ts
 * const sink = new InMemoryFibSink();
 * sink.setReachable('192.0.2.1', { ifindex: 2 });
 * const exporter = new FibExporter({ rules: [{ name: 'all', table: 100 }] }, sink);
 * ```
 */
export class InMemoryFibSink implements FibSink {
  readonly routes = new Map<string, MemoryRoute>();
  readonly nhgKernel = new ModelKernel();
  readonly vrfs = new Map<string, number>();
  /** Every route operation applied, in order. */
  readonly log: (FibRouteOp | NhgOperation)[] = [];
  lookups = 0;
  cleanups = 0;
  private readonly reachable = new Map<string, NexthopLookup>();
  private failures = 0;

  /** Makes `gateway` resolve (directly connected unless `via` is given). */
  setReachable(gateway: string, how: { ifindex?: number; via?: string } = {}): void {
    this.reachable.set(gateway, { reachable: true, ...how });
  }

  setUnreachable(gateway: string): void {
    this.reachable.delete(gateway);
  }

  /** The next `n` route operations fail with an Error. */
  failNext(n: number): void {
    this.failures = n;
  }

  /** Number of operations applied (what a kernel sink would send). */
  get operationCount(): number {
    return this.log.length;
  }

  /** Routes of a table. */
  table(id: number): MemoryRoute[] {
    return [...this.routes.values()].filter((r) => r.table === id);
  }

  /** Puts a route in place as if left by an earlier run (for cleanup tests). */
  seed(route: FibRoute): void {
    this.routes.set(key(route), route);
  }

  async cleanup(protocol: number, tables: readonly number[], options: { readonly keepNexthopObjects?: boolean } = {}): Promise<number> {
    assertSweepableProtocol(protocol);
    this.cleanups++;
    let n = 0;
    for (const [k, r] of this.routes) {
      if (options.keepNexthopObjects === true && r.nexthopId !== undefined) continue;
      if (r.protocol === protocol && tables.includes(r.table)) {
        this.routes.delete(k);
        n++;
      }
    }
    return n;
  }

  async lookupNexthop(gateway: string): Promise<NexthopLookup> {
    return this.answerLookup(gateway);
  }

  lookupNexthopNow(gateway: string): NexthopLookup {
    return this.answerLookup(gateway);
  }

  private answerLookup(gateway: string): NexthopLookup {
    this.lookups++;
    return this.reachable.get(gateway) ?? { reachable: false };
  }

  async applyRoutes(ops: readonly FibRouteOp[]): Promise<FibApplyResult> {
    const failures: { index: number; error: unknown }[] = [];
    ops.forEach((op, index) => {
      if (this.failures > 0) {
        this.failures--;
        failures.push({ index, error: new Error('injected failure') });
        return;
      }
      this.log.push(op);
      if (op.op === 'delete') {
        if (!this.routes.delete(key(op.route))) failures.push({ index, error: new Error('ESRCH: no such route') });
      } else {
        const r = op.route;
        this.routes.set(key(r), {
          prefix: r.prefix,
          table: r.table,
          metric: r.metric,
          protocol: r.protocol,
          gateway: r.gateway,
          ...(r.ifindex !== undefined ? { ifindex: r.ifindex } : {}),
          ...(r.multipath !== undefined && r.multipath.length > 1 ? { multipath: r.multipath.map((p) => ({ ...p })) } : {}),
        });
      }
    });
    return { failures };
  }

  /** Runs are applied as their operations, one by one ({@link applyRoutes}; `log` records each). */
  applyRouteRuns(runs: readonly FibRouteRun[]): Promise<FibApplyResult> {
    return this.applyRoutes(routeOpsOfRuns(runs));
  }

  async applyNexthopOps(ops: readonly NhgOperation[], protocol: number): Promise<FibApplyResult> {
    const failures: { index: number; error: unknown }[] = [];
    ops.forEach((op, index) => {
      if (this.failures > 0) {
        this.failures--;
        failures.push({ index, error: new Error('injected failure') });
        return;
      }
      this.log.push(op);
      try {
        this.nhgKernel.apply([op]);
        if (op.op === 'route-add' || op.op === 'route-replace') this.routes.set(key(op.route), { ...op.route, protocol, nexthopId: op.nexthopId });
        if (op.op === 'route-delete') this.routes.delete(key(op.route));
      } catch (error) {
        failures.push({ index, error });
      }
    });
    return { failures };
  }

  async snapshotNexthops(protocol: number, tables: readonly number[]): Promise<KernelSnapshot> {
    assertSweepableProtocol(protocol);
    const nexthops: KernelNexthopObject[] = [];
    for (const [id, obj] of this.nhgKernel.objects) {
      nexthops.push(obj.kind === 'group' ? { id, group: obj.members.map((m) => ({ ...m })) } : { id, ...obj.nexthop });
    }
    const routes = [...this.routes.values()]
      .filter((r) => r.nexthopId !== undefined && r.protocol === protocol && tables.includes(r.table))
      .map((r) => ({ route: { prefix: r.prefix, table: r.table, metric: r.metric }, nexthopId: r.nexthopId! }));
    return { nexthops, routes };
  }

  async resolveVrf(name: string): Promise<number | undefined> {
    return this.vrfs.get(name);
  }
}

function key(r: { table: number; prefix: string; metric: number }): string {
  return `${r.table}|${r.prefix}|${r.metric}`;
}
