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
import { as4PathCodec } from './attr-17-as4-path.js';
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
  /** AS4_PATH, RFC 6793. */
  17: AsPath;
  /** AS4_AGGREGATOR, RFC 6793. */
  18: Aggregator;
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
register(as4PathCodec);
register(as4AggregatorCodec);

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
