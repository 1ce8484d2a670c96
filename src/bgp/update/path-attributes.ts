import { attributeCodec, type AttributeValueMap, type KnownAttributeType } from '../attributes/attribute-registry.js';
import { encodeAttribute, MAX_ATTRIBUTE_VALUE_LENGTH } from '../attributes/attribute-writer.js';
import { flagsForLength } from '../attributes/attribute-flags.js';
import { splitAs4Aggregator, splitAs4Path } from '../attributes/as4-split.js';
import type { UnknownAttribute } from '../attributes/unknown-attribute.js';
import { AttrFlag, AttrType } from '../constants.js';
import type { CodecContext } from '../context.js';
import { EncodeError } from '../errors.js';
import { WireWriter } from '../wire-writer.js';

/** One typed attribute: a type code with a registered codec and its value. */
export type TypedAttribute = {
  [K in KnownAttributeType]: { readonly type: K; readonly value: AttributeValueMap[K] };
}[KnownAttributeType];

/**
 * The attribute set an {@link UpdateBuilder} sends with its prefixes. Well-known
 * attributes by name; any other registered attribute in `typed`; attributes fibwire
 * does not interpret in `raw` (sent with their flags; Extended Length added when
 * the value needs it). MP_REACH_NLRI / MP_UNREACH_NLRI are built from the prefixes.
 */
export interface UpdateAttributes {
  readonly origin?: AttributeValueMap[1];
  /** On a 2-octet session the builder sends AS_PATH with AS_TRANS and AS4_PATH (RFC 6793 §4.2.2). */
  readonly asPath?: AttributeValueMap[2];
  /** NEXT_HOP for classic IPv4 unicast NLRI; left out of MP-only messages (RFC 4760 §3). */
  readonly nextHop?: AttributeValueMap[3];
  readonly med?: AttributeValueMap[4];
  readonly localPref?: AttributeValueMap[5];
  readonly atomicAggregate?: boolean;
  readonly aggregator?: AttributeValueMap[7];
  readonly communities?: AttributeValueMap[8];
  readonly originatorId?: AttributeValueMap[9];
  readonly clusterList?: AttributeValueMap[10];
  readonly extendedCommunities?: AttributeValueMap[16];
  readonly as4Path?: AttributeValueMap[17];
  readonly as4Aggregator?: AttributeValueMap[18];
  readonly ipv6ExtendedCommunities?: AttributeValueMap[25];
  readonly largeCommunities?: AttributeValueMap[32];
  readonly otc?: AttributeValueMap[35];
  readonly typed?: readonly TypedAttribute[];
  readonly raw?: readonly UnknownAttribute[];
}

const NAMED_TYPE: Readonly<Record<number, keyof UpdateAttributes>> = {
  [AttrType.ORIGIN]: 'origin',
  [AttrType.AS_PATH]: 'asPath',
  [AttrType.NEXT_HOP]: 'nextHop',
};

/** True when the set carries attribute `type` (ORIGIN, AS_PATH or NEXT_HOP by name, or in `typed` / `raw`). */
export function hasAttribute(attrs: UpdateAttributes, type: number): boolean {
  const name = NAMED_TYPE[type];
  if (name !== undefined && attrs[name] !== undefined) return true;
  return (attrs.typed ?? []).some((t) => t.type === type) || (attrs.raw ?? []).some((r) => r.type === type);
}

/** Attributes encoded once for a batch: with NEXT_HOP (classic NLRI) and without (MP only). */
export interface EncodedAttributeBlocks {
  readonly classic: Uint8Array;
  readonly mpOnly: Uint8Array;
}

function writeTyped<K extends KnownAttributeType>(w: WireWriter, type: K, value: AttributeValueMap[K], ctx: CodecContext): void {
  encodeAttribute(w, attributeCodec(type), value, ctx);
}

function writeRaw(w: WireWriter, attr: UnknownAttribute): void {
  if (attr.value.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
    throw new EncodeError(`attribute ${attr.type} length`, attr.value.length, MAX_ATTRIBUTE_VALUE_LENGTH);
  }
  const flags = flagsForLength(attr.flags, attr.value.length);
  w.u8(flags, `attribute ${attr.type} flags`);
  w.u8(attr.type, 'attribute type');
  if (flags & AttrFlag.EXTENDED_LENGTH) w.u16(attr.value.length);
  else w.u8(attr.value.length);
  w.bytes(attr.value);
}

