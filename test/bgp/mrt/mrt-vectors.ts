/**
 * Hand-written MRT records (RFC 6396, RFC 8050), commented field by field,
 * shared by the MRT tests. `record()` adds the 12-octet common header
 * (RFC 6396 §2) so each vector shows only its body.
 */
import { concatBytes, hex } from '../../support/hex.js';

/** The RFC 6396 §2 common header + body. */
export function record(timestamp: number, type: number, subtype: number, body: Uint8Array): Uint8Array {
  const h = new Uint8Array(12);
  const dv = new DataView(h.buffer);
  dv.setUint32(0, timestamp);
  dv.setUint16(4, type);
  dv.setUint16(6, subtype);
  dv.setUint32(8, body.length);
  return concatBytes([h, body]);
}

export const T = 1600000000; // 0x5f5e1000

/** IPv4 path attributes with 2-octet ASNs: ORIGIN IGP, AS_PATH 65000 65001, NEXT_HOP 198.51.100.1. */
export const ATTRS_AS2 = hex(`
  40 01 01 00                     # ORIGIN, well-known transitive, len 1: IGP
  40 02 06 02 02 fde8 fde9        # AS_PATH: AS_SEQUENCE of 2: 65000 65001
  40 03 04 c6 33 64 01            # NEXT_HOP 198.51.100.1
`);

/** TABLE_DUMP AFI_IPv4 (RFC 6396 §4.2). */
export const TABLE_DUMP_V4 = record(T, 12, 1, concatBytes([hex(`
  0000                            # view number 0
  0005                            # sequence 5
  c0 00 02 00                     # prefix 192.0.2.0
  18                              # prefix length 24
  01                              # status 1
  5f 5e 0f 00                     # originated time 1599999744
  c6 33 64 01                     # peer IP 198.51.100.1
  fd e8                           # peer AS 65000
  00 14                           # attribute length 20
`), ATTRS_AS2]));

/** PEER_INDEX_TABLE (RFC 6396 §4.3.1) with an IPv4/AS2 peer and an IPv6/AS4 peer. */
export const PEER_INDEX = record(T, 13, 1, hex(`
  c0 00 02 fe                     # collector BGP ID 192.0.2.254
  00 04 76 69 65 77               # view name length 4: "view"
  00 02                           # peer count 2
  00                              # peer 0 type: IPv4 address, 2-octet AS
  c0 00 02 01                     #   BGP ID 192.0.2.1
  c0 00 02 01                     #   address 192.0.2.1
  fd e8                           #   AS 65000
  03                              # peer 1 type: IPv6 address, 4-octet AS
  c0 00 02 02                     #   BGP ID 192.0.2.2
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # address 2001:db8::2
  fa 56 ea 01                     #   AS 4200000001
`));

/** RIB_IPV4_UNICAST (RFC 6396 §4.3.2) with one entry from peer 0. */
export const RIB_V4 = record(T, 13, 2, hex(`
  00 00 00 07                     # sequence 7
  18 c6 33 64                     # prefix length 24, 198.51.100.0
  00 01                           # entry count 1
  00 00                           # peer index 0
  5f 5e 0f 00                     # originated time
  00 20                           # attribute length 32
  40 01 01 02                     # ORIGIN INCOMPLETE
  50 02 00 0a 02 02 00 00 fd e8 fa 56 ea 01   # AS_PATH (extended length 10): 65000 4200000001 (4-octet, §4.3.4)
  40 03 04 c0 00 02 01            # NEXT_HOP 192.0.2.1
  c0 08 04 ff ff ff 01            # COMMUNITIES: NO_EXPORT
`));

/** RIB_IPV6_UNICAST with an abbreviated MP_REACH_NLRI (RFC 6396 §4.3.4), from peer 1. */
export const RIB_V6 = record(T, 13, 4, hex(`
  00 00 00 08                     # sequence 8
  20 20 01 0d b8                  # prefix length 32, 2001:db8::
  00 01                           # entry count 1
  00 01                           # peer index 1
  5f 5e 0f 00                     # originated time
  00 25                           # attribute length 37
  80 0e 11 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # MP_REACH_NLRI abbreviated: nh len 16, 2001:db8::2
  40 01 01 00                     # ORIGIN IGP
  40 02 0a 02 02 fa 56 ea 01 00 00 fd e9   # AS_PATH: 4200000001 65001
`));

/** RIB_IPV4_UNICAST_ADDPATH (RFC 8050 §4): path id 42 in the entry. */
export const RIB_V4_ADDPATH = record(T, 13, 8, hex(`
  00 00 00 09                     # sequence 9
  10 0a 00                        # prefix length 16, 10.0.0.0
  00 01                           # entry count 1
  00 00                           # peer index 0
  5f 5e 0f 00                     # originated time
  00 00 00 2a                     # path identifier 42
  00 04                           # attribute length 4
  40 01 01 00                     # ORIGIN IGP
`));

/** RIB_GENERIC (RFC 6396 §4.3.3): AFI 1, SAFI 2 (multicast), 203.0.113.0/24. */
export const RIB_GENERIC = record(T, 13, 6, hex(`
  00 00 00 0a                     # sequence 10
  00 01 02                        # AFI 1, SAFI 2
  18 cb 00 71                     # NLRI: 203.0.113.0/24
  00 01                           # entry count 1
  00 00                           # peer index 0
  5f 5e 0f 00                     # originated time
  00 04                           # attribute length 4
  40 01 01 00                     # ORIGIN IGP
`));

