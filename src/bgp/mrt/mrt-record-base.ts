import type { MrtRawRecord } from './mrt-framer.js';

/**
 * What every decoded MRT record carries: the RFC 6396 §2 common header, the
 * §3 microsecond timestamp for _ET types, and where the record sits in the input.
 */
export interface MrtRecordHeader {
  /** Seconds since the epoch. */
  readonly timestamp: number;
  /** Microseconds (RFC 6396 §3), only for BGP4MP_ET and the other _ET types. */
  readonly microseconds: number | undefined;
  readonly type: number;
  readonly subtype: number;
  /** Byte offset of the record header in the decompressed input. */
  readonly offset: number;
  /** Index of the record in the input, 0-based. */
  readonly index: number;
  /** The record body (after the header), a view into the input. */
  readonly body: Uint8Array;
}

/** The header part of a raw record, with the body as a view. */
export function recordHeader(raw: MrtRawRecord): MrtRecordHeader {
  return {
    timestamp: raw.timestamp,
    microseconds: raw.microseconds,
    type: raw.type,
    subtype: raw.subtype,
    offset: raw.offset,
    index: raw.index,
    body: raw.buf.subarray(raw.start, raw.end),
  };
}

/** Lower-case hex of some bytes (the JSON form of raw bytes). */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** The JSON header fields shared by every record's `toJSON()`. */
export function headerJSON(h: MrtRecordHeader): { timestamp: number; microseconds?: number; type: number; subtype: number } {
  return h.microseconds === undefined
    ? { timestamp: h.timestamp, type: h.type, subtype: h.subtype }
    : { timestamp: h.timestamp, microseconds: h.microseconds, type: h.type, subtype: h.subtype };
}
