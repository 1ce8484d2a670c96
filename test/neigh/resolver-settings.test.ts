import { describe, expect, it } from 'vitest';
import { NeighConfigError } from '../../src/neigh/errors.js';
import { resolverSettings, type NeighborResolverOptions } from '../../src/neigh/resolver-settings.js';

const valid: NeighborResolverOptions = { links: { name: 'va' }, resolve: () => null };

describe('resolverSettings', () => {
  it('fills the defaults', () => {
    expect(resolverSettings(valid)).toMatchObject({
      families: [4, 6], configureSysctls: true, appSolicit: 1, zeroMcastSolicit: false, zeroUcastSolicit: false,
      installState: 'reachable', negativeTtlMs: 5000, failureTtlMs: 0, lookupTimeoutMs: 2000, maxInFlight: 1024, maxNegativeEntries: 4096,
    });
  });

  it.each([
    ['resolve', { resolve: 'nope' }],
    ['links', { links: [] }],
    ['families', { families: [] }],
    ['families', { families: [4, 4] }],
    ['families', { families: [5] }],
    ['installState', { installState: 'stale' }],
    ['appSolicit', { appSolicit: 0 }],
    ['negativeTtlMs', { negativeTtlMs: -1 }],
    ['lookupTimeoutMs', { lookupTimeoutMs: 0 }],
    ['lookupTimeoutMs', { lookupTimeoutMs: Number.NaN }],
    ['maxInFlight', { maxInFlight: 0.5 }],
    ['zeroMcastSolicit', { zeroMcastSolicit: 'yes' }],
  ])('refuses a bad %s', (field, patch) => {
    let error: unknown;
    try {
      resolverSettings({ ...valid, ...(patch as Partial<NeighborResolverOptions>) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NeighConfigError);
    expect((error as NeighConfigError).code).toBe('ERR_NEIGH_CONFIG');
    expect((error as NeighConfigError).message.startsWith(field)).toBe(true);
  });
});
