import { describe, expect, it } from 'vitest';
import { hex } from '../../support/hex.js';
import { splitMessages } from '../../../src/netlink/codec/nlmsghdr.js';
import { decodeNlMsgErr } from '../../../src/netlink/codec/nlmsgerr.js';
import { HOST_LITTLE_ENDIAN } from '../../../src/netlink/codec/host-endian.js';
import { NetlinkDecodeError, NetlinkError, errnoName } from '../../../src/netlink/errors.js';
import { netlinkErrorFrom } from '../../../src/netlink/channel.js';

if (!HOST_LITTLE_ENDIAN) console.warn('nlmsgerr golden vectors are little-endian; skipped on this big-endian host');
const suite = HOST_LITTLE_ENDIAN ? describe : describe.skip;

/** What the kernel sends for a route naming a missing nexthop id (NETLINK_CAP_ACK + NETLINK_EXT_ACK). */
const extackError = hex(`
  4c 00 00 00   # nlmsg_len 76
  02 00         # NLMSG_ERROR
  00 03         # NLM_F_CAPPED | NLM_F_ACK_TLVS
  07 00 00 00   # seq 7
  d2 04 00 00   # pid 1234
  ea ff ff ff   # error -22 (EINVAL)
  44 00 00 00 18 00 05 06 07 00 00 00 00 00 00 00  # echoed request header: 68 bytes RTM_NEWROUTE seq 7
  1e 00 01 00   # NLMSGERR_ATTR_MSG, 30 bytes
  4e 65 78 74 68 6f 70 20 69 64 20 64 6f 65 73 20 6e 6f 74 20 65 78 69 73 74 00 00 00  # "Nexthop id does not exist" NUL + pad
  08 00 02 00 2c 00 00 00  # NLMSGERR_ATTR_OFFS 44`);

suite('nlmsgerr with extended ack', () => {
  it('decodes error, echoed header, extack text and offset', () => {
    const [message] = splitMessages(Buffer.from(extackError));
    expect(message?.type).toBe(2);
    if (message === undefined) return;
    const err = decodeNlMsgErr(message);
    expect(err.error).toBe(-22);
    expect(err.request).toEqual({ length: 68, type: 24, flags: 0x605, seq: 7, pid: 0 });
    expect(err.extackMessage).toBe('Nexthop id does not exist');
    expect(err.extackOffset).toBe(44);
    const e = netlinkErrorFrom(err, 24, 0x605, 7, { dst: '10.0.0.0/24', nhid: 999 });
    expect(e).toBeInstanceOf(NetlinkError);
    expect(e.errno).toBe(22);
    expect(e.code).toBe('EINVAL');
    expect(e.message).toBe('Nexthop id does not exist');
    expect(e.request.typeName).toBe('RTM_NEWROUTE');
    expect(e.request.operation).toEqual({ dst: '10.0.0.0/24', nhid: 999 });
  });

  it('an ACK (error 0) without TLVs', () => {
    const ack = Buffer.from(
      hex(`
        24 00 00 00 02 00 00 01 09 00 00 00 00 00 00 00  # NLMSG_ERROR, NLM_F_CAPPED, seq 9
        00 00 00 00                                      # error 0: ACK
        10 00 00 00 03 00 05 00 09 00 00 00 00 00 00 00  # echoed header`),
    );
    const [message] = splitMessages(ack);
    if (message === undefined) throw new Error('no message');
    expect(decodeNlMsgErr(message)).toEqual({ error: 0, request: { length: 16, type: 3, flags: 5, seq: 9, pid: 0 } });
  });

  it('a truncated NLMSG_ERROR is a NetlinkDecodeError', () => {
    const short = Buffer.from(hex('14 00 00 00 02 00 00 00 01 00 00 00 00 00 00 00 ea ff ff ff'));
    const [message] = splitMessages(short);
    if (message === undefined) throw new Error('no message');
    expect(() => decodeNlMsgErr(message)).toThrow(NetlinkDecodeError);
  });

  it('splitMessages rejects lengths that lie', () => {
    expect(() => splitMessages(Buffer.from(hex('08 00 00 00 02 00 00 00 01 00 00 00 00 00 00 00')))).toThrow(NetlinkDecodeError);
    expect(() => splitMessages(Buffer.from(hex('40 00 00 00 02 00 00 00 01 00 00 00 00 00 00 00')))).toThrow(NetlinkDecodeError);
  });

  it('errnoName', () => {
    expect(errnoName(17)).toBe('EEXIST');
    expect(errnoName(-19)).toBe('ENODEV');
  });
});
