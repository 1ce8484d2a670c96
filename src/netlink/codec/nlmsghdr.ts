import { NLMSG_HDRLEN } from '../constants.js';
import { NetlinkDecodeError } from '../errors.js';
import { readU16, readU32 } from './attributes.js';

/** struct nlmsghdr (include/uapi/linux/netlink.h), 16 bytes. */
export interface NlMsgHdr {
  length: number;
  type: number;
  flags: number;
  seq: number;
  pid: number;
}

/** One message inside a datagram: its header and where its payload lies. */
export interface NetlinkMessage extends NlMsgHdr {
  /** The datagram it came from (shared, not copied). */
  buffer: Buffer;
  /** Offset of the nlmsghdr in buffer. */
  offset: number;
  /** Payload start (offset + 16) and end (offset + length). */
  payloadStart: number;
  payloadEnd: number;
}

export function decodeNlMsgHdr(buf: Buffer, offset = 0): NlMsgHdr {
  if (offset + NLMSG_HDRLEN > buf.length) {
    throw new NetlinkDecodeError(`nlmsghdr needs 16 bytes at offset ${offset}, have ${buf.length - offset}`);
  }
  return {
    length: readU32(buf, offset),
    type: readU16(buf, offset + 4),
    flags: readU16(buf, offset + 6),
    seq: readU32(buf, offset + 8),
    pid: readU32(buf, offset + 12),
  };
}

/** The message whose nlmsghdr starts at `offset` (its length already checked against the datagram). */
export function netlinkMessageAt(buf: Buffer, offset: number, length: number): NetlinkMessage {
  return {
    length,
    type: readU16(buf, offset + 4),
    flags: readU16(buf, offset + 6),
    seq: readU32(buf, offset + 8),
    pid: readU32(buf, offset + 12),
    buffer: buf,
    offset,
    payloadStart: offset + NLMSG_HDRLEN,
    payloadEnd: offset + length,
  };
}

/**
 * Splits a received datagram into its messages (NLMSG_OK / NLMSG_NEXT). A
 * length below 16 or past the datagram's end is a NetlinkDecodeError.
 */
export function splitMessages(buf: Buffer): NetlinkMessage[] {
  const messages: NetlinkMessage[] = [];
  let offset = 0;
  while (offset + NLMSG_HDRLEN <= buf.length) {
    const length = readU32(buf, offset);
    if (length < NLMSG_HDRLEN || offset + length > buf.length) {
      throw new NetlinkDecodeError(`nlmsg_len ${length} at offset ${offset} of a ${buf.length}-byte datagram`);
    }
    messages.push(netlinkMessageAt(buf, offset, length));
    offset += (length + 3) & ~3;
  }
  return messages;
}
