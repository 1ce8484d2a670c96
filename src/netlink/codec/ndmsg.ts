import { NetlinkDecodeError } from '../errors.js';
import { readI32, readU16 } from './attributes.js';
import { HOST_LITTLE_ENDIAN as LE } from './host-endian.js';
import type { MessageWriter } from './writer.js';

/** struct ndmsg (include/uapi/linux/neighbour.h), 12 bytes. */
export interface NdMsg {
  family: number;
  ifindex: number;
  /** NUD_* bits. */
  state: number;
  /** NTF_* bits. */
  flags: number;
  /** ndm_type: the neighbour's route type (RTN_UNICAST, ...). */
  type: number;
}

export const NDMSG_SIZE = 12;

export function encodeNdMsg(w: MessageWriter, m: NdMsg): void {
  w.ensure(NDMSG_SIZE);
  const b = w.buffer;
  const o = w.offset;
  b[o] = m.family;
  b[o + 1] = 0; // ndm_pad1
  w.view.setUint16(o + 2, 0, LE); // ndm_pad2
  w.view.setInt32(o + 4, m.ifindex, LE);
  w.view.setUint16(o + 8, m.state, LE);
  b[o + 10] = m.flags;
  b[o + 11] = m.type;
  w.offset = o + NDMSG_SIZE;
}

export function decodeNdMsg(buf: Buffer, offset = 0): NdMsg {
  if (offset + NDMSG_SIZE > buf.length) throw new NetlinkDecodeError('ndmsg needs 12 bytes');
  return {
    family: buf[offset] ?? 0,
    ifindex: readI32(buf, offset + 4),
    state: readU16(buf, offset + 8),
    flags: buf[offset + 10] ?? 0,
    type: buf[offset + 11] ?? 0,
  };
}
