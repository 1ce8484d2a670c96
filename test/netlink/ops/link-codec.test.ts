import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../../support/hex.js';
import { MessageWriter } from '../../../src/netlink/codec/writer.js';
import { HOST_LITTLE_ENDIAN } from '../../../src/netlink/codec/host-endian.js';
import { decodeLink, encodeLinkChangeBody, encodeLinkCreateBody } from '../../../src/netlink/ops/link-codec.js';
import { encodeAddressBody, decodeAddress } from '../../../src/netlink/ops/address-codec.js';
import { NetlinkArgumentError } from '../../../src/netlink/errors.js';

if (!HOST_LITTLE_ENDIAN) console.warn('link golden vectors are little-endian; skipped on this big-endian host');
const suite = HOST_LITTLE_ENDIAN ? describe : describe.skip;

suite('link and address codec', () => {
  it('veth create: IFLA_LINKINFO > IFLA_INFO_DATA > VETH_INFO_PEER (ifinfomsg + attributes)', () => {
    const w = new MessageWriter();
    encodeLinkCreateBody(w, { kind: 'veth', name: 'va', peer: { name: 'vb' } });
    expect(toHex(w.bytes())).toBe(
      toHex(
        hex(`
          00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # ifinfomsg, all zero
          07 00 03 00 76 61 00 00                          # IFLA_IFNAME "va"
          30 00 12 80                                      # IFLA_LINKINFO (nested), 48 bytes
            09 00 01 00 76 65 74 68 00 00 00 00            #   IFLA_INFO_KIND "veth"
            20 00 02 80                                    #   IFLA_INFO_DATA (nested), 32 bytes
              1c 00 01 00                                  #     VETH_INFO_PEER, 28 bytes
                00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # peer ifinfomsg
                07 00 03 00 76 62 00 00                    #       IFLA_IFNAME "vb"`),
      ),
    );
  });

  it('vxlan create carries VNI, local, port (big-endian) and learning', () => {
    const w = new MessageWriter();
    encodeLinkCreateBody(w, { kind: 'vxlan', name: 'vx0', vni: 100, local: '10.0.0.1', learning: false });
    const bytes = Buffer.from(w.bytes());
    expect(bytes.includes(Buffer.from(hex('08 00 01 00 64 00 00 00  # IFLA_VXLAN_ID 100')))).toBe(true);
    expect(bytes.includes(Buffer.from(hex('08 00 04 00 0a 00 00 01  # IFLA_VXLAN_LOCAL')))).toBe(true);
    expect(bytes.includes(Buffer.from(hex('06 00 0f 00 12 b5 00 00  # IFLA_VXLAN_PORT 4789')))).toBe(true);
    expect(bytes.includes(Buffer.from(hex('05 00 07 00 00 00 00 00  # IFLA_VXLAN_LEARNING 0')))).toBe(true);
  });

  it('vxlan create: learning off written as 0, proxy, l2miss, l3miss (u8 flags in IFLA_INFO_DATA)', () => {
    const w = new MessageWriter();
    encodeLinkCreateBody(w, { kind: 'vxlan', name: 'vx1', vni: 200, learning: false, proxy: true, l2miss: true, l3miss: true });
    expect(toHex(w.bytes())).toBe(
      toHex(
        hex(`
          00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # ifinfomsg, all zero
          08 00 03 00 76 78 31 00                          # IFLA_IFNAME "vx1"
          44 00 12 80                                      # IFLA_LINKINFO (nested), 68 bytes
            0a 00 01 00 76 78 6c 61 6e 00 00 00            #   IFLA_INFO_KIND "vxlan" + 2 pad
            34 00 02 80                                    #   IFLA_INFO_DATA (nested), 52 bytes
              08 00 01 00 c8 00 00 00                      #     IFLA_VXLAN_ID 200
              06 00 0f 00 12 b5 00 00                      #     IFLA_VXLAN_PORT 4789 (big-endian) + pad
              05 00 07 00 00 00 00 00                      #     IFLA_VXLAN_LEARNING 0 + pad
              05 00 0b 00 01 00 00 00                      #     IFLA_VXLAN_PROXY 1 + pad
              05 00 0d 00 01 00 00 00                      #     IFLA_VXLAN_L2MISS 1 + pad
              05 00 0e 00 01 00 00 00                      #     IFLA_VXLAN_L3MISS 1 + pad`),
      ),
    );
  });

  it('vxlan flags left undefined are not written (kernel defaults apply)', () => {
    const w = new MessageWriter();
    encodeLinkCreateBody(w, { kind: 'vxlan', name: 'vx1', vni: 200 });
    const bytes = Buffer.from(w.bytes());
    for (const type of [0x07, 0x0b, 0x0d, 0x0e]) expect(bytes.includes(Buffer.from([0x05, 0x00, type, 0x00]))).toBe(false);
  });

  it('decodes vxlan flags from IFLA_INFO_DATA', () => {
    const bytes = Buffer.from(
      hex(`
        00 00 01 00 05 00 00 00 02 10 00 00 00 00 00 00   # ifinfomsg ether, index 5, BROADCAST|MULTICAST
        08 00 03 00 76 78 31 00                            # IFLA_IFNAME "vx1"
        44 00 12 80                                        # IFLA_LINKINFO
          0a 00 01 00 76 78 6c 61 6e 00 00 00              #   IFLA_INFO_KIND "vxlan"
          34 00 02 80                                      #   IFLA_INFO_DATA
            08 00 01 00 c8 00 00 00                        #     IFLA_VXLAN_ID 200
            06 00 0f 00 12 b5 00 00                        #     IFLA_VXLAN_PORT 4789
            05 00 07 00 00 00 00 00                        #     IFLA_VXLAN_LEARNING 0
            05 00 0b 00 01 00 00 00                        #     IFLA_VXLAN_PROXY 1
            05 00 0d 00 00 00 00 00                        #     IFLA_VXLAN_L2MISS 0
            05 00 0e 00 01 00 00 00                        #     IFLA_VXLAN_L3MISS 1`),
    );
    expect(decodeLink(bytes, 0, bytes.length).vxlan).toEqual({ vni: 200, port: 4789, learning: false, proxy: true, l2miss: false, l3miss: true });
  });

  it('vrf create: IFLA_INFO_KIND "vrf", IFLA_INFO_DATA > IFLA_VRF_TABLE', () => {
    const w = new MessageWriter();
    encodeLinkCreateBody(w, { kind: 'vrf', name: 'vrf-blue', table: 100_000, up: true });
    expect(toHex(w.bytes())).toBe(
      toHex(
        hex(`
          00 00 00 00 00 00 00 00 01 00 00 00 01 00 00 00  # ifinfomsg: flags IFF_UP, change IFF_UP
          0d 00 03 00 76 72 66 2d 62 6c 75 65 00 00 00 00  # IFLA_IFNAME "vrf-blue" + NUL + 3 pad
          18 00 12 80                                      # IFLA_LINKINFO (nested), 24 bytes
            08 00 01 00 76 72 66 00                        #   IFLA_INFO_KIND "vrf"
            0c 00 02 80                                    #   IFLA_INFO_DATA (nested), 12 bytes
              08 00 01 00 a0 86 01 00                      #     IFLA_VRF_TABLE 100000`),
      ),
    );
  });

  it('decodes IFLA_VRF_TABLE of a vrf link into vrfTable', () => {
    const bytes = Buffer.from(
      hex(`
        00 00 01 00 09 00 00 00 c1 04 01 00 00 00 00 00   # ifinfomsg ether, index 9, flags UP|RUNNING|NOARP|MASTER|LOWER_UP
        0d 00 03 00 76 72 66 2d 62 6c 75 65 00 00 00 00   # IFLA_IFNAME "vrf-blue" + NUL + 3 pad
        18 00 12 80                                        # IFLA_LINKINFO
          08 00 01 00 76 72 66 00                          #   IFLA_INFO_KIND "vrf"
          0c 00 02 80                                      #   IFLA_INFO_DATA
            08 00 01 00 0a 00 00 00                        #     IFLA_VRF_TABLE 10`),
    );
    expect(decodeLink(bytes, 0, bytes.length)).toMatchObject({ kind: 'vrf', index: 9, vrfTable: 10 });
  });

  it('set up + mtu by index', () => {
    const w = new MessageWriter();
    encodeLinkChangeBody(w, 3, { up: true, mtu: 9000 });
    expect(toHex(w.bytes())).toBe(
      toHex(
        hex(`
          00 00 00 00 03 00 00 00 01 00 00 00 01 00 00 00  # ifinfomsg index 3, flags IFF_UP, change IFF_UP
          08 00 04 00 28 23 00 00                          # IFLA_MTU 9000`),
      ),
    );
  });

  it('decodes a link with kind and master', () => {
    const bytes = Buffer.from(
      hex(`
        00 00 01 00 04 00 00 00 43 10 01 00 00 00 00 00   # ifinfomsg ether, index 4, UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
        08 00 03 00 76 61 00 00                            # IFLA_IFNAME "va"
        08 00 04 00 dc 05 00 00                            # IFLA_MTU 1500
        0a 00 01 00 02 00 00 00 00 01 00 00                # IFLA_ADDRESS
        08 00 0a 00 07 00 00 00                            # IFLA_MASTER 7
        10 00 12 80 09 00 01 00 76 65 74 68 00 00 00 00    # IFLA_LINKINFO { KIND "veth" }`),
    );
    expect(decodeLink(bytes, 0, bytes.length)).toMatchObject({
      index: 4,
      name: 'va',
      mtu: 1500,
      address: '02:00:00:00:00:01',
      master: 7,
      kind: 'veth',
      up: true,
      lowerUp: true,
      family: 0,
    });
  });

  it('keeps ifi_family: an AF_BRIDGE port notification (br_ifinfo_notify) reads family 7', () => {
    const bytes = Buffer.from(
      hex(`
        07 00 01 00 04 00 00 00 43 10 01 00 00 00 00 00   # ifinfomsg AF_BRIDGE, ether, index 4, flags UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
        08 00 03 00 76 61 00 00                            # IFLA_IFNAME "va"
        08 00 0a 00 07 00 00 00                            # IFLA_MASTER 7`),
    );
    expect(decodeLink(bytes, 0, bytes.length)).toMatchObject({ family: 7, index: 4, name: 'va', master: 7 });
    expect(decodeLink(bytes, 0, bytes.length).kind).toBeUndefined(); // no IFLA_LINKINFO in a port notification
  });

  it('address add: IFA_LOCAL and IFA_ADDRESS', () => {
    const w = new MessageWriter();
    encodeAddressBody(w, { address: '10.0.0.1/24', index: 3 });
    const bytes = Buffer.from(w.bytes());
    expect(toHex(bytes)).toBe(
      toHex(
        hex(`
          02 18 00 00 03 00 00 00   # ifaddrmsg AF_INET /24, flags 0, scope 0, index 3
          08 00 02 00 0a 00 00 01   # IFA_LOCAL 10.0.0.1
          08 00 01 00 0a 00 00 01   # IFA_ADDRESS 10.0.0.1`),
      ),
    );
    expect(decodeAddress(bytes, 0, bytes.length)).toMatchObject({ family: 4, address: '10.0.0.1', prefixLength: 24, index: 3 });
  });

  it.each([
    ['name too long', () => encodeLinkCreateBody(new MessageWriter(), { kind: 'bridge', name: 'a-very-long-name-x' })],
    ['name with a slash', () => encodeLinkCreateBody(new MessageWriter(), { kind: 'bridge', name: 'a/b' })],
    ['vni above 24 bits', () => encodeLinkCreateBody(new MessageWriter(), { kind: 'vxlan', name: 'vx', vni: 2 ** 24 })],
    ['bad MAC', () => encodeLinkChangeBody(new MessageWriter(), 1, { address: 'zz' })],
    ['vrf table 0', () => encodeLinkCreateBody(new MessageWriter(), { kind: 'vrf', name: 'vrf0', table: 0 })],
    ['vrf table above 32 bits', () => encodeLinkCreateBody(new MessageWriter(), { kind: 'vrf', name: 'vrf0', table: 2 ** 32 })],
  ])('%s is a NetlinkArgumentError', (_name, fn) => {
    expect(fn).toThrow(NetlinkArgumentError);
  });
});
