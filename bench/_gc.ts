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
 * It still does for class methods and module-level functions (see
 * settleBeforeRun).
 */
const gc = (globalThis as { gc?: (options?: { type?: 'minor' | 'major' }) => void }).gc;

/** Promotes the live young objects (the inputs of the next timed run) to the old generation. */
export function promoteInputs(): void {
  if (gc === undefined) return;
  gc({ type: 'minor' });
  gc({ type: 'minor' });
}

/**
 * Meant as a full collection, for the point where a bench has just dropped a
 * large heap of its own (a dump of 1M routes as objects). In Node 20's V8,
 * `gc({ type: 'major' })` runs a minor collection (a scavenge, as `--trace-gc`
 * shows; a bare `gc()` is the full one), so that is what this does and what
 * the figure it was added for measured: the operation-object adds that
 * followed the 100k and 1M dumps used 3.1–3.3 µs of user CPU per route
 * (0.6–1.0 of them on the main thread) and rated 0.58–0.61 of the C client
 * without it, against 0.7–0.9 µs and 0.86–0.97 in the cells before. Only
 * outside timed regions.
 */
export function collectDroppedHeap(): void {
  gc?.({ type: 'major' });
}

/**
 * What each export-rate run of the fib-export bench starts from: one minor
 * collection (its inputs leave the allocation area but stay young, where
 * promoteInputs() moves them into the old generation; a scavenge inside the
 * run copies them, as it would a program's freshly received routes), then a
 * pause of 10 ms plus 1 ms per 10,000 routes of the run to come, outside the
 * clock.
 *
 * The bench's control is the client run again with a different run before
 * it, so it should read 1.0 against the client. Paired medians of 300
 * iterations at 10k routes (95 % intervals):
 * - promoteInputs() alone: 1.036, 1.040, 1.053; intervals above 1.0 in two;
 * - promoteInputs() and the pause: 1.046 (1.013–1.066), 1.037 (1.004–1.070);
 * - this: 1.005 (0.964–1.040), 1.009 (0.986–1.051), 1.000 (0.972–1.030).
 * So old-generation garbage made of promoted inputs decided what a run paid,
 * depending on which runs came before it. A full collection (`gc()`) is no
 * way out: it throws away optimized code (see above), and with it before
 * each run `--trace-opt` counted 1,151 optimizations in 60 iterations instead
 * of 127–131, the exporter reading 0.48 of the client.
 */
export async function settleBeforeRun(routes: number): Promise<void> {
  if (gc === undefined) return;
  gc({ type: 'minor' });
  await new Promise<void>((resolve) => setTimeout(resolve, 10 + Math.ceil(routes / 10_000)));
}
