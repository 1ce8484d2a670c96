import type { AttributeCodec } from './attribute-codec.js';
import { type UnknownAttribute, unknownAttributeCodec } from './unknown-attribute.js';

/**
 * The value type of each path attribute fibwire interprets, by type code
 * (IANA "BGP Path Attributes"). Grows as codecs land.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface AttributeValueMap {}

/** A type code that has a typed codec. */
export type KnownAttributeType = keyof AttributeValueMap & number;

const CODECS = new Map<number, AttributeCodec<unknown>>();

function register<K extends KnownAttributeType>(codec: AttributeCodec<AttributeValueMap[K]> & { readonly type: K }): void {
  CODECS.set(codec.type, codec as AttributeCodec<unknown>);
}
void register;

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
