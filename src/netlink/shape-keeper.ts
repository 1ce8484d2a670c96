/**
 * Instances kept for the life of the process, one per class that asks, so that
 * V8 keeps the class's object shape between bursts of work.
 *
 * Why: V8 reaches the shape (hidden class) of a class instance from the
 * constructor's initial shape by one transition per field, and holds those
 * transitions weakly. A class whose instances all die between two bursts
 * (the FIB exporter's RouteRunList and FibRouteRunEncoder, a few per slice;
 * a bulk's stream, one per rtnl.bulk() call)
 * loses its shape at the next garbage collection, and with it every optimized
 * function that checks for that shape (`--trace-deopt`: "weak objects").
 * Measured on a 10k-route export, one new exporter per burst: `diffPlain`,
 * `passNow`, `RouteRunList.add` and the run encoder's `encode` and `seek`
 * were thrown away in 19 of 20 bursts, and each burst then ran them in the
 * interpreter until they were optimized again. An object literal's shape is
 * held by its literal site and does not need this.
 */
const kept: object[] = [];

/** Keeps `instance` (and so its class's shape) alive for the life of the process; returns it. */
export function keepShapeOf<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}
