/**
 * Numbers from the IANA BGP registries that the codecs share.
 * Each table cites the RFC that defines it.
 */

/** RFC 4271 §4.1: the 16-octet all-ones marker, header length, size limits. */
export const BGP_MARKER_LENGTH = 16;
export const BGP_HEADER_LENGTH = 19;
/** RFC 4271 §4.1: the largest message without Extended Message. */
export const BGP_MAX_MESSAGE_LENGTH = 4096;
/** RFC 8654 §3: the largest message once Extended Message is negotiated. */
export const BGP_EXTENDED_MAX_MESSAGE_LENGTH = 65535;

/** RFC 4271 §4.1 message types (+ RFC 2918 ROUTE-REFRESH). */
export const MessageType = {
  OPEN: 1,
  UPDATE: 2,
  NOTIFICATION: 3,
  KEEPALIVE: 4,
  ROUTE_REFRESH: 5,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Address Family Identifiers (IANA "Address Family Numbers"). */
export const Afi = {
  IPV4: 1,
  IPV6: 2,
  L2VPN: 25,
  BGP_LS: 16388,
} as const;
export type Afi = (typeof Afi)[keyof typeof Afi];

/** Subsequent Address Family Identifiers (IANA "SAFI Values"). */
export const Safi = {
  UNICAST: 1,
  MULTICAST: 2,
  MPLS_LABEL: 4,
  VPLS: 65,
  EVPN: 70,
  BGP_LS: 71,
  SR_POLICY: 73,
  MPLS_VPN: 128,
  ROUTE_TARGET: 132,
  FLOWSPEC: 133,
  FLOWSPEC_VPN: 134,
} as const;
export type Safi = (typeof Safi)[keyof typeof Safi];

/** RFC 4271 §4.3 attribute flag bits (high-order octet of the attribute type). */
export const AttrFlag = {
  OPTIONAL: 0x80,
  TRANSITIVE: 0x40,
  PARTIAL: 0x20,
  EXTENDED_LENGTH: 0x10,
} as const;

/** Path attribute type codes (IANA "BGP Path Attributes"). */
export const AttrType = {
  ORIGIN: 1,
  AS_PATH: 2,
  NEXT_HOP: 3,
  MULTI_EXIT_DISC: 4,
  LOCAL_PREF: 5,
  ATOMIC_AGGREGATE: 6,
  AGGREGATOR: 7,
  COMMUNITIES: 8,
  ORIGINATOR_ID: 9,
  CLUSTER_LIST: 10,
  MP_REACH_NLRI: 14,
  MP_UNREACH_NLRI: 15,
  EXTENDED_COMMUNITIES: 16,
  AS4_PATH: 17,
  AS4_AGGREGATOR: 18,
  PMSI_TUNNEL: 22,
  TUNNEL_ENCAPSULATION: 23,
  AIGP: 26,
  IPV6_EXTENDED_COMMUNITIES: 25,
  LARGE_COMMUNITY: 32,
  BGP_LS: 29,
  OTC: 35,
  BGP_PREFIX_SID: 40,
  ATTR_SET: 128,
} as const;
export type AttrType = (typeof AttrType)[keyof typeof AttrType];

/** ORIGIN values, RFC 4271 §4.3 (a). */
export const Origin = { IGP: 0, EGP: 1, INCOMPLETE: 2 } as const;
export type Origin = (typeof Origin)[keyof typeof Origin];

/** AS_PATH segment types: RFC 4271 §4.3 (b) and RFC 5065 §3 (confederations). */
export const AsPathSegmentType = {
  AS_SET: 1,
  AS_SEQUENCE: 2,
  AS_CONFED_SEQUENCE: 3,
  AS_CONFED_SET: 4,
} as const;
export type AsPathSegmentType = (typeof AsPathSegmentType)[keyof typeof AsPathSegmentType];

/** RFC 6793 §9: the 2-octet placeholder for a 4-octet AS number. */
export const AS_TRANS = 23456;

/** Capability codes (IANA "Capability Codes"). */
export const CapabilityCode = {
  MULTIPROTOCOL: 1,
  ROUTE_REFRESH: 2,
  OUTBOUND_ROUTE_FILTERING: 3,
  EXTENDED_NEXT_HOP: 5,
  EXTENDED_MESSAGE: 6,
  BGPSEC: 7,
  MULTIPLE_LABELS: 8,
  BGP_ROLE: 9,
  GRACEFUL_RESTART: 64,
  FOUR_OCTET_AS: 65,
  ADD_PATH: 69,
  ENHANCED_ROUTE_REFRESH: 70,
  LONG_LIVED_GRACEFUL_RESTART: 71,
  FQDN: 73,
  SOFTWARE_VERSION: 75,
  ROUTE_REFRESH_CISCO: 128,
} as const;
export type CapabilityCode = (typeof CapabilityCode)[keyof typeof CapabilityCode];

/** RFC 4271 §4.2: optional parameter types (2 = Capabilities, RFC 5492). */
export const OptionalParameterType = { AUTHENTICATION: 1, CAPABILITIES: 2, EXTENDED_LENGTH: 255 } as const;

/** NOTIFICATION error codes, RFC 4271 §4.5 (+ RFC 4486, RFC 7313). */
export const NotificationCode = {
  MESSAGE_HEADER: 1,
  OPEN_MESSAGE: 2,
  UPDATE_MESSAGE: 3,
  HOLD_TIMER_EXPIRED: 4,
  FSM: 5,
  CEASE: 6,
  ROUTE_REFRESH_MESSAGE: 7,
} as const;
export type NotificationCode = (typeof NotificationCode)[keyof typeof NotificationCode];

/** Message Header Error subcodes, RFC 4271 §6.1. */
export const HeaderSubcode = {
  CONNECTION_NOT_SYNCHRONIZED: 1,
  BAD_MESSAGE_LENGTH: 2,
  BAD_MESSAGE_TYPE: 3,
} as const;

/** OPEN Message Error subcodes, RFC 4271 §6.2, RFC 5492, RFC 9234. */
export const OpenSubcode = {
  UNSUPPORTED_VERSION_NUMBER: 1,
  BAD_PEER_AS: 2,
  BAD_BGP_IDENTIFIER: 3,
  UNSUPPORTED_OPTIONAL_PARAMETER: 4,
  UNACCEPTABLE_HOLD_TIME: 6,
  UNSUPPORTED_CAPABILITY: 7,
  ROLE_MISMATCH: 11,
} as const;

/** UPDATE Message Error subcodes, RFC 4271 §6.3. */
export const UpdateSubcode = {
  MALFORMED_ATTRIBUTE_LIST: 1,
  UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE: 2,
  MISSING_WELL_KNOWN_ATTRIBUTE: 3,
  ATTRIBUTE_FLAGS_ERROR: 4,
  ATTRIBUTE_LENGTH_ERROR: 5,
  INVALID_ORIGIN_ATTRIBUTE: 6,
  INVALID_NEXT_HOP_ATTRIBUTE: 8,
  OPTIONAL_ATTRIBUTE_ERROR: 9,
  INVALID_NETWORK_FIELD: 10,
  MALFORMED_AS_PATH: 11,
} as const;

/** Finite State Machine Error subcodes, RFC 6608. */
export const FsmSubcode = {
  UNSPECIFIED: 0,
  UNEXPECTED_MESSAGE_IN_OPENSENT: 1,
  UNEXPECTED_MESSAGE_IN_OPENCONFIRM: 2,
  UNEXPECTED_MESSAGE_IN_ESTABLISHED: 3,
} as const;

/** Cease subcodes, RFC 4486 (+ RFC 8538 hard reset, RFC 9384 BFD down). */
export const CeaseSubcode = {
  MAXIMUM_PREFIXES_REACHED: 1,
  ADMINISTRATIVE_SHUTDOWN: 2,
  PEER_DECONFIGURED: 3,
  ADMINISTRATIVE_RESET: 4,
  CONNECTION_REJECTED: 5,
  OTHER_CONFIGURATION_CHANGE: 6,
  CONNECTION_COLLISION_RESOLUTION: 7,
  OUT_OF_RESOURCES: 8,
  HARD_RESET: 9,
  BFD_DOWN: 10,
} as const;

/** ROUTE-REFRESH Message Error subcodes, RFC 7313 §5. */
export const RouteRefreshSubcode = { INVALID_MESSAGE_LENGTH: 1 } as const;

/** ROUTE-REFRESH message subtypes, RFC 7313 §4 (the "Reserved" octet of RFC 2918). */
export const RouteRefreshSubtype = { NORMAL: 0, BORR: 1, EORR: 2 } as const;

/** RFC 1997 and IANA well-known communities, by value. */
export const WellKnownCommunity = {
  GRACEFUL_SHUTDOWN: 0xffff0000,
  ACCEPT_OWN: 0xffff0001,
  ROUTE_FILTER_TRANSLATED_V4: 0xffff0002,
  ROUTE_FILTER_V4: 0xffff0003,
  ROUTE_FILTER_TRANSLATED_V6: 0xffff0004,
  ROUTE_FILTER_V6: 0xffff0005,
  LLGR_STALE: 0xffff0006,
  NO_LLGR: 0xffff0007,
  ACCEPT_OWN_NEXTHOP: 0xffff0008,
  STANDBY_PE: 0xffff0009,
  BLACKHOLE: 0xffff029a,
  NO_EXPORT: 0xffffff01,
  NO_ADVERTISE: 0xffffff02,
  NO_EXPORT_SUBCONFED: 0xffffff03,
  NOPEER: 0xffffff04,
} as const;
