import type { Origin } from '../constants.js';
import type { AttributeCodec } from './attribute-codec.js';
import type { Aggregator } from './aggregator.js';
import type { AsPath } from './as-path.js';
import { originCodec } from './attr-01-origin.js';
import { asPathCodec } from './attr-02-as-path.js';
import { nextHopCodec } from './attr-03-next-hop.js';
import { multiExitDiscCodec } from './attr-04-multi-exit-disc.js';
import { localPrefCodec } from './attr-05-local-pref.js';
import { atomicAggregateCodec } from './attr-06-atomic-aggregate.js';
import { aggregatorCodec } from './attr-07-aggregator.js';
import { communitiesCodec } from './attr-08-communities.js';
import { originatorIdCodec } from './attr-09-originator-id.js';
import { clusterListCodec } from './attr-10-cluster-list.js';
import { type MpReachNlri, mpReachNlriCodec } from './attr-14-mp-reach-nlri.js';
import { type MpUnreachNlri, mpUnreachNlriCodec } from './attr-15-mp-unreach-nlri.js';
import { extendedCommunitiesCodec } from './attr-16-extended-communities.js';
import { as4PathCodec } from './attr-17-as4-path.js';
import { type Ipv6ExtendedCommunity, ipv6ExtendedCommunitiesCodec } from './attr-25-ipv6-extended-communities.js';
import { type LargeCommunity, largeCommunityCodec } from './attr-32-large-community.js';
import { otcCodec } from './attr-35-otc.js';
import type { ExtendedCommunity } from './extended-community.js';
import { as4AggregatorCodec } from './attr-18-as4-aggregator.js';
import { type UnknownAttribute, unknownAttributeCodec } from './unknown-attribute.js';

/**
 * The value type of each path attribute fibwire interprets, by type code
 * (IANA "BGP Path Attributes"). Grows as codecs land.
 */
export interface AttributeValueMap {
  /** ORIGIN, RFC 4271 §4.3 (a). */
  1: Origin;
  /** AS_PATH, RFC 4271 §4.3 (b), RFC 5065. */
  2: AsPath;
  /** NEXT_HOP (dotted quad), RFC 4271 §4.3 (c). */
  3: string;
  /** MULTI_EXIT_DISC, RFC 4271 §4.3 (d). */
  4: number;
  /** LOCAL_PREF, RFC 4271 §4.3 (e). */
  5: number;
  /** ATOMIC_AGGREGATE, RFC 4271 §4.3 (f). */
  6: true;
  /** AGGREGATOR, RFC 4271 §4.3 (g). */
  7: Aggregator;
  /** COMMUNITIES, RFC 1997. */
  8: readonly number[];
  /** ORIGINATOR_ID (dotted quad), RFC 4456 §8. */
  9: string;
  /** CLUSTER_LIST (dotted quads), RFC 4456 §8. */
  10: readonly string[];
  /** MP_REACH_NLRI header, RFC 4760 §3. */
  14: MpReachNlri;
  /** MP_UNREACH_NLRI header, RFC 4760 §4. */
  15: MpUnreachNlri;
  /** EXTENDED_COMMUNITIES, RFC 4360. */
  16: readonly ExtendedCommunity[];
  /** AS4_PATH, RFC 6793. */
  17: AsPath;
  /** AS4_AGGREGATOR, RFC 6793. */
  18: Aggregator;
  /** IPv6 Address Specific Extended Communities, RFC 5701. */
  25: readonly Ipv6ExtendedCommunity[];
  /** LARGE_COMMUNITY, RFC 8092. */
  32: readonly LargeCommunity[];
  /** OTC (Only to Customer), RFC 9234 §5. */
  35: number;
}

/** A type code that has a typed codec. */
export type KnownAttributeType = keyof AttributeValueMap & number;

const CODECS = new Map<number, AttributeCodec<unknown>>();

function register<K extends KnownAttributeType>(codec: AttributeCodec<AttributeValueMap[K]> & { readonly type: K }): void {
  CODECS.set(codec.type, codec as AttributeCodec<unknown>);
}
register(originCodec);
register(asPathCodec);
register(nextHopCodec);
register(multiExitDiscCodec);
register(localPrefCodec);
register(atomicAggregateCodec);
register(aggregatorCodec);
register(communitiesCodec);
register(originatorIdCodec);
register(clusterListCodec);
register(mpReachNlriCodec);
register(mpUnreachNlriCodec);
register(extendedCommunitiesCodec);
register(as4PathCodec);
register(as4AggregatorCodec);
register(ipv6ExtendedCommunitiesCodec);
register(largeCommunityCodec);
register(otcCodec);

/**
 * The codec of a path attribute type, or `undefined` when fibwire does not
 * interpret it (use {@link getAttributeCodecOrRaw} to get the raw codec then).
 *
 * @example
 * ```ts
 * const codec = getAttributeCodec(AttrType.LOCAL_PREF);
 * const value = codec?.decode({ buf, start, end, flags, ctx });
 * ```
 */
export function getAttributeCodec(type: number): AttributeCodec<unknown> | undefined {
  return CODECS.get(type);
}

/** The typed codec of a known attribute type (`attributeCodec(AttrType.AS_PATH)` is an `AttributeCodec<AsPath>`). */
export function attributeCodec<K extends KnownAttributeType>(type: K): AttributeCodec<AttributeValueMap[K]> {
  const codec = CODECS.get(type);
  if (!codec) throw new RangeError(`no codec registered for attribute type ${type}`);
  return codec as AttributeCodec<AttributeValueMap[K]>;
}

/** True when `type` has a typed codec. */
export function isKnownAttributeType(type: number): type is KnownAttributeType {
  return CODECS.has(type);
}

/** The typed codec when there is one, else the raw codec that keeps flags and bytes. */
export function getAttributeCodecOrRaw(type: number): AttributeCodec<unknown> {
  return CODECS.get(type) ?? (unknownAttributeCodec(type) as AttributeCodec<UnknownAttribute> as AttributeCodec<unknown>);
}

/** Every registered codec, in type-code order. */
export function registeredAttributeCodecs(): AttributeCodec<unknown>[] {
  return [...CODECS.values()].sort((a, b) => a.type - b.type);
}
