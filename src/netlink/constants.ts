/**
 * rtnetlink numbers, from the kernel's uapi headers: include/uapi/linux/
 * netlink.h, rtnetlink.h, neighbour.h, if_link.h, if_addr.h, nexthop.h and
 * socket.h. Plain `const` objects (no enums) so they inline and tree-shake.
 */

export const NETLINK_ROUTE = 0;

/** Address families (include/linux/socket.h). */
export const AF = { UNSPEC: 0, INET: 2, BRIDGE: 7, INET6: 10 } as const;

/** Socket option levels and names. */
export const SOL_SOCKET = 1;
export const SOL_NETLINK = 270;
export const SO = { SNDBUF: 7, RCVBUF: 8, SNDBUFFORCE: 32, RCVBUFFORCE: 33 } as const;
export const NETLINK_OPT = {
  ADD_MEMBERSHIP: 1,
  DROP_MEMBERSHIP: 2,
  BROADCAST_ERROR: 4,
  NO_ENOBUFS: 5,
  LISTEN_ALL_NSID: 8,
  CAP_ACK: 10,
  EXT_ACK: 11,
  GET_STRICT_CHK: 12,
} as const;

/** nlmsghdr is 16 bytes: len u32, type u16, flags u16, seq u32, pid u32. */
export const NLMSG_HDRLEN = 16;
/** Control message types. */
export const NLMSG = { NOOP: 1, ERROR: 2, DONE: 3, OVERRUN: 4 } as const;

/** nlmsg_flags. GET requests reuse 0x100.. as ROOT/MATCH/ATOMIC, NEW requests as REPLACE/EXCL/CREATE/APPEND. */
export const NLM_F = {
  REQUEST: 0x01,
  MULTI: 0x02,
  ACK: 0x04,
  ECHO: 0x08,
  DUMP_INTR: 0x10,
  DUMP_FILTERED: 0x20,
  ROOT: 0x100,
  MATCH: 0x200,
  ATOMIC: 0x400,
  DUMP: 0x300,
  REPLACE: 0x100,
  EXCL: 0x200,
  CREATE: 0x400,
  APPEND: 0x800,
  NONREC: 0x100,
  BULK: 0x200,
  CAPPED: 0x100,
  ACK_TLVS: 0x200,
} as const;

/** Extended ACK attributes after struct nlmsgerr (enum nlmsgerr_attrs). */
export const NLMSGERR_ATTR = { MSG: 1, OFFS: 2, COOKIE: 3, POLICY: 4, MISS_TYPE: 5, MISS_NEST: 6 } as const;

/** rtnetlink message types (enum in rtnetlink.h). */
export const RTM = {
  NEWLINK: 16,
  DELLINK: 17,
  GETLINK: 18,
  SETLINK: 19,
  NEWADDR: 20,
  DELADDR: 21,
  GETADDR: 22,
  NEWROUTE: 24,
  DELROUTE: 25,
  GETROUTE: 26,
  NEWNEIGH: 28,
  DELNEIGH: 29,
  GETNEIGH: 30,
  NEWNEXTHOP: 104,
  DELNEXTHOP: 105,
  GETNEXTHOP: 106,
} as const;

const rtmNames = new Map<number, string>(Object.entries(RTM).map(([name, value]) => [value, `RTM_${name}`]));
rtmNames.set(NLMSG.NOOP, 'NLMSG_NOOP');
rtmNames.set(NLMSG.ERROR, 'NLMSG_ERROR');
rtmNames.set(NLMSG.DONE, 'NLMSG_DONE');

/** 'RTM_NEWROUTE' for 24, 'type 999' for unknown types. */
export function messageTypeName(type: number): string {
  return rtmNames.get(type) ?? `type ${type}`;
}

/** Route attributes (enum rtattr_type_t). */
export const RTA = {
  DST: 1,
  SRC: 2,
  IIF: 3,
  OIF: 4,
  GATEWAY: 5,
  PRIORITY: 6,
  PREFSRC: 7,
  METRICS: 8,
  MULTIPATH: 9,
  FLOW: 11,
  CACHEINFO: 12,
  TABLE: 15,
  MARK: 16,
  MFC_STATS: 17,
  VIA: 18,
  NEWDST: 19,
  PREF: 20,
  ENCAP_TYPE: 21,
  ENCAP: 22,
  EXPIRES: 23,
  PAD: 24,
  UID: 25,
  TTL_PROPAGATE: 26,
  IP_PROTO: 27,
  SPORT: 28,
  DPORT: 29,
  NH_ID: 30,
} as const;

