import { Afi, Safi } from '../constants.js';
import { familyName } from '../family.js';
import { Prefix } from '../prefix.js';
import { TableDumpV2Subtype } from './mrt-constants.js';
import { MrtCursor } from './mrt-cursor.js';
import type { MrtRawRecord } from './mrt-framer.js';
import { headerJSON, type MrtRecordHeader, recordHeader, toHex } from './mrt-record-base.js';
import type { MrtPeer, PeerIndexTable } from './peer-index-table.js';
import { PathAttributeBlock } from './path-attributes.js';

/** One RIB entry (RFC 6396 §4.3.4; RFC 8050 §4 adds the path id). */
export interface RibEntry {
  readonly peerIndex: number;
  /** The peer from the PEER_INDEX_TABLE. */
  readonly peer: MrtPeer;
  readonly originatedTime: number;
  /** RFC 8050 path identifier, for the _ADDPATH subtypes. */
  readonly pathId: number | undefined;
  /** Attributes with 4-octet ASNs and abbreviated MP_REACH_NLRI (RFC 6396 §4.3.4). */
  readonly attributes: PathAttributeBlock;
}

interface RibShape {
  readonly afi: number;
  readonly safi: number;
  readonly addPath: boolean;
  readonly generic: boolean;
}

/** The address family each RIB subtype carries (RFC 6396 §4.3.2, RFC 8050 §3). */
const RIB_SUBTYPES: Readonly<Record<number, RibShape>> = {
  [TableDumpV2Subtype.RIB_IPV4_UNICAST]: { afi: Afi.IPV4, safi: Safi.UNICAST, addPath: false, generic: false },
  [TableDumpV2Subtype.RIB_IPV4_MULTICAST]: { afi: Afi.IPV4, safi: Safi.MULTICAST, addPath: false, generic: false },
  [TableDumpV2Subtype.RIB_IPV6_UNICAST]: { afi: Afi.IPV6, safi: Safi.UNICAST, addPath: false, generic: false },
  [TableDumpV2Subtype.RIB_IPV6_MULTICAST]: { afi: Afi.IPV6, safi: Safi.MULTICAST, addPath: false, generic: false },
  [TableDumpV2Subtype.RIB_GENERIC]: { afi: 0, safi: 0, addPath: false, generic: true },
  [TableDumpV2Subtype.RIB_IPV4_UNICAST_ADDPATH]: { afi: Afi.IPV4, safi: Safi.UNICAST, addPath: true, generic: false },
  [TableDumpV2Subtype.RIB_IPV4_MULTICAST_ADDPATH]: { afi: Afi.IPV4, safi: Safi.MULTICAST, addPath: true, generic: false },
  [TableDumpV2Subtype.RIB_IPV6_UNICAST_ADDPATH]: { afi: Afi.IPV6, safi: Safi.UNICAST, addPath: true, generic: false },
  [TableDumpV2Subtype.RIB_IPV6_MULTICAST_ADDPATH]: { afi: Afi.IPV6, safi: Safi.MULTICAST, addPath: true, generic: false },
  [TableDumpV2Subtype.RIB_GENERIC_ADDPATH]: { afi: 0, safi: 0, addPath: true, generic: true },
};

/** True for the TABLE_DUMP_V2 subtypes that {@link RibRecord} reads. */
export function isRibSubtype(subtype: number): boolean {
  return RIB_SUBTYPES[subtype] !== undefined;
}

/** SAFIs whose NLRI is a bit-length-prefixed field (RFC 4760 §5, RFC 8277, RFC 4364): readable inside RIB_GENERIC. */
const BIT_LENGTH_SAFIS: ReadonlySet<number> = new Set([Safi.UNICAST, Safi.MULTICAST, Safi.MPLS_LABEL, Safi.MPLS_VPN]);

/**
 * A TABLE_DUMP_V2 RIB record (RFC 6396 §4.3.2 AFI/SAFI-specific, §4.3.3
 * RIB_GENERIC, RFC 8050 ADD-PATH variants): one prefix and the RIB entries of
 * every peer that has it. The entries' framing is checked when the record is
 * read; their attributes stay undecoded until asked.
 *
 * @example
 * ```ts
 * if (rec.kind === 'rib') for (const e of rec.entries) console.log(rec.prefix?.toString(), e.peer.ip, e.pathId);
 * ```
 */
export class RibRecord {
  readonly kind = 'rib' as const;
  readonly header: MrtRecordHeader;
  readonly afi: number;
  readonly safi: number;
  readonly addPath: boolean;
  readonly sequence: number;
  /** The prefix, for IPv4/IPv6 unicast and multicast (also inside RIB_GENERIC). */
  readonly prefix: Prefix | undefined;
  /** The NLRI as on the wire (length octet included). */
  readonly nlri: Uint8Array;
  readonly entries: readonly RibEntry[];

