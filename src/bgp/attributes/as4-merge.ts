import { AS_TRANS, AsPathSegmentType } from '../constants.js';
import type { Aggregator } from './aggregator.js';
import type { AsPath, AsPathSegment } from './as-path.js';

function isConfed(type: AsPathSegmentType): boolean {
  return type === AsPathSegmentType.AS_CONFED_SEQUENCE || type === AsPathSegmentType.AS_CONFED_SET;
}

/**
 * The number of AS numbers of a path as RFC 6793 §4.2.3 counts them for the
 * merge: each ASN of an AS_SEQUENCE counts 1, an AS_SET counts 1 whatever its
 * size, confederation segments count 0 (as in RFC 4271 §9.1.2.2 (a) and RFC 5065 §5.3).
 */
export function countAs4MergeAsns(path: AsPath): number {
  let n = 0;
  for (const s of path) {
    if (s.type === AsPathSegmentType.AS_SEQUENCE) n += s.asns.length;
    else if (s.type === AsPathSegmentType.AS_SET) n += 1;
  }
  return n;
}

/** Appends a segment, joining two adjacent AS_SEQUENCEs into one (the path reads the same). */
function pushSegment(out: AsPathSegment[], seg: AsPathSegment): void {
  const last = out[out.length - 1];
  if (last && last.type === AsPathSegmentType.AS_SEQUENCE && seg.type === AsPathSegmentType.AS_SEQUENCE) {
    out[out.length - 1] = { type: AsPathSegmentType.AS_SEQUENCE, asns: [...last.asns, ...seg.asns] };
  } else {
    out.push(seg);
  }
}

/**
 * Rebuilds the 4-octet AS path from AS_PATH (2-octet, with AS_TRANS) and AS4_PATH,
 * as a NEW speaker does for routes from an OLD one (RFC 6793 §4.2.3):
 *
 * - AS_CONFED_SEQUENCE / AS_CONFED_SET segments in AS4_PATH are dropped
 *   (RFC 6793 §6: they MUST NOT be there; the receiver discards them and goes on);
 * - if AS_PATH has fewer AS numbers than AS4_PATH, AS4_PATH is ignored and
 *   AS_PATH is the path;
 * - otherwise the result is the leading part of AS_PATH, as many AS numbers as
 *   make the result as long as AS_PATH, followed by AS4_PATH; a confederation
 *   segment of AS_PATH is taken when it leads or is adjacent to a taken segment.
 *
 * Counting follows {@link countAs4MergeAsns}. Pure: the inputs are not changed.
 * The caller applies the AGGREGATOR rule first ({@link mergeAs4Aggregator}: when
 * AGGREGATOR's AS is not AS_TRANS, AS4_PATH is ignored), and ignores both AS4
 * attributes on a 4-octet session (RFC 6793 §4.1).
 *
 * @example
 * ```ts
 * // AS_PATH "100 23456 23456 300", AS4_PATH "200000 200001 300"
 * mergeAs4Path(
 *   [{ type: 2, asns: [100, 23456, 23456, 300] }],
 *   [{ type: 2, asns: [200000, 200001, 300] }],
 * ); // [{ type: 2, asns: [100, 200000, 200001, 300] }]
 * ```
 */
export function mergeAs4Path(asPath: AsPath, as4Path: AsPath | undefined): AsPath {
  if (!as4Path) return asPath;
  const as4 = as4Path.filter((s) => !isConfed(s.type));
  const asPathCount = countAs4MergeAsns(asPath);
  const as4Count = countAs4MergeAsns(as4);
  if (asPathCount < as4Count) return asPath;
  let need = asPathCount - as4Count;
  const out: AsPathSegment[] = [];
  let previousTaken = true; // the start counts as "taken", so a leading confed segment is kept
  for (const seg of asPath) {
    if (isConfed(seg.type)) {
      if (need > 0 || previousTaken) {
        pushSegment(out, seg);
        previousTaken = true;
        continue;
      }
      break;
    }
    if (need === 0) break;
    if (seg.type === AsPathSegmentType.AS_SET) {
      pushSegment(out, seg);
      need -= 1;
    } else if (seg.asns.length <= need) {
      pushSegment(out, seg);
      need -= seg.asns.length;
    } else {
      pushSegment(out, { type: seg.type, asns: seg.asns.slice(0, need) });
      need = 0;
    }
    previousTaken = true;
  }
  for (const seg of as4) pushSegment(out, seg);
  return out;
}

/** What {@link mergeAs4Aggregator} decided. */
export interface As4AggregatorMerge {
  /** The aggregating node to use (`undefined` when there is no AGGREGATOR). */
  readonly aggregator: Aggregator | undefined;
  /**
   * True when AGGREGATOR's AS is not AS_TRANS while AS4_AGGREGATOR is present:
   * RFC 6793 §4.2.3 then says AS4_PATH is ignored too.
   */
  readonly ignoreAs4Path: boolean;
}

/**
 * The AGGREGATOR / AS4_AGGREGATOR rule of RFC 6793 §4.2.3: when both are present
 * and AGGREGATOR's AS is not AS_TRANS, AS4_AGGREGATOR **and AS4_PATH** are ignored
 * and AGGREGATOR is used; otherwise AGGREGATOR is ignored and AS4_AGGREGATOR is
 * used. AS4_AGGREGATOR without AGGREGATOR is ignored (there is no aggregate).
 *
 * @example
 * ```ts
 * mergeAs4Aggregator({ asn: 23456, address: '192.0.2.1' }, { asn: 4200000000, address: '192.0.2.1' });
 * // { aggregator: { asn: 4200000000, address: '192.0.2.1' }, ignoreAs4Path: false }
 * ```
 */
export function mergeAs4Aggregator(aggregator: Aggregator | undefined, as4Aggregator: Aggregator | undefined): As4AggregatorMerge {
  if (!aggregator) return { aggregator: undefined, ignoreAs4Path: false };
  if (!as4Aggregator) return { aggregator, ignoreAs4Path: false };
  if (aggregator.asn !== AS_TRANS) return { aggregator, ignoreAs4Path: true };
  return { aggregator: as4Aggregator, ignoreAs4Path: false };
}

/** Inputs and result of {@link reconcileAs4}. */
export interface As4Attributes {
  readonly asPath: AsPath | undefined;
  readonly as4Path?: AsPath | undefined;
  readonly aggregator?: Aggregator | undefined;
  readonly as4Aggregator?: Aggregator | undefined;
}

/**
 * Both RFC 6793 §4.2.3 rules in their order: the aggregator rule (which may void
 * AS4_PATH), then the path merge. For routes received on a 2-octet session.
 */
export function reconcileAs4(attrs: As4Attributes): { asPath: AsPath | undefined; aggregator: Aggregator | undefined } {
  const agg = mergeAs4Aggregator(attrs.aggregator, attrs.as4Aggregator);
  const as4Path = agg.ignoreAs4Path ? undefined : attrs.as4Path;
  const asPath = attrs.asPath ? mergeAs4Path(attrs.asPath, as4Path) : undefined;
  return { asPath, aggregator: agg.aggregator };
}
