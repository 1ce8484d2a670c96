import { NLMSG_HDRLEN } from '../constants.js';
import { HOST_LITTLE_ENDIAN as LE } from './host-endian.js';

/** NLMSG_ALIGN / NLA_ALIGN: 4 bytes. */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

const NLA_F_NESTED = 0x8000;

/**
 * Appends netlink messages to one growing buffer, so a whole batch of requests
 * becomes a single sendmsg. Headers are reserved first and their length filled
 * in when the message (or nested attribute) ends — the pattern of
 * pg-protocol's writer, applied to nlmsghdr and rtattr. Every write is a direct
 * DataView store: this is the hot path for bulk route programming.
 *
 * @example
 * ```ts
 * const w = new MessageWriter();
 * const m = w.beginMessage(RTM.GETLINK, NLM_F.REQUEST | NLM_F.DUMP, 1);
 * w.ifinfomsg(AF.UNSPEC, 0, 0, 0, 0);
 * w.endMessage(m);
 * socket.send(w.bytes());
 * ```
 */
export class MessageWriter {
  buffer: Buffer;
  view: DataView;
  /**
   * The buffer as host-order 32-bit words (index = byte offset / 4), for
   * encoders that copy pre-encoded messages a word at a time (netlink
   * messages start 4-aligned, NLMSG_ALIGN). Null when the buffer does not
   * start on a 4-byte boundary: such encoders then write through `view`.
   */
  words: Uint32Array | null;
  offset = 0;

  constructor(initialSize = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialSize);
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
    this.words = wordsOver(this.buffer);
  }

  /** Bytes written so far, as a view (no copy). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }

  /** Starts over, keeping the allocation. */
  reset(): void {
    this.offset = 0;
  }

  /** Makes room for n more bytes. */
  ensure(n: number): void {
    const need = this.offset + n;
    if (need <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.offset);
    this.buffer = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    this.words = wordsOver(next);
  }

  /** Writes an nlmsghdr with a placeholder length; returns the message start. */
  beginMessage(type: number, flags: number, seq: number, pid = 0): number {
    this.ensure(NLMSG_HDRLEN + 256);
    const start = this.offset;
    const v = this.view;
    v.setUint32(start, 0, LE);
    v.setUint16(start + 4, type, LE);
    v.setUint16(start + 6, flags, LE);
    v.setUint32(start + 8, seq >>> 0, LE);
    v.setUint32(start + 12, pid >>> 0, LE);
    this.offset = start + NLMSG_HDRLEN;
    return start;
  }

  /** Fills nlmsg_len and pads the message to 4 bytes. */
  endMessage(start: number): number {
    const length = this.offset - start;
    this.view.setUint32(start, length, LE);
    this.pad();
    return length;
  }

  /** Drops a message begun at start (encoding failed half-way). */
  abandon(start: number): void {
    this.offset = start;
  }

  /**
   * One whole message: header, `body`, length. When `body` throws, nothing of
   * the message stays in the writer and the error goes on to the caller.
   */
  message(type: number, flags: number, seq: number, pid: number, body: (w: MessageWriter) => void): void {
    const start = this.beginMessage(type, flags, seq, pid);
    try {
      body(this);
    } catch (error) {
      this.abandon(start);
      throw error;
    }
    this.endMessage(start);
  }

  pad(): void {
    const aligned = align4(this.offset);
    while (this.offset < aligned) this.buffer[this.offset++] = 0;
  }

  u8(value: number): void {
    this.ensure(1);
    this.view.setUint8(this.offset, value);
    this.offset += 1;
  }

  u16(value: number): void {
    this.ensure(2);
    this.view.setUint16(this.offset, value, LE);
    this.offset += 2;
  }

  u32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.offset, value >>> 0, LE);
    this.offset += 4;
  }

  i32(value: number): void {
    this.ensure(4);
    this.view.setInt32(this.offset, value, LE);
    this.offset += 4;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
  }

  /** rtattr header (len u16, type u16). */
  private attrHeader(type: number, payloadLength: number): void {
    this.ensure(4 + payloadLength + 3);
    this.view.setUint16(this.offset, 4 + payloadLength, LE);
    this.view.setUint16(this.offset + 2, type, LE);
    this.offset += 4;
  }

  attrU8(type: number, value: number): void {
    this.attrHeader(type, 1);
    this.view.setUint8(this.offset, value);
    this.offset += 1;
    this.pad();
  }

  attrU16(type: number, value: number): void {
    this.attrHeader(type, 2);
    this.view.setUint16(this.offset, value, LE);
    this.offset += 2;
    this.pad();
  }

  /** A u16 in network byte order (NDA_PORT, IFLA_VXLAN_PORT). */
  attrBe16(type: number, value: number): void {
    this.attrHeader(type, 2);
    this.view.setUint16(this.offset, value, false);
    this.offset += 2;
    this.pad();
  }

  attrU32(type: number, value: number): void {
    this.attrHeader(type, 4);
    this.view.setUint32(this.offset, value >>> 0, LE);
    this.offset += 4;
  }

  attrFlag(type: number): void {
    this.attrHeader(type, 0);
  }

  attrBytes(type: number, bytes: Uint8Array): void {
    this.attrHeader(type, bytes.length);
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
    this.pad();
  }

  /** An attribute whose payload is the first `length` bytes of src (no subarray allocation). */
  attrBytesFrom(type: number, src: Uint8Array, length: number): void {
    this.attrHeader(type, length);
    const b = this.buffer;
    let o = this.offset;
    for (let i = 0; i < length; i++) b[o++] = src[i] ?? 0;
    this.offset = o;
    this.pad();
  }

  /** A NUL-terminated string attribute (IFLA_IFNAME, IFLA_INFO_KIND). */
  attrString(type: number, value: string): void {
    const length = Buffer.byteLength(value);
    this.attrHeader(type, length + 1);
    this.buffer.write(value, this.offset, 'utf8');
    this.offset += length;
    this.buffer[this.offset++] = 0;
    this.pad();
  }

  /** Opens a nested attribute; close it with endNested(start). */
  beginNested(type: number, nestedFlag = true): number {
    const start = this.offset;
    this.attrHeader(nestedFlag ? type | NLA_F_NESTED : type, 0);
    return start;
  }

  endNested(start: number): void {
    this.view.setUint16(start, this.offset - start, LE);
    this.pad();
  }
}

/** A Uint32Array over `buffer`'s whole words, or null when it is not 4-aligned in its ArrayBuffer. */
function wordsOver(buffer: Buffer): Uint32Array | null {
  if ((buffer.byteOffset & 3) !== 0) return null;
  return new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength >>> 2);
}
