/**
 * The exporter's hot code stays optimized from one burst to the next (see
 * src/netlink/shape-keeper.ts): a child process exports bursts of routes into a
 * real kernel, each through a new exporter with a full garbage collection in
 * between, under V8's --trace-opt/--trace-deopt. Before keepShapeOf, the
 * shapes of the per-slice objects (RouteRunList, FibRouteRunEncoder) died
 * between bursts, and V8 threw away the functions compiled against them
 * ("reason: weak objects") in nearly every burst: 7–13 times each for
 * `RouteRunList.add`, `diffPlain` and `passNow`, 5–6 for the run encoder's `encode`, in 12 bursts.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createNamespace, type TestNamespace } from '../support/netns.js';
import { runTracedBursts } from '../support/traced-bursts.js';

const SCRIPT = fileURLToPath(new URL('./fib-exporter-bursts.script.ts', import.meta.url));
/** Bursts after the script's three warm-up bursts. */
const BURSTS = 12;
/** Functions of the per-route path that check for the per-slice objects' shapes (`encode`: the run encoder's, and any other of that name). */
const HOT = ['add', 'diffPlain', 'passNow', 'encode'];

let ns: TestNamespace | undefined;
afterEach(async () => {
  await ns?.dispose();
  ns = undefined;
});

describe('FibExporter code across bursts (V8 traces, real kernel)', () => {
  it('the per-route functions are not thrown away burst after burst because a shape died', async () => {
    ns = await createNamespace('fwshape', { veths: [{ name: 'va', peer: 'pa', addresses: ['10.77.0.1/24'] }] });
    const { stdout, lines, warm } = await runTracedBursts(SCRIPT, ns.name, BURSTS, 4000, ['--trace-opt', '--trace-deopt']);
    expect(stdout).toContain('bursts done');
    expect(warm).toBeGreaterThan(0);
    // The trace is live: these functions did reach the optimizing compiler.
    for (const fn of HOT) expect(lines.some((l) => l.includes('completed optimizing') && l.includes(`<JSFunction ${fn} `)), fn).toBe(true);
    const steady = lines.slice(warm);
    const thrownAway = Object.fromEntries(HOT.map((fn) => [fn, steady.filter((l) => l.includes('reason: weak objects') && l.includes(`<SharedFunctionInfo ${fn}>`)).length]));
    // A shape may still die once (a field type settling late); not in every burst.
    for (const fn of HOT) expect(thrownAway[fn], `${fn}: ${JSON.stringify(thrownAway)}`).toBeLessThanOrEqual(BURSTS / 4);
  }, 180_000);
});