/** Route types (rtm_type). */
export const RTN = {
  UNSPEC: 0,
  UNICAST: 1,
  LOCAL: 2,
  BROADCAST: 3,
  ANYCAST: 4,
  MULTICAST: 5,
  BLACKHOLE: 6,
  UNREACHABLE: 7,
  PROHIBIT: 8,
  THROW: 9,
  NAT: 10,
} as const;

/** Route origin (rtm_protocol); any value 0..255 is allowed. */
export const RTPROT = {
  UNSPEC: 0,
  REDIRECT: 1,
  KERNEL: 2,
  BOOT: 3,
  STATIC: 4,
  RA: 9,
  DHCP: 16,
  BABEL: 42,
  BGP: 186,
  ISIS: 187,
  OSPF: 188,
  RIP: 189,
  EIGRP: 192,
} as const;

/** Scopes (rtm_scope, ifa_scope, nhm_scope). */
export const RT_SCOPE = { UNIVERSE: 0, SITE: 200, LINK: 253, HOST: 254, NOWHERE: 255 } as const;

/** Reserved table ids. Ids above 255 travel only in RTA_TABLE. */
export const RT_TABLE = { UNSPEC: 0, COMPAT: 252, DEFAULT: 253, MAIN: 254, LOCAL: 255 } as const;

/** rtm_flags / rtnh_flags. */
export const RTNH_F = { DEAD: 1, PERVASIVE: 2, ONLINK: 4, OFFLOAD: 8, LINKDOWN: 16, UNRESOLVED: 32, TRAP: 64 } as const;
export const RTM_F = { NOTIFY: 0x100, CLONED: 0x200, EQUALIZE: 0x400, PREFIX: 0x800, LOOKUP_TABLE: 0x1000, FIB_MATCH: 0x2000 } as const;

/** Nexthop object attributes (include/uapi/linux/nexthop.h). */
export const NHA = {
  ID: 1,
  GROUP: 2,
  GROUP_TYPE: 3,
  BLACKHOLE: 4,
  OIF: 5,
  GATEWAY: 6,
  ENCAP_TYPE: 7,
  ENCAP: 8,
  GROUPS: 9,
  MASTER: 10,
  FDB: 11,
  RES_GROUP: 12,
  RES_BUCKET: 13,
  OP_FLAGS: 14,
} as const;
export const NEXTHOP_GRP_TYPE = { MPATH: 0, RES: 1 } as const;
/** Lightweight tunnel encapsulation types (include/uapi/linux/lwtunnel.h), for NHA_ENCAP_TYPE / RTA_ENCAP_TYPE. */
export const LWTUNNEL_ENCAP = { NONE: 0, MPLS: 1, IP: 2, ILA: 3, IP6: 4, SEG6: 5, BPF: 6, SEG6_LOCAL: 7, RPL: 8, IOAM6: 9, XFRM: 10 } as const;
/** Nested in NHA_ENCAP / RTA_ENCAP for LWTUNNEL_ENCAP_MPLS (include/uapi/linux/mpls_iptunnel.h). */
export const MPLS_IPTUNNEL = { UNSPEC: 0, DST: 1, TTL: 2 } as const;
/** Nested in NHA_RES_GROUP. */
export const NHA_RES_GROUP = { PAD: 0, BUCKETS: 1, IDLE_TIMER: 2, UNBALANCED_TIMER: 3, UNBALANCED_TIME: 4 } as const;

/** Neighbour attributes (include/uapi/linux/neighbour.h). */
export const NDA = {
  DST: 1,
  LLADDR: 2,
  CACHEINFO: 3,
  PROBES: 4,
  VLAN: 5,
  PORT: 6,
  VNI: 7,
  IFINDEX: 8,
  MASTER: 9,
  LINK_NETNSID: 10,
  SRC_VNI: 11,
  PROTOCOL: 12,
  NH_ID: 13,
  FDB_EXT_ATTRS: 14,
  FLAGS_EXT: 15,
} as const;

/** Neighbour states (ndm_state). */
export const NUD = {
  NONE: 0x00,
  INCOMPLETE: 0x01,
  REACHABLE: 0x02,
  STALE: 0x04,
  DELAY: 0x08,
  PROBE: 0x10,
  FAILED: 0x20,
  NOARP: 0x40,
  PERMANENT: 0x80,
} as const;

