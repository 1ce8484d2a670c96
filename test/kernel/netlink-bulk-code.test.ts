/**
 * rtnl.bulk()'s per-operation code stays optimized from one bulk to the next
 * (see BulkStream in src/netlink/bulk.ts): a child process runs bulks of
 * routes into a real kernel with a full garbage collection in between, under
 * V8's --trace-opt. When the stream was a set of closures inside runBulkWith,
 * their optimized code lived only as long as one of them did: the
 * per-operation `add` was compiled again after every collection (once per
 * bulk here), and each bulk encoded its first batches in the interpreter.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createNamespace, type TestNamespace } from '../support/netns.js';
import { runTracedBursts } from '../support/traced-bursts.js';

const SCRIPT = fileURLToPath(new URL('./netlink-bulk-bursts.script.ts', import.meta.url));
/** Bulks after the script's three warm-up bulks. */
const BURSTS = 12;

let ns: TestNamespace | undefined;
afterEach(async () => {
  await ns?.dispose();
  ns = undefined;
});

describe('rtnl.bulk() code across bulks (V8 traces, real kernel)', () => {
  it('the per-operation function is not recompiled after every garbage collection', async () => {
    ns = await createNamespace('fwbulkc', { veths: [{ name: 'va', peer: 'pa', addresses: ['10.77.0.1/24'] }] });
    const { stdout, lines, warm } = await runTracedBursts(SCRIPT, ns.name, BURSTS, 4000, ['--trace-opt']);
    expect(stdout).toContain('bursts done');
    expect(warm).toBeGreaterThan(0);
    // Functions are told apart by their SharedFunctionInfo: a closure's has no name in the trace.
    const optimized = (from: number, to: number): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const l of lines.slice(from, to)) {
        const sfi = l.includes('completed optimizing') ? /\(sfi = (0x[0-9a-f]+)\)/.exec(l)?.[1] : undefined;
        if (sfi !== undefined) counts.set(sfi, (counts.get(sfi) ?? 0) + 1);
      }
      return counts;
    };
    // The trace is live: BulkStream's `add` reached the optimizing compiler during warm-up.
    expect(lines.slice(0, warm).some((l) => l.includes('completed optimizing') && l.includes('<JSFunction add '))).toBe(true);
    const again = [...optimized(warm, lines.length)].filter(([, n]) => n > BURSTS / 4);
    expect(again, `optimized again and again after warm-up: ${JSON.stringify(again)}`).toEqual([]);
  }, 180_000);
});
