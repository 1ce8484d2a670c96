import { describe, expect, it } from 'vitest';
import { MessageWriter } from '../../src/netlink/codec/writer.js';
import { RTM, NLM_F } from '../../src/netlink/constants.js';
import { encodeWireguardLinkCreateBody, WIREGUARD_CREATE_FLAGS } from '../../src/alloc/wireguard-link.js';
import { AllocError } from '../../src/alloc/errors.js';
import { wgName } from '../../src/alloc/names.js';

const hex = (s: string): string => s.replace(/\s+|\/\/.*$/gm, '');

describe('WireGuard link creation message (RTM_NEWLINK)', () => {
  it('encodes ifinfomsg, IFLA_IFNAME and IFLA_LINKINFO { IFLA_INFO_KIND "wireguard" }', () => {
    const w = new MessageWriter(64);
    const start = w.beginMessage(RTM.NEWLINK, NLM_F.REQUEST | NLM_F.ACK | WIREGUARD_CREATE_FLAGS, 7);
    encodeWireguardLinkCreateBody(w, wgName(0x1abc, 1));
    w.endMessage(start);
    const expected = hex(`
      44000000 1000 0506 07000000 00000000   // nlmsghdr: len 68, RTM_NEWLINK (16), REQUEST|ACK|EXCL|CREATE (0x605), seq 7, pid 0
      00 00 0000 00000000 00000000 00000000  // ifinfomsg: AF_UNSPEC, type 0, index 0, flags 0, change 0
      0e00 0300 77672d316162632d3100 0000    // IFLA_IFNAME (3), len 14: "wg-1abc-1\\0" + 2 pad
      1400 1280                              // IFLA_LINKINFO (18) | NLA_F_NESTED, len 20
      0e00 0100 77697265677561726400 0000    //   IFLA_INFO_KIND (1), len 14: "wireguard\\0" + 2 pad
    `);
    expect(w.bytes().toString('hex')).toBe(expected);
  });

  it('the longest derived name fits, a bad one is refused before anything is sent', () => {
    const w = new MessageWriter(64);
    encodeWireguardLinkCreateBody(w, wgName(0xffff, 65535)); // wg-ffff-65535, 13 bytes
    expect(w.bytes().subarray(16, 20).toString('hex')).toBe('1200' + '0300'); // len 4 + 14
    expect(() => encodeWireguardLinkCreateBody(new MessageWriter(64), 'wg-ffff-65535-xx')).toThrow(AllocError);
    expect(() => encodeWireguardLinkCreateBody(new MessageWriter(64), '')).toThrow(AllocError);
    expect(() => encodeWireguardLinkCreateBody(new MessageWriter(64), 'a/b')).toThrow(AllocError);
  });
});
