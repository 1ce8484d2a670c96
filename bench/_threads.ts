/**
 * CPU time of the process's main thread, apart from its other threads.
 *
 * `process.cpuUsage()` adds up every thread: the addon's send thread (whose
 * user share is the tick-based accounting's part of the kernel work it runs),
 * V8's compiler and garbage-collector helpers, libuv's pool. fibwire's own
 * per-route work (encoding, the bulk window, the exporter) runs on the main
 * thread, so that thread's user time is the figure "user CPU per route" means.
 * Read from /proc/self/task/<tid>/stat (Linux; the main thread's tid is the
 * pid). Clock ticks of 10 ms: sum it over runs of 100k routes or more.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** User and system seconds of the main thread so far; undefined where /proc cannot tell. */
export function mainThreadCpu(): { user: number; system: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return { user: utime / USER_HZ, system: stime / USER_HZ };
}
