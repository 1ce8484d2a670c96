import { MrtError } from './mrt-error.js';

/**
 * A bounds-checked big-endian cursor over one MRT record body. An overrun
 * throws `ERR_MRT_MALFORMED` naming the field, so every record reader is total:
 * a short body is a typed error, never a `RangeError` or a read of the next record.
 *
 * @example
 * ```ts
 * const c = new MrtCursor(raw.buf, raw.start, raw.end, raw);
 * const sequence = c.u32('sequence number'); // throws MrtError ERR_MRT_MALFORMED when short
 * ```
 */
export class MrtCursor {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;
  private readonly where: { readonly offset: number; readonly type: number; readonly subtype: number; readonly index: number };

  constructor(buf: Uint8Array, start: number, end: number, where: { offset: number; type: number; subtype: number; index: number }) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.where = where;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless `n` bytes are left. */
  need(n: number, field: string): void {
    if (this.pos + n > this.end) {
      throw new MrtError({
        code: 'ERR_MRT_MALFORMED',
        message: `${field}: needs ${n} bytes at body offset ${this.pos}, ${this.end - this.pos} left`,
        offset: this.where.offset,
        type: this.where.type,
        subtype: this.where.subtype,
        recordIndex: this.where.index,
      });
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.pos++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  u32(field: string): number {
    this.need(4, field);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }

  /** A view (no copy) of the next `n` bytes. */
  bytes(n: number, field: string): Uint8Array {
    this.need(n, field);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A typed error about this record (for checks other than overruns). */
  error(code: MrtError['code'], message: string): MrtError {
    return new MrtError({ code, message, offset: this.where.offset, type: this.where.type, subtype: this.where.subtype, recordIndex: this.where.index });
  }
}
