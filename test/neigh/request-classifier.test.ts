import { describe, expect, it } from 'vitest';
import { decodeNeighbor } from '../../src/netlink/ops/neighbor-codec.js';
import { classifyRequest, requestKey, type RequestLink } from '../../src/neigh/request-classifier.js';
import { hex } from '../support/hex.js';

/** Decodes an RTM_GETNEIGH body (struct ndmsg + NDA_* attributes) the way the monitor does. */
function entryOf(bytes: Uint8Array): ReturnType<typeof decodeNeighbor> {
  const buf = Buffer.from(bytes);
  return decodeNeighbor(buf, 0, buf.length);
}

const veth: RequestLink = { name: 'va', kind: 'veth', vni: undefined };
const vxlan: RequestLink = { name: 'vx0', kind: 'vxlan', vni: 100 };

// ndmsg fields are host-endian (little-endian on the machines these tests run on).
const cases: { name: string; link: RequestLink; body: string; expected: unknown }[] = [
  {
    name: 'app_solicit, IPv4, INCOMPLETE (neigh_app_ns)',
    link: veth,
    body: `
      02 00 0000        # ndm_family AF_INET, pads
      03000000          # ndm_ifindex 3
      0100 00 00        # ndm_state NUD_INCOMPLETE, ndm_flags 0, ndm_type 0
      0800 0100 0a000063 # NDA_DST 10.0.0.99
      0800 0400 03000000 # NDA_PROBES 3`,
    expected: { kind: 'ipv4', address: '10.0.0.99', index: 3, source: 'app-solicit', state: 1, lladdr: undefined, linkName: 'va' },
  },
  {
    name: 'app_solicit, IPv6, PROBE of a known neighbour (lladdr present)',
    link: veth,
    body: `
      0a 00 0000        # ndm_family AF_INET6
      03000000          # ndm_ifindex 3
      1000 00 00        # ndm_state NUD_PROBE
      1400 0100 fd000000000000000000000000000002 # NDA_DST fd00::2
      0a00 0200 02aabbccddee 0000                # NDA_LLADDR 02:aa:bb:cc:dd:ee (+ 2 pad)
      0800 0400 01000000                         # NDA_PROBES 1 (neigh_fill_info always sends it)`,
    expected: { kind: 'ipv6', address: 'fd00::2', source: 'app-solicit', state: 16, lladdr: '02:aa:bb:cc:dd:ee' },
  },
  {
    name: 'VXLAN l2miss (vxlan_fdb_miss: AF_BRIDGE, NDA_LLADDR only)',
    link: vxlan,
    body: `
      07 00 0000        # ndm_family AF_BRIDGE
      04000000          # ndm_ifindex 4
      0400 00 00        # ndm_state NUD_STALE
      0a00 0200 020000000099 0000 # NDA_LLADDR 02:00:00:00:00:99`,
    expected: { kind: 'ethernet', address: '02:00:00:00:00:99', index: 4, source: 'vxlan-l2miss', vni: 100, linkKind: 'vxlan' },
  },
  {
    name: 'VXLAN l3miss (vxlan_ip_miss: AF_BRIDGE, NDA_DST, all-zero NDA_LLADDR)',
    link: vxlan,
    body: `
      07 00 0000        # ndm_family AF_BRIDGE
      04000000          # ndm_ifindex 4
      0400 00 00        # ndm_state NUD_STALE
      0800 0100 0a010009          # NDA_DST 10.1.0.9
      0a00 0200 000000000000 0000 # NDA_LLADDR 00:00:00:00:00:00`,
    expected: { kind: 'ipv4', address: '10.1.0.9', source: 'vxlan-l3miss', lladdr: undefined },
  },
  {
    name: 'VXLAN l3miss as 6.x kernels send it (no NDA_LLADDR; NUD_STALE tells it from a probe)',
    link: vxlan,
    body: `
      07 00 0000        # ndm_family AF_BRIDGE
      04000000          # ndm_ifindex 4
      0400 00 00        # ndm_state NUD_STALE
      1400 0100 fd000000000000000000000000000020 # NDA_DST fd00::20`,
    expected: { kind: 'ipv6', address: 'fd00::20', source: 'vxlan-l3miss', lladdr: undefined },
  },
  {
    name: 'an ARP probe of the VXLAN device itself (INCOMPLETE) stays an app_solicit request',
    link: vxlan,
    body: `
      02 00 0000 04000000
      0100 00 00        # ndm_state NUD_INCOMPLETE
      0800 0100 0a010009 # NDA_DST 10.1.0.9
      0800 0400 00000000 # NDA_PROBES 0 (neigh_fill_info always sends it)`,
    expected: { kind: 'ipv4', address: '10.1.0.9', source: 'app-solicit' },
  },
  {
    name: 'VXLAN l2miss as this 6.18 kernel sends it (vxlan_fdb_info: ndm_family AF_INET, NDA_LLADDR, NDA_VNI 0, no NDA_PROBES)',
    link: vxlan,
    body: `
      02 00 0000 04000000 # ndm_family AF_INET, ndm_ifindex 4
      0400 00 01        # ndm_state NUD_STALE, ndm_flags 0, ndm_type RTN_UNICAST
      0a00 0200 020000000099 0000 # NDA_LLADDR 02:00:00:00:00:99
      0800 0700 00000000          # NDA_VNI 0 (the miss's empty remote)`,
    expected: { kind: 'ethernet', address: '02:00:00:00:00:99', source: 'vxlan-l2miss' },
  },
  {
    name: 'VXLAN l3miss as 6.x kernels send it (ndm_family AF_INET, NDA_DST, NDA_VNI VXLAN_N_VID, no NDA_PROBES)',
    link: vxlan,
    body: `
      02 00 0000 04000000 # ndm_family AF_INET, ndm_ifindex 4
      0400 00 01        # ndm_state NUD_STALE, ndm_type RTN_UNICAST
      0800 0100 0a010014 # NDA_DST 10.1.0.20
      0800 0700 00000001 # NDA_VNI 16777216 (VXLAN_N_VID)`,
    expected: { kind: 'ipv4', address: '10.1.0.20', source: 'vxlan-l3miss', lladdr: undefined },
  },
  {
    name: 'an app_solicit probe of a STALE entry on a VXLAN link (NDA_PROBES: the neighbour table) stays app_solicit',
    link: vxlan,
    body: `
      02 00 0000 04000000 # ndm_family AF_INET, ndm_ifindex 4
      0400 00 01        # ndm_state NUD_STALE
      0800 0100 0a010009 # NDA_DST 10.1.0.9
      0800 0400 00000000 # NDA_PROBES 0`,
    expected: { kind: 'ipv4', address: '10.1.0.9', source: 'app-solicit' },
  },
  {
    name: 'a neighbour-table message with only NDA_LLADDR asks about no MAC',
    link: vxlan,
    body: `
      02 00 0000 04000000 0400 00 00
      0a00 0200 020000000099 0000 # NDA_LLADDR
      0800 0400 00000000          # NDA_PROBES 0`,
    expected: 'no-address',
  },
  {
    name: 'an l3miss-shaped message on a link that is not VXLAN: ignored',
    link: veth,
    body: `
      07 00 0000 04000000 0400 00 00
      0800 0100 0a010009 # NDA_DST 10.1.0.9`,
    expected: 'not-vxlan',
  },
  {
    name: 'l2miss-shaped message on a link that is not VXLAN: ignored',
    link: veth,
    body: `
      07 00 0000 04000000 0400 00 00
      0a00 0200 020000000099 0000 # NDA_LLADDR`,
    expected: 'not-vxlan',
  },
  {
    name: 'l2miss for a multicast MAC (I/G bit set): ignored',
    link: vxlan,
    body: `
      07 00 0000 04000000 0400 00 00
      0a00 0200 01005e000001 0000 # NDA_LLADDR 01:00:5e:00:00:01`,
    expected: 'multicast-mac',
  },
  {
    name: 'neither NDA_DST nor NDA_LLADDR: ignored',
    link: vxlan,
    body: `07 00 0000 04000000 0400 00 00`,
    expected: 'no-address',
  },
  {
    name: 'an entry already REACHABLE: nothing to resolve',
    link: veth,
    body: `
      02 00 0000 03000000
      0200 00 00        # ndm_state NUD_REACHABLE
      0800 0100 0a000002 # NDA_DST 10.0.0.2
      0a00 0200 02aabbccddee 0000`,
    expected: 'settled-state',
  },
  {
    name: 'an entry FAILED: nothing to resolve',
    link: veth,
    body: `
      02 00 0000 03000000
      2000 00 00        # ndm_state NUD_FAILED
      0800 0100 0a000002 # NDA_DST 10.0.0.2`,
    expected: 'settled-state',
  },
];

describe('classifyRequest', () => {
  it.each(cases)('$name', ({ link, body, expected }) => {
    const result = classifyRequest(entryOf(hex(body)), link);
    if (typeof expected === 'string') expect(result).toBe(expected);
    else expect(result).toMatchObject(expected as object);
  });

  it('keys requests by link, kind and address', () => {
    expect(requestKey({ index: 3, kind: 'ipv4', address: '10.0.0.2' })).toBe('3|ipv4|10.0.0.2');
    expect(requestKey({ index: 3, kind: 'ipv4', address: '10.0.0.2' })).not.toBe(requestKey({ index: 4, kind: 'ipv4', address: '10.0.0.2' }));
  });
});
