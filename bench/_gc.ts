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
 * That was code held by closures made per run; a bench whose timed code is
 * module-level functions and class methods keeps it across full collections
 * and can use {@link collectBeforeRun} instead.
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

/**
 * A full collection before a timed run, then a pause for V8's concurrent
 * sweeping of what it freed: the run starts on a heap without the garbage of
 * the runs before it. With promoteInputs() alone, the major collection that
 * everyone's garbage brings on starts inside whichever run crosses the limit,
 * and the run that pays is not the one that made the garbage. In the
 * fib-export bench (300 iterations at 10k routes, contenders in a fixed
 * rotation) the client and its control, the same run with a different run
 * before it, read 4–5 % apart (paired medians 1.036–1.053 in three benches;
 * 95 % bootstrap intervals above 1.0 in two of them); with this, 1.005 and
 * 1.009 (intervals around 1.0).
 *
 * Only for timed code that is module-level functions and class methods (see
 * above): measured with `--trace-opt` over 60 iterations of the fib-export
 * bench, 131 optimizations with it against 127 without, so no recompilation.
 * The pause is 10 ms plus 1 ms per 10,000 routes of the run to come (the
 * heap left by a run grows with its size).
 */
export async function collectBeforeRun(routes: number): Promise<void> {
  if (gc === undefined) return;
  gc({ type: 'major' });
  await new Promise<void>((resolve) => setTimeout(resolve, 10 + Math.ceil(routes / 10_000)));
}