/**
 * Encodes an attribute set with the attribute codecs, in type-code order (the
 * canonical order fibwire writes; MP attributes go first, RFC 7606 §5.1, and are
 * added by the builder). Returns the block with and without NEXT_HOP.
 */
export function encodeAttributeBlocks(attrs: UpdateAttributes, ctx: CodecContext): EncodedAttributeBlocks {
  const entries: { type: number; write: (w: WireWriter) => void }[] = [];
  const add = <K extends KnownAttributeType>(type: K, value: AttributeValueMap[K] | undefined): void => {
    if (value === undefined) return;
    const codec = attributeCodec(type);
    entries.push({ type, write: (w) => encodeAttribute(w, codec, value, ctx) });
  };
  let asPath = attrs.asPath;
  let as4Path = attrs.as4Path;
  let aggregator = attrs.aggregator;
  let as4Aggregator = attrs.as4Aggregator;
  if (!ctx.asn4) {
    // RFC 6793 §4.2.2: a NEW speaker talking to an OLD one.
    if (asPath && as4Path === undefined) ({ asPath, as4Path } = splitAs4Path(asPath));
    if (aggregator && as4Aggregator === undefined) ({ aggregator, as4Aggregator } = splitAs4Aggregator(aggregator));
  }
  add(AttrType.ORIGIN, attrs.origin);
  add(AttrType.AS_PATH, asPath);
  add(AttrType.NEXT_HOP, attrs.nextHop);
  add(AttrType.MULTI_EXIT_DISC, attrs.med);
  add(AttrType.LOCAL_PREF, attrs.localPref);
  if (attrs.atomicAggregate) add(AttrType.ATOMIC_AGGREGATE, true);
  add(AttrType.AGGREGATOR, aggregator);
  add(AttrType.COMMUNITIES, attrs.communities);
  add(AttrType.ORIGINATOR_ID, attrs.originatorId);
  add(AttrType.CLUSTER_LIST, attrs.clusterList);
  add(AttrType.EXTENDED_COMMUNITIES, attrs.extendedCommunities);
  add(AttrType.AS4_PATH, as4Path);
  add(AttrType.AS4_AGGREGATOR, as4Aggregator);
  add(AttrType.IPV6_EXTENDED_COMMUNITIES, attrs.ipv6ExtendedCommunities);
  add(AttrType.LARGE_COMMUNITY, attrs.largeCommunities);
  add(AttrType.OTC, attrs.otc);
  for (const t of attrs.typed ?? []) {
    if (t.type === AttrType.MP_REACH_NLRI || t.type === AttrType.MP_UNREACH_NLRI) {
      throw EncodeError.invalid('typed attribute', 'MP_REACH_NLRI / MP_UNREACH_NLRI are built from the prefixes');
    }
    entries.push({ type: t.type, write: (w) => writeTyped(w, t.type, t.value, ctx) });
  }
  for (const r of attrs.raw ?? []) {
    if (r.type === AttrType.MP_REACH_NLRI || r.type === AttrType.MP_UNREACH_NLRI) {
      throw EncodeError.invalid('raw attribute', 'MP_REACH_NLRI / MP_UNREACH_NLRI are built from the prefixes');
    }
    entries.push({ type: r.type, write: (w) => writeRaw(w, r) });
  }
  entries.sort((a, b) => a.type - b.type);
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.type === entries[i - 1]!.type) throw EncodeError.invalid('path attributes', `attribute ${entries[i]!.type} given twice`);
  }
  // Each attribute is encoded once; the MP-only block is the same bytes without NEXT_HOP.
  const w = new WireWriter(256);
  let nextHopStart = -1;
  let nextHopEnd = -1;
  for (const e of entries) {
    if (e.type === AttrType.NEXT_HOP) nextHopStart = w.length;
    e.write(w);
    if (e.type === AttrType.NEXT_HOP) nextHopEnd = w.length;
  }
  const classic = w.finish();
  if (nextHopStart < 0) return { classic, mpOnly: classic };
  const mpOnly = new Uint8Array(classic.length - (nextHopEnd - nextHopStart));
  mpOnly.set(classic.subarray(0, nextHopStart), 0);
  mpOnly.set(classic.subarray(nextHopEnd), nextHopStart);
  return { classic, mpOnly };
}
