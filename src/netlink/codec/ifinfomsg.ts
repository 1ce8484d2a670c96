import { NetlinkDecodeError } from '../errors.js';
import { readI32, readU16, readU32 } from './attributes.js';
import { HOST_LITTLE_ENDIAN as LE } from './host-endian.js';
import type { MessageWriter } from './writer.js';

/** struct ifinfomsg (include/uapi/linux/rtnetlink.h), 16 bytes. */
export interface IfInfoMsg {
  family: number;
  /** ifi_type: ARPHRD_* (1 = ether, 772 = loopback). */
  type: number;
  index: number;
  /** IFF_* flags. */
  flags: number;
  /** Which IFF_* bits a SET request changes. */
  change: number;
}

export const IFINFOMSG_SIZE = 16;

export function encodeIfInfoMsg(w: MessageWriter, m: IfInfoMsg): void {
  w.ensure(IFINFOMSG_SIZE);
  const o = w.offset;
  w.buffer[o] = m.family;
  w.buffer[o + 1] = 0; // __ifi_pad
  w.view.setUint16(o + 2, m.type, LE);
  w.view.setInt32(o + 4, m.index, LE);
  w.view.setUint32(o + 8, m.flags >>> 0, LE);
  w.view.setUint32(o + 12, m.change >>> 0, LE);
  w.offset = o + IFINFOMSG_SIZE;
}

export function decodeIfInfoMsg(buf: Buffer, offset = 0): IfInfoMsg {
  if (offset + IFINFOMSG_SIZE > buf.length) throw new NetlinkDecodeError('ifinfomsg needs 16 bytes');
  return {
    family: buf[offset] ?? 0,
    type: readU16(buf, offset + 2),
    index: readI32(buf, offset + 4),
    flags: readU32(buf, offset + 8),
    change: readU32(buf, offset + 12),
  };
}
