import { AF, NDA, NTF, NUD } from '../constants.js';
import { attrBe16, attrU16, attrU32, readAttributes } from '../codec/attributes.js';
import { decodeNdMsg, encodeNdMsg, NDMSG_SIZE } from '../codec/ndmsg.js';
import type { MessageWriter } from '../codec/writer.js';
import { NetlinkArgumentError } from '../errors.js';
import type { IpFamily } from '../ip.js';
import { formatIp, formatMac, parseIp, parseMac } from '../ip.js';
import { checkU32 } from './route-names.js';

/** NUD states by name (include/uapi/linux/neighbour.h). */
export type NudStateName = Lowercase<keyof typeof NUD>;

export function nudStateNumber(state: NudStateName | number, field = 'state'): number {
  if (typeof state === 'number') {
    if (!Number.isInteger(state) || state < 0 || state > 0xffff) throw new NetlinkArgumentError(field, `${state} outside 0..65535`);
    return state;
  }
  const value = NUD[state.toUpperCase() as keyof typeof NUD];
  if (value === undefined) throw new NetlinkArgumentError(field, `unknown NUD state ${JSON.stringify(state)}`);
  return value;
}

/** Names of the NUD bits set in a state ('reachable', 'permanent', ...; 'none' for 0). */
export function nudStateNames(state: number): NudStateName[] {
  if (state === 0) return ['none'];
  return (Object.entries(NUD) as [keyof typeof NUD, number][])
    .filter(([, bit]) => bit !== 0 && (state & bit) !== 0)
    .map(([name]) => name.toLowerCase() as NudStateName);
}

/** An IPv4/IPv6 neighbour (ARP / ND entry). */
export interface NeighborSpec {
  address: string;
  index: number;
  lladdr?: string;
  /** Default 'permanent'. */
  state?: NudStateName | number;
  router?: boolean;
  proxy?: boolean;
  extLearned?: boolean;
  /** Further NTF_* bits. */
  flags?: number;
  protocol?: number;
}

/**
 * A neighbour message as the kernel sent it: an IP neighbour from the
 * neighbour table (net/core/neighbour.c, neigh_fill_info), or a message in
 * the VXLAN/bridge FDB layout. The latter are AF_BRIDGE entries and the
 * RTM_GETNEIGH requests of a VXLAN device created with l2miss / l3miss
 * (vxlan_fdb_miss / vxlan_ip_miss → vxlan_fdb_info in
 * drivers/net/vxlan/vxlan_core.c). Those requests do NOT say AF_BRIDGE:
 * vxlan_fdb_info puts the asked IP's family in ndm_family, or AF_INET when
 * there is no IP (an l2miss). What tells them apart exactly is NDA_PROBES,
 * which neigh_fill_info always sends and vxlan_fdb_info never does; such a
 * message gets `bridge`, its FDB reading.
 */
export interface NeighborEntry {
  /** Raw ndm_family: 2 AF_INET, 10 AF_INET6, 7 AF_BRIDGE. */
  ndmFamily: number;
  /**
   * IP family of `address` (NDA_DST, by its length; ndm_family when the
   * attribute is malformed); undefined when there is no NDA_DST (a VXLAN
   * l2miss asks about a MAC only, even though its ndm_family says AF_INET).
   */
  family: IpFamily | undefined;
  /** NDA_DST as text ('' when absent). For a VXLAN l3miss: the IP asked about. */
  address: string;
  index: number;
  state: number;
  states: NudStateName[];
  flags: number;
  router: boolean;
  lladdr?: string;
  probes?: number;
  /**
   * FDB-layout messages only (ndm_family AF_BRIDGE, or no NDA_PROBES: a VXLAN
   * l2miss/l3miss request): the message read as an FDB entry (NDA_LLADDR the
   * MAC, NDA_DST the remote VTEP or, in an l3miss, the IP asked about, NDA_VNI,
   * NDA_PORT, ...). Undefined for neighbour-table entries.
   */
  bridge?: FdbEntry;
}

/** A bridge or VXLAN forwarding database entry (AF_BRIDGE neighbour). */
export interface FdbSpec {
  lladdr: string;
  /** The port: a VXLAN device or a bridge port. */
  index: number;
  /** NTF_MASTER: the entry lives in the bridge's FDB. */
  master?: boolean;
  /** NTF_SELF: the entry lives in the device's own FDB (VXLAN). Default: true unless master. */
  self?: boolean;
  /** NDA_DST: remote VTEP. */
  dst?: string;
  /** NDA_VNI. */
  vni?: number;
  /** NDA_PORT: remote UDP port. */
  port?: number;
  /** NDA_VLAN. */
  vlan?: number;
  /** NDA_NH_ID: an FDB nexthop (group). */
  nhid?: number;
  /** Default 'permanent'. */
  state?: NudStateName | number;
  sticky?: boolean;
  extLearned?: boolean;
}

export interface FdbEntry {
  lladdr: string;
  index: number;
  state: number;
  flags: number;
  self: boolean;
  master?: number;
  dst?: string;
  vni?: number;
  port?: number;
  vlan?: number;
  nhid?: number;
}

function neighborFlags(spec: { router?: boolean; proxy?: boolean; extLearned?: boolean; flags?: number }): number {
  let flags = spec.flags ?? 0;
  if (spec.router === true) flags |= NTF.ROUTER;
  if (spec.proxy === true) flags |= NTF.PROXY;
  if (spec.extLearned === true) flags |= NTF.EXT_LEARNED;
  if (flags > 0xff) throw new NetlinkArgumentError('flags', `${flags} does not fit ndm_flags (8 bits)`);
  return flags;
}