/** Neighbour flags (ndm_flags). */
export const NTF = {
  USE: 0x01,
  SELF: 0x02,
  MASTER: 0x04,
  PROXY: 0x08,
  EXT_LEARNED: 0x10,
  OFFLOADED: 0x20,
  STICKY: 0x40,
  ROUTER: 0x80,
} as const;

/** Link attributes (include/uapi/linux/if_link.h). */
export const IFLA = {
  ADDRESS: 1,
  BROADCAST: 2,
  IFNAME: 3,
  MTU: 4,
  LINK: 5,
  QDISC: 6,
  STATS: 7,
  MASTER: 10,
  TXQLEN: 13,
  OPERSTATE: 16,
  LINKMODE: 17,
  LINKINFO: 18,
  NET_NS_PID: 19,
  IFALIAS: 20,
  GROUP: 27,
  NET_NS_FD: 28,
  EXT_MASK: 29,
  PROMISCUITY: 30,
  NUM_TX_QUEUES: 31,
  NUM_RX_QUEUES: 32,
  CARRIER: 33,
  LINK_NETNSID: 37,
  NEW_NETNSID: 45,
  TARGET_NETNSID: 46,
  MIN_MTU: 50,
  MAX_MTU: 51,
  ALT_IFNAME: 53,
} as const;
/** Nested in IFLA_LINKINFO. */
export const IFLA_INFO = { KIND: 1, DATA: 2, XSTATS: 3, SLAVE_KIND: 4, SLAVE_DATA: 5 } as const;
export const VETH_INFO_PEER = 1;
/** Nested in IFLA_INFO_DATA for kind 'vxlan'. */
export const IFLA_VXLAN = {
  ID: 1,
  GROUP: 2,
  LINK: 3,
  LOCAL: 4,
  TTL: 5,
  TOS: 6,
  LEARNING: 7,
  AGEING: 8,
  LIMIT: 9,
  PORT_RANGE: 10,
  PROXY: 11,
  RSC: 12,
  L2MISS: 13,
  L3MISS: 14,
  PORT: 15,
  GROUP6: 16,
  LOCAL6: 17,
  COLLECT_METADATA: 25,
} as const;
/** Nested in IFLA_INFO_DATA for kind 'vrf' (include/uapi/linux/if_link.h): the routing table the VRF device binds. */
export const IFLA_VRF_TABLE = 1;
/** Nested in IFLA_INFO_DATA for kind 'macvlan'. */
export const IFLA_MACVLAN_MODE = 1;
export const MACVLAN_MODE = { private: 1, vepa: 2, bridge: 4, passthru: 8, source: 16 } as const;

/** Interface flags (include/uapi/linux/if.h). */
export const IFF = { UP: 0x1, BROADCAST: 0x2, LOOPBACK: 0x8, POINTOPOINT: 0x10, RUNNING: 0x40, NOARP: 0x80, PROMISC: 0x100, LOWER_UP: 0x10000 } as const;

/** Address attributes (include/uapi/linux/if_addr.h). */
export const IFA = {
  ADDRESS: 1,
  LOCAL: 2,
  LABEL: 3,
  BROADCAST: 4,
  ANYCAST: 5,
  CACHEINFO: 6,
  MULTICAST: 7,
  FLAGS: 8,
  RT_PRIORITY: 9,
  TARGET_NETNSID: 10,
  PROTO: 11,
} as const;
export const IFA_F = {
  SECONDARY: 0x01,
  NODAD: 0x02,
  OPTIMISTIC: 0x04,
  DADFAILED: 0x08,
  HOMEADDRESS: 0x10,
  DEPRECATED: 0x20,
  TENTATIVE: 0x40,
  PERMANENT: 0x80,
  MANAGETEMPADDR: 0x100,
  NOPREFIXROUTE: 0x200,
  MCAUTOJOIN: 0x400,
  STABLE_PRIVACY: 0x800,
} as const;

/** Multicast groups (enum rtnetlink_groups). Groups >= 32 need NETLINK_ADD_MEMBERSHIP. */
export const RTNLGRP = {
  LINK: 1,
  NOTIFY: 2,
  NEIGH: 3,
  TC: 4,
  IPV4_IFADDR: 5,
  IPV4_MROUTE: 6,
  IPV4_ROUTE: 7,
  IPV4_RULE: 8,
  IPV6_IFADDR: 9,
  IPV6_MROUTE: 10,
  IPV6_ROUTE: 11,
  IPV6_IFINFO: 12,
  IPV6_PREFIX: 18,
  IPV6_RULE: 19,
  ND_USEROPT: 20,
  NEXTHOP: 32,
} as const;
