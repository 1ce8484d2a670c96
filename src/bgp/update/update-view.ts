import { getAttributeCodecOrRaw, isKnownAttributeType, type AttributeValueMap, type KnownAttributeType } from '../attributes/attribute-registry.js';
import { passOnUnknownAttribute } from '../attributes/attribute-flags.js';
import { reconcileAs4, type As4Attributes } from '../attributes/as4-merge.js';
import type { UnknownAttribute } from '../attributes/unknown-attribute.js';
import { withAttributeData } from '../attributes/attribute-error.js';
import { AttrFlag, AttrType, BGP_HEADER_LENGTH, HeaderSubcode, MessageType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import { BgpError, type ErrorAction } from '../errors.js';
import { Family, type FamilyKey } from '../family.js';
import { decodeHeader } from '../messages/header.js';
import type { Prefix } from '../prefix.js';
import { ipv4UnicastNlri } from '../nlri/ipv4-unicast.js';
import { CLASSIC_NLRI_FAULT, MP_REACH_NLRI_FAULT, MP_UNREACH_NLRI_FAULT, WITHDRAWN_ROUTES_FAULT } from '../nlri/nlri-faults.js';
import { getNlriCodec } from '../nlri/nlri-registry.js';
import { attributeHeaderLength, attributeValueLength, parseUpdateLayout, type UpdateLayout } from './update-layout.js';
import { locateMpReach, locateMpUnreach, type MpNlriLocation } from './mp-nlri-location.js';
import { UpdatePrefixCursor, type NlriSegment } from './update-prefix-cursor.js';
import { validateUpdate } from './update-validation.js';
import { updateToJSON, type UpdateJson } from './update-json.js';

/**
 * One path attribute as received: flags octet, type code, and a view of the
 * value bytes (no copy). `offset` is where its flags octet is in the buffer.
 */
export interface RawAttribute {
  readonly flags: number;
  readonly type: number;
  readonly value: Uint8Array;
  readonly offset: number;
}

/** An MP_REACH_NLRI / MP_UNREACH_NLRI family fibwire cannot decode yet (VPN, EVPN, FlowSpec, ...). */
export interface UnsupportedNlri {
  readonly afi: number;
  readonly safi: number;
  readonly family: FamilyKey;
  /** `announced` (MP_REACH_NLRI) or `withdrawn` (MP_UNREACH_NLRI). */
  readonly direction: 'announced' | 'withdrawn';
  /** Next hop bytes (announced only) and NLRI bytes, views into the message. */
  readonly nextHop: Uint8Array;
  readonly nlri: Uint8Array;
}

/** The verdict of {@link UpdateView.validate}: the strongest RFC 7606 action (§3 (j)) and every error seen. */
export interface UpdateValidation {
  readonly action: 'ok' | ErrorAction;
  readonly errors: BgpError[];
}

interface MpSide {
  readonly location: MpNlriLocation | undefined;
  readonly error: BgpError | undefined;
}

const NO_MP: MpSide = { location: undefined, error: undefined };

/** A cached decode error (so a bad attribute is decoded once). */
class DecodeFailure {
  constructor(readonly error: BgpError) {}
}

/**
 * A lazy view of one UPDATE message (RFC 4271 §4.3) over the received bytes
 * (DESIGN rule 3). Construction checks only the framing; everything else is read
 * when asked, and decoded attribute values are cached.
 *
 * - Framing that hides the NLRI (Withdrawn Routes Length, Total Path Attribute
 *   Length) throws a session-reset `BgpError` (RFC 7606 §4). An attribute that
 *   overruns the attribute block is kept as a framing error (treat-as-withdraw):
 *   the prefixes stay readable so they can be withdrawn.
 * - Prefixes: {@link UpdateView.announcedCursor} / {@link UpdateView.withdrawnCursor}
 *   walk classic and MP prefixes without allocating per prefix;
 *   {@link UpdateView.announced} / {@link UpdateView.withdrawn} materialise
 *   {@link Prefix} values.
 * - {@link UpdateView.validate} applies RFC 7606 to the whole message.
 *
 * The view borrows the buffer: it is valid only while the buffer is.
 *
 * @example
 * ```ts
 * const view = UpdateView.fromMessage(frame, ctx);
 * const { action } = view.validate();
 * if (action === 'ok') for (const p of view.announced()) rib.add(p);
 * ```
 */
export class UpdateView {
  /** The buffer the view reads from. */
  readonly buf: Uint8Array;
  /** Offsets of the UPDATE body (after the 19-octet header) in {@link UpdateView.buf}. */
  readonly start: number;
  readonly end: number;
  readonly ctx: CodecContext;
  /** Offsets of the parts of the body (RFC 4271 §4.3). */
  readonly layout: UpdateLayout;

  private mpReachSide: MpSide | undefined;
  private mpUnreachSide: MpSide | undefined;
  private announcedSegmentsCache: NlriSegment[] | undefined;
  private withdrawnSegmentsCache: NlriSegment[] | undefined;
  /** Decoded attribute values by type code (first occurrence only, RFC 7606 §3 (g)). */
  private decodedCache: Map<number, unknown> | undefined;
  private derivedCache: Map<string, unknown> | undefined;
  private sharedCursor: UpdatePrefixCursor | undefined;

  private constructor(buf: Uint8Array, start: number, end: number, ctx: CodecContext) {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.ctx = ctx;
    this.layout = parseUpdateLayout(buf, start, end);
  }

  /**
   * A view of a whole frame (marker, length, type, body). The header is checked
   * as RFC 4271 §6.1 says; a frame of another type is 1/3 Bad Message Type.
   */
  static fromMessage(frame: Uint8Array, ctx: CodecContext): UpdateView {
    const header = decodeHeader(frame, ctx);
    if (header.type !== MessageType.UPDATE) {
      throw BgpError.header(HeaderSubcode.BAD_MESSAGE_TYPE, `message type ${header.type} is not UPDATE`, Uint8Array.of(header.type));
    }
    return new UpdateView(frame, BGP_HEADER_LENGTH, header.length, ctx);
  }

  /** A view of an UPDATE body `buf[start..end)` (no header), e.g. inside an MRT record. */
  static fromBody(buf: Uint8Array, start: number, end: number, ctx: CodecContext): UpdateView {
    if (start < 0 || end > buf.length || start > end) throw new RangeError(`body window ${start}..${end} is outside the ${buf.length}-octet buffer`);
    return new UpdateView(buf, start, end, ctx);
  }

  // ── attributes, raw ────────────────────────────────────────────────────

  /** Number of attributes whose framing is intact (duplicates included). */
  get attributeCount(): number {
    return this.layout.attributeOffsets.length;
  }

  /** Offset of the flags octet of the first attribute of `type`, or -1 (first one wins, RFC 7606 §3 (g)). */
  attributeOffset(type: number): number {
    const offs = this.layout.attributeOffsets;
    const b = this.buf;
    for (let i = 0; i < offs.length; i++) {
      const o = offs[i]!;
      if (b[o + 1] === type) return o;
    }
    return -1;
  }

  /** True when an attribute of `type` is present. */
  has(type: number): boolean {
    return this.attributeOffset(type) >= 0;
  }

  /** The first attribute of `type` as raw bytes (a view), or `undefined`. */
  attribute(type: number): RawAttribute | undefined {
    const o = this.attributeOffset(type);
    return o < 0 ? undefined : this.rawAt(o);
  }

  /** Every attribute with intact framing, in wire order, duplicates included. */
  *attributes(): Generator<RawAttribute, void, undefined> {
    for (const o of this.layout.attributeOffsets) yield this.rawAt(o);
  }

  /**
   * Allocation-free attribute walk: `visit(flags, type, valueStart, valueEnd)` for
   * each attribute with intact framing, in wire order.
   */
  forEachAttribute(visit: (flags: number, type: number, valueStart: number, valueEnd: number) => void): void {
    const offs = this.layout.attributeOffsets;
    const b = this.buf;
    for (let i = 0; i < offs.length; i++) {
      const o = offs[i]!;
      const vs = o + attributeHeaderLength(b, o);
      visit(b[o]!, b[o + 1]!, vs, vs + attributeValueLength(b, o));
    }
  }

  private rawAt(o: number): RawAttribute {
    const b = this.buf;
    const vs = o + attributeHeaderLength(b, o);
    return { flags: b[o]!, type: b[o + 1]!, value: b.subarray(vs, vs + attributeValueLength(b, o)), offset: o };
  }

  /** Value window of the first attribute of `type`, or `undefined`. */
  attributeValueRange(type: number): { start: number; end: number; flags: number } | undefined {
    const o = this.attributeOffset(type);
    if (o < 0) return undefined;
    const vs = o + attributeHeaderLength(this.buf, o);
    return { start: vs, end: vs + attributeValueLength(this.buf, o), flags: this.buf[o]! };
  }

  /**
   * The decoded value of the first attribute of `type` with its registered codec
   * (`getAttributeCodec`), cached; `undefined` when absent. Throws the codec's
   * `BgpError` (with the attribute as NOTIFICATION data where RFC 4271 §6.3 wants
   * it). Types without a codec decode to an `UnknownAttribute`.
   */
  decodeAttribute(type: number): unknown {
    const cache = (this.decodedCache ??= new Map<number, unknown>());
    const hit = cache.get(type);
    if (hit !== undefined) {
      if (hit instanceof DecodeFailure) throw hit.error;
      return hit;
    }
    const o = this.attributeOffset(type);
    if (o < 0) return undefined;
    const b = this.buf;
    const start = o + attributeHeaderLength(b, o);
    const end = start + attributeValueLength(b, o);
    try {
      const value = getAttributeCodecOrRaw(type).decode({ buf: b, start, end, flags: b[o]!, ctx: this.ctx });
      cache.set(type, value);
      return value;
    } catch (e) {
      const error =
        e instanceof BgpError
          ? withAttributeData(e, b.subarray(o, end))
          : BgpError.update(UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, `attribute ${type}: ${String(e)}`, { attrType: type, offset: o });
      cache.set(type, new DecodeFailure(error));
      throw error;
    }
  }

  /** Like {@link UpdateView.decodeAttribute} with the type's value type; `undefined` when absent. */
  typed<K extends KnownAttributeType>(type: K): AttributeValueMap[K] | undefined {
    return this.decodeAttribute(type) as AttributeValueMap[K] | undefined;
  }

  // ── attributes, typed (decoded on first use, cached) ─────────────────────
  // Each getter returns `undefined` when the attribute is absent and throws the
  // attribute's BgpError (with its RFC 7606 action) when it is malformed.

  /** ORIGIN (RFC 4271 §4.3 (a)). */
  get origin(): AttributeValueMap[1] | undefined {
    return this.typed(AttrType.ORIGIN);
  }

  /**
   * The AS path. On a 2-octet session (`!ctx.asn4`) AS_PATH and AS4_PATH are merged
   * as RFC 6793 §4.2.3 says (the AGGREGATOR rule first); a malformed AS4_PATH or
   * AS4_AGGREGATOR is discarded (RFC 6793 §6, RFC 7606 §7.x) and the merge goes on
   * without it. On a 4-octet session it is AS_PATH as received.
   */
  get asPath(): AttributeValueMap[2] | undefined {
    const asPath = this.typed(AttrType.AS_PATH);
    if (this.ctx.asn4 || !asPath) return asPath;
    return this.cachedDerived('asPath', () => reconcileAs4(this.as4Inputs(asPath)).asPath);
  }

  /** AS_PATH exactly as received (no AS4 merge). */
  get rawAsPath(): AttributeValueMap[2] | undefined {
    return this.typed(AttrType.AS_PATH);
  }

  /** NEXT_HOP (RFC 4271 §4.3 (c)) as a dotted quad. */
  get nextHop(): AttributeValueMap[3] | undefined {
    return this.typed(AttrType.NEXT_HOP);
  }

  /** MULTI_EXIT_DISC (RFC 4271 §4.3 (d)). */
  get med(): AttributeValueMap[4] | undefined {
    return this.typed(AttrType.MULTI_EXIT_DISC);
  }

  /** LOCAL_PREF (RFC 4271 §4.3 (e)). */
  get localPref(): AttributeValueMap[5] | undefined {
    return this.typed(AttrType.LOCAL_PREF);
  }

  /** True when ATOMIC_AGGREGATE is present (RFC 4271 §4.3 (f)). */
  get atomicAggregate(): boolean {
    return this.typed(AttrType.ATOMIC_AGGREGATE) === true;
  }

  /** AGGREGATOR; on a 2-octet session AS4_AGGREGATOR replaces an AS_TRANS one (RFC 6793 §4.2.3). */
  get aggregator(): AttributeValueMap[7] | undefined {
    const aggregator = this.typed(AttrType.AGGREGATOR);
    if (this.ctx.asn4 || !aggregator) return aggregator;
    return this.cachedDerived('aggregator', () => reconcileAs4(this.as4Inputs(this.typed(AttrType.AS_PATH))).aggregator);
  }

  /** COMMUNITIES (RFC 1997) as uint32 values. */
  get communities(): AttributeValueMap[8] | undefined {
    return this.typed(AttrType.COMMUNITIES);
  }

  /** ORIGINATOR_ID (RFC 4456 §8) as a dotted quad. */
  get originatorId(): AttributeValueMap[9] | undefined {
    return this.typed(AttrType.ORIGINATOR_ID);
  }

  /** CLUSTER_LIST (RFC 4456 §8), dotted quads. */
  get clusterList(): AttributeValueMap[10] | undefined {
    return this.typed(AttrType.CLUSTER_LIST);
  }

  /**
   * MP_REACH_NLRI header as the attribute codec reads it (AFI, SAFI, next hop,
   * NLRI range); its prefixes are walked by {@link UpdateView.announcedCursor}.
   */
  get mpReach(): AttributeValueMap[14] | undefined {
    return this.typed(AttrType.MP_REACH_NLRI);
  }

  /** MP_UNREACH_NLRI header (AFI, SAFI, NLRI range); prefixes via {@link UpdateView.withdrawnCursor}. */
  get mpUnreach(): AttributeValueMap[15] | undefined {
    return this.typed(AttrType.MP_UNREACH_NLRI);
  }

  /** EXTENDED_COMMUNITIES (RFC 4360), typed where known, raw otherwise. */
  get extendedCommunities(): AttributeValueMap[16] | undefined {
    return this.typed(AttrType.EXTENDED_COMMUNITIES);
  }

  /** IPv6 Address Specific Extended Communities (RFC 5701). */
  get ipv6ExtendedCommunities(): AttributeValueMap[25] | undefined {
    return this.typed(AttrType.IPV6_EXTENDED_COMMUNITIES);
  }

  /** LARGE_COMMUNITY (RFC 8092) as [global, local1, local2] triples. */
  get largeCommunities(): AttributeValueMap[32] | undefined {
    return this.typed(AttrType.LARGE_COMMUNITY);
  }

  /** Only to Customer (RFC 9234 §5), an ASN. */
  get otc(): AttributeValueMap[35] | undefined {
    return this.typed(AttrType.OTC);
  }

  /** AS4_PATH as received (RFC 6793 §3). */
  get as4Path(): AttributeValueMap[17] | undefined {
    return this.typed(AttrType.AS4_PATH);
  }

  /** AS4_AGGREGATOR as received (RFC 6793 §3). */
  get as4Aggregator(): AttributeValueMap[18] | undefined {
    return this.typed(AttrType.AS4_AGGREGATOR);
  }

  /** Attributes fibwire does not interpret, first occurrence of each, raw (flags kept). */
  get unknownAttributes(): UnknownAttribute[] {
    const out: UnknownAttribute[] = [];
    const seen = new Uint8Array(256);
    this.forEachAttribute((flags, type, start, end) => {
      if (seen[type]) return;
      seen[type] = 1;
      if (isKnownAttributeType(type) || type === AttrType.MP_REACH_NLRI || type === AttrType.MP_UNREACH_NLRI) return;
      out.push({ flags, type, value: this.buf.subarray(start, end) });
    });
    return out;
  }

  /**
   * The unknown attributes to send on with this route, with the Partial bit set on
   * optional transitive ones and the others dropped (RFC 4271 §5), as whole
   * attributes (flags, type, length, value) ready to append to an attribute block.
   */
  unknownAttributesToPassOn(): Uint8Array {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (const attr of this.unknownAttributes) {
      const out = passOnUnknownAttribute(attr);
      if (!out) continue;
      const ext = out.value.length > 0xff || (out.flags & AttrFlag.EXTENDED_LENGTH) !== 0;
      const header = ext
        ? Uint8Array.of(out.flags | AttrFlag.EXTENDED_LENGTH, out.type, out.value.length >>> 8, out.value.length & 0xff)
        : Uint8Array.of(out.flags, out.type, out.value.length);
      parts.push(header, out.value);
      size += header.length + out.value.length;
    }
    const bytes = new Uint8Array(size);
    let o = 0;
    for (const p of parts) {
      bytes.set(p, o);
      o += p.length;
    }
    return bytes;
  }

  private as4Inputs(asPath: AttributeValueMap[2] | undefined): As4Attributes {
    return {
      asPath,
      as4Path: this.discardOnError(AttrType.AS4_PATH),
      aggregator: this.typed(AttrType.AGGREGATOR),
      as4Aggregator: this.discardOnError(AttrType.AS4_AGGREGATOR),
    };
  }

  private discardOnError<K extends KnownAttributeType>(type: K): AttributeValueMap[K] | undefined {
    try {
      return this.typed(type);
    } catch (e) {
      if (e instanceof BgpError) return undefined;
      throw e;
    }
  }

  private cachedDerived<T>(key: string, make: () => T): T {
    const cache = (this.derivedCache ??= new Map<string, unknown>());
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as T;
    const v = make();
    cache.set(key, v);
    return v;
  }

  // ── NLRI ───────────────────────────────────────────────────────────────

  private mpSide(type: number): MpSide {
    const index = type === AttrType.MP_REACH_NLRI ? this.layout.mpReachIndex : this.layout.mpUnreachIndex;
    if (index < 0) return NO_MP;
    const o = this.layout.attributeOffsets[index]!;
    const vs = o + attributeHeaderLength(this.buf, o);
    const ve = vs + attributeValueLength(this.buf, o);
    try {
      const location = type === AttrType.MP_REACH_NLRI ? locateMpReach(this.buf, vs, ve) : locateMpUnreach(this.buf, vs, ve);
      return { location, error: undefined };
    } catch (e) {
      if (e instanceof BgpError) return { location: undefined, error: e };
      throw e;
    }
  }

  /** Where MP_REACH_NLRI's next hop and NLRI are; throws its `BgpError` when it is malformed (RFC 7606 §7.11). */
  get mpReachLocation(): MpNlriLocation | undefined {
    const side = (this.mpReachSide ??= this.mpSide(AttrType.MP_REACH_NLRI));
    if (side.error) throw side.error;
    return side.location;
  }

  /** Where MP_UNREACH_NLRI's withdrawn routes are; throws its `BgpError` when malformed. */
  get mpUnreachLocation(): MpNlriLocation | undefined {
    const side = (this.mpUnreachSide ??= this.mpSide(AttrType.MP_UNREACH_NLRI));
    if (side.error) throw side.error;
    return side.location;
  }

  /**
   * The NLRI fields to walk, classic first (RFC 4271 §4.3), then the MP attribute's
   * (RFC 4760) when its family has an NLRI codec. Throws the MP attribute's error
   * when it is malformed. Families without a codec are listed by
   * {@link UpdateView.unsupportedNlri} instead.
   */
  nlriSegments(announced: boolean): readonly NlriSegment[] {
    const cached = announced ? this.announcedSegmentsCache : this.withdrawnSegmentsCache;
    if (cached) return cached;
    const l = this.layout;
    const segs: NlriSegment[] = [];
    const classicAddPath = this.ctx.addPathReceive.has(Family.IPV4_UNICAST);
    const [s, e] = announced ? [l.nlriStart, l.nlriEnd] : [l.withdrawnStart, l.withdrawnEnd];
    if (e > s) {
      segs.push({
        codec: ipv4UnicastNlri,
        start: s,
        end: e,
        addPath: classicAddPath,
        fault: announced ? CLASSIC_NLRI_FAULT : WITHDRAWN_ROUTES_FAULT,
        nextHopStart: s,
        nextHopEnd: s,
      });
    }
    const mp = announced ? this.mpReachLocation : this.mpUnreachLocation;
    if (mp) {
      const codec = getNlriCodec(mp.afi, mp.safi);
      if (codec && mp.nlriEnd > mp.nlriStart) {
        segs.push({
          codec,
          start: mp.nlriStart,
          end: mp.nlriEnd,
          addPath: this.ctx.addPathReceive.has(mp.family),
          fault: announced ? MP_REACH_NLRI_FAULT : MP_UNREACH_NLRI_FAULT,
          nextHopStart: mp.nextHopStart,
          nextHopEnd: mp.nextHopEnd,
        });
      }
    }
    if (announced) this.announcedSegmentsCache = segs;
    else this.withdrawnSegmentsCache = segs;
    return segs;
  }

  /** An allocation-free walk of the announced prefixes (classic NLRI, then MP_REACH_NLRI). */
  announcedCursor(cursor: UpdatePrefixCursor = new UpdatePrefixCursor()): UpdatePrefixCursor {
    return cursor.reset(this.buf, this.nlriSegments(true));
  }

  /** An allocation-free walk of the withdrawn prefixes (Withdrawn Routes, then MP_UNREACH_NLRI). */
  withdrawnCursor(cursor: UpdatePrefixCursor = new UpdatePrefixCursor()): UpdatePrefixCursor {
    return cursor.reset(this.buf, this.nlriSegments(false));
  }

  /**
   * Calls `visit` with one shared cursor for every announced (`true`) or withdrawn
   * (`false`) prefix, classic then MP; returns how many there were. No allocation
   * per prefix; throws the `BgpError` of a malformed NLRI field (RFC 7606 §5.3).
   */
  forEachPrefix(announced: boolean, visit: (cursor: UpdatePrefixCursor) => void): number {
    const c = (this.sharedCursor ??= new UpdatePrefixCursor());
    c.reset(this.buf, this.nlriSegments(announced));
    let n = 0;
    while (c.next()) {
      visit(c);
      n++;
    }
    return n;
  }

  /** Materialised announced prefixes, classic then MP (each owns its bytes). */
  *announced(): Generator<Prefix, void, undefined> {
    const c = this.announcedCursor();
    while (c.next()) yield c.toPrefix();
  }

  /** Materialised withdrawn prefixes, classic then MP. */
  *withdrawn(): Generator<Prefix, void, undefined> {
    const c = this.withdrawnCursor();
    while (c.next()) yield c.toPrefix();
  }

  /** True when the classic NLRI field is not empty. */
  get hasClassicNlri(): boolean {
    return this.layout.nlriEnd > this.layout.nlriStart;
  }

  /** True when the UPDATE announces anything (classic NLRI or MP_REACH_NLRI NLRI). */
  get hasAnnouncements(): boolean {
    if (this.hasClassicNlri) return true;
    const side = (this.mpReachSide ??= this.mpSide(AttrType.MP_REACH_NLRI));
    // A malformed MP_REACH_NLRI still announces something we cannot read.
    return side.error !== undefined || (side.location !== undefined && side.location.nlriEnd > side.location.nlriStart);
  }

  /** MP NLRI of families without an NLRI codec (VPN, EVPN, FlowSpec, ... for now): raw, not decoded. */
  unsupportedNlri(): UnsupportedNlri[] {
    const out: UnsupportedNlri[] = [];
    const reach = (this.mpReachSide ??= this.mpSide(AttrType.MP_REACH_NLRI)).location;
    const unreach = (this.mpUnreachSide ??= this.mpSide(AttrType.MP_UNREACH_NLRI)).location;
    for (const [loc, direction] of [
      [reach, 'announced'],
      [unreach, 'withdrawn'],
    ] as const) {
      if (!loc || getNlriCodec(loc.afi, loc.safi)) continue;
      out.push({
        afi: loc.afi,
        safi: loc.safi,
        family: loc.family,
        direction,
        nextHop: this.buf.subarray(loc.nextHopStart, loc.nextHopEnd),
        nlri: this.buf.subarray(loc.nlriStart, loc.nlriEnd),
      });
    }
    return out;
  }

  /**
   * Applies RFC 7606 to the whole message (every attribute and NLRI field) and
   * returns the strongest action with every error; `'ok'` when nothing is wrong.
   */
  validate(): UpdateValidation {
    return validateUpdate(this);
  }

  /** The stable JSON form documented at {@link UpdateJson}. */
  toJSON(): UpdateJson {
    return updateToJSON(this);
  }

  // ── End-of-RIB (RFC 4724 §2) ─────────────────────────────────────────────

  /**
   * The family this UPDATE marks the End-of-RIB of, or `undefined`: for IPv4
   * unicast an UPDATE with no withdrawn routes, no attributes and no NLRI; for any
   * other family an UPDATE whose only content is an MP_UNREACH_NLRI with that
   * AFI/SAFI and no withdrawn routes (RFC 4724 §2).
   */
  get endOfRibFamily(): FamilyKey | undefined {
    const l = this.layout;
    if (l.withdrawnEnd !== l.withdrawnStart || l.nlriEnd !== l.nlriStart || l.framingErrors.length > 0) return undefined;
    if (l.attributesEnd === l.attributesStart) return Family.IPV4_UNICAST;
    if (l.attributeOffsets.length !== 1 || l.mpUnreachIndex !== 0) return undefined;
    const side = (this.mpUnreachSide ??= this.mpSide(AttrType.MP_UNREACH_NLRI));
    const loc = side.location;
    if (!loc || loc.nlriEnd !== loc.nlriStart) return undefined;
    return loc.family;
  }

  /** True when this UPDATE is an End-of-RIB marker (RFC 4724 §2). */
  get isEndOfRib(): boolean {
    return this.endOfRibFamily !== undefined;
  }
}
