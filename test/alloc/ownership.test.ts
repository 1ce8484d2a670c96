import { describe, expect, it } from 'vitest';
import { Allocation } from '../../src/alloc/allocation.js';
import { conventionalPeer, isOurAddress, isScopeLink, isScopeNamespace, isScopeRoute } from '../../src/alloc/ownership.js';
import { parsePrefixText } from '../../src/alloc/ip.js';
import type { PlanScope } from '../../src/alloc/state.js';

const scope: PlanScope = { allocation: Allocation.parse('2001:db8:5::/48'), exitNode: 1, allocationNumber: 1, namespacePrefix: 'fwalq-', routeProtocol: 196 };
const p = (t: string) => parsePrefixText(t)!;

describe('alloc ownership: what a reconcile may touch', () => {
  it.each([
    ['fwalq-gw-1-1', true],
    ['fwalq-ep-1abc-1', true],
    ['fwalq-public-1-1', true],
    ['fwalq-ep-2abc-1', false], // another ExitNode's resource
    ['fwalq-gw-2-1', false],
    ['fwalq-ep-1abc-2', false], // another allocation number
    ['gw-1-1', false], // no prefix
    ['fwalz-gw-1-1', false], // another prefix
  ])('namespace %s in scope: %s', (name, inScope) => {
    expect(isScopeNamespace(name, scope)).toBe(inScope);
  });

  it.each([
    ['pub-1-1', true],
    ['to-1abc-1', true],
    ['nr-1fff-1', true],
    ['to-2abc-1', false],
    ['pub-2-1', false],
    ['to-1abc-2', false],
    ['eth0', false],
    ['lo', false],
  ])('link %s in scope: %s', (name, inScope) => {
    expect(isScopeLink(name, scope)).toBe(inScope);
  });

  it('routes are ours only with our protocol, a destination that parses, and a link of ours', () => {
    const route = { destination: p('2001:db8:5:1abc::/64'), gateway: p('fe80::1abc:1/128'), link: 'to-1abc-1', table: 254, protocol: 196 };
    expect(isScopeRoute(route, scope)).toBe(true);
    expect(isScopeRoute({ ...route, protocol: 2 }, scope)).toBe(false);
    expect(isScopeRoute({ ...route, link: 'eth0' }, scope)).toBe(false);
    expect(isScopeRoute({ ...route, destination: p('2001:db8:6:1abc::/64') }, scope)).toBe(false); // another allocation
    expect(isScopeRoute({ ...route, destination: p('2001:db8:5:1abc::/63') }, scope)).toBe(false); // host bits / length not ours
    expect(isScopeRoute({ ...route, destination: p('0.0.0.0/0') }, scope)).toBe(true);
  });

  it('addresses are ours when they parse (any ExitNode), never a kernel EUI-64 link-local', () => {
    expect(isOurAddress(p('fe80::1:2abc/64'), scope)).toBe(true);
    expect(isOurAddress(p('fe80::a8c1:abff:fe12:3456/64'), scope)).toBe(false);
  });

  it('conventional veth peers', () => {
    expect(conventionalPeer('to-1abc-1', scope)).toEqual({ namespace: 'fwalq-ep-1abc-1', name: 'pub-1abc-1' });
    expect(conventionalPeer('pub-1abc-1', scope)).toEqual({ namespace: 'fwalq-gw-1-1', name: 'to-1abc-1' });
    expect(conventionalPeer('veth-1abc-1', scope)).toEqual({ namespace: 'fwalq-ep-1abc-1', name: 'nr-1abc-1' });
    expect(conventionalPeer('nr-1abc-1', scope)).toEqual({ namespace: 'fwalq-ep-1abc-1', name: 'veth-1abc-1' });
    expect(conventionalPeer('wg-1abc-1', scope)).toBeUndefined();
    expect(conventionalPeer('pub-1-1', scope)).toBeUndefined();
    expect(conventionalPeer('eth0', scope)).toBeUndefined();
  });
});
