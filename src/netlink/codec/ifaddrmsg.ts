import { NetlinkDecodeError } from '../errors.js';
import { readU32 } from './attributes.js';
import { HOST_LITTLE_ENDIAN as LE } from './host-endian.js';
import type { MessageWriter } from './writer.js';

/** struct ifaddrmsg (include/uapi/linux/if_addr.h), 8 bytes. */
export interface IfAddrMsg {
  family: number;
  prefixLen: number;
  /** IFA_F_* (low 8 bits; the full set travels in IFA_FLAGS). */
  flags: number;
  scope: number;
  index: number;
}

export const IFADDRMSG_SIZE = 8;

export function encodeIfAddrMsg(w: MessageWriter, m: IfAddrMsg): void {
  w.ensure(IFADDRMSG_SIZE);
  const o = w.offset;
  w.buffer[o] = m.family;
  w.buffer[o + 1] = m.prefixLen;
  w.buffer[o + 2] = m.flags & 0xff;
  w.buffer[o + 3] = m.scope;
  w.view.setUint32(o + 4, m.index >>> 0, LE);
  w.offset = o + IFADDRMSG_SIZE;
}

export function decodeIfAddrMsg(buf: Buffer, offset = 0): IfAddrMsg {
  if (offset + IFADDRMSG_SIZE > buf.length) throw new NetlinkDecodeError('ifaddrmsg needs 8 bytes');
  return {
    family: buf[offset] ?? 0,
    prefixLen: buf[offset + 1] ?? 0,
    flags: buf[offset + 2] ?? 0,
    scope: buf[offset + 3] ?? 0,
    index: readU32(buf, offset + 4),
  };
}
