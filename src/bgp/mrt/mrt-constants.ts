/**
 * Numbers of the MRT format: RFC 6396 §4 (types and subtypes), RFC 8050 §3
 * (ADD-PATH subtypes) and the deprecated types of RFC 6396 §5 that old RIPE RIS
 * archives still carry.
 */

/** RFC 6396 §4 MRT types (+ §5 deprecated `BGP`, type 5). */
export const MrtType = {
  /** Deprecated (RFC 6396 §5): the original MRT BGP record of 1999/2000 RIS archives. */
  BGP: 5,
  OSPFV2: 11,
  TABLE_DUMP: 12,
  TABLE_DUMP_V2: 13,
  BGP4MP: 16,
  BGP4MP_ET: 17,
  ISIS: 32,
  ISIS_ET: 33,
  OSPFV3: 48,
  OSPFV3_ET: 49,
} as const;
export type MrtType = (typeof MrtType)[keyof typeof MrtType];

/** RFC 6396 §4.2 TABLE_DUMP subtypes: the AFI of the entry. */
export const TableDumpSubtype = { AFI_IPV4: 1, AFI_IPV6: 2 } as const;

/** RFC 6396 §4.3 TABLE_DUMP_V2 subtypes, RFC 6397 GEO_PEER_TABLE, RFC 8050 §3 ADD-PATH variants. */
export const TableDumpV2Subtype = {
  PEER_INDEX_TABLE: 1,
  RIB_IPV4_UNICAST: 2,
  RIB_IPV4_MULTICAST: 3,
  RIB_IPV6_UNICAST: 4,
  RIB_IPV6_MULTICAST: 5,
  RIB_GENERIC: 6,
  GEO_PEER_TABLE: 7,
  RIB_IPV4_UNICAST_ADDPATH: 8,
  RIB_IPV4_MULTICAST_ADDPATH: 9,
  RIB_IPV6_UNICAST_ADDPATH: 10,
  RIB_IPV6_MULTICAST_ADDPATH: 11,
  RIB_GENERIC_ADDPATH: 12,
} as const;

/** RFC 6396 §4.4 BGP4MP / BGP4MP_ET subtypes and the RFC 8050 §3 ADD-PATH variants. */
export const Bgp4mpSubtype = {
  STATE_CHANGE: 0,
  MESSAGE: 1,
  /** Deprecated (RFC 6396 §5). */
  ENTRY: 2,
  /** Deprecated (RFC 6396 §5). */
  SNAPSHOT: 3,
  MESSAGE_AS4: 4,
  STATE_CHANGE_AS4: 5,
  MESSAGE_LOCAL: 6,
  MESSAGE_AS4_LOCAL: 7,
  MESSAGE_ADDPATH: 8,
  MESSAGE_AS4_ADDPATH: 9,
  MESSAGE_LOCAL_ADDPATH: 10,
  MESSAGE_AS4_LOCAL_ADDPATH: 11,
} as const;

/** Subtypes of the deprecated MRT `BGP` type (5), from the MRT draft RFC 6396 §5 refers to. */
export const LegacyBgpSubtype = {
  NULL: 0,
  UPDATE: 1,
  PREF_UPDATE: 2,
  STATE_CHANGE: 3,
  SYNC: 4,
  OPEN: 5,
  NOTIFY: 6,
  KEEPALIVE: 7,
} as const;

/** RFC 6396 §4.3.1 peer type bits of a PEER_INDEX_TABLE entry. */
export const PeerTypeFlag = { IPV6: 0x01, AS4: 0x02 } as const;

/** RFC 6396 §2: the common header is 12 octets; §3 adds a 4-octet microsecond field for _ET types. */
export const MRT_HEADER_LENGTH = 12;
export const MRT_ET_EXTRA_LENGTH = 4;

/**
 * The largest record body fibwire accepts by default. RFC 6396 allows 2^32-1,
 * but a real record is a BGP message (≤ 65535 + a few dozen octets) or a RIB
 * entry set for one prefix; a huge length is almost always damaged framing, and
 * trusting it would buffer the whole rest of the file. 16 MiB covers every
 * known real RIB record with a wide margin.
 */
export const DEFAULT_MAX_RECORD_LENGTH = 16 * 1024 * 1024;

/** BGP FSM states as numbered in RFC 6396 §4.4.1 (+ Quagga's 7 Clearing and 8 Deleted). */
export const BGP_FSM_STATE_NAMES: Readonly<Record<number, string>> = {
  1: 'Idle',
  2: 'Connect',
  3: 'Active',
  4: 'OpenSent',
  5: 'OpenConfirm',
  6: 'Established',
  7: 'Clearing',
  8: 'Deleted',
};

/** True for the MRT types whose header carries the §3 microsecond timestamp. */
export function isExtendedTimestampType(type: number): boolean {
  return type === MrtType.BGP4MP_ET || type === MrtType.ISIS_ET || type === MrtType.OSPFV3_ET;
}
