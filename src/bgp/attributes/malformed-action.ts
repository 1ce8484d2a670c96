import { AsPathSegmentType, AttrType, UpdateSubcode } from '../constants.js';
import { BgpError, type ErrorAction } from '../errors.js';
import type { AsPath } from './as-path.js';

/**
 * What a receiver does with a malformed attribute of each type (RFC 7606 §7,
 * RFC 6793 §6, RFC 8092 §6, RFC 9234 §5). RFC 7606 §3 (c) treats an attribute
 * whose Optional/Transitive flags conflict with its definition as malformed, so
 * a flags error takes this action too. Types not listed (including unknown
 * optional ones) default to treat-as-withdraw (RFC 7606 §3 (c), §4).
 */
const MALFORMED_ACTION: Readonly<Record<number, ErrorAction>> = {
  [AttrType.ORIGIN]: 'treat-as-withdraw', // §7.1
  [AttrType.AS_PATH]: 'treat-as-withdraw', // §7.2
  [AttrType.NEXT_HOP]: 'treat-as-withdraw', // §7.3
  [AttrType.MULTI_EXIT_DISC]: 'treat-as-withdraw', // §7.4
  [AttrType.LOCAL_PREF]: 'treat-as-withdraw', // §7.5
  [AttrType.ATOMIC_AGGREGATE]: 'attribute-discard', // §7.6
  [AttrType.AGGREGATOR]: 'attribute-discard', // §7.7
  [AttrType.COMMUNITIES]: 'treat-as-withdraw', // §7.8
  [AttrType.ORIGINATOR_ID]: 'treat-as-withdraw', // §7.9
  [AttrType.CLUSTER_LIST]: 'treat-as-withdraw', // §7.10
  [AttrType.MP_REACH_NLRI]: 'afi-safi-disable', // §7.11 (session reset when the AFI/SAFI cannot be read)
  [AttrType.MP_UNREACH_NLRI]: 'afi-safi-disable', // §7.12
  [AttrType.EXTENDED_COMMUNITIES]: 'treat-as-withdraw', // §7.14
  [AttrType.AS4_PATH]: 'attribute-discard', // RFC 6793 §6
  [AttrType.AS4_AGGREGATOR]: 'attribute-discard', // RFC 6793 §6
  [AttrType.IPV6_EXTENDED_COMMUNITIES]: 'treat-as-withdraw', // §7.15
  [AttrType.LARGE_COMMUNITY]: 'treat-as-withdraw', // RFC 8092 §6
  [AttrType.OTC]: 'treat-as-withdraw', // RFC 9234 §5
};

/**
 * The RFC 7606 action for a malformed attribute of type `type`, which is also the
 * action for its Attribute Flags Error (RFC 7606 §3 (c): "treated as malformed ...
 * unless the specification for the attribute mandates different handling").
 *
 * @example
 * ```ts
 * malformedAttributeAction(AttrType.ATOMIC_AGGREGATE); // 'attribute-discard'
 * ```
 */
export function malformedAttributeAction(type: number): ErrorAction {
  return MALFORMED_ACTION[type] ?? 'treat-as-withdraw';
}

/**
 * RFC 7607 §2: AS 0 in AS_PATH makes the UPDATE malformed (treat-as-withdraw,
 * RFC 7606 §7.2); in AS4_PATH the attribute is malformed and discarded
 * (RFC 6793 §6). Returns that error, or `undefined` when no segment holds AS 0.
 * A session applies it; the codec does not, so archives (MRT) that recorded such
 * paths still decode.
 */
export function checkAsZero(path: AsPath, type: typeof AttrType.AS_PATH | typeof AttrType.AS4_PATH): BgpError | undefined {
  for (const seg of path) {
    if (!seg.asns.includes(0)) continue;
    const where = seg.type === AsPathSegmentType.AS_SET || seg.type === AsPathSegmentType.AS_CONFED_SET ? 'a set' : 'a sequence';
    if (type === AttrType.AS_PATH) {
      return BgpError.update(UpdateSubcode.MALFORMED_AS_PATH, `AS_PATH holds AS 0 in ${where} (RFC 7607 §2)`, { action: 'treat-as-withdraw', attrType: type });
    }
    return BgpError.update(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, `AS4_PATH holds AS 0 in ${where} (RFC 7607 §2)`, { action: 'attribute-discard', attrType: type });
  }
  return undefined;
}