/** RTM_NEWNEIGH / RTM_DELNEIGH body for an IP neighbour. */
export function encodeNeighborBody(w: MessageWriter, spec: NeighborSpec, forDelete = false): void {
  const ip = parseIp(spec.address, 'address');
  encodeNdMsg(w, {
    family: ip.family === 4 ? AF.INET : AF.INET6,
    ifindex: checkU32(spec.index, 'index', 1),
    state: forDelete ? 0 : nudStateNumber(spec.state ?? 'permanent'),
    flags: neighborFlags(spec),
    type: 0,
  });
  w.attrBytes(NDA.DST, ip.bytes);
  if (spec.lladdr !== undefined && !forDelete) w.attrBytes(NDA.LLADDR, parseMac(spec.lladdr, 'lladdr'));
  if (spec.protocol !== undefined && !forDelete) w.attrU8(NDA.PROTOCOL, spec.protocol);
}

/** The IP family of an NDA_DST by its length (an AF_BRIDGE message carries either). */
function familyOfAddress(bytes: Buffer | undefined): IpFamily | undefined {
  if (bytes === undefined) return undefined;
  if (bytes.length === 4) return 4;
  if (bytes.length === 16) return 6;
  return undefined;
}

export function decodeNeighbor(buf: Buffer, start: number, end: number): NeighborEntry {
  const nd = decodeNdMsg(buf, start);
  const attrs = readAttributes(buf, start + NDMSG_SIZE, end);
  const dst = attrs[NDA.DST];
  let family = familyOfAddress(dst);
  if (family === undefined && dst !== undefined) family = nd.family === AF.INET6 ? 6 : nd.family === AF.INET ? 4 : undefined;
  const entry: NeighborEntry = {
    ndmFamily: nd.family,
    family,
    address: dst === undefined ? '' : formatIp(dst),
    index: nd.ifindex,
    state: nd.state,
    states: nudStateNames(nd.state),
    flags: nd.flags,
    router: (nd.flags & NTF.ROUTER) !== 0,
  };
  const lladdr = attrs[NDA.LLADDR];
  if (lladdr !== undefined) entry.lladdr = formatMac(lladdr);
  const probes = attrU32(attrs[NDA.PROBES]);
  if (probes !== undefined) entry.probes = probes;
  if (nd.family === AF.BRIDGE || attrs[NDA.PROBES] === undefined) entry.bridge = decodeFdb(buf, start, end);
  return entry;
}

/** RTM_NEWNEIGH / RTM_DELNEIGH body for an FDB entry (family AF_BRIDGE). */
export function encodeFdbBody(w: MessageWriter, spec: FdbSpec, forDelete = false): void {
  let flags = 0;
  if (spec.master === true) flags |= NTF.MASTER;
  if (spec.self ?? spec.master !== true) flags |= NTF.SELF;
  if (spec.sticky === true) flags |= NTF.STICKY;
  if (spec.extLearned === true) flags |= NTF.EXT_LEARNED;
  encodeNdMsg(w, {
    family: AF.BRIDGE,
    ifindex: checkU32(spec.index, 'index', 1),
    state: forDelete ? 0 : nudStateNumber(spec.state ?? 'permanent'),
    flags,
    type: 0,
  });
  w.attrBytes(NDA.LLADDR, parseMac(spec.lladdr, 'lladdr'));
  if (spec.dst !== undefined) w.attrBytes(NDA.DST, parseIp(spec.dst, 'dst').bytes);
  if (spec.vni !== undefined) {
    const vni = checkU32(spec.vni, 'vni');
    if (vni > 0xffffff) throw new NetlinkArgumentError('vni', `${vni} is more than 24 bits`);
    w.attrU32(NDA.VNI, vni);
  }
  if (spec.port !== undefined) {
    if (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 0xffff) throw new NetlinkArgumentError('port', `${spec.port} outside 1..65535`);
    w.attrBe16(NDA.PORT, spec.port);
  }
  if (spec.vlan !== undefined) {
    if (!Number.isInteger(spec.vlan) || spec.vlan < 1 || spec.vlan > 4094) throw new NetlinkArgumentError('vlan', `${spec.vlan} outside 1..4094`);
    w.attrU16(NDA.VLAN, spec.vlan);
  }
  if (spec.nhid !== undefined) w.attrU32(NDA.NH_ID, checkU32(spec.nhid, 'nhid', 1));
}

export function decodeFdb(buf: Buffer, start: number, end: number): FdbEntry {
  const nd = decodeNdMsg(buf, start);
  const attrs = readAttributes(buf, start + NDMSG_SIZE, end);
  const lladdr = attrs[NDA.LLADDR];
  const entry: FdbEntry = {
    lladdr: lladdr === undefined ? '' : formatMac(lladdr),
    index: nd.ifindex,
    state: nd.state,
    flags: nd.flags,
    self: (nd.flags & NTF.SELF) !== 0,
  };
  const master = attrU32(attrs[NDA.MASTER]);
  if (master !== undefined) entry.master = master;
  const dst = attrs[NDA.DST];
  if (dst !== undefined) entry.dst = formatIp(dst);
  const vni = attrU32(attrs[NDA.VNI]);
  // VXLAN_N_VID (1 << 24) is the kernel's "no VNI" marker (vxlan_ip_miss), never a real 24-bit VNI.
  if (vni !== undefined && vni <= 0xffffff) entry.vni = vni;
  const port = attrBe16(attrs[NDA.PORT]);
  if (port !== undefined) entry.port = port;
  const vlan = attrU16(attrs[NDA.VLAN]);
  if (vlan !== undefined) entry.vlan = vlan;
  const nhid = attrU32(attrs[NDA.NH_ID]);
  if (nhid !== undefined) entry.nhid = nhid;
  return entry;
}
