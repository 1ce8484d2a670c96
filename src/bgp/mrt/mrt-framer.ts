import { DEFAULT_MAX_RECORD_LENGTH, isExtendedTimestampType, MRT_ET_EXTRA_LENGTH, MRT_HEADER_LENGTH, MrtType } from './mrt-constants.js';
import { MrtError } from './mrt-error.js';

/**
 * One framed MRT record: the RFC 6396 §2 common header (and the §3 microsecond
 * field for _ET types) and a window `buf[start..end)` on its body. The window
 * points into the framer's input chunks: nothing is copied unless a record
 * straddles two chunks.
 */
export interface MrtRawRecord {
  /** Seconds since the epoch (RFC 6396 §2 Timestamp). */
  readonly timestamp: number;
  /** RFC 6396 §3 Microsecond Timestamp, only for the _ET types. */
  readonly microseconds: number | undefined;
  readonly type: number;
  readonly subtype: number;
  readonly buf: Uint8Array;
  /** First body octet (after the header and, for _ET types, the microsecond field). */
  readonly start: number;
  /** One past the last body octet. */
  readonly end: number;
  /** Byte offset of the record header in the decompressed input. */
  readonly offset: number;
  /** Index of the record in the input, 0-based. */
  readonly index: number;
}

/** Options of {@link MrtFramer}. */
export interface MrtFramerOptions {
  /** Largest accepted body length (default 16 MiB); a larger header length is damaged framing. */
  readonly maxRecordLength?: number;
  /**
   * Opt-in framing recovery: every header must be plausible (a type RFC 6396
   * defines, a small subtype, a length under 4 MiB and the cap, a timestamp
   * within a day of the previous record's); after an implausible one, scan
   * forward for the next plausible header followed by another, instead of
   * stopping. Off by default, which reads exactly as bgpdump does.
   */
  readonly recover?: boolean;
}

/** MRT types a plausible header may carry (RFC 6396 §4 and §5). */
const KNOWN_TYPES: ReadonlySet<number> = new Set([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
  MrtType.OSPFV2, MrtType.TABLE_DUMP, MrtType.TABLE_DUMP_V2, MrtType.BGP4MP, MrtType.BGP4MP_ET,
  MrtType.ISIS, MrtType.ISIS_ET, MrtType.OSPFV3, MrtType.OSPFV3_ET,
]);

/** A header found while resynchronising must be this close in time to the last good one. */
const RESYNC_TIME_WINDOW = 86_400;
/** ...and no longer than this (a real record is a BGP message or one prefix's RIB entries). */
const RESYNC_MAX_LENGTH = 4 << 20;

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
}
function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

/**
 * Splits a byte stream into MRT records (RFC 6396 §2). Synchronous and
 * push-based: `push()` chunks, then call `next()` until it returns `undefined`
 * (more input needed); at end of input call `end()` and drain `next()` again.
 *
 * Bounded memory: a header whose length exceeds `maxRecordLength` is reported
 * as `ERR_MRT_RECORD_TOO_LARGE` instead of being buffered, and reading stops
 * there (or resynchronises, with `recover`).
 *
 * @example
 * ```ts
 * const framer = new MrtFramer();
 * framer.push(bytes);
 * for (let r = framer.next(); r; r = framer.next()) if (!(r instanceof MrtError)) console.log(r.type, r.subtype);
 * framer.end();
 * const tail = framer.next(); // an ERR_MRT_TRUNCATED error if the input ended inside a record
 * ```
 */
export class MrtFramer {
  private cur: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  /** Input offset of `cur[0]`. */
  private base = 0;
  private index = 0;
  private stopped = false;
  private resyncing = false;
  private ended = false;
  private lastTimestamp: number | undefined;
  private readonly maxRecordLength: number;
  private readonly recover: boolean;
  /** Records framed and errors reported so far. */
  records = 0;
  errors = 0;

  constructor(opts: MrtFramerOptions = {}) {
    this.maxRecordLength = opts.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;
    this.recover = opts.recover ?? false;
  }

  /** Adds input. The chunk is referenced, not copied: do not modify it afterwards. */
  push(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    if (this.pos >= this.cur.length && this.queued === 0) {
      this.base += this.cur.length;
      this.cur = chunk;
      this.pos = 0;
      return;
    }
    this.queue.push(chunk);
    this.queued += chunk.length;
  }

  /** Bytes buffered and not yet framed. */
  get buffered(): number {
    return this.cur.length - this.pos + this.queued;
  }

  /** True once damaged framing stopped the reading (without `recover`). */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Makes `n` bytes from `pos` contiguous in `cur`; false when not buffered yet. */
  private ensure(n: number): boolean {
    const have = this.cur.length - this.pos;
    if (have >= n) return true;
    if (have + this.queued < n) return false;
    // Concatenate the rest of `cur` with whole queued chunks until `n` bytes are there.
    let size = have;
    let take = 0;
    while (size < n) size += this.queue[take++]!.length;
    const merged = new Uint8Array(size);
    merged.set(this.cur.subarray(this.pos), 0);
    let at = have;
    for (let i = 0; i < take; i++) {
      const c = this.queue[i]!;
      merged.set(c, at);
      at += c.length;
    }
    this.queue.splice(0, take);
    this.queued -= size - have;
    this.base += this.pos;
    this.cur = merged;
    this.pos = 0;
    return true;
  }

