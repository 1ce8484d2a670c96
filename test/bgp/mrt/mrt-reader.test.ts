import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MrtError } from '../../../src/bgp/mrt/mrt-error.js';
import type { MrtRecord } from '../../../src/bgp/mrt/mrt-record.js';
import { MrtReader } from '../../../src/bgp/mrt/mrt-reader.js';
import { detectCompression } from '../../../src/bgp/mrt/mrt-source.js';
import { concatBytes, hex } from '../../support/hex.js';
import * as V from './mrt-vectors.js';

const dir = mkdtempSync(join(tmpdir(), 'fibwire-mrt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILE = concatBytes([V.PEER_INDEX, V.RIB_V4, V.RIB_V6, V.BGP4MP_AS4, V.STATE_CHANGE_V6, V.TABLE_DUMP_V4]);
const KINDS = ['peer-index-table', 'rib', 'rib', 'bgp4mp-message', 'bgp4mp-state-change', 'table-dump'];

async function readAll(reader: MrtReader): Promise<(MrtRecord | MrtError)[]> {
  const out: (MrtRecord | MrtError)[] = [];
  for await (const r of reader) out.push(r);
  return out;
}

const kinds = (items: (MrtRecord | MrtError)[]): string[] => items.map((r) => (r instanceof MrtError ? r.code : r.kind));

describe('MrtReader', () => {
  it('detects compression by magic bytes', () => {
    expect(detectCompression(hex('1f8b0800'))).toBe('gzip');
    expect(detectCompression(hex('425a6839'))).toBe('bzip2');
    expect(detectCompression(hex('5f5e1000'))).toBe('none');
  });

  it('reads a plain file path', async () => {
    const p = join(dir, 'plain.mrt');
    writeFileSync(p, FILE);
    const reader = new MrtReader(p);
    expect(kinds(await readAll(reader))).toEqual(KINDS);
    expect([reader.stats.compression, reader.stats.records, reader.stats.errors, reader.stats.bytes]).toEqual(['none', 6, 0, FILE.length]);
  });

  it('reads gzip (also several concatenated members) transparently', async () => {
    const p = join(dir, 'two.mrt.gz');
    writeFileSync(p, concatBytes([gzipSync(FILE.subarray(0, 100)), gzipSync(FILE.subarray(100))]));
    const reader = new MrtReader(p);
    expect(kinds(await readAll(reader))).toEqual(KINDS);
    expect(reader.stats.compression).toBe('gzip');
  });

  it('reads bzip2 transparently', async (ctx) => {
    const bz = spawnSync('bzip2', ['-c'], { input: FILE });
    if (bz.status !== 0) {
      console.warn('bzip2 binary not available: skipping the bzip2 input test');
      ctx.skip();
    }
    const p = join(dir, 'plain.mrt.bz2');
    writeFileSync(p, bz.stdout);
    const reader = new MrtReader(p);
    expect(kinds(await readAll(reader))).toEqual(KINDS);
    expect(reader.stats.compression).toBe('bzip2');
  });

  it('reads a Readable stream delivered one byte at a time', async () => {
    const gz = gzipSync(FILE);
    const stream = Readable.from((function* () {
      for (let i = 0; i < gz.length; i++) yield gz.subarray(i, i + 1);
    })());
    expect(kinds(await readAll(new MrtReader(stream)))).toEqual(KINDS);
  });

  it('a cut gzip file gives the records before the cut, then typed errors', async () => {
    const gz = gzipSync(FILE);
    const p = join(dir, 'cut.mrt.gz');
    writeFileSync(p, gz.subarray(0, gz.length - 30));
    const got = kinds(await readAll(new MrtReader(p)));
    expect(got.at(-1)).toBe('ERR_MRT_DECOMPRESS');
    expect(got.filter((k) => !k.startsWith('ERR_')).length).toBeGreaterThan(0);
  });

  it('a damaged record is an error item and reading goes on', async () => {
    const bad = V.record(V.T, 16, 4, hex('0000fde8 0000fde9 0000 0009 c0000201 c0000202')); // AFI 9
    const got = kinds(await readAll(new MrtReader(Readable.from([concatBytes([V.STATE_CHANGE_AS4, bad, V.STATE_CHANGE_AS4])]))));
    expect(got).toEqual(['bgp4mp-state-change', 'ERR_MRT_BAD_AFI', 'bgp4mp-state-change']);
  });

  it('a length over the cap ends the stream with one error item', async () => {
    const file = concatBytes([V.STATE_CHANGE_AS4, hex('5f5e1000 0010 0004 7fffffff'), V.STATE_CHANGE_AS4]);
    const reader = new MrtReader(Readable.from([file]), { maxRecordLength: 65536 });
    expect(kinds(await readAll(reader))).toEqual(['bgp4mp-state-change', 'ERR_MRT_RECORD_TOO_LARGE']);
  });

  it('can be iterated once', async () => {
    const reader = new MrtReader(Readable.from([FILE]));
    await readAll(reader);
    await expect(readAll(reader)).rejects.toThrow(/once/);
  });

  it('mutated input gives records and typed errors only, and always ends', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(FILE.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat(FILE.length),
        fc.boolean(),
        async (flips, cut, recover) => {
          const bytes = FILE.slice(0, Math.max(1, cut));
          for (const [at, v] of flips) if (at < bytes.length) bytes[at] = v;
          const items = await readAll(new MrtReader(Readable.from([bytes]), { recover, maxRecordLength: 1 << 16 }));
          for (const r of items) {
            if (r instanceof MrtError) expect(r.code).toMatch(/^ERR_MRT_/);
            else JSON.stringify(r); // every record and its lazy parts serialise without throwing
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
