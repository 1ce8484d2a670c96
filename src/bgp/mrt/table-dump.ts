import { Afi } from '../constants.js';
import { formatIP } from '../ip-address.js';
import { Prefix } from '../prefix.js';
import { TableDumpSubtype } from './mrt-constants.js';
import { MrtCursor } from './mrt-cursor.js';
import type { MrtRawRecord } from './mrt-framer.js';
import { headerJSON, type MrtRecordHeader, recordHeader } from './mrt-record-base.js';
import { PathAttributeBlock } from './path-attributes.js';

/**
 * A TABLE_DUMP record (RFC 6396 §4.2): one RIB entry of one peer, with
 * 2-octet AS numbers. The subtype is the AFI (1 IPv4, 2 IPv6).
 *
 * Body: View Number (2), Sequence Number (2), Prefix (4 or 16), Prefix Length
 * (1), Status (1), Originated Time (4), Peer IP (4 or 16), Peer AS (2),
 * Attribute Length (2), BGP Attributes.
 *
 * @example
 * ```ts
 * if (rec.kind === 'table-dump') console.log(rec.prefix.toString(), rec.peerAs);
 * ```
 */
export class TableDumpRecord {
  readonly kind = 'table-dump' as const;
  readonly header: MrtRecordHeader;
  readonly viewNumber: number;
  readonly sequence: number;
  readonly afi: 1 | 2;
  readonly prefix: Prefix;
  readonly status: number;
  readonly originatedTime: number;
  readonly peerAddress: Uint8Array;
  readonly peerAs: number;
  readonly attributes: PathAttributeBlock;

  private constructor(h: MrtRecordHeader, f: Omit<TableDumpRecord, 'kind' | 'header' | 'peerIp' | 'toJSON'>) {
    this.header = h;
    this.viewNumber = f.viewNumber;
    this.sequence = f.sequence;
    this.afi = f.afi;
    this.prefix = f.prefix;
    this.status = f.status;
    this.originatedTime = f.originatedTime;
    this.peerAddress = f.peerAddress;
    this.peerAs = f.peerAs;
    this.attributes = f.attributes;
  }

  /** Reads the record body; throws `MrtError` on a short or malformed body. */
  static decode(raw: MrtRawRecord): TableDumpRecord {
    const c = new MrtCursor(raw.buf, raw.start, raw.end, raw);
    const afi = raw.subtype === TableDumpSubtype.AFI_IPV4 ? Afi.IPV4 : raw.subtype === TableDumpSubtype.AFI_IPV6 ? Afi.IPV6 : 0;
    if (afi === 0) throw c.error('ERR_MRT_BAD_AFI', `TABLE_DUMP subtype ${raw.subtype} is not an AFI (RFC 6396 §4.2)`);
    const width = afi === Afi.IPV4 ? 4 : 16;
    const viewNumber = c.u16('view number');
    const sequence = c.u16('sequence number');
    const addrAt = c.pos;
    c.need(width, 'prefix');
    c.pos += width;
    const length = c.u8('prefix length');
    if (length > width * 8) throw c.error('ERR_MRT_MALFORMED', `prefix length ${length} is too long for AFI ${afi}`);
    const prefix = new Prefix(afi, Uint8Array.from(raw.buf.subarray(addrAt, addrAt + width)), length);
    const status = c.u8('status');
    const originatedTime = c.u32('originated time');
    const peerAddress = c.bytes(width, 'peer IP address');
    const peerAs = c.u16('peer AS');
    const attrLength = c.u16('attribute length');
    c.need(attrLength, 'BGP attributes');
    const attributes = new PathAttributeBlock(raw.buf, c.pos, c.pos + attrLength, { mrtRibEntry: false, asn4: false });
    return new TableDumpRecord(recordHeader(raw), { viewNumber, sequence, afi, prefix, status, originatedTime, peerAddress, peerAs, attributes });
  }

  /** The peer address as text. */
  get peerIp(): string {
    return formatIP(this.peerAddress);
  }

  /** JSON: header fields, `kind: 'table-dump'`, viewNumber, sequence, prefix (text), status, originatedTime, peerIp, peerAs, attributes (see {@link PathAttributeBlock.toJSON}). Header fields: timestamp, microseconds (for _ET), type, subtype. */
  toJSON(): Record<string, unknown> {
    return {
      ...headerJSON(this.header),
      kind: this.kind,
      viewNumber: this.viewNumber,
      sequence: this.sequence,
      prefix: this.prefix.toString(),
      status: this.status,
      originatedTime: this.originatedTime,
      peerIp: this.peerIp,
      peerAs: this.peerAs,
      attributes: this.attributes.toJSON(),
    };
  }
}
