/**
 * `fibwire-mrt -m` against `bgpdump -m`, as whole processes, on the same real
 * MRT data: the RIPE RIS update files of ../shared/corpus/ripe-bgpdump,
 * decompressed and concatenated many times into a temporary file (never in
 * the repo) large enough to time. Both outputs go to files and must be
 * byte-identical. Prints one JSON line per tool and a summary line; a human
 * table goes to stderr.
 *
 *   npx tsx bench/mrt-bgpdump.ts
 *
 * Env: FIBWIRE_BENCH_MRT_MB (size of the input, default 64), FIBWIRE_BENCH_RUNS
 * (runs per tool, the median is reported; default 3), FIBWIRE_CORPUS.
 *
 * fibwire-mrt runs from dist/cli/fibwire-mrt.js when that build is newer than
 * the sources (`npm run build`), else from an esbuild bundle made in the temp
 * dir (as tsup bundles it), else through tsx. It is given --keep-host-bits so that its output matches
 * the bgpdump 1.6.2 of Debian/Ubuntu exactly (current bgpdump clears host bits).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { MrtFramer } from '../src/bgp/mrt/mrt-framer.js';

const BENCH = 'mrt-bgpdump';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.env['FIBWIRE_CORPUS'] ?? resolve(root, '..', 'shared', 'corpus');
const dataDir = join(corpus, 'ripe-bgpdump', 'test_data');
const targetBytes = Number(process.env['FIBWIRE_BENCH_MRT_MB'] ?? 64) * 1024 * 1024;
const runs = Math.max(1, Number(process.env['FIBWIRE_BENCH_RUNS'] ?? 3));

/** User + system seconds of the children, from the second line of sh's `times` ("0m4.52s 0m0.06s"). */
function childCpuSeconds(timesOutput: string): number {
  const line = timesOutput.trim().split('\n')[1] ?? '';
  let total = 0;
  for (const m of line.matchAll(/(\d+)m([\d.]+)s/g)) total += Number(m[1]) * 60 + Number(m[2]);
  return total;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

function skip(reason: string): never {
  console.log(JSON.stringify({ bench: BENCH, skipped: reason }));
  process.stderr.write(`${BENCH}: skipped: ${reason}\n`);
  process.exit(0);
}

if (spawnSync('bgpdump', ['-T'], { stdio: 'ignore' }).error) skip('bgpdump is not installed (apt-get install bgpdump)');
if (!existsSync(dataDir)) skip(`corpus folder ${dataDir} does not exist`);
const inputs = readdirSync(dataDir)
  .filter((f) => /^updates\.\d{8}\.\d{4}\.gz$/.test(f))
  .sort()
  .map((f) => join(dataDir, f));
if (inputs.length === 0) skip(`no RIS update files in ${dataDir}`);

const tmp = mkdtempSync(join(tmpdir(), 'fibwire-bench-mrt-'));
try {
  // Build the input: the RIS update files, decompressed, concatenated until large enough.
  const once = inputs.map((f) => gunzipSync(readFileSync(f)));
  const onceBytes = once.reduce((n, b) => n + b.length, 0);
  const copies = Math.max(1, Math.ceil(targetBytes / onceBytes));
  const input = join(tmp, 'ris-updates.mrt');
  const fd = openSync(input, 'w');
  for (let c = 0; c < copies; c++) for (const b of once) writeSync(fd, b);
  closeSync(fd);
  const inputBytes = statSync(input).size;

  // Count the records once (framing only).
  const framer = new MrtFramer();
  for (const b of once) framer.push(b);
  framer.end();
  let recordsOnce = 0;
  while (framer.next()) recordsOnce++;
  const records = recordsOnce * copies;

  // Use the build only when it is newer than every MRT source file (a stale build would measure old code).
  const built = join(root, 'dist', 'cli', 'fibwire-mrt.js');
  const newestSource = [join(root, 'src', 'cli', 'fibwire-mrt.ts'), ...listFiles(join(root, 'src', 'bgp', 'mrt'))].reduce((t, f) => Math.max(t, statSync(f).mtimeMs), 0);
  // Otherwise bundle the CLI into the temp dir as tsup would (esbuild, CommonJS, packages external),
  // so that TypeScript compilation is not timed; tsx is the last resort.
  const bundled = join(tmp, 'fibwire-mrt.cjs');
  const esbuild = join(root, 'node_modules', '.bin', 'esbuild');
  const fibwireCmd =
    existsSync(built) && statSync(built).mtimeMs > newestSource
      ? { cmd: process.execPath, args: [built], how: 'dist/cli/fibwire-mrt.js' }
      : existsSync(esbuild) &&
          spawnSync(esbuild, [join(root, 'src', 'cli', 'fibwire-mrt.ts'), '--bundle', '--platform=node', '--format=cjs', '--packages=external', `--outfile=${bundled}`, '--log-level=error'], {
            cwd: root,
            stdio: 'inherit',
          }).status === 0
        ? { cmd: process.execPath, args: [bundled], how: 'esbuild bundle of src/cli/fibwire-mrt.ts' }
        : { cmd: process.execPath, args: ['--import', 'tsx', join(root, 'src', 'cli', 'fibwire-mrt.ts')], how: 'tsx src/cli/fibwire-mrt.ts' };
  const tools = [
    { name: 'bgpdump -m', cmd: 'bgpdump', args: ['-m', input] },
    { name: 'fibwire-mrt -m', cmd: fibwireCmd.cmd, args: [...fibwireCmd.args, '-m', '--keep-host-bits', input] },
  ];

  const sha = async (path: string): Promise<string> => {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
    return h.digest('hex');
  };
  const countPrefixLines = async (path: string): Promise<number> => {
    let n = 0;
    let tail = '';
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const text = tail + (chunk as string);
      const lines = text.split('\n');
      tail = lines.pop() ?? '';
      for (const l of lines) if (!l.includes('|STATE|')) n++;
    }
    return n;
  };

  const results: { name: string; wall: number[]; cpu: number[]; out: string; hash: string }[] = [];
  for (const t of tools) results.push({ name: t.name, wall: [], cpu: [], out: join(tmp, `${t.name.split(' ')[0]}.txt`), hash: '' });
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < tools.length; i++) {
      const t = tools[i]!;
      const r = results[i]!;
      // Through sh so that `times` reports the child's CPU time too: on a busy
      // machine the wall time says more about the neighbours than about the tool.
      const start = process.hrtime.bigint();
      const p = spawnSync('sh', ['-c', '"$0" "$@" > "$OUT" 2>/dev/null; s=$?; times; exit $s', t.cmd, ...t.args], {
        // NODE_PATH lets the bundle in the temp dir find the package's dependencies.
        env: { ...process.env, OUT: r.out, NODE_PATH: join(root, 'node_modules') },
        encoding: 'utf8',
      });
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      if (p.status !== 0 && t.cmd !== 'bgpdump') throw new Error(`${t.name} exited with ${p.status}`);
      r.wall.push(wall);
      r.cpu.push(childCpuSeconds(p.stdout));
    }
  }
  for (const r of results) r.hash = await sha(r.out);
  const identical = results.every((r) => r.hash === results[0]!.hash);
  const prefixes = await countPrefixLines(results[0]!.out);
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  const lines = results.map((r) => {
    const wall = median(r.wall);
    return {
      bench: BENCH,
      tool: r.name,
      ...(r.name.startsWith('fibwire') ? { via: fibwireCmd.how } : {}),
      inputBytes,
      records,
      prefixes,
      wallSeconds: Number(wall.toFixed(3)),
      cpuSeconds: Number(median(r.cpu).toFixed(3)),
      recordsPerSecond: Math.round(records / wall),
      prefixesPerSecond: Math.round(prefixes / wall),
      runs: r.wall.map((w) => Number(w.toFixed(3))),
      identicalOutput: identical,
    };
  });
  for (const l of lines) console.log(JSON.stringify(l));
  const speedup = lines[0]!.wallSeconds / lines[1]!.wallSeconds;
  const cpuSpeedup = lines[0]!.cpuSeconds / lines[1]!.cpuSeconds;
  console.log(
    JSON.stringify({
      bench: BENCH,
      summary: 'bgpdump / fibwire-mrt',
      speedup: Number(speedup.toFixed(2)),
      cpuSpeedup: Number(cpuSpeedup.toFixed(2)),
      identicalOutput: identical,
      goal: 'speedup > 1 with identical output',
    }),
  );
  process.stderr.write(`\n${'tool'.padEnd(16)} ${'wall s'.padStart(8)} ${'cpu s'.padStart(8)} ${'records/s'.padStart(11)} ${'prefixes/s'.padStart(11)}\n`);
  for (const l of lines) {
    process.stderr.write(`${l.tool.padEnd(16)} ${l.wallSeconds.toFixed(2).padStart(8)} ${l.cpuSeconds.toFixed(2).padStart(8)} ${String(l.recordsPerSecond).padStart(11)} ${String(l.prefixesPerSecond).padStart(11)}\n`);
  }
  process.stderr.write(
    `input ${(inputBytes / 1048576).toFixed(1)} MiB, ${records} records, ${prefixes} prefix lines; outputs ${identical ? 'identical' : 'DIFFER'}; ` +
      `speedup ${speedup.toFixed(2)}x wall, ${cpuSpeedup.toFixed(2)}x CPU\n`,
  );
  if (!identical) process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
