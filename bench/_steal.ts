/**
 * Time the hypervisor took from this VM's vCPUs ("steal", /proc/stat), so a
 * benchmark row can say how much of its wall time the machine was not ours.
 * On the two-vCPU VM these benches were written on, steal takes 0–50 % of a
 * 300 ms run and is the main reason the same cell moves from run to run.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** Steal so far in milliseconds, averaged over the vCPUs; undefined where /proc cannot tell. */
export function stolenMillis(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  let total = 0;
  let cpus = 0;
  for (const line of stat.split('\n')) {
    if (!/^cpu\d/.test(line)) continue;
    // cpuN user nice system idle iowait irq softirq steal ...
    const steal = Number(line.split(/\s+/)[8]);
    if (!Number.isFinite(steal)) return undefined;
    total += steal;
    cpus++;
  }
  return cpus === 0 ? undefined : (total * 1000) / USER_HZ / cpus;
}