/** A BGP UPDATE (RFC 4271 §4.3) with 4-octet ASNs: withdraw 192.0.2.0/25, announce 198.51.100.0/24 with communities and aggregator. */
export const UPDATE_AS4 = hex(`
  ffffffffffffffffffffffffffffffff   # marker
  00 4d                              # length 77
  02                                 # type UPDATE
  00 05 19 c0 00 02 00               # withdrawn length 5: 192.0.2.0/25
  00 2d                              # total path attribute length 45
  40 01 01 00                        # ORIGIN IGP
  40 02 0a 02 02 00 00 fd e8 00 00 fd e9   # AS_PATH: 65000 65001
  40 03 04 c0 00 02 01               # NEXT_HOP 192.0.2.1
  80 04 04 00 00 00 64               # MULTI_EXIT_DISC 100
  40 06 00                           # ATOMIC_AGGREGATE
  c0 07 08 00 00 fd e9 c0 00 02 09   # AGGREGATOR AS 65001, 192.0.2.9
  18 c6 33 64                        # NLRI 198.51.100.0/24
`);

/** BGP4MP_MESSAGE_AS4 (RFC 6396 §4.4.3), IPv4 peer 192.0.2.1 AS 65000. */
export const BGP4MP_AS4 = record(T, 16, 4, concatBytes([hex(`
  00 00 fd e8                     # peer AS 65000
  00 00 fd e9                     # local AS 65001
  00 00                           # interface index
  00 01                           # address family IPv4
  c0 00 02 01                     # peer IP 192.0.2.1
  c0 00 02 02                     # local IP 192.0.2.2
`), UPDATE_AS4]));

/** The same message as BGP4MP_ET (RFC 6396 §3): microseconds 1234 counted in the length. */
export const BGP4MP_ET_AS4 = record(T, 17, 4, concatBytes([hex(`
  00 00 04 d2                     # microsecond timestamp 1234
  00 00 fd e8 00 00 fd e9 0000 0001 c0000201 c0000202   # peer/local AS, ifindex, AFI, addresses
`), UPDATE_AS4]));

/** BGP4MP_STATE_CHANGE (RFC 6396 §4.4.1), 2-octet ASNs, IPv6 peer. */
export const STATE_CHANGE_V6 = record(T, 16, 0, hex(`
  fd e8                           # peer AS 65000
  fd e9                           # local AS 65001
  00 03                           # interface index 3
  00 02                           # address family IPv6
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # peer 2001:db8::1
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # local 2001:db8::2
  00 01                           # old state Idle
  00 02                           # new state Connect
`));

/** Old Zebra's 8-octet BGP4MP_STATE_CHANGE: two ASes and two states only. */
export const STATE_CHANGE_ZEBRA8 = record(T, 16, 0, hex(`
  fd e8 fd e9                     # peer AS 65000, local AS 65001
  00 06 00 07                     # Established -> Clearing (Quagga state 7)
`));

/** BGP4MP_STATE_CHANGE_AS4 (RFC 6396 §4.4.4). */
export const STATE_CHANGE_AS4 = record(T, 16, 5, hex(`
  fa 56 ea 01 00 00 fd e9         # peer AS 4200000001, local AS 65001
  00 00 00 01                     # ifindex 0, AFI IPv4
  c0 00 02 01 c0 00 02 02         # peer, local
  00 05 00 06                     # OpenConfirm -> Established
`));

/** BGP4MP_MESSAGE_AS4_ADDPATH (RFC 8050 §3): announce 203.0.113.0/24 with path id 7. */
export const BGP4MP_AS4_ADDPATH = record(T, 16, 9, hex(`
  00 00 fd e8 00 00 fd e9 0000 0001 c0000201 c0000202   # peer/local AS, ifindex, AFI, addresses
  ffffffffffffffffffffffffffffffff   # marker
  00 33 02                           # length 51, UPDATE
  00 00                              # no withdrawn routes
  00 14                              # attribute length 20
  40 01 01 00                        # ORIGIN IGP
  40 02 06 02 01 00 00 fd e8         # AS_PATH 65000
  40 03 04 c0 00 02 01               # NEXT_HOP
  00 00 00 07 18 cb 00 71            # path id 7, 203.0.113.0/24
`));

/** Deprecated MRT type 5 BGP UPDATE (RFC 6396 §5): 2-octet ASNs, message without its header. */
export const LEGACY_UPDATE = record(T, 5, 1, concatBytes([hex(`
  fd e8 c0 00 02 01               # source AS 65000, source IP 192.0.2.1
  fd e9 c0 00 02 02               # destination AS 65001, destination IP 192.0.2.2
  00 00                           # withdrawn length 0
  00 14                           # attribute length 20
`), ATTRS_AS2, hex(`
  18 c6 33 65                     # NLRI 198.51.101.0/24
`)]));

/** Deprecated type 5 STATE_CHANGE: peer AS, peer IP, old and new state. */
export const LEGACY_STATE = record(T, 5, 3, hex(`
  fd e8 c0 00 02 01 00 03 00 04   # AS 65000, 192.0.2.1, Active -> OpenSent
`));

/** A copy of `rec` with another subtype (same body): for the _LOCAL variants of a vector. */
export function withSubtype(rec: Uint8Array, subtype: number): Uint8Array {
  const b = rec.slice();
  b[6] = subtype >>> 8;
  b[7] = subtype & 0xff;
  return b;
}
