/**
 * Child processes that repeat a burst of kernel work under V8's traces
 * (--trace-opt, --trace-deopt), with a full garbage collection between bursts,
 * to show whether optimized code survives from one burst to the next
 * (test/kernel/*-bursts.script.ts and the tests that run them).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Bursts the child runs before it prints `warmed up`. */
export const WARM_UP_BURSTS = 3;

/** The child's side: its arguments (namespace, bursts, routes per burst) and `gc`, which it must have. */
export function burstArguments(): { netns: string; bursts: number; routes: number; gc: () => void } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  return { netns: process.argv[2]!, bursts: Number(process.argv[3] ?? 12), routes: Number(process.argv[4] ?? 4000), gc };
}

/**
 * The test's side: runs `script` for WARM_UP_BURSTS + `bursts` bursts of
 * `routes` routes in namespace `netns` under the V8 `traceFlags`; returns its
 * output, its lines and the index of the `warmed up` line (-1 if missing).
 * No vitest here: the child scripts import this module too.
 */
export async function runTracedBursts(script: string, netns: string, bursts: number, routes: number, traceFlags: readonly string[]): Promise<{ stdout: string; lines: string[]; warm: number }> {
  const { stdout } = await run(process.execPath, ['--expose-gc', ...traceFlags, '--import', 'tsx', script, netns, String(bursts + WARM_UP_BURSTS), String(routes)], {
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  const lines = stdout.split('\n');
  return { stdout, lines, warm: lines.indexOf('warmed up') };
}
