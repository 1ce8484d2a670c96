import { formatIPv4, formatIP } from '../ip-address.js';
import { PeerTypeFlag } from './mrt-constants.js';
import { MrtCursor } from './mrt-cursor.js';
import type { MrtRawRecord } from './mrt-framer.js';
import { headerJSON, type MrtRecordHeader, recordHeader } from './mrt-record-base.js';

/** One peer of a PEER_INDEX_TABLE (RFC 6396 §4.3.1). */
export interface MrtPeer {
  /** Peer Type octet: bit 0 = IPv6 address, bit 1 = 4-octet AS. */
  readonly peerType: number;
  readonly bgpId: Uint8Array;
  /** 4 or 16 bytes. */
  readonly address: Uint8Array;
  readonly asn: number;
  /** The address as text (computed once). */
  readonly ip: string;
}

/**
 * TABLE_DUMP_V2 PEER_INDEX_TABLE (RFC 6396 §4.3.1): the collector's BGP id,
 * an optional view name and the peers the following RIB records refer to by
 * index.
 *
 * @example
 * ```ts
 * if (rec.kind === 'peer-index-table') for (const p of rec.peers) console.log(p.ip, p.asn);
 * ```
 */
export class PeerIndexTable {
  readonly kind = 'peer-index-table' as const;
  readonly header: MrtRecordHeader;
  readonly collectorBgpId: Uint8Array;
  readonly viewName: string;
  readonly peers: readonly MrtPeer[];

  private constructor(header: MrtRecordHeader, collectorBgpId: Uint8Array, viewName: string, peers: MrtPeer[]) {
    this.header = header;
    this.collectorBgpId = collectorBgpId;
    this.viewName = viewName;
    this.peers = peers;
  }

  /** Reads the record body; throws `MrtError` on a short body. */
  static decode(raw: MrtRawRecord): PeerIndexTable {
    const c = new MrtCursor(raw.buf, raw.start, raw.end, raw);
    const collectorBgpId = c.bytes(4, 'collector BGP ID');
    const nameLength = c.u16('view name length');
    const viewName = Buffer.from(c.bytes(nameLength, 'view name')).toString('utf8');
    const count = c.u16('peer count');
    const peers: MrtPeer[] = [];
    for (let i = 0; i < count; i++) {
      const peerType = c.u8('peer type');
      const bgpId = c.bytes(4, 'peer BGP ID');
      const address = c.bytes(peerType & PeerTypeFlag.IPV6 ? 16 : 4, 'peer IP address');
      const asn = peerType & PeerTypeFlag.AS4 ? c.u32('peer AS') : c.u16('peer AS');
      peers.push({ peerType, bgpId, address, asn, ip: formatIP(address) });
    }
    return new PeerIndexTable(recordHeader(raw), collectorBgpId, viewName, peers);
  }

  /** JSON: header fields, `kind: 'peer-index-table'`, collectorBgpId, viewName, peers `[{ peerType, bgpId, ip, asn }]`. Header fields: timestamp, microseconds (for _ET), type, subtype. */
  toJSON(): Record<string, unknown> {
    return {
      ...headerJSON(this.header),
      kind: this.kind,
      collectorBgpId: formatIPv4(this.collectorBgpId),
      viewName: this.viewName,
      peers: this.peers.map((p) => ({ peerType: p.peerType, bgpId: formatIPv4(p.bgpId), ip: p.ip, asn: p.asn })),
    };
  }
}
