import type { LargeCommunity } from '../bgp/attributes/attr-32-large-community.js';
import { AttrType } from '../bgp/constants.js';
import { UpdatePrefixCursor } from '../bgp/update/update-prefix-cursor.js';
import type { UpdateView } from '../bgp/update/update-view.js';
import type { BestRoute, RouteChange, RouteChangeListener, RouteSource } from './route-source.js';

/** What one fed UPDATE produced. */
export interface FeedResult {
  readonly announced: number;
  readonly withdrawn: number;
  /** Announced prefixes skipped: no usable next hop, or an attribute that did not decode. */
  readonly skipped: number;
}

/** Narrowing helpers for decoded attribute values (`unknown` from the generic decoders). */
export function asCommunities(v: unknown): number[] {
  return Array.isArray(v) ? v.filter((c): c is number => typeof c === 'number') : [];
}

export function asLargeCommunities(v: unknown): LargeCommunity[] {
  if (!Array.isArray(v)) return [];
  const out: LargeCommunity[] = [];
  for (const c of v) {
    if (Array.isArray(c) && c.length === 3 && c.every((n) => typeof n === 'number')) out.push([c[0] as number, c[1] as number, c[2] as number]);
  }
  return out;
}

/** The next-hop address of a decoded MP_REACH_NLRI (global IPv6 address when there are two). */
export function mpNextHopAddress(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || !('nextHop' in v)) return undefined;
  const nh: unknown = v.nextHop;
  if (typeof nh !== 'object' || nh === null || !('address' in nh)) return undefined;
  return typeof nh.address === 'string' ? nh.address : undefined;
}

function safely(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * A {@link RouteSource} fed with decoded UPDATE messages ({@link UpdateView}), for
 * harnesses without a RIB: the last UPDATE for a prefix is its best path (no
 * decision process; with ADD-PATH the last path id seen wins). Classic NLRI use
 * NEXT_HOP, MP_REACH_NLRI prefixes its next hop. An attribute that fails to decode
 * (RFC 7606) skips the affected prefixes and is counted, never thrown.
 *
 * @example
 * ```ts
 * const source = new UpdateRouteSource();
 * exporter.attach(source);
 * session.on('update', (view) => source.feed(view));
 * ```
 */
export class UpdateRouteSource implements RouteSource {
  private readonly listeners = new Set<RouteChangeListener>();
  private readonly known = new Set<string>();
  private readonly cursor = new UpdatePrefixCursor();
  /** Totals over every fed UPDATE. */
  readonly totals = { updates: 0, announced: 0, withdrawn: 0, skipped: 0 };

  subscribe(listener: RouteChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Prefixes currently announced. */
  get size(): number {
    return this.known.size;
  }

  feed(update: UpdateView): FeedResult {
    this.totals.updates++;
    let announced = 0;
    let withdrawn = 0;
    let skipped = 0;
    const w = safely(() => update.withdrawnCursor(this.cursor));
    if (w instanceof UpdatePrefixCursor) {
      while (safely(() => w.next()) === true) {
        const prefix = w.toPrefix().canonical().toString();
        if (this.known.delete(prefix)) {
          this.emit({ type: 'withdrawn', prefix });
          withdrawn++;
        }
      }
    }
    const communities = asCommunities(safely(() => update.communities));
    const largeCommunities = asLargeCommunities(safely(() => update.typed(AttrType.LARGE_COMMUNITY)));
    const classicNextHop = safely(() => update.nextHop);
    const mpNextHop = mpNextHopAddress(safely(() => update.typed(AttrType.MP_REACH_NLRI)));
    const a = safely(() => update.announcedCursor(this.cursor));
    if (a instanceof UpdatePrefixCursor) {
      while (safely(() => a.next()) === true) {
        const seg = a.segment;
        const classic = seg !== undefined && seg.nextHopStart === seg.nextHopEnd;
        const nexthop = classic ? (typeof classicNextHop === 'string' ? classicNextHop : undefined) : mpNextHop;
        if (nexthop === undefined) {
          skipped++;
          continue;
        }
        const route: BestRoute = { prefix: a.toPrefix().canonical().toString(), nexthop, communities, largeCommunities };
        const type = this.known.has(route.prefix) ? 'changed' : 'added';
        this.known.add(route.prefix);
        this.emit({ type, route });
        announced++;
      }
    }
    this.totals.announced += announced;
    this.totals.withdrawn += withdrawn;
    this.totals.skipped += skipped;
    return { announced, withdrawn, skipped };
  }

  /** Announces a route directly (used by the MRT adapter for RIB entries). */
  announce(route: BestRoute): void {
    const type = this.known.has(route.prefix) ? 'changed' : 'added';
    this.known.add(route.prefix);
    this.emit({ type, route });
  }

  private emit(change: RouteChange): void {
    for (const l of this.listeners) l(change);
  }
}
