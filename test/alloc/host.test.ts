import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listNamedNamespaces } from '../../src/alloc/host.js';

describe('listNamedNamespaces', () => {
  it('lists the entries of the run directory, sorted; none when it does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwal-host-'));
    try {
      for (const name of ['gw-1-1', 'ep-1abc-1', 'other']) writeFileSync(join(dir, name), '');
      expect(await listNamedNamespaces(dir)).toEqual(['ep-1abc-1', 'gw-1-1', 'other']);
      expect(await listNamedNamespaces(join(dir, 'missing'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
