/**
 * A read cursor with the forgiving semantics of bgpdump's `mstream` (RIPE NCC
 * bgpdump, bgpdump_mstream.c): a read past the end yields zero bytes for the
 * missing part and leaves the cursor at the end. The bgpdump-compatible
 * formatter reads through it so that damaged input prints what bgpdump prints.
 * Not used by the strict decoders, which report such input as typed errors.
 *
 * @example
 * ```ts
 * const s = new MStream(Uint8Array.of(0x01), 0, 1);
 * s.u16(); // 0x0100: the missing octet reads as zero
 * ```
 */
export class MStream {
  buf: Uint8Array;
  pos: number;
  end: number;

  constructor(buf: Uint8Array, pos: number, end: number) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  get canRead(): number {
    return this.end - this.pos;
  }

  u8(): number {
    if (this.pos >= this.end) return 0;
    return this.buf[this.pos++]!;
  }

  u16(): number {
    const p = this.pos;
    if (p + 2 <= this.end) {
      this.pos = p + 2;
      return (this.buf[p]! << 8) | this.buf[p + 1]!;
    }
    const hi = p < this.end ? this.buf[p]! : 0;
    this.pos = this.end;
    return hi << 8;
  }

  u32(): number {
    const p = this.pos;
    const b = this.buf;
    if (p + 4 <= this.end) {
      this.pos = p + 4;
      return ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
    }
    let v = 0;
    for (let i = 0; i < 4; i++) v = v * 256 + (p + i < this.end ? b[p + i]! : 0);
    this.pos = this.end;
    return v;
  }

  /** Skips `n` bytes (at most to the end); returns the position they started at. */
  skip(n: number): number {
    const p = this.pos;
    this.pos = Math.min(this.end, p + n);
    return p;
  }

  /** Copies `n` bytes into `dst` (zero-filling past the end). */
  read(dst: Uint8Array, n: number): void {
    const p = this.pos;
    const room = Math.max(0, Math.min(n, this.end - p));
    for (let i = 0; i < room; i++) dst[i] = this.buf[p + i]!;
    for (let i = room; i < n; i++) dst[i] = 0;
    this.pos = p + room;
  }

  /** bgpdump's `mstream_copy`: a sub-stream of the next `len` bytes (clamped), skipping them here. */
  sub(len: number): MStream {
    return this.subInto(len, new MStream(this.buf, 0, 0));
  }

  /** Like {@link MStream.sub}, reusing `into` (no allocation on the hot path). */
  subInto(len: number, into: MStream): MStream {
    const p = this.pos;
    const e = Math.min(this.end, p + Math.max(0, len));
    this.pos = e;
    into.buf = this.buf;
    into.pos = p;
    into.end = e;
    return into;
  }
}
