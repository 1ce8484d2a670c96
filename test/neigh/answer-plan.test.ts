import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planInstall } from '../../src/neigh/answer-plan.js';
import { NeighAnswerError } from '../../src/neigh/errors.js';
import type { RequestFacts } from '../../src/neigh/request-classifier.js';

const onVxlan: RequestFacts = {
  kind: 'ipv4', address: '10.21.12.5', index: 5, linkName: 'vx0', linkKind: 'vxlan', vni: 4385813, source: 'vxlan-l3miss', state: 4, lladdr: undefined,
};
const onFabric: RequestFacts = { ...onVxlan, index: 7, linkName: 'fabric0', linkKind: 'macvlan', vni: undefined, source: 'app-solicit' };
const l2miss: RequestFacts = { ...onVxlan, kind: 'ethernet', address: '90:21:12:00:00:05', source: 'vxlan-l2miss' };

describe('planInstall', () => {
  it('{ lladdr } installs the neighbour (MAC normalised)', () => {
    expect(planInstall(onFabric, { lladdr: '90-21-12-00-00-05' }, 'permanent')).toEqual([
      { what: 'neighbor', index: 7, address: '10.21.12.5', lladdr: '90:21:12:00:00:05', state: 'permanent' },
    ]);
  });

  it('an IP request answered with { fdb } gets the FDB entry first, then the neighbour with fdb.lladdr (varpd VL3)', () => {
    expect(planInstall(onFabric, { fdb: { lladdr: '90:21:12:00:00:05', dst: '192.0.2.9', vni: 4385813, port: 4789, index: 5 } }, 'reachable')).toEqual([
      { what: 'fdb', index: 5, lladdr: '90:21:12:00:00:05', dst: '192.0.2.9', vni: 4385813, port: 4789, state: 'reachable' },
      { what: 'neighbor', index: 7, address: '10.21.12.5', lladdr: '90:21:12:00:00:05', state: 'reachable' },
    ]);
  });

  it('an l2miss answer installs the FDB entry on the VXLAN link itself', () => {
    expect(planInstall(l2miss, { fdb: { lladdr: '90:21:12:00:00:05', dst: '2001:db8::9' } }, 'reachable')).toEqual([
      { what: 'fdb', index: 5, lladdr: '90:21:12:00:00:05', dst: '2001:db8::9', state: 'reachable' },
    ]);
  });

  it.each([
    ['a bad MAC', onFabric, { lladdr: '90:21:12:00:00' }, 'lladdr'],
    ['the zero MAC', onFabric, { lladdr: '00:00:00:00:00:00' }, 'lladdr'],
    ['a multicast MAC', onFabric, { lladdr: '01:00:5e:00:00:01' }, 'lladdr'],
    ['a MAC that is a number', onFabric, { lladdr: 42 }, 'lladdr'],
    ['an FDB entry for a macvlan without fdb.index', onFabric, { fdb: { lladdr: '90:21:12:00:00:05', dst: '192.0.2.9' } }, 'fdb'],
    ['a bad VTEP', onVxlan, { fdb: { lladdr: '90:21:12:00:00:05', dst: '192.0.2' } }, 'fdb.dst'],
    ['a 25-bit VNI', onVxlan, { fdb: { lladdr: '90:21:12:00:00:05', dst: '192.0.2.9', vni: 0x1000000 } }, 'fdb.vni'],
    ['port 0', onVxlan, { fdb: { lladdr: '90:21:12:00:00:05', dst: '192.0.2.9', port: 0 } }, 'fdb.port'],
    ['an l2miss answered with a neighbour', l2miss, { lladdr: '90:21:12:00:00:05' }, 'fdb'],
    ['an l2miss answered for another MAC', l2miss, { fdb: { lladdr: '90:21:12:00:00:06', dst: '192.0.2.9' } }, 'fdb.lladdr'],
    ['an array', onFabric, [], ''],
  ])('refuses %s', (_what, request, answer, field) => {
    let error: unknown;
    try {
      planInstall(request, answer, 'reachable');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NeighAnswerError);
    expect((error as NeighAnswerError).field).toBe(field);
  });

  it('whatever resolve() returns, the outcome is install steps or a NeighAnswerError (property)', () => {
    const macLike = fc.oneof(fc.string(), fc.constantFrom('02:00:00:00:00:01', '90:21:12:00:00:05', '00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff'));
    const answer = fc.oneof(
      fc.anything(),
      fc.record({ lladdr: fc.oneof(macLike, fc.anything()) }, { requiredKeys: [] }),
      fc.record({
        fdb: fc.oneof(
          fc.anything(),
          fc.record({ lladdr: macLike, dst: fc.oneof(fc.string(), fc.constant('192.0.2.1')), vni: fc.anything(), port: fc.anything(), index: fc.anything() }, { requiredKeys: [] }),
        ),
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(onVxlan, onFabric, l2miss), answer, (request, value) => {
        try {
          const steps = planInstall(request, value, 'reachable');
          return steps.length > 0 && steps.every((step) => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(step.lladdr));
        } catch (error) {
          return error instanceof NeighAnswerError;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
