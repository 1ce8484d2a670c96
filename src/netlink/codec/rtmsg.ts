import { NetlinkDecodeError } from '../errors.js';
import { readU32 } from './attributes.js';
import { HOST_LITTLE_ENDIAN as LE } from './host-endian.js';
import type { MessageWriter } from './writer.js';

/** struct rtmsg (include/uapi/linux/rtnetlink.h), 12 bytes. */
export interface RtMsg {
  family: number;
  dstLen: number;
  srcLen: number;
  tos: number;
  /** rtm_table: only 8 bits; ids above 255 are RT_TABLE_COMPAT here and live in RTA_TABLE. */
  table: number;
  protocol: number;
  scope: number;
  type: number;
  flags: number;
}

export const RTMSG_SIZE = 12;

export function encodeRtMsg(w: MessageWriter, m: RtMsg): void {
  w.ensure(RTMSG_SIZE);
  const b = w.buffer;
  const o = w.offset;
  b[o] = m.family;
  b[o + 1] = m.dstLen;
  b[o + 2] = m.srcLen;
  b[o + 3] = m.tos;
  b[o + 4] = m.table;
  b[o + 5] = m.protocol;
  b[o + 6] = m.scope;
  b[o + 7] = m.type;
  w.view.setUint32(o + 8, m.flags >>> 0, LE);
  w.offset = o + RTMSG_SIZE;
}

export function decodeRtMsg(buf: Buffer, offset = 0): RtMsg {
  if (offset + RTMSG_SIZE > buf.length) throw new NetlinkDecodeError('rtmsg needs 12 bytes');
  return {
    family: buf[offset] ?? 0,
    dstLen: buf[offset + 1] ?? 0,
    srcLen: buf[offset + 2] ?? 0,
    tos: buf[offset + 3] ?? 0,
    table: buf[offset + 4] ?? 0,
    protocol: buf[offset + 5] ?? 0,
    scope: buf[offset + 6] ?? 0,
    type: buf[offset + 7] ?? 0,
    flags: readU32(buf, offset + 8),
  };
}
