import { BgpError, type ErrorAction } from './errors.js';

/** What a {@link WireReader} reports when a read would pass its end. */
export interface OverrunError {
  readonly notifyCode: number;
  readonly notifySubcode: number;
  readonly action: ErrorAction;
  /** Returns the NOTIFICATION data for the overrun (often empty). */
  readonly data?: () => Uint8Array;
  readonly attrType?: number;
}

/**
 * A bounds-checked big-endian cursor over a window of bytes. One instance is
 * reused per structure; `bytes(n)` returns views (subarray), never copies.
 * A read past `end` throws the {@link BgpError} the reader was built with, so a
 * truncated structure always maps to the NOTIFICATION its RFC names.
 *
 * @example
 * ```ts
 * const r = new WireReader(body, 0, body.length, { notifyCode: 3, notifySubcode: 1, action: 'session-reset' });
 * const withdrawnLength = r.u16();
 * ```
 */
export class WireReader {
  readonly buf: Uint8Array;
  pos: number;
  end: number;
  private readonly onOverrun: OverrunError;

  constructor(buf: Uint8Array, start: number, end: number, onOverrun: OverrunError) {
    this.buf = buf;
    this.pos = start;
    this.end = Math.min(end, buf.length);
    this.onOverrun = onOverrun;
  }

  /** Bytes left before `end`. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws the overrun error unless `n` bytes are left. */
  need(n: number, what = 'field'): void {
    if (n < 0 || this.pos + n > this.end) this.fail(`${what}: need ${n} bytes at offset ${this.pos}, ${this.remaining} left`);
  }

  u8(what?: string): number {
    if (this.pos + 1 > this.end) this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what?: string): number {
    if (this.pos + 2 > this.end) this.need(2, what);
    const b = this.buf;
    const v = (b[this.pos]! << 8) | b[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u32(what?: string): number {
    if (this.pos + 4 > this.end) this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    const v = b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
    this.pos += 4;
    return v;
  }

  /** A view of the next `n` bytes (no copy). */
  bytes(n: number, what?: string): Uint8Array {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number, what?: string): void {
    this.need(n, what);
    this.pos += n;
  }

  /** Throws this reader's overrun error with a detail message. */
  fail(message: string): never {
    const o = this.onOverrun;
    throw new BgpError({
      notifyCode: o.notifyCode,
      notifySubcode: o.notifySubcode,
      action: o.action,
      data: o.data ? o.data() : undefined,
      attrType: o.attrType,
      offset: this.pos,
      message,
    });
  }
}

/** Reads a big-endian uint16 at `off` without bounds checks (caller checked). */
export function readU16(b: Uint8Array, off: number): number {
  return (b[off]! << 8) | b[off + 1]!;
}

/** Reads a big-endian uint32 at `off` without bounds checks (caller checked). */
export function readU32(b: Uint8Array, off: number): number {
  return b[off]! * 0x1000000 + ((b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!);
}