  private plausibleAt(b: Uint8Array, o: number): boolean {
    const type = u16(b, o + 4);
    if (!KNOWN_TYPES.has(type)) return false;
    if (u16(b, o + 6) > 64) return false;
    const length = u32(b, o + 8);
    if (length > RESYNC_MAX_LENGTH || length > this.maxRecordLength) return false;
    if (isExtendedTimestampType(type) && length < MRT_ET_EXTRA_LENGTH) return false;
    const ts = u32(b, o);
    return this.lastTimestamp === undefined || Math.abs(ts - this.lastTimestamp) <= RESYNC_TIME_WINDOW;
  }

  /**
   * Scans forward for a plausible header that is followed by another plausible
   * header (or by the end of the input). Returns false when more input is
   * needed to decide, or when the input ended without one.
   */
  private resync(): boolean {
    this.ensure(this.cur.length - this.pos + this.queued);
    const b = this.cur;
    while (this.pos + MRT_HEADER_LENGTH <= b.length) {
      if (this.plausibleAt(b, this.pos)) {
        const next = this.pos + MRT_HEADER_LENGTH + u32(b, this.pos + 8);
        if (next + MRT_HEADER_LENGTH <= b.length) {
          if (this.plausibleAt(b, next)) break;
        } else if (this.ended) {
          if (next === b.length) break;
        } else {
          return false;
        }
      }
      this.pos++;
    }
    if (this.pos + MRT_HEADER_LENGTH > b.length) return false;
    this.resyncing = false;
    return true;
  }

  private fail(err: MrtError): MrtError {
    this.errors++;
    if (this.recover) {
      this.resyncing = true;
      this.pos++;
    } else {
      this.stopped = true;
    }
    return err;
  }

  /** The next record or error, or `undefined` when more input is needed (or reading stopped). */
  next(): MrtRawRecord | MrtError | undefined {
    if (this.stopped) return undefined;
    if (this.resyncing && !this.resync()) return this.ended ? this.tail() : undefined;
    if (!this.ensure(MRT_HEADER_LENGTH)) return this.ended ? this.tail() : undefined;
    let b = this.cur;
    let o = this.pos;
    const type = u16(b, o + 4);
    const subtype = u16(b, o + 6);
    const length = u32(b, o + 8);
    const offset = this.base + o;
    if (length > this.maxRecordLength) {
      return this.fail(
        new MrtError({
          code: 'ERR_MRT_RECORD_TOO_LARGE',
          message: `record length ${length} exceeds the limit of ${this.maxRecordLength} bytes: damaged framing`,
          offset,
          type,
          subtype,
          recordIndex: this.index,
        }),
      );
    }
    if (this.recover && !this.plausibleAt(b, o)) {
      // In recovery mode every header must look like one (known type, small
      // subtype, sane length, timestamp near the last record's).
      return this.fail(
        new MrtError({
          code: 'ERR_MRT_MALFORMED',
          message: `implausible record header (type ${type}, subtype ${subtype}, length ${length}): damaged framing`,
          offset,
          type,
          subtype,
          recordIndex: this.index,
        }),
      );
    }
    if (!this.ensure(MRT_HEADER_LENGTH + length)) return this.ended ? this.tail() : undefined;
    b = this.cur;
    o = this.pos;
    const timestamp = u32(b, o);
    const index = this.index++;
    this.pos = o + MRT_HEADER_LENGTH + length;
    let start = o + MRT_HEADER_LENGTH;
    let microseconds: number | undefined;
    if (isExtendedTimestampType(type)) {
      if (length < MRT_ET_EXTRA_LENGTH) {
        this.errors++;
        return new MrtError({
          code: 'ERR_MRT_MALFORMED',
          message: `_ET record length ${length} cannot hold the microsecond field (RFC 6396 §3)`,
          offset,
          type,
          subtype,
          recordIndex: index,
        });
      }
      microseconds = u32(b, start);
      start += MRT_ET_EXTRA_LENGTH;
    }
    this.lastTimestamp = timestamp;
    this.records++;
    return { timestamp, microseconds, type, subtype, buf: b, start, end: this.pos, offset, index };
  }

  /**
   * Marks the end of input. Keep calling `next()`: it returns the records
   * still buffered, then `ERR_MRT_TRUNCATED` once if the input ended inside a
   * record (RFC 6396 §2 length past EOF), then `undefined`.
   */
  end(): void {
    this.ended = true;
  }

  /** At end of input: the error for bytes that do not make a whole record, once. */
  private tail(): MrtError | undefined {
    this.stopped = true;
    const left = this.buffered;
    if (left === 0) return undefined;
    this.ensure(left);
    const b = this.cur;
    const o = this.pos;
    const offset = this.base + o;
    this.errors++;
    if (this.resyncing) {
      return new MrtError({ code: 'ERR_MRT_MALFORMED', message: `no record header found in the last ${left} bytes after damaged framing`, offset, recordIndex: this.index });
    }
    if (left < MRT_HEADER_LENGTH) {
      return new MrtError({ code: 'ERR_MRT_TRUNCATED', message: `input ends inside a record header (${left} of 12 bytes)`, offset, recordIndex: this.index });
    }
    const length = u32(b, o + 8);
    return new MrtError({
      code: 'ERR_MRT_TRUNCATED',
      message: `input ends inside a record: ${left - MRT_HEADER_LENGTH} of ${length} body bytes`,
      offset,
      type: u16(b, o + 4),
      subtype: u16(b, o + 6),
      recordIndex: this.index,
    });
  }
}
