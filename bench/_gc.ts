/**
 * Garbage collection around timed regions (with `node --expose-gc`, as `npm run bench` runs).
 *
 * Inputs built just before a timed run are young objects: the first scavenges
 * inside the run would copy them, so the run would pay for its own setup. Two
 * minor collections promote them to the old generation before the clock starts.
 *
 * Not a full collection: a forced mark-compact also throws away the optimized
 * code of functions that did not run since the previous one (measured: with a
 * client run between two exporter runs, every exporter function was back to
 * the interpreter at the start of each run, its recompilation costing 20 ms of
 * a 10k-route export on this machine). A long-running program never pays that.
 */
const gc = (globalThis as { gc?: (options?: { type?: 'minor' | 'major' }) => void }).gc;

/** Promotes the live young objects (the inputs of the next timed run) to the old generation. */
export function promoteInputs(): void {
  if (gc === undefined) return;
  gc({ type: 'minor' });
  gc({ type: 'minor' });
}

/**
 * A full collection, for the point where a bench has just dropped a large
 * heap of its own (a dump of 1M routes as objects): without it, V8 marks that
 * garbage on its helper threads during the next timed runs. Measured: the
 * operation-object adds that followed the 100k and 1M dumps used 3.1–3.3 µs of
 * user CPU per route (0.6–1.0 of them on the main thread) and rated 0.58–0.61
 * of the C client, against 0.7–0.9 µs and 0.86–0.97 in the cells before.
 * Only outside timed regions, and not before every run (see above).
 */
export function collectDroppedHeap(): void {
  gc?.({ type: 'major' });
}
