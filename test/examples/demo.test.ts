import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * Keeps `npm run demo` (the README's main command) true: runs it as a whole
 * process on the shipped sample and checks what it reports against itself and
 * against iproute2 (the demo prints both counts).
 */
describe('npm run demo', () => {
  it('reads the sample MRT file and round-trips its routes through the kernel', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], { encoding: 'utf8', timeout: 120_000 });
    const routes = /(\d+) routes, (\d+) distinct prefixes \((\d+) IPv6\), (\d+) peers/.exec(out);
    expect(routes, out).not.toBeNull();
    expect(Number(routes![1])).toBeGreaterThan(Number(routes![2]) - 1);
    expect(Number(routes![4])).toBeGreaterThan(0);
    expect(out).toMatch(/a few decoded routes:\n {2}\S+\/\d+ +via \S+/);
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
      expect(out).toContain('[kernel] skipped');
      return;
    }
    const installed = /installed (\d+) of (\d+) IPv4 routes/.exec(out);
    const seen = /fibwire dump sees (\d+) routes .* sees (\d+)/.exec(out);
    expect(installed && seen, out).toBeTruthy();
    expect(installed![1]).toBe(installed![2]);
    expect(seen![1]).toBe(installed![1]);
    expect(seen![2]).toBe(installed![1]);
    expect(out).toMatch(/removed \d+ routes; 0 left/);
    expect(out).toMatch(/namespace fwdemo-\w+ deleted/);
  });
});
