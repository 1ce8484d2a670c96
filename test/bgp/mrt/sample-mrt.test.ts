import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MrtError } from '../../../src/bgp/mrt/mrt-error.js';
import { MrtReader } from '../../../src/bgp/mrt/mrt-reader.js';
import { REPO_ROOT } from '../../support/corpus.js';

const SAMPLE = join(REPO_ROOT, 'examples', 'data', 'sample.mrt.gz');
const dir = mkdtempSync(join(tmpdir(), 'fibwire-sample-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/data/sample.mrt.gz', () => {
  it('is what examples/make-sample-mrt.ts writes, byte for byte (deterministic)', () => {
    const out = join(dir, 'again.mrt.gz');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'examples', 'make-sample-mrt.ts'), out], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(out), readFileSync(SAMPLE))).toBe(0);
  });

  it('holds IPv4 and IPv6 RIB entries with communities and large communities, and BGP4MP updates', async () => {
    let ribV4 = 0;
    let ribV6 = 0;
    let large = 0;
    let communities = 0;
    let updates = 0;
    let states = 0;
    for await (const r of new MrtReader(SAMPLE)) {
      expect(r).not.toBeInstanceOf(MrtError);
      if (r instanceof MrtError) continue;
      if (r.kind === 'rib') {
        if (r.afi === 1) ribV4++;
        else ribV6++;
        for (const e of r.entries) {
          if (e.attributes.attribute(32)) large++;
          if (e.attributes.attribute(8)) communities++;
        }
      } else if (r.kind === 'bgp4mp-message') updates++;
      else if (r.kind === 'bgp4mp-state-change') states++;
    }
    expect([ribV4, ribV6]).toEqual([160, 80]);
    expect(large).toBeGreaterThan(50);
    expect(communities).toBeGreaterThan(100);
    expect(updates).toBeGreaterThan(10);
    expect(states).toBe(17);
  });
});
