/**
 * `npm run bench`: runs every benchmark script in bench/ one after another and
 * passes their output through. Each script prints one JSON line per figure (and
 * may print a human table to stderr). `--expose-gc` lets a bench collect garbage
 * before it starts a clock. Scripts that need root or a tool that is
 * missing say so themselves and print a JSON line with `"skipped"`.
 *
 * Select scripts by substring: `npm run bench -- mrt netlink`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

let failed = 0;
for (const script of scripts) {
  process.stderr.write(`\n== bench/${script}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, script)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(JSON.stringify({ bench: script, error: `exit status ${r.status ?? r.signal}` }));
  }
}
process.exitCode = failed ? 1 : 0;
