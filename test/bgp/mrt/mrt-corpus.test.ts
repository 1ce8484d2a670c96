/**
 * Conformance tier over ../shared/corpus (external data, never copied into the
 * repo): RIPE bgpdump's expected `bgpdump -vm` output matched line for line,
 * mrtparse samples and bgpkit-parser fixtures read record by record (damaged
 * framing as typed errors), and a differential run against the installed
 * `bgpdump` binary. Each part says plainly when its data or tool is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BgpdumpFormatter, type BgpdumpFormatterOptions } from '../../../src/bgp/mrt/bgpdump/formatter.js';
import { MrtError } from '../../../src/bgp/mrt/mrt-error.js';
import type { MrtRecord } from '../../../src/bgp/mrt/mrt-record.js';
import { MrtReader } from '../../../src/bgp/mrt/mrt-reader.js';
import { corpusAvailable, loadBgpkitFixtures, loadMrtparseSamples, loadRipeBgpdumpPairs, REPO_ROOT } from '../../support/corpus.js';

async function bgpdumpLines(path: string, opts: BgpdumpFormatterOptions = {}): Promise<string> {
  const fmt = new BgpdumpFormatter(opts);
  const parts: string[] = [];
  for await (const batch of new MrtReader(path).rawBatches()) for (const r of batch) if (!(r instanceof MrtError)) parts.push(fmt.format(r));
  return parts.join('');
}

async function readAll(path: string, recover = false): Promise<{ records: MrtRecord[]; errors: MrtError[] }> {
  const records: MrtRecord[] = [];
  const errors: MrtError[] = [];
  for await (const r of new MrtReader(path, { recover })) {
    if (r instanceof MrtError) errors.push(r);
    else records.push(r);
  }
  return { records, errors };
}

const ripeMissing = corpusAvailable('ripe-bgpdump');
if (ripeMissing) console.warn(`MRT conformance: ripe-bgpdump tier skipped: ${ripeMissing}`);
describe.skipIf(ripeMissing !== undefined)('ripe-bgpdump: every expected `bgpdump -vm` line', () => {
  const pairs = ripeMissing ? [] : loadRipeBgpdumpPairs();
  it('has the input/expected pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(10);
  });
  it.each(pairs.map((p) => [p.name, p] as const))('%s', async (_name, pair) => {
    const expected = gunzipSync(readFileSync(pair.expectedPath)).toString('utf8').split('\n');
    const got = (await bgpdumpLines(pair.inputPath)).split('\n');
    let matched = 0;
    for (let i = 0; i < expected.length; i++) if (expected[i] === got[i]) matched++;
    if (matched !== expected.length) console.warn(`${pair.name}: ${matched}/${expected.length} lines match`);
    expect(got.length).toBe(expected.length);
    expect(got).toEqual(expected);
  });
});

const mrtparseMissing = corpusAvailable('mrtparse-samples');
if (mrtparseMissing) console.warn(`MRT conformance: mrtparse-samples tier skipped: ${mrtparseMissing}`);
describe.skipIf(mrtparseMissing !== undefined)('mrtparse samples: every record reads', () => {
  const samples = mrtparseMissing ? [] : loadMrtparseSamples();
  it.each(samples.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const { records, errors } = await readAll(s.path);
    expect(errors).toEqual([]);
    expect(records.length).toBeGreaterThan(0);
    // Every BGP message inside decodes or fails with a typed BgpError, and every record serialises.
    for (const r of records) {
      JSON.stringify(r);
      if (r.kind === 'bgp4mp-message') {
        try {
          r.decode();
        } catch (e) {
          expect((e as { code?: unknown }).code).toMatch(/^ERR_BGP_/);
        }
      }
    }
  });
  it('openbgpd TABLE_DUMP, TABLE_DUMP_V2 and BGP4MP_ENTRY files have their record kinds', async () => {
    const byName = new Map(samples.map((s) => [s.name, s.path]));
    const kinds = async (n: string): Promise<string[]> => [...new Set((await readAll(byName.get(n)!)).records.map((r) => r.kind))];
    expect(await kinds('openbgpd_rib_table')).toEqual(['table-dump']);
    expect(await kinds('openbgpd_rib_table-v2')).toEqual(['peer-index-table', 'rib']);
    expect(await kinds('openbgpd_rib_table-mp')).toEqual(['unknown']); // deprecated BGP4MP_ENTRY, kept raw
  });
});

const bgpkitMissing = corpusAvailable('bgpkit-parser-fixtures');
if (bgpkitMissing) console.warn(`MRT conformance: bgpkit-parser-fixtures tier skipped: ${bgpkitMissing}`);
describe.skipIf(bgpkitMissing !== undefined)('bgpkit-parser fixtures: historic RIS edge cases', () => {
  const fixtures = bgpkitMissing ? [] : loadBgpkitFixtures().filter((f) => f.kind === 'mrt');
  const path = (suffix: string): string => fixtures.find((f) => f.name.endsWith(suffix))!.path;

  it.each(fixtures.filter((f) => !f.name.includes('2000.03')).map((f) => [f.name, f] as const))('%s reads without errors', async (_n, f) => {
    const { records, errors } = await readAll(f.path);
    expect(errors).toEqual([]);
    expect(records.length).toBeGreaterThan(0);
  });

  it('rrc03: the 796 records bgpkit asserts upstream, Quagga states 7 and 8', async () => {
    const { records } = await readAll(path('updates.20100227.1600.first-796-records.gz'));
    expect(records).toHaveLength(796);
    const states = new Set(records.flatMap((r) => (r.kind === 'bgp4mp-state-change' ? [r.oldState, r.newState] : [])));
    expect(states.has(7) || states.has(8)).toBe(true);
  });

  it('1999.12: deprecated type 5 records, one OPEN and one NOTIFY among them', async () => {
    const { records } = await readAll(path('rrc00/1999.12/updates.19991214.1621.gz'));
    expect(records.every((r) => r.kind === 'bgp-legacy')).toBe(true);
    const subtypes = records.map((r) => r.header.subtype);
    expect(subtypes.filter((s) => s === 5)).toHaveLength(1);
    expect(subtypes.filter((s) => s === 6)).toHaveLength(1);
    expect(records).toHaveLength(18203);
  });

  it('rrc01/2000.11: shortened Zebra state changes and OPENs read', async () => {
    const { records } = await readAll(path('rrc01/2000.11/updates.20001104.0124.gz'));
    expect(records).toHaveLength(1286);
    expect(records.some((r) => r.kind === 'bgp4mp-state-change' && r.header.body.length === 8)).toBe(true);
  });

  it('2000.03 damaged framing: a typed error where the framing breaks; with recover, reading continues to the end', async () => {
    const file = path('rrc00/2000.03/updates.20000325.0345.gz');
    const plain = await readAll(file);
    expect(plain.records).toHaveLength(6); // 5 good records and the bogus type-32305 one, as bgpdump reads them
    expect(plain.errors.map((e) => [e.code, e.offset])).toEqual([['ERR_MRT_RECORD_TOO_LARGE', 15024]]);
    const recovered = await readAll(file, true);
    expect(recovered.errors.map((e) => [e.code, e.offset])).toEqual([['ERR_MRT_MALFORMED', 14756]]);
    expect(recovered.records).toHaveLength(2217);
    expect(recovered.records.every((r) => r.kind === 'bgp-legacy')).toBe(true);
  });
});

// ── differential: the installed bgpdump binary ─────────────────────────────

const bgpdumpVersion = ((): string | undefined => {
  const r = spawnSync('bgpdump', ['-T'], { encoding: 'utf8' });
  return r.error ? undefined : 'installed';
})();
if (!bgpdumpVersion) console.warn('MRT differential: `bgpdump` is not installed (apt-get install bgpdump): differential tests skipped');

describe.skipIf(!bgpdumpVersion)('differential against `bgpdump -m`', () => {
  const files: string[] = [`${REPO_ROOT}/examples/data/sample.mrt.gz`];
  if (!ripeMissing) files.push(...loadRipeBgpdumpPairs().map((p) => p.inputPath));
  if (!mrtparseMissing) files.push(...loadMrtparseSamples().map((s) => s.path));
  if (!bgpkitMissing) files.push(...loadBgpkitFixtures().filter((f) => f.kind === 'mrt').map((f) => f.path));
  it.each(files.map((f) => [f.replace(/^.*\/(corpus|examples)\//, ''), f] as const))('%s', async (_n, file) => {
    const theirs = execFileSync('bgpdump', ['-m', file], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
    // The Debian bgpdump (1.6.2) prints UPDATE prefixes with their host bits; current bgpdump clears them.
    const ours = await bgpdumpLines(file, { maskHostBits: false });
    expect(ours).toBe(theirs);
  });
  it.each(files.filter((f) => !/updates\.20(07|16)/.test(f)).map((f) => [f.replace(/^.*\/(corpus|examples)\//, ''), f] as const))('%s with -l (large communities)', async (_n, file) => {
    const theirs = execFileSync('bgpdump', ['-m', '-l', file], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
    expect(await bgpdumpLines(file, { maskHostBits: false, largeCommunities: true })).toBe(theirs);
  });
});
