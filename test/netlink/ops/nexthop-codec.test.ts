import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../../support/hex.js';
import { MessageWriter } from '../../../src/netlink/codec/writer.js';
import { HOST_LITTLE_ENDIAN } from '../../../src/netlink/codec/host-endian.js';
import { decodeNexthop, encodeNexthopBody, type NexthopSpec } from '../../../src/netlink/ops/nexthop-codec.js';
import { nexthopGrpLayout } from '../../../src/netlink/codec/struct-layouts.js';
import { NetlinkArgumentError, NetlinkDecodeError } from '../../../src/netlink/errors.js';

function body(spec: NexthopSpec): Buffer {
  const w = new MessageWriter(16);
  encodeNexthopBody(w, spec);
  return Buffer.from(w.bytes());
}

if (!HOST_LITTLE_ENDIAN) console.warn('nexthop golden vectors are little-endian; skipped on this big-endian host');
const suite = HOST_LITTLE_ENDIAN ? describe : describe.skip;

suite('nexthop codec', () => {
  it.each<[string, NexthopSpec, string]>([
    [
      'gateway + oif',
      { id: 1, gateway: '10.0.0.2', oif: 3 },
      `02 00 00 00 00 00 00 00   # nhmsg: AF_INET, scope 0, protocol 0, flags 0
       08 00 01 00 01 00 00 00   # NHA_ID 1
       08 00 06 00 0a 00 00 02   # NHA_GATEWAY 10.0.0.2
       08 00 05 00 03 00 00 00   # NHA_OIF 3`,
    ],
    [
      'blackhole',
      { id: 20, blackhole: true },
      `02 00 00 00 00 00 00 00   # nhmsg AF_INET (the kernel refuses AF_UNSPEC for non-groups)
       08 00 01 00 14 00 00 00   # NHA_ID 20
       04 00 04 00               # NHA_BLACKHOLE`,
    ],
    [
      'weighted multipath group',
      { id: 10, group: [{ id: 1, weight: 3 }, { id: 2 }] },
      `00 00 00 00 00 00 00 00   # nhmsg AF_UNSPEC
       08 00 01 00 0a 00 00 00   # NHA_ID 10
       14 00 02 00               # NHA_GROUP, 2 x struct nexthop_grp
         01 00 00 00 02 00 00 00 #   id 1, weight-1 = 2
         02 00 00 00 00 00 00 00 #   id 2, weight-1 = 0`,
    ],
    [
      'resilient group',
      { id: 11, group: [{ id: 1 }], groupType: 'resilient', resilient: { buckets: 32, idleTimer: 2 } },
      `00 00 00 00 00 00 00 00
       08 00 01 00 0b 00 00 00   # NHA_ID 11
       0c 00 02 00 01 00 00 00 00 00 00 00  # NHA_GROUP id 1 weight 1
       06 00 03 00 01 00 00 00   # NHA_GROUP_TYPE resilient
       14 00 0c 80               # NHA_RES_GROUP (nested)
         06 00 01 00 20 00 00 00 #   BUCKETS 32
         08 00 02 00 c8 00 00 00 #   IDLE_TIMER 200 clock_t = 2 s`,
    ],
    [
      'FDB nexthop',
      { id: 30, gateway: '192.0.2.1', fdb: true },
      `02 00 00 00 00 00 00 00
       08 00 01 00 1e 00 00 00   # NHA_ID 30
       08 00 06 00 c0 00 02 01   # NHA_GATEWAY 192.0.2.1
       04 00 0b 00               # NHA_FDB`,
    ],
    [
      'MPLS encap: two labels (BOS on the last), fixed TTL',
      { id: 5, gateway: '10.0.0.2', oif: 3, encap: { type: 'mpls', labels: [100, 200], ttl: 64 } },
      `02 00 00 00 00 00 00 00   # nhmsg AF_INET, scope 0, protocol 0, resvd, flags 0
       08 00 01 00 05 00 00 00   # NHA_ID 5
       08 00 06 00 0a 00 00 02   # NHA_GATEWAY 10.0.0.2
       08 00 05 00 03 00 00 00   # NHA_OIF 3
       06 00 07 00 01 00 00 00   # NHA_ENCAP_TYPE LWTUNNEL_ENCAP_MPLS (u16) + pad
       18 00 08 80               # NHA_ENCAP (nested), 24 bytes
         0c 00 01 00             #   MPLS_IPTUNNEL_DST, 2 label entries (big-endian)
           00 06 40 00           #     label 100 (100 << 12), TC 0, S 0, TTL 0
           00 0c 81 00           #     label 200 (200 << 12), TC 0, S 1 (bottom of stack), TTL 0
         05 00 02 00 40 00 00 00 #   MPLS_IPTUNNEL_TTL 64 + pad`,
    ],
    [
      'MPLS encap: one label at the top of the 20-bit range, oif only',
      { id: 6, oif: 3, encap: { type: 'mpls', labels: [0xfffff] } },
      `02 00 00 00 00 00 00 00   # nhmsg AF_INET
       08 00 01 00 06 00 00 00   # NHA_ID 6
       08 00 05 00 03 00 00 00   # NHA_OIF 3
       06 00 07 00 01 00 00 00   # NHA_ENCAP_TYPE MPLS
       0c 00 08 80               # NHA_ENCAP (nested), 12 bytes
         08 00 01 00             #   MPLS_IPTUNNEL_DST, 1 label entry
           ff ff f1 00           #     label 1048575, S 1`,
    ],
  ])('%s', (_name, spec, expected) => {
    const bytes = body(spec);
    expect(toHex(bytes)).toBe(toHex(hex(expected)));
    const decoded = decodeNexthop(bytes, 0, bytes.length);
    expect(decoded.id).toBe(spec.id);
    if (spec.encap !== undefined) expect(decoded.encap).toEqual({ ...spec.encap, labels: [...spec.encap.labels] });
    if (spec.group !== undefined) {
      expect(decoded.group).toEqual(spec.group.map((m) => ({ id: m.id, weight: m.weight ?? 1 })));
      // cross-check the first member against buffer-layout's struct nexthop_grp
      const start = bytes.indexOf(Buffer.from([0x02, 0x00]), 8) + 2; // NHA_GROUP type bytes
      expect(nexthopGrpLayout.decode(bytes, start).id).toBe(spec.group[0]?.id);
    }
  });

  it.each<[string, NexthopSpec]>([
    ['id 0', { id: 0, blackhole: true }],
    ['nothing to point at', { id: 1 }],
    ['group with a gateway', { id: 1, group: [{ id: 2 }], gateway: '10.0.0.1' }],
    ['empty group', { id: 1, group: [] }],
    ['weight 257', { id: 1, group: [{ id: 2, weight: 257 }] }],
    ['blackhole with oif', { id: 1, blackhole: true, oif: 2 }],
    ['encap on a group', { id: 1, group: [{ id: 2 }], encap: { type: 'mpls', labels: [100] } }],
    ['encap on a blackhole', { id: 1, blackhole: true, encap: { type: 'mpls', labels: [100] } }],
    ['encap on an FDB nexthop', { id: 1, gateway: '192.0.2.1', fdb: true, encap: { type: 'mpls', labels: [100] } }],
    ['no labels', { id: 1, oif: 2, encap: { type: 'mpls', labels: [] } }],
    ['31 labels', { id: 1, oif: 2, encap: { type: 'mpls', labels: Array.from({ length: 31 }, (_, i) => 16 + i) } }],
    ['a 21-bit label', { id: 1, oif: 2, encap: { type: 'mpls', labels: [0x100000] } }],
    ['implicit null in the stack', { id: 1, oif: 2, encap: { type: 'mpls', labels: [3] } }],
    ['TTL 0', { id: 1, oif: 2, encap: { type: 'mpls', labels: [100], ttl: 0 } }],
  ])('%s is a NetlinkArgumentError', (_name, spec) => {
    expect(() => body(spec)).toThrow(NetlinkArgumentError);
  });

  it.each([
    [
      'an encapsulation fibwire does not decode is kept as its number',
      `02 00 00 00 00 00 00 00
       08 00 01 00 07 00 00 00   # NHA_ID 7
       08 00 05 00 03 00 00 00   # NHA_OIF 3
       06 00 07 00 05 00 00 00   # NHA_ENCAP_TYPE LWTUNNEL_ENCAP_SEG6
       04 00 08 80               # NHA_ENCAP (empty nest)`,
      { type: 'other', encapType: 5 },
    ],
  ])('%s', (_name, vector, encap) => {
    const bytes = Buffer.from(hex(vector));
    expect(decodeNexthop(bytes, 0, bytes.length).encap).toEqual(encap);
  });

  it('a label stack that is not whole 4-byte entries is a NetlinkDecodeError', () => {
    const bytes = Buffer.from(
      hex(`02 00 00 00 00 00 00 00
           08 00 01 00 07 00 00 00   # NHA_ID 7
           06 00 07 00 01 00 00 00   # NHA_ENCAP_TYPE MPLS
           0c 00 08 80               # NHA_ENCAP
             07 00 01 00 00 06 41 00 #   MPLS_IPTUNNEL_DST of 3 bytes (+ pad)`),
    );
    expect(() => decodeNexthop(bytes, 0, bytes.length)).toThrow(NetlinkDecodeError);
  });
});