  private constructor(
    header: MrtRecordHeader,
    shape: { afi: number; safi: number; addPath: boolean },
    sequence: number,
    prefix: Prefix | undefined,
    nlri: Uint8Array,
    entries: RibEntry[],
  ) {
    this.header = header;
    this.afi = shape.afi;
    this.safi = shape.safi;
    this.addPath = shape.addPath;
    this.sequence = sequence;
    this.prefix = prefix;
    this.nlri = nlri;
    this.entries = entries;
  }

  /** Reads the record; `peers` is the last PEER_INDEX_TABLE. Throws `MrtError` on damage. */
  static decode(raw: MrtRawRecord, peers: PeerIndexTable | undefined): RibRecord {
    const c = new MrtCursor(raw.buf, raw.start, raw.end, raw);
    const shape = RIB_SUBTYPES[raw.subtype];
    if (!shape) throw c.error('ERR_MRT_MALFORMED', `TABLE_DUMP_V2 subtype ${raw.subtype} is not a RIB subtype`);
    if (!peers) throw c.error('ERR_MRT_NO_PEER_INDEX', 'RIB record before any PEER_INDEX_TABLE (RFC 6396 §4.3)');
    const sequence = c.u32('sequence number');
    let afi = shape.afi;
    let safi = shape.safi;
    if (shape.generic) {
      afi = c.u16('AFI');
      safi = c.u8('SAFI');
    }
    const nlriAt = c.pos;
    const bits = c.u8('prefix length');
    let prefix: Prefix | undefined;
    if (afi === Afi.IPV4 || afi === Afi.IPV6) {
      if (!BIT_LENGTH_SAFIS.has(safi)) throw c.error('ERR_MRT_MALFORMED', `RIB_GENERIC NLRI of ${familyName(afi, safi)} is not supported`);
      const bytes = (bits + 7) >>> 3;
      c.need(bytes, 'prefix');
      if (safi === Safi.UNICAST || safi === Safi.MULTICAST) {
        if (bits > (afi === Afi.IPV4 ? 32 : 128)) throw c.error('ERR_MRT_MALFORMED', `prefix length ${bits} is too long for AFI ${afi}`);
        prefix = Prefix.fromWire(afi, raw.buf, c.pos, bits);
      }
      c.pos += bytes;
    } else {
      throw c.error('ERR_MRT_BAD_AFI', `RIB_GENERIC AFI ${afi} is not supported`);
    }
    const nlri = raw.buf.subarray(nlriAt, c.pos);
    const count = c.u16('entry count');
    const entries: RibEntry[] = new Array<RibEntry>(count);
    for (let i = 0; i < count; i++) {
      const peerIndex = c.u16('peer index');
      const peer = peers.peers[peerIndex];
      if (!peer) throw c.error('ERR_MRT_UNKNOWN_PEER', `RIB entry ${i} names peer index ${peerIndex}; the table has ${peers.peers.length}`);
      const originatedTime = c.u32('originated time');
      const pathId = shape.addPath ? c.u32('path identifier') : undefined;
      const attrLength = c.u16('attribute length');
      c.need(attrLength, 'BGP attributes');
      const attributes = new PathAttributeBlock(raw.buf, c.pos, c.pos + attrLength, { mrtRibEntry: true, asn4: true });
      c.pos += attrLength;
      entries[i] = { peerIndex, peer, originatedTime, pathId, attributes };
    }
    return new RibRecord(recordHeader(raw), { afi, safi, addPath: shape.addPath }, sequence, prefix, nlri, entries);
  }

  /** JSON: header fields, `kind: 'rib'`, family (`ipv4-unicast`...), addPath, sequence, prefix (or nlri hex), entries `[{ peerIndex, peerIp, peerAs, originatedTime, pathId?, attributes }]`. Header fields: timestamp, microseconds (for _ET), type, subtype. */
  toJSON(): Record<string, unknown> {
    return {
      ...headerJSON(this.header),
      kind: this.kind,
      family: familyName(this.afi, this.safi),
      addPath: this.addPath,
      sequence: this.sequence,
      ...(this.prefix ? { prefix: this.prefix.toString() } : { nlri: toHex(this.nlri) }),
      entries: this.entries.map((e) => ({
        peerIndex: e.peerIndex,
        peerIp: e.peer.ip,
        peerAs: e.peer.asn,
        originatedTime: e.originatedTime,
        ...(e.pathId !== undefined ? { pathId: e.pathId } : {}),
        attributes: e.attributes.toJSON(),
      })),
    };
  }
}
