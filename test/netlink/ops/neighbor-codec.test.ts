import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../../support/hex.js';
import { MessageWriter } from '../../../src/netlink/codec/writer.js';
import { HOST_LITTLE_ENDIAN } from '../../../src/netlink/codec/host-endian.js';
import {
  decodeFdb,
  decodeNeighbor,
  encodeFdbBody,
  encodeNeighborBody,
  nudStateNames,
} from '../../../src/netlink/ops/neighbor-codec.js';
import { NetlinkArgumentError } from '../../../src/netlink/errors.js';

if (!HOST_LITTLE_ENDIAN) console.warn('neighbour golden vectors are little-endian; skipped on this big-endian host');
const suite = HOST_LITTLE_ENDIAN ? describe : describe.skip;

suite('neighbour and FDB codec', () => {
  it('IPv4 neighbour with lladdr', () => {
    const w = new MessageWriter();
    encodeNeighborBody(w, { address: '10.0.0.9', index: 3, lladdr: '02:00:00:00:00:09' });
    const bytes = Buffer.from(w.bytes());
    expect(toHex(bytes)).toBe(
      toHex(
        hex(`
          02 00 00 00 03 00 00 00 80 00 00 00   # ndmsg AF_INET, ifindex 3, NUD_PERMANENT, flags 0, type 0
          08 00 01 00 0a 00 00 09               # NDA_DST 10.0.0.9
          0a 00 02 00 02 00 00 00 00 09 00 00   # NDA_LLADDR, 2 bytes padding`),
      ),
    );
    expect(decodeNeighbor(bytes, 0, bytes.length)).toMatchObject({
      family: 4,
      address: '10.0.0.9',
      index: 3,
      state: 0x80,
      states: ['permanent'],
      lladdr: '02:00:00:00:00:09',
      router: false,
    });
  });

  it('IPv6 router neighbour, reachable', () => {
    const w = new MessageWriter();
    encodeNeighborBody(w, { address: 'fe80::1', index: 2, lladdr: 'aa:bb:cc:dd:ee:ff', state: 'reachable', router: true });
    const bytes = Buffer.from(w.bytes());
    expect(toHex(bytes.subarray(0, 12))).toBe(toHex(hex('0a 00 00 00 02 00 00 00 02 00 80 00  # AF_INET6, ifindex 2, REACHABLE, NTF_ROUTER')));
    expect(decodeNeighbor(bytes, 0, bytes.length)).toMatchObject({ family: 6, address: 'fe80::1', router: true, states: ['reachable'] });
  });

  it('VXLAN FDB entry with NDA_DST, NDA_VNI, NDA_PORT', () => {
    const w = new MessageWriter();
    encodeFdbBody(w, { lladdr: '00:00:00:00:00:00', index: 5, dst: '10.0.0.2', vni: 100, port: 4789 });
    const bytes = Buffer.from(w.bytes());
    expect(toHex(bytes)).toBe(
      toHex(
        hex(`
          07 00 00 00 05 00 00 00 80 00 02 00   # ndmsg AF_BRIDGE, ifindex 5, PERMANENT, NTF_SELF
          0a 00 02 00 00 00 00 00 00 00 00 00   # NDA_LLADDR 00:00:00:00:00:00
          08 00 01 00 0a 00 00 02               # NDA_DST 10.0.0.2
          08 00 07 00 64 00 00 00               # NDA_VNI 100
          06 00 06 00 12 b5 00 00               # NDA_PORT 4789, network byte order`),
      ),
    );
    expect(decodeFdb(bytes, 0, bytes.length)).toEqual({
      lladdr: '00:00:00:00:00:00',
      index: 5,
      state: 0x80,
      flags: 2,
      self: true,
      dst: '10.0.0.2',
      vni: 100,
      port: 4789,
    });
  });

  it('bridge FDB entry with NTF_MASTER and a VLAN', () => {
    const w = new MessageWriter();
    encodeFdbBody(w, { lladdr: '02:00:00:00:00:01', index: 4, master: true, vlan: 10 });
    const bytes = Buffer.from(w.bytes());
    expect(bytes[10]).toBe(0x04); // NTF_MASTER only
    expect(decodeFdb(bytes, 0, bytes.length)).toMatchObject({ vlan: 10, self: false });
  });

  it.each([
    {
      name: 'VXLAN l2miss request: AF_BRIDGE, the MAC in NDA_LLADDR, no NDA_DST',
      body: `
        07 00 00 00 04 00 00 00 04 00 02 00   # ndmsg AF_BRIDGE, ifindex 4, NUD_STALE, NTF_SELF, type 0
        0a 00 02 00 02 00 00 00 00 99 00 00   # NDA_LLADDR 02:00:00:00:00:99 (+ 2 pad)`,
      expected: {
        ndmFamily: 7,
        family: undefined,
        address: '',
        lladdr: '02:00:00:00:00:99',
        index: 4,
        bridge: { lladdr: '02:00:00:00:00:99', index: 4, state: 4, self: true },
      },
      noVni: true,
    },
    {
      name: 'VXLAN l3miss request: AF_BRIDGE, NDA_DST IPv6 (family from its length), NDA_VNI VXLAN_N_VID = no VNI',
      body: `
        07 00 00 00 04 00 00 00 04 00 02 00   # ndmsg AF_BRIDGE, ifindex 4, NUD_STALE, NTF_SELF
        14 00 01 00 fd 00 00 00 00 00 00 00
                    00 00 00 00 00 00 00 20   # NDA_DST fd00::20
        08 00 07 00 00 00 00 01               # NDA_VNI 16777216 (VXLAN_N_VID)`,
      expected: { ndmFamily: 7, family: 6, address: 'fd00::20', bridge: { dst: 'fd00::20', index: 4 } },
      noVni: true,
    },
    {
      name: 'AF_BRIDGE entry with a VTEP: NDA_DST remote, NDA_VNI, NDA_PORT',
      body: `
        07 00 00 00 05 00 00 00 80 00 02 00   # ndmsg AF_BRIDGE, ifindex 5, NUD_PERMANENT, NTF_SELF
        0a 00 02 00 02 00 00 00 00 07 00 00   # NDA_LLADDR 02:00:00:00:00:07
        08 00 01 00 c0 00 02 07               # NDA_DST 192.0.2.7 (VTEP)
        08 00 07 00 c8 00 00 00               # NDA_VNI 200
        06 00 06 00 12 b6 00 00               # NDA_PORT 4790 (big-endian)`,
      expected: {
        ndmFamily: 7,
        family: 4,
        bridge: { lladdr: '02:00:00:00:00:07', dst: '192.0.2.7', vni: 200, port: 4790, index: 5, self: true },
      },
      noVni: false,
    },
    {
      name: 'a neighbour-table request (NDA_PROBES) carries its ndm_family and no FDB reading',
      body: `
        0a 00 00 00 03 00 00 00 01 00 00 00   # ndmsg AF_INET6, ifindex 3, NUD_INCOMPLETE
        14 00 01 00 fd 00 00 00 00 00 00 00
                    00 00 00 00 00 00 00 02   # NDA_DST fd00::2
        08 00 04 00 03 00 00 00               # NDA_PROBES 3 (neigh_fill_info always sends it)`,
      expected: { ndmFamily: 10, family: 6, address: 'fd00::2' },
      noVni: true,
      neighbourTable: true,
    },
    {
      name: 'a VXLAN l2miss as 6.x kernels send it: ndm_family AF_INET, no NDA_PROBES (FDB layout), no NDA_DST',
      body: `
        02 00 00 00 04 00 00 00 04 00 00 01   # ndmsg AF_INET, ifindex 4, NUD_STALE, flags 0, RTN_UNICAST
        0a 00 02 00 02 00 00 00 00 99 00 00   # NDA_LLADDR 02:00:00:00:00:99
        08 00 07 00 00 00 00 00               # NDA_VNI 0`,
      expected: { ndmFamily: 2, family: undefined, address: '', lladdr: '02:00:00:00:00:99', bridge: { lladdr: '02:00:00:00:00:99', vni: 0 } },
      noVni: false,
    },
  ])('$name', ({ body, expected, noVni, neighbourTable }) => {
    const bytes = Buffer.from(hex(body));
    const entry = decodeNeighbor(bytes, 0, bytes.length);
    expect(entry).toMatchObject(expected);
    if (noVni) expect(entry.bridge?.vni).toBeUndefined();
    if (neighbourTable === true) expect(entry.bridge).toBeUndefined();
  });

  it('NUD state names', () => {
    expect(nudStateNames(0)).toEqual(['none']);
    expect(nudStateNames(0x82)).toEqual(['reachable', 'permanent']);
  });

  it.each([
    ['bad MAC', () => encodeFdbBody(new MessageWriter(), { lladdr: '00:00:00:00:00', index: 1 })],
    ['VNI above 24 bits', () => encodeFdbBody(new MessageWriter(), { lladdr: '00:00:00:00:00:00', index: 1, vni: 2 ** 24 })],
    ['unknown state', () => encodeNeighborBody(new MessageWriter(), { address: '10.0.0.1', index: 1, state: 'bogus' as 'stale' })],
    ['index 0', () => encodeNeighborBody(new MessageWriter(), { address: '10.0.0.1', index: 0 })],
  ])('%s is a NetlinkArgumentError', (_name, fn) => {
    expect(fn).toThrow(NetlinkArgumentError);
  });
});
