import { NLM_F, NLMSG_HDRLEN, NLMSGERR_ATTR } from '../constants.js';
import { NetlinkDecodeError } from '../errors.js';
import { attrString, attrU32, readAttributes, readI32, readU32 } from './attributes.js';
import type { NetlinkMessage, NlMsgHdr } from './nlmsghdr.js';
import { decodeNlMsgHdr } from './nlmsghdr.js';

/**
 * struct nlmsgerr (include/uapi/linux/netlink.h): `int error` then the
 * request's nlmsghdr, then — unless NLM_F_CAPPED — the request's payload, then
 * — when NLM_F_ACK_TLVS — extended-ack attributes.
 */
export interface NlMsgErr {
  /** 0 for an ACK, a negative errno for an error. */
  error: number;
  /** Header of the request this answers. */
  request: NlMsgHdr;
  /** NLMSGERR_ATTR_MSG: the kernel's human-readable reason. */
  extackMessage?: string;
  /** NLMSGERR_ATTR_OFFS: offset of the offending attribute inside the request. */
  extackOffset?: number;
  /** NLMSGERR_ATTR_MISS_TYPE: the attribute the kernel needed and did not get. */
  missingAttribute?: number;
}

export function decodeNlMsgErr(message: NetlinkMessage): NlMsgErr {
  const { buffer, payloadStart, payloadEnd, flags } = message;
  if (payloadEnd - payloadStart < 4 + NLMSG_HDRLEN) {
    throw new NetlinkDecodeError(`NLMSG_ERROR payload of ${payloadEnd - payloadStart} bytes is shorter than struct nlmsgerr`);
  }
  const error = readI32(buffer, payloadStart);
  const request = decodeNlMsgHdr(buffer, payloadStart + 4);
  const result: NlMsgErr = { error, request };
  if ((flags & NLM_F.ACK_TLVS) === 0) return result;
  // The TLVs follow the echoed request: just its header when capped, the
  // whole request otherwise.
  const echoed = (flags & NLM_F.CAPPED) !== 0 ? NLMSG_HDRLEN : request.length;
  const tlvStart = payloadStart + 4 + ((echoed + 3) & ~3);
  if (tlvStart > payloadEnd) {
    throw new NetlinkDecodeError('NLMSG_ERROR extended ack starts past the message end');
  }
  const table = readAttributes(buffer, tlvStart, payloadEnd);
  const text = attrString(table[NLMSGERR_ATTR.MSG]);
  if (text !== undefined) result.extackMessage = text;
  const offs = attrU32(table[NLMSGERR_ATTR.OFFS]);
  if (offs !== undefined) result.extackOffset = offs;
  const miss = attrU32(table[NLMSGERR_ATTR.MISS_TYPE]);
  if (miss !== undefined) result.missingAttribute = miss;
  return result;
}

/** Fast path for the receive loop: just the error code. */
export function readNlMsgErrCode(message: NetlinkMessage): number {
  if (message.payloadEnd - message.payloadStart < 4) {
    throw new NetlinkDecodeError('NLMSG_ERROR without an error code');
  }
  return readI32(message.buffer, message.payloadStart);
}

/** The seq of the request a NLMSG_ERROR answers (its echoed header). */
export function readNlMsgErrRequestSeq(message: NetlinkMessage): number {
  if (message.payloadEnd - message.payloadStart < 4 + NLMSG_HDRLEN) {
    throw new NetlinkDecodeError('NLMSG_ERROR without the echoed request header');
  }
  return readU32(message.buffer, message.payloadStart + 4 + 8);
}
