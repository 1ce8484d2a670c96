import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BgpdumpFormatter } from '../../src/bgp/mrt/bgpdump/formatter.js';
import { MrtError } from '../../src/bgp/mrt/mrt-error.js';
import { MrtReader } from '../../src/bgp/mrt/mrt-reader.js';
import { REPO_ROOT } from '../support/corpus.js';
import { concatBytes, hex } from '../support/hex.js';
import { record, STATE_CHANGE_AS4, T } from '../bgp/mrt/mrt-vectors.js';

const CLI = join(REPO_ROOT, 'src', 'cli', 'fibwire-mrt.ts');
const SAMPLE = join(REPO_ROOT, 'examples', 'data', 'sample.mrt.gz');
const dir = mkdtempSync(join(tmpdir(), 'fibwire-mrt-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input?: Uint8Array): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function inProcess(path: string): Promise<string> {
  const fmt = new BgpdumpFormatter();
  let out = '';
  for await (const b of new MrtReader(path).rawBatches()) for (const r of b) if (!(r instanceof MrtError)) out += fmt.format(r);
  return out;
}

describe('fibwire-mrt CLI', () => {
  it('-m prints the bgpdump one-line format of the shipped sample', async () => {
    const r = run(['-m', SAMPLE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(await inProcess(SAMPLE));
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(400);
    expect(lines[0]).toMatch(/^TABLE_DUMP2\|1767225600\|B\|192\.0\.2\.1\|64496\|10\.0\.0\.0\/20\|/);
    expect(lines.some((l) => l.startsWith('BGP4MP|') && l.includes('|STATE|'))).toBe(true);
    expect(lines.some((l) => l.includes('|W|2001:db8:'))).toBe(true);
  });

  it('reads stdin with `-`', () => {
    const r = run(['-m', '-'], readFileSync(SAMPLE));
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').length).toBeGreaterThan(400);
  });

  it('--json prints one JSON object per record', () => {
    const r = run(['--json', SAMPLE]);
    expect(r.status).toBe(0);
    const objs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string });
    expect(objs[0]!.kind).toBe('peer-index-table');
    expect(new Set(objs.map((o) => o.kind))).toEqual(new Set(['peer-index-table', 'rib', 'bgp4mp-state-change', 'bgp4mp-message']));
  });

  it('-v reports damaged records on stderr and the exit status says so', () => {
    const bad = record(T, 16, 5, hex('0000fde8 0000fde9 0000 0007 c0000201 c0000202 0001 0002')); // AFI 7
    const p = join(dir, 'damaged.mrt');
    writeFileSync(p, concatBytes([STATE_CHANGE_AS4, bad, STATE_CHANGE_AS4]));
    const quiet = run(['-m', p]);
    expect(quiet.stderr).toBe('');
    const r = run(['-v', '-m', p]);
    expect(r.status).toBe(2);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2); // the damaged record prints nothing, the rest does
    // bgpdump -m prints nothing for it either; --json shows the typed error
    expect(r.stderr).toMatch(/ERR_MRT_BAD_AFI/);
    const j = run(['--json', p]);
    expect(j.stdout).toMatch(/"code":"ERR_MRT_BAD_AFI"/);
  });

  it('usage errors exit 1 with the usage text', () => {
    const r = run(['-x', SAMPLE]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/usage: fibwire-mrt/);
    expect(run([SAMPLE]).status).toBe(1);
  });

  it('a missing file is a message, not a stack trace', () => {
    const r = run(['-m', join(dir, 'nope.mrt')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/ENOENT|no such file/i);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
