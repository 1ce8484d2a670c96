import type { MrtRawRecord } from './mrt-framer.js';
import { headerJSON, type MrtRecordHeader, recordHeader, toHex } from './mrt-record-base.js';

/**
 * A record fibwire frames but does not decode (OSPF, IS-IS, GEO_PEER_TABLE,
 * the deprecated BGP4MP ENTRY/SNAPSHOT, or a type no RFC defines): header and
 * raw body, so a scan can count or skip it.
 *
 * @example
 * ```ts
 * if (rec.kind === 'unknown') console.log(`type ${rec.header.type}/${rec.header.subtype}: ${rec.header.body.length} bytes`);
 * ```
 */
export class MrtUnknownRecord {
  readonly kind = 'unknown' as const;
  readonly header: MrtRecordHeader;

  constructor(raw: MrtRawRecord) {
    this.header = recordHeader(raw);
  }

  /** JSON: header fields, `kind: 'unknown'`, body (hex). Header fields: timestamp, microseconds (for _ET), type, subtype. */
  toJSON(): Record<string, unknown> {
    return { ...headerJSON(this.header), kind: this.kind, body: toHex(this.header.body) };
  }
}
