import { EncodeError } from './errors.js';

/**
 * A growable big-endian writer. Length fields are reserved first and filled in
 * when the body is known (`reserveU16` / `patchU16`), the way node-postgres'
 * writer fills its header: no second pass, no intermediate copies.
 * Every value is range-checked: an out-of-range value is an {@link EncodeError}
 * naming the field, never a silent wrap.
 *
 * @example
 * ```ts
 * const w = new WireWriter();
 * const lenAt = w.reserveU16();
 * w.u8(4, 'version');
 * w.patchU16(lenAt, w.length - lenAt - 2, 'optional parameters length');
 * const bytes = w.finish();
 * ```
 */
export class WireWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  u8(v: number, field = 'uint8'): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new EncodeError(field, v, 0xff, `${field} = ${v} does not fit in 1 octet`);
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  u16(v: number, field = 'uint16'): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new EncodeError(field, v, 0xffff, `${field} = ${v} does not fit in 2 octets`);
    this.ensure(2);
    this.buf[this.pos++] = v >>> 8;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u32(v: number, field = 'uint32'): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new EncodeError(field, v, 0xffffffff, `${field} = ${v} does not fit in 4 octets`);
    this.ensure(4);
    const b = this.buf;
    b[this.pos++] = v >>> 24;
    b[this.pos++] = (v >>> 16) & 0xff;
    b[this.pos++] = (v >>> 8) & 0xff;
    b[this.pos++] = v & 0xff;
    return this;
  }

  bytes(src: Uint8Array): this {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
    return this;
  }

  /** Reserves one octet and returns its offset, for a length filled in later. */
  reserveU8(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Reserves two octets and returns their offset, for a length filled in later. */
  reserveU16(): number {
    this.ensure(2);
    const at = this.pos;
    this.pos += 2;
    return at;
  }

  patchU8(at: number, v: number, field = 'uint8'): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new EncodeError(field, v, 0xff);
    this.buf[at] = v;
  }

  patchU16(at: number, v: number, field = 'uint16'): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new EncodeError(field, v, 0xffff);
    this.buf[at] = v >>> 8;
    this.buf[at + 1] = v & 0xff;
  }

  /** Drops everything after `length` (used to undo a partial write). */
  truncate(length: number): void {
    if (length < this.pos) this.pos = length;
  }

  /** The bytes written, as a view of the writer's buffer (no copy). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** The bytes written, as an exact-size copy owned by the caller. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
