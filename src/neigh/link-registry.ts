import type { LinkEntry } from '../netlink/ops/link-codec.js';

/** What the resolver remembers of every link in the namespace (chosen or not). */
export interface KnownLink {
  readonly index: number;
  readonly name: string;
  readonly kind: string | undefined;
  readonly vni: number | undefined;
  /**
   * Links whose removal removes this one: IFLA_LINK of a macvlan/vlan (its
   * lower device) or of a veth (its peer, deleted together), and a VXLAN's
   * underlay device (IFLA_VXLAN_LINK; vxlan_core.c deletes such VXLANs on
   * NETDEV_UNREGISTER of the lower). Only when the link is in this namespace.
   */
  readonly lowers: readonly number[];
}

/** Reads the facts the resolver needs from a link dump or RTM_NEWLINK. */
export function knownLinkOf(entry: LinkEntry): KnownLink {
  const lowers: number[] = [];
  if (entry.link !== undefined && entry.link !== 0 && entry.link !== entry.index && entry.linkNetnsId === undefined) lowers.push(entry.link);
  const dev = entry.vxlan?.dev;
  if (dev !== undefined && dev !== 0 && !lowers.includes(dev)) lowers.push(dev);
  return { index: entry.index, name: entry.name, kind: entry.kind, vni: entry.vxlan?.vni, lowers };
}

/**
 * Every link of the namespace by ifindex, with the lower/upper relation, so
 * that an RTM_DELLINK of a lower link drops the state of everything stacked
 * on it even if some of the uppers' own RTM_DELLINK messages were lost.
 *
 * @example
 * ```ts
 * const registry = new LinkRegistry();
 * registry.upsert({ index: 2, name: 'vx0', kind: 'vxlan', vni: 5, lowers: [] });
 * registry.upsert({ index: 3, name: 'fabric0', kind: 'macvlan', vni: undefined, lowers: [2] });
 * registry.remove(2).map((l) => l.name); // ['vx0', 'fabric0']
 * ```
 */
export class LinkRegistry {
  private readonly links = new Map<number, KnownLink>();

  get size(): number {
    return this.links.size;
  }

  get(index: number): KnownLink | undefined {
    return this.links.get(index);
  }

  values(): IterableIterator<KnownLink> {
    return this.links.values();
  }

  upsert(link: KnownLink): void {
    this.links.set(link.index, link);
  }

  /** Removes a link and, transitively, every link stacked on it; returns them, the link first. */
  remove(index: number): KnownLink[] {
    const removed: KnownLink[] = [];
    const first = this.links.get(index);
    const queue = [index];
    if (first !== undefined) removed.push(first);
    this.links.delete(index);
    while (queue.length > 0) {
      const lower = queue.shift() as number;
      for (const link of [...this.links.values()]) {
        if (!link.lowers.includes(lower)) continue;
        this.links.delete(link.index);
        removed.push(link);
        queue.push(link.index);
      }
    }
    return removed;
  }

  /** Replaces the whole picture (after a dump); returns the links that disappeared. */
  replaceAll(links: readonly KnownLink[]): KnownLink[] {
    const present = new Set(links.map((l) => l.index));
    const gone = [...this.links.values()].filter((l) => !present.has(l.index));
    this.links.clear();
    for (const link of links) this.links.set(link.index, link);
    return gone;
  }
}
