import { AS_TRANS, AsPathSegmentType } from '../constants.js';
import type { Aggregator } from './aggregator.js';
import type { AsPath } from './as-path.js';

/** True when an ASN needs 4 octets (RFC 6793 §2: "non-mappable"). */
export function isAs4Only(asn: number): boolean {
  return asn > 0xffff;
}

/**
 * The attributes a NEW speaker sends an OLD one for a 4-octet path (RFC 6793
 * §4.2.2): AS_PATH with every non-mappable ASN replaced by AS_TRANS, and, only
 * when there was one, AS4_PATH carrying the real ASNs without confederation
 * segments (RFC 6793 §6: they MUST NOT be sent in AS4_PATH).
 *
 * @example
 * ```ts
 * splitAs4Path([{ type: 2, asns: [65001, 4200000000] }]);
 * // { asPath: [{ type: 2, asns: [65001, 23456] }], as4Path: [{ type: 2, asns: [65001, 4200000000] }] }
 * ```
 */
export function splitAs4Path(path: AsPath): { asPath: AsPath; as4Path: AsPath | undefined } {
  let needed = false;
  const asPath = path.map((s) => {
    if (!s.asns.some(isAs4Only)) return s;
    needed = true;
    return { type: s.type, asns: s.asns.map((a) => (isAs4Only(a) ? AS_TRANS : a)) };
  });
  if (!needed) return { asPath: path, as4Path: undefined };
  const as4Path = path.filter((s) => s.type !== AsPathSegmentType.AS_CONFED_SEQUENCE && s.type !== AsPathSegmentType.AS_CONFED_SET);
  return { asPath, as4Path };
}

/**
 * AGGREGATOR for an OLD speaker (RFC 6793 §4.2.2): a non-mappable AS becomes
 * AS_TRANS and the real one travels in AS4_AGGREGATOR.
 */
export function splitAs4Aggregator(aggregator: Aggregator): { aggregator: Aggregator; as4Aggregator: Aggregator | undefined } {
  if (!isAs4Only(aggregator.asn)) return { aggregator, as4Aggregator: undefined };
  return { aggregator: { asn: AS_TRANS, address: aggregator.address }, as4Aggregator: aggregator };
}
