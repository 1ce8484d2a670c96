import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AllocError } from '../../src/alloc/errors.js';
import {
  MAX_INTERFACE_NAME_LENGTH,
  epPubName,
  exitPointNamespaceName,
  formatLinkName,
  gatewayNamespaceName,
  gwPubName,
  gwToEpName,
  matchLinkName,
  matchNamespaceName,
  nrLocalName,
  nrPeerName,
  parseLinkName,
  parseNamespaceName,
  publicNamespaceName,
  wgName,
} from '../../src/alloc/names.js';

describe('alloc names: seed drawing (ExitNode 1, allocation number 1)', () => {
  it.each([
    // derived,                           expected      role
    [() => gwPubName(1, 1), 'pub-1-1'], // GWPubName
    [() => gwToEpName(0x1abc, 1), 'to-1abc-1'], // GWtoEPName
    [() => gwToEpName(0x1123, 1), 'to-1123-1'],
    [() => epPubName(0x1abc, 1), 'pub-1abc-1'], // EPPubName
    [() => epPubName(0x1123, 1), 'pub-1123-1'],
    [() => wgName(0x1abc, 1), 'wg-1abc-1'], // WGName
    [() => wgName(0x1123, 1), 'wg-1123-1'],
    [() => nrLocalName(0x1abc, 1), 'veth-1abc-1'], // NRLocalName
    [() => nrLocalName(0x1123, 1), 'veth-1123-1'],
    [() => nrPeerName(0x1abc, 1), 'nr-1abc-1'], // decided: the veth's other end
  ])('%#: %s', (derive, expected) => {
    expect(derive()).toBe(expected);
  });
});

describe('alloc names: GWPubName for every ExitNode (one hex digit, decided)', () => {
  const expected = ['pub-1-7', 'pub-2-7', 'pub-3-7', 'pub-4-7', 'pub-5-7', 'pub-6-7', 'pub-7-7', 'pub-8-7', 'pub-9-7', 'pub-a-7', 'pub-b-7', 'pub-c-7', 'pub-d-7', 'pub-e-7', 'pub-f-7'];
  it.each(expected.map((name, i) => [i + 1, name] as const))('ExitNode %i -> %s and back', (n, name) => {
    expect(gwPubName(n, 7)).toBe(name);
    expect(parseLinkName(name)).toEqual({ role: 'GWPubName', exitNode: n, allocationNumber: 7 });
    expect(gatewayNamespaceName(n, 7)).toBe(`gw-${n.toString(16)}-7`);
    expect(parseNamespaceName(`gw-${n.toString(16)}-7`)).toEqual({ role: 'gateway', exitNode: n, allocationNumber: 7 });
  });
});

describe('alloc names: edge ids and allocation numbers', () => {
  it.each([
    [0x1000, 'to-1000-0', 'veth-1000-0'],
    [0x1fff, 'to-1fff-0', 'veth-1fff-0'],
    [0xf000, 'to-f000-0', 'veth-f000-0'],
    [0xffff, 'to-ffff-0', 'veth-ffff-0'],
  ])('id %i', (id, to, veth) => {
    expect(gwToEpName(id, 0)).toBe(to);
    expect(nrLocalName(id, 0)).toBe(veth);
  });

  it('the longest name fits IFNAMSIZ exactly', () => {
    expect(nrLocalName(0xffff, 65535)).toBe('veth-ffff-65535');
    expect(nrLocalName(0xffff, 65535)).toHaveLength(MAX_INTERFACE_NAME_LENGTH);
  });

  it.each([
    [() => gwToEpName(0x0fff, 1), 'ERR_ALLOC_PREFIX_ZERO_ID'],
    [() => gwToEpName(0, 1), 'ERR_ALLOC_PREFIX_ZERO_ID'],
    [() => gwToEpName(0x10000, 1), 'ERR_ALLOC_ID_RANGE'],
    [() => gwToEpName(-1, 1), 'ERR_ALLOC_ID_RANGE'],
    [() => gwToEpName(0x1abc + 0.5, 1), 'ERR_ALLOC_ID_RANGE'],
    [() => gwToEpName(0x1abc, 65536), 'ERR_ALLOC_NUMBER'],
    [() => gwToEpName(0x1abc, -1), 'ERR_ALLOC_NUMBER'],
    [() => gwPubName(0, 1), 'ERR_ALLOC_EXIT_NODE'],
    [() => gwPubName(16, 1), 'ERR_ALLOC_EXIT_NODE'],
    [() => gwPubName(Number.NaN, 1), 'ERR_ALLOC_EXIT_NODE'],
  ])('refusal %#', (derive, code) => {
    expect(derive).toThrow(AllocError);
    try {
      derive();
    } catch (e) {
      expect((e as AllocError).code).toBe(code);
    }
  });
});

