import { NetlinkDecodeError } from '../errors.js';
import { readU32 } from './attributes.js';
import { HOST_LITTLE_ENDIAN as LE } from './host-endian.js';
import type { MessageWriter } from './writer.js';

/** struct nhmsg (include/uapi/linux/nexthop.h), 8 bytes. */
export interface NhMsg {
  family: number;
  scope: number;
  protocol: number;
  flags: number;
}

export const NHMSG_SIZE = 8;

export function encodeNhMsg(w: MessageWriter, m: NhMsg): void {
  w.ensure(NHMSG_SIZE);
  const b = w.buffer;
  const o = w.offset;
  b[o] = m.family;
  b[o + 1] = m.scope;
  b[o + 2] = m.protocol;
  b[o + 3] = 0; // resvd
  w.view.setUint32(o + 4, m.flags >>> 0, LE);
  w.offset = o + NHMSG_SIZE;
}

export function decodeNhMsg(buf: Buffer, offset = 0): NhMsg {
  if (offset + NHMSG_SIZE > buf.length) throw new NetlinkDecodeError('nhmsg needs 8 bytes');
  return {
    family: buf[offset] ?? 0,
    scope: buf[offset + 1] ?? 0,
    protocol: buf[offset + 2] ?? 0,
    flags: readU32(buf, offset + 4),
  };
}
