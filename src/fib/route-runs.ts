import type { ExportedRoute } from './fib-exporter.js';
import type { FibRouteOp, FibRouteRun } from './fib-sink.js';
import { keepShapeOf } from '../netlink/shape-keeper.js';

/**
 * A route the exporter installed, without its prefix. One object serves every
 * prefix of a slice that got the same route (one UPDATE's prefixes through one
 * rule), so a prefix in the kernel costs the exporter its state and nothing
 * more: at a million routes that is a million objects fewer for every major
 * garbage collection to mark. Never changed once made (a change makes another).
 */
export type InstalledRoute = Omit<ExportedRoute, 'prefix'>;

/** The exporter's run: its route is an {@link InstalledRoute}, its prefix list still growing while the slice is built. */
export interface InstalledRouteRun extends FibRouteRun {
  readonly route: InstalledRoute;
  readonly prefixes: string[];
}

/** The public record of one installed route (what `exported()` and the events give). */
export function exportedRoute(prefix: string, r: InstalledRoute): ExportedRoute {
  return {
    prefix,
    table: r.table,
    metric: r.metric,
    protocol: r.protocol,
    gateway: r.gateway,
    ifindex: r.ifindex,
    paths: r.paths,
    multipath: r.multipath,
    rule: r.rule,
    exportedAt: r.exportedAt,
  };
}

/**
 * A slice's route operations, collected as runs: an operation joins the last
 * run when it has the same operation and the very same route object (the
 * exporter shares one per slice and rule, see InstalledRoute), so a slice of
 * one rule's routes is one run.
 */
export class RouteRunList {
  readonly runs: InstalledRouteRun[] = [];
  /** Operations in all runs. */
  length = 0;
  private last: InstalledRouteRun | undefined;

  add(op: FibRouteOp['op'], route: InstalledRoute, prefix: string): void {
    const last = this.last;
    if (last !== undefined && last.op === op && last.route === route) last.prefixes.push(prefix);
    else {
      const run: InstalledRouteRun = { op, route, prefixes: [prefix] };
      this.runs.push(run);
      this.last = run;
    }
    this.length++;
  }
}

// One list lives on, so its shape does (see keepShapeOf): every slice makes a list and none outlives its burst.
keepShapeOf(new RouteRunList());

/**
 * Any runs' operations one object each, in order (`{ prefix, ...route }`):
 * for a sink without `applyRouteRuns`, and for code written for operations.
 * The exporter's runs give each route its full `ExportedRoute` record.
 */
export function routeOpsOfRuns(runs: readonly FibRouteRun[]): FibRouteOp[] {
  const ops: FibRouteOp[] = [];
  for (const run of runs) for (const prefix of run.prefixes) ops.push({ op: run.op, route: { prefix, ...run.route } } as FibRouteOp);
  return ops;
}
