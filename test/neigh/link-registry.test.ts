import { describe, expect, it } from 'vitest';
import type { LinkEntry } from '../../src/netlink/ops/link-codec.js';
import { knownLinkOf, LinkRegistry } from '../../src/neigh/link-registry.js';

const base = { family: 0, type: 1, flags: 0, up: true, lowerUp: true };
const entry = (e: Partial<LinkEntry> & { index: number; name: string }): LinkEntry => ({ ...base, ...e });

describe('knownLinkOf', () => {
  it('takes IFLA_LINK of a macvlan and the underlay of a VXLAN as lowers', () => {
    expect(knownLinkOf(entry({ index: 8, name: 'fabric0', kind: 'macvlan', link: 7 })).lowers).toEqual([7]);
    expect(knownLinkOf(entry({ index: 5, name: 'vx0', kind: 'vxlan', vxlan: { vni: 100, dev: 2 } }))).toEqual({
      index: 5, name: 'vx0', kind: 'vxlan', vni: 100, lowers: [2],
    });
  });

  it('ignores a peer in another namespace (IFLA_LINK_NETNSID) and self references', () => {
    expect(knownLinkOf(entry({ index: 3, name: 'va', kind: 'veth', link: 2, linkNetnsId: 0 })).lowers).toEqual([]);
    expect(knownLinkOf(entry({ index: 1, name: 'lo', link: 1 })).lowers).toEqual([]);
  });
});

describe('LinkRegistry', () => {
  it('removing a lower removes the whole stack above it (vxlan → vlan-like → macvlan), and nothing else', () => {
    const registry = new LinkRegistry();
    registry.upsert({ index: 2, name: 'net2', kind: 'veth', vni: undefined, lowers: [] });
    registry.upsert({ index: 5, name: 'vx0', kind: 'vxlan', vni: 100, lowers: [2] });
    registry.upsert({ index: 6, name: 'vx0v4', kind: 'macvlan', vni: undefined, lowers: [5] });
    registry.upsert({ index: 7, name: 'fabric0', kind: 'macvlan', vni: undefined, lowers: [6] });
    registry.upsert({ index: 9, name: 'other', kind: 'veth', vni: undefined, lowers: [] });
    expect(registry.remove(5).map((l) => l.name)).toEqual(['vx0', 'vx0v4', 'fabric0']);
    expect([...registry.values()].map((l) => l.name).sort()).toEqual(['net2', 'other']);
    // The uppers' own RTM_DELLINK arrive later: nothing left to remove.
    expect(registry.remove(7)).toEqual([]);
  });

  it('a veth pair in one namespace goes together', () => {
    const registry = new LinkRegistry();
    registry.upsert(knownLinkOf(entry({ index: 10, name: 'vc', kind: 'veth', link: 11 })));
    registry.upsert(knownLinkOf(entry({ index: 11, name: 'vd', kind: 'veth', link: 10 })));
    expect(registry.remove(10).map((l) => l.name)).toEqual(['vc', 'vd']);
    expect(registry.size).toBe(0);
  });

  it('replaceAll reports the links that disappeared', () => {
    const registry = new LinkRegistry();
    registry.upsert({ index: 1, name: 'lo', kind: undefined, vni: undefined, lowers: [] });
    registry.upsert({ index: 3, name: 'va', kind: 'veth', vni: undefined, lowers: [] });
    const gone = registry.replaceAll([{ index: 1, name: 'lo', kind: undefined, vni: undefined, lowers: [] }]);
    expect(gone.map((l) => l.name)).toEqual(['va']);
    expect(registry.get(3)).toBeUndefined();
  });
});