describe('alloc names: parse refuses what is not ours', () => {
  it.each([
    'eth0', 'lo', 'wg0', 'veth1234', 'pub-0-1', // ExitNode 0 is PrefixZero
    'to-0fff-1', // PrefixZero id
    'to-1ABC-1', // not canonical (upper case)
    'to-1abc-01', // leading zero
    'to-1abc-65536', // allocation number over uint16
    'to-1abc-', 'to--1', 'to-1abc', 'to-01abc-1', 'to-abc-1', 'wg-1-1', // one-digit middle only for pub-
    'xx-1abc-1', 'pub-1abc-1 ', 'veth-ffff-655350',
  ])('refuses %j', (name) => {
    expect(matchLinkName(name)).toBeUndefined();
    expect(() => parseLinkName(name)).toThrow(AllocError);
  });

  it.each(['gw-0-1', 'gw-10-1', 'ep-0fff-1', 'ep-1abc-01', 'public-g-1', 'gw-1-1x', 'ep-1abc'])('refuses namespace %j', (name) => {
    expect(matchNamespaceName(name)).toBeUndefined();
  });

  it('namespace prefix must match', () => {
    expect(exitPointNamespaceName(0x1abc, 1, 'fwal3f-')).toBe('fwal3f-ep-1abc-1');
    expect(parseNamespaceName('fwal3f-ep-1abc-1', 'fwal3f-')).toEqual({ role: 'exitPoint', id: 0x1abc, exitNode: 1, allocationNumber: 1 });
    expect(matchNamespaceName('fwal3f-ep-1abc-1')).toBeUndefined();
    expect(matchNamespaceName('ep-1abc-1', 'fwal3f-')).toBeUndefined();
    expect(publicNamespaceName(15, 2)).toBe('public-f-2');
    expect(parseNamespaceName('public-f-2')).toEqual({ role: 'public', exitNode: 15, allocationNumber: 2 });
  });
});

describe('alloc names: properties', () => {
  const derivers = [gwToEpName, epPubName, wgName, nrLocalName, nrPeerName];

  it('parse(derive(id, a)) recovers id and a for every derived name, and formatLinkName inverts parse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x1000, max: 0xffff }), fc.nat(0xffff), (id, a) => {
        for (const derive of derivers) {
          const name = derive(id, a);
          expect(name.length).toBeLessThanOrEqual(MAX_INTERFACE_NAME_LENGTH);
          const parsed = parseLinkName(name);
          expect(parsed).toMatchObject({ id, exitNode: id >>> 12, allocationNumber: a });
          expect(formatLinkName(parsed)).toBe(name);
        }
      }),
    );
  });

  it('distinct (role, id, a) give distinct names', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0x1000, max: 0xffff }),
        fc.integer({ min: 0x1000, max: 0xffff }),
        fc.nat(0xffff),
        fc.nat(0xffff),
        (id1, id2, a1, a2) => {
          fc.pre(id1 !== id2 || a1 !== a2);
          const n1 = derivers.map((d) => d(id1, a1));
          const n2 = derivers.map((d) => d(id2, a2));
          for (const x of n1) expect(n2).not.toContain(x);
          expect(new Set(n1).size).toBe(derivers.length);
        },
      ),
    );
  });

  it('any string either parses to something that formats back to it, or is refused', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^(pub|to|wg|veth|nr)-[0-9a-fA-F]{1,5}-[0-9]{1,6}$/)), (name) => {
        const parsed = matchLinkName(name);
        if (parsed) expect(formatLinkName(parsed)).toBe(name);
      }),
    );
  });
});
