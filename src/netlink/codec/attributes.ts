import { NetlinkDecodeError } from '../errors.js';
import { HOST_LITTLE_ENDIAN as LE } from './host-endian.js';

const NLA_TYPE_MASK = 0x3fff; // strips NLA_F_NESTED and NLA_F_NET_BYTEORDER

/**
 * The attributes of one message or nest, indexed by type: `table[RTA.DST]` is
 * the payload (a view, no copy) or undefined. If a type repeats, the last one
 * wins, as in the kernel's nla_parse.
 */
export type AttributeTable = (Buffer | undefined)[];

/**
 * Walks rtattrs in buf[start, end) (include/uapi/linux/rtnetlink.h RTA_*
 * macros). A length below 4 or past the end is a NetlinkDecodeError, never a
 * RangeError or an endless loop.
 */
export function readAttributes(buf: Buffer, start: number, end: number): AttributeTable {
  const table: AttributeTable = [];
  let offset = start;
  while (offset + 4 <= end) {
    const length = readU16(buf, offset);
    const type = readU16(buf, offset + 2) & NLA_TYPE_MASK;
    if (length < 4 || offset + length > end) {
      throw new NetlinkDecodeError(`attribute type ${type} has length ${length} at offset ${offset} (end ${end})`);
    }
    table[type] = buf.subarray(offset + 4, offset + length);
    offset += (length + 3) & ~3;
  }
  return table;
}

/** Calls fn for every attribute in buf[start, end), repeats included (RTA_MULTIPATH lists, NHA_GROUP). */
export function forEachAttribute(
  buf: Buffer,
  start: number,
  end: number,
  fn: (type: number, payload: Buffer) => void,
): void {
  let offset = start;
  while (offset + 4 <= end) {
    const length = readU16(buf, offset);
    const type = readU16(buf, offset + 2) & NLA_TYPE_MASK;
    if (length < 4 || offset + length > end) {
      throw new NetlinkDecodeError(`attribute type ${type} has length ${length} at offset ${offset} (end ${end})`);
    }
    fn(type, buf.subarray(offset + 4, offset + length));
    offset += (length + 3) & ~3;
  }
}

export function readU16(buf: Buffer, offset: number): number {
  return LE ? buf.readUInt16LE(offset) : buf.readUInt16BE(offset);
}

export function readU32(buf: Buffer, offset: number): number {
  return LE ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
}

export function readI32(buf: Buffer, offset: number): number {
  return LE ? buf.readInt32LE(offset) : buf.readInt32BE(offset);
}

/** Payload helpers: each checks the payload is long enough. */
export function attrU8(payload: Buffer | undefined): number | undefined {
  if (payload === undefined) return undefined;
  if (payload.length < 1) throw new NetlinkDecodeError('u8 attribute is empty');
  return payload[0];
}

export function attrU16(payload: Buffer | undefined): number | undefined {
  if (payload === undefined) return undefined;
  if (payload.length < 2) throw new NetlinkDecodeError('u16 attribute shorter than 2 bytes');
  return readU16(payload, 0);
}

export function attrBe16(payload: Buffer | undefined): number | undefined {
  if (payload === undefined) return undefined;
  if (payload.length < 2) throw new NetlinkDecodeError('be16 attribute shorter than 2 bytes');
  return payload.readUInt16BE(0);
}

export function attrU32(payload: Buffer | undefined): number | undefined {
  if (payload === undefined) return undefined;
  if (payload.length < 4) throw new NetlinkDecodeError('u32 attribute shorter than 4 bytes');
  return readU32(payload, 0);
}

/** A NUL-terminated (or not) string attribute. */
export function attrString(payload: Buffer | undefined): string | undefined {
  if (payload === undefined) return undefined;
  const nul = payload.indexOf(0);
  return payload.toString('utf8', 0, nul === -1 ? payload.length : nul);
}
