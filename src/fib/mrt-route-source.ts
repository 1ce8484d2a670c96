import { AttrType } from '../bgp/constants.js';
import { MrtError } from '../bgp/mrt/mrt-error.js';
import type { MrtReader } from '../bgp/mrt/mrt-reader.js';
import type { RouteChangeListener, RouteSource } from './route-source.js';
import { asCommunities, asLargeCommunities, mpNextHopAddress, UpdateRouteSource } from './update-route-source.js';

/** What a replay went through. */
export interface MrtReplayStats {
  records: number;
  ribEntries: number;
  updates: number;
  announced: number;
  withdrawn: number;
  skipped: number;
  errors: number;
}

/**
 * A {@link RouteSource} fed from an MRT file (RFC 6396), for harnesses: TABLE_DUMP_V2
 * RIB records announce each prefix with the path of one peer (the first entry, or
 * the entry of `peerIndex`), BGP4MP UPDATE messages are applied in order like
 * {@link UpdateRouteSource}. Decode errors are counted, never thrown.
 *
 * @example
 * ```ts
 * const source = new MrtRouteSource();
 * exporter.attach(source);
 * await source.replay(new MrtReader('rib.20240101.0000.gz'));
 * ```
 */
export class MrtRouteSource implements RouteSource {
  private readonly inner = new UpdateRouteSource();
  readonly stats: MrtReplayStats = { records: 0, ribEntries: 0, updates: 0, announced: 0, withdrawn: 0, skipped: 0, errors: 0 };

  constructor(private readonly options: { readonly peerIndex?: number } = {}) {}

  subscribe(listener: RouteChangeListener): () => void {
    return this.inner.subscribe(listener);
  }

  /** Reads the whole file, emitting changes as it goes; resolves with the stats. */
  async replay(reader: MrtReader): Promise<MrtReplayStats> {
    for await (const rec of reader) {
      this.stats.records++;
      if (rec instanceof MrtError) {
        this.stats.errors++;
        continue;
      }
      try {
        if (rec.kind === 'rib') {
          if (!rec.prefix) continue;
          const entry = this.options.peerIndex === undefined ? rec.entries[0] : rec.entries.find((e) => e.peerIndex === this.options.peerIndex);
          if (!entry) continue;
          this.stats.ribEntries++;
          const attrs = entry.attributes;
          const classic = attrs.decode(AttrType.NEXT_HOP);
          const nexthop = typeof classic === 'string' ? classic : mpNextHopAddress(attrs.decode(AttrType.MP_REACH_NLRI));
          if (nexthop === undefined) {
            this.stats.skipped++;
            continue;
          }
          this.inner.announce({
            prefix: rec.prefix.canonical().toString(),
            nexthop,
            communities: asCommunities(attrs.decode(AttrType.COMMUNITIES)),
            largeCommunities: asLargeCommunities(attrs.decode(AttrType.LARGE_COMMUNITY)),
          });
          this.stats.announced++;
        } else if (rec.kind === 'bgp4mp-message' && rec.messageType === 2) {
          this.stats.updates++;
          const r = this.inner.feed(rec.update());
          this.stats.announced += r.announced;
          this.stats.withdrawn += r.withdrawn;
          this.stats.skipped += r.skipped;
        }
      } catch {
        this.stats.errors++;
      }
    }
    return this.stats;
  }
}
