/**
 * Golden bytes for every fixed kernel struct, written with fibwire's DataView
 * codecs and cross-checked against buffer-layout descriptions of the same
 * structs (src/netlink/codec/struct-layouts.ts). Layouts are little-endian:
 * these vectors describe an x86-64 / arm64 host.
 */
import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../../support/hex.js';
import { MessageWriter } from '../../../src/netlink/codec/writer.js';
import { decodeRtMsg, encodeRtMsg, type RtMsg } from '../../../src/netlink/codec/rtmsg.js';
import { decodeNhMsg, encodeNhMsg } from '../../../src/netlink/codec/nhmsg.js';
import { decodeNdMsg, encodeNdMsg } from '../../../src/netlink/codec/ndmsg.js';
import { decodeIfInfoMsg, encodeIfInfoMsg } from '../../../src/netlink/codec/ifinfomsg.js';
import { decodeIfAddrMsg, encodeIfAddrMsg } from '../../../src/netlink/codec/ifaddrmsg.js';
import { decodeNlMsgHdr } from '../../../src/netlink/codec/nlmsghdr.js';
import {
  ifaddrmsgLayout,
  ifinfomsgLayout,
  ndmsgLayout,
  nhmsgLayout,
  nlmsghdrLayout,
  rtmsgLayout,
} from '../../../src/netlink/codec/struct-layouts.js';
import { HOST_LITTLE_ENDIAN } from '../../../src/netlink/codec/host-endian.js';
import { NetlinkDecodeError } from '../../../src/netlink/errors.js';

function written(fn: (w: MessageWriter) => void): Buffer {
  const w = new MessageWriter(64);
  fn(w);
  return Buffer.from(w.bytes());
}

if (!HOST_LITTLE_ENDIAN) console.warn('netlink struct golden vectors are little-endian; this host is big-endian: skipped');
const suite = HOST_LITTLE_ENDIAN ? describe : describe.skip;

suite('kernel structs (golden bytes)', () => {
  it('nlmsghdr', () => {
    const w = new MessageWriter(64);
    const start = w.beginMessage(24, 0x605, 7, 1234);
    w.endMessage(start);
    const bytes = hex(`
      10 00 00 00  # nlmsg_len 16
      18 00        # nlmsg_type 24 RTM_NEWROUTE
      05 06        # flags REQUEST|ACK|EXCL|CREATE
      07 00 00 00  # seq 7
      d2 04 00 00  # pid 1234`);
    expect(toHex(w.bytes())).toBe(toHex(bytes));
    expect(decodeNlMsgHdr(Buffer.from(bytes))).toEqual({ length: 16, type: 24, flags: 0x605, seq: 7, pid: 1234 });
    expect(nlmsghdrLayout.decode(Buffer.from(bytes))).toEqual({ len: 16, type: 24, flags: 0x605, seq: 7, pid: 1234 });
  });

  it('rtmsg', () => {
    const value: RtMsg = { family: 2, dstLen: 24, srcLen: 0, tos: 0, table: 254, protocol: 186, scope: 0, type: 1, flags: 4 };
    const bytes = hex(`
      02           # rtm_family AF_INET
      18           # rtm_dst_len 24
      00 00        # src_len, tos
      fe           # rtm_table 254 main
      ba           # rtm_protocol 186 bgp
      00           # rtm_scope universe
      01           # rtm_type unicast
      04 00 00 00  # rtm_flags RTNH_F_ONLINK`);
    const out = written((w) => encodeRtMsg(w, value));
    expect(toHex(out)).toBe(toHex(bytes));
    expect(decodeRtMsg(out)).toEqual(value);
    expect(rtmsgLayout.decode(out)).toEqual(value);
    const viaLayout = Buffer.alloc(12);
    rtmsgLayout.encode(value, viaLayout);
    expect(toHex(viaLayout)).toBe(toHex(bytes));
  });

  it('nhmsg', () => {
    const bytes = hex(`
      0a           # nh_family AF_INET6
      fd           # nh_scope link
      04           # nh_protocol static
      00           # resvd
      04 00 00 00  # nh_flags ONLINK`);
    const out = written((w) => encodeNhMsg(w, { family: 10, scope: 253, protocol: 4, flags: 4 }));
    expect(toHex(out)).toBe(toHex(bytes));
    expect(decodeNhMsg(out)).toEqual({ family: 10, scope: 253, protocol: 4, flags: 4 });
    expect(nhmsgLayout.decode(out)).toEqual({ family: 10, scope: 253, protocol: 4, resvd: 0, flags: 4 });
  });

  it('ndmsg', () => {
    const bytes = hex(`
      07           # ndm_family AF_BRIDGE
      00 00 00     # pad1, pad2
      05 00 00 00  # ndm_ifindex 5
      80 00        # ndm_state NUD_PERMANENT
      02           # ndm_flags NTF_SELF
      00           # ndm_type`);
    const value = { family: 7, ifindex: 5, state: 0x80, flags: 2, type: 0 };
    const out = written((w) => encodeNdMsg(w, value));
    expect(toHex(out)).toBe(toHex(bytes));
    expect(decodeNdMsg(out)).toEqual(value);
    expect(ndmsgLayout.decode(out)).toEqual({ family: 7, pad1: 0, pad2: 0, ifindex: 5, state: 0x80, flags: 2, type: 0 });
  });

  it('ifinfomsg', () => {
    const bytes = hex(`
      00           # ifi_family AF_UNSPEC
      00           # pad
      01 00        # ifi_type ARPHRD_ETHER
      03 00 00 00  # ifi_index 3
      01 00 00 00  # ifi_flags IFF_UP
      01 00 00 00  # ifi_change IFF_UP`);
    const value = { family: 0, type: 1, index: 3, flags: 1, change: 1 };
    const out = written((w) => encodeIfInfoMsg(w, value));
    expect(toHex(out)).toBe(toHex(bytes));
    expect(decodeIfInfoMsg(out)).toEqual(value);
    expect(ifinfomsgLayout.decode(out)).toEqual({ ...value, pad: 0 });
  });

  it('ifaddrmsg', () => {
    const bytes = hex(`
      02           # ifa_family AF_INET
      18           # ifa_prefixlen 24
      80           # ifa_flags IFA_F_PERMANENT
      fd           # ifa_scope link
      03 00 00 00  # ifa_index 3`);
    const value = { family: 2, prefixLen: 24, flags: 0x80, scope: 253, index: 3 };
    const out = written((w) => encodeIfAddrMsg(w, value));
    expect(toHex(out)).toBe(toHex(bytes));
    expect(decodeIfAddrMsg(out)).toEqual(value);
    expect(ifaddrmsgLayout.decode(out)).toEqual(value);
  });

  it.each([
    ['rtmsg', (b: Buffer) => decodeRtMsg(b)],
    ['nhmsg', (b: Buffer) => decodeNhMsg(b)],
    ['ndmsg', (b: Buffer) => decodeNdMsg(b)],
    ['ifinfomsg', (b: Buffer) => decodeIfInfoMsg(b)],
    ['ifaddrmsg', (b: Buffer) => decodeIfAddrMsg(b)],
    ['nlmsghdr', (b: Buffer) => decodeNlMsgHdr(b)],
  ])('%s: a short buffer is a NetlinkDecodeError', (_name, decode) => {
    expect(() => decode(Buffer.alloc(3))).toThrow(NetlinkDecodeError);
  });
});
