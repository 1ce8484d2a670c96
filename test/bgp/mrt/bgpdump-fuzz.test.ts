/**
 * Differential fuzzing against the installed bgpdump: seeded bit flips in the
 * hand-written records, each file run through `bgpdump -m` and through the
 * BgpdumpFormatter. Cases where bgpdump crashes, or prints bytes that are not
 * printable ASCII (it read uninitialised memory), say nothing about the format
 * and are set aside; every other output must be identical.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BgpdumpFormatter } from '../../../src/bgp/mrt/bgpdump/formatter.js';
import { MrtError } from '../../../src/bgp/mrt/mrt-error.js';
import { MrtFramer } from '../../../src/bgp/mrt/mrt-framer.js';
import { concatBytes } from '../../support/hex.js';
import * as V from './mrt-vectors.js';

const haveBgpdump = !spawnSync('bgpdump', ['-T'], { stdio: 'ignore' }).error;
if (!haveBgpdump) console.warn('bgpdump differential fuzz skipped: `bgpdump` is not installed (apt-get install bgpdump)');

const dir = mkdtempSync(join(tmpdir(), 'fibwire-mrt-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RECORDS = [V.RIB_V4, V.RIB_V6, V.RIB_V4_ADDPATH, V.TABLE_DUMP_V4, V.BGP4MP_AS4, V.BGP4MP_ET_AS4, V.BGP4MP_AS4_ADDPATH, V.STATE_CHANGE_V6, V.STATE_CHANGE_AS4, V.LEGACY_UPDATE, V.LEGACY_STATE];

describe.skipIf(!haveBgpdump)('differential fuzz against bgpdump -m', () => {
  it('damaged records print what bgpdump prints', () => {
    let seed = 20260101;
    const rnd = (n: number): number => {
      seed = (seed * 48271) % 0x7fffffff;
      return seed % n;
    };
    let compared = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < 400; i++) {
      const rec = RECORDS[rnd(RECORDS.length)]!.slice();
      const body = rec.subarray(12);
      for (let k = 1 + rnd(3); k > 0; k--) {
        const at = rnd(body.length);
        body[at] = rnd(4) === 0 ? rnd(256) : body[at]! ^ (1 << rnd(8));
      }
      const file = concatBytes([V.PEER_INDEX, rec]);
      const path = join(dir, `case-${i}.mrt`);
      writeFileSync(path, file);
      const theirs = spawnSync('bgpdump', ['-m', path], { encoding: 'latin1' });
      if (theirs.status !== 0 || !/^[\x20-\x7e\n]*$/.test(theirs.stdout)) continue;
      const f = new MrtFramer();
      f.push(file);
      f.end();
      const fmt = new BgpdumpFormatter({ maskHostBits: false });
      let ours = '';
      for (let r = f.next(); r; r = f.next()) if (!(r instanceof MrtError)) ours += fmt.format(r);
      compared++;
      if (ours !== theirs.stdout) mismatches.push(`${Buffer.from(rec).toString('hex')}\n  bgpdump: ${JSON.stringify(theirs.stdout)}\n  fibwire: ${JSON.stringify(ours)}`);
    }
    expect(compared).toBeGreaterThan(300);
    expect(mismatches).toEqual([]);
  });
});
