import { AF, IFF, IFLA, IFLA_INFO, IFLA_MACVLAN_MODE, IFLA_VRF_TABLE, IFLA_VXLAN, MACVLAN_MODE, VETH_INFO_PEER } from '../constants.js';
import { attrBe16, attrString, attrU32, attrU8, readAttributes, readI32 } from '../codec/attributes.js';
import { decodeIfInfoMsg, encodeIfInfoMsg, IFINFOMSG_SIZE } from '../codec/ifinfomsg.js';
import type { MessageWriter } from '../codec/writer.js';
import { NetlinkArgumentError } from '../errors.js';
import { formatIp, formatMac, parseIp, parseMac } from '../ip.js';
import { checkU32 } from './route-names.js';

/** Attributes every link kind accepts when created or changed. */
export interface LinkCommon {
  mtu?: number;
  /** MAC address aa:bb:cc:dd:ee:ff. */
  address?: string;
  /** ifindex of a bridge to enslave to (0 releases). */
  master?: number;
  up?: boolean;
}

export interface VethSpec extends LinkCommon {
  kind: 'veth';
  name: string;
  peer: { name: string; /** An fd from NetnsFd: the peer is created there. */ netnsFd?: number };
}
export interface BridgeSpec extends LinkCommon {
  kind: 'bridge';
  name: string;
}
export interface VxlanSpec extends LinkCommon {
  kind: 'vxlan';
  name: string;
  vni: number;
  local?: string;
  /** Multicast group or single remote VTEP. */
  remote?: string;
  /** UDP destination port (default 4789, the IANA port). */
  port?: number;
  /** Underlay device ifindex. */
  dev?: number;
  /**
   * IFLA_VXLAN_LEARNING: learn remote MACs from received packets. The kernel
   * turns learning ON for a new device when the attribute is absent
   * (drivers/net/vxlan/vxlan_core.c, vxlan_nl2conf), so `false` is always
   * written as an explicit 0.
   */
  learning?: boolean;
  /** IFLA_VXLAN_PROXY: answer ARP/ND from the neighbour table (ip(8) `proxy`). */
  proxy?: boolean;
  /** IFLA_VXLAN_L2MISS: ask user space (RTM_GETNEIGH, AF_BRIDGE) for a missing FDB entry. */
  l2miss?: boolean;
  /** IFLA_VXLAN_L3MISS: ask user space (RTM_GETNEIGH, AF_INET/AF_INET6) for a missing neighbour. */
  l3miss?: boolean;
  ttl?: number;
}
export interface MacvlanSpec extends LinkCommon {
  kind: 'macvlan';
  name: string;
  /** Parent device ifindex (IFLA_LINK). */
  link: number;
  mode?: keyof typeof MACVLAN_MODE;
}
/**
 * An L3 master device (drivers/net/vrf.c): its routes live in `table`. Needs
 * a kernel with CONFIG_NET_VRF (otherwise EOPNOTSUPP, "Unknown device type").
 */
export interface VrfSpec extends LinkCommon {
  kind: 'vrf';
  name: string;
  /** IFLA_VRF_TABLE: any table id but 0 (the kernel refuses RT_TABLE_UNSPEC). */
  table: number;
}
/** A link to create. */
export type LinkCreateSpec = VethSpec | BridgeSpec | VxlanSpec | MacvlanSpec | VrfSpec;

/** Changes to an existing link. */
export interface LinkChange extends LinkCommon {
  name?: string;
  /** From NetnsFd: move the link into that namespace. */
  netnsFd?: number;
}

/** A link as the kernel reports it. */
export interface LinkEntry {
  /**
   * ifi_family: 0 (AF_UNSPEC) for the link itself; 7 (AF_BRIDGE) for the
   * bridge's per-port notifications (br_ifinfo_notify, net/bridge/br_netlink.c),
   * which are not link changes: a port leaving its bridge sends an AF_BRIDGE
   * RTM_DELLINK while the link lives on.
   */
  family: number;
  index: number;
  name: string;
  /** ARPHRD_* (1 ether, 772 loopback). */
  type: number;
  flags: number;
  up: boolean;
  lowerUp: boolean;
  mtu?: number;
  address?: string;
  master?: number;
  /** IFLA_LINK: parent (macvlan) or peer (veth) ifindex. */
  link?: number;
  linkNetnsId?: number;
  kind?: string;
  slaveKind?: string;
  operstate?: number;
  /** IFLA_VRF_TABLE of a kind 'vrf' link: the table its routes live in. */
  vrfTable?: number;
  vxlan?: {
    vni?: number;
    local?: string;
    remote?: string;
    port?: number;
    dev?: number;
    learning?: boolean;
    proxy?: boolean;
    l2miss?: boolean;
    l3miss?: boolean;
  };
}

function checkName(name: string, field: string): string {
  // IFNAMSIZ is 16 including the NUL; '/' and whitespace are refused by dev_valid_name.
  if (name.length === 0 || Buffer.byteLength(name) > 15 || /[\s/:]/.test(name) || name === '.' || name === '..') {
    throw new NetlinkArgumentError(field, `not a valid interface name: ${JSON.stringify(name)}`);
  }
  return name;
}

function writeCommon(w: MessageWriter, spec: LinkCommon): void {
  if (spec.mtu !== undefined) w.attrU32(IFLA.MTU, checkU32(spec.mtu, 'mtu', 68));
  if (spec.address !== undefined) w.attrBytes(IFLA.ADDRESS, parseMac(spec.address, 'address'));
  if (spec.master !== undefined) w.attrU32(IFLA.MASTER, checkU32(spec.master, 'master'));
}

function upFlags(up: boolean | undefined): { flags: number; change: number } {
  if (up === undefined) return { flags: 0, change: 0 };
  return { flags: up ? IFF.UP : 0, change: IFF.UP };
}

/** RTM_NEWLINK (create) body: ifinfomsg, IFLA_IFNAME, common attributes, IFLA_LINKINFO. */
export function encodeLinkCreateBody(w: MessageWriter, spec: LinkCreateSpec): void {
  const { flags, change } = upFlags(spec.up);
  encodeIfInfoMsg(w, { family: AF.UNSPEC, type: 0, index: 0, flags, change });
  w.attrString(IFLA.IFNAME, checkName(spec.name, 'name'));
  writeCommon(w, spec);
  if (spec.kind === 'macvlan') w.attrU32(IFLA.LINK, checkU32(spec.link, 'link', 1));
  const info = w.beginNested(IFLA.LINKINFO);
  w.attrString(IFLA_INFO.KIND, spec.kind);
  switch (spec.kind) {
    case 'veth': {
      const data = w.beginNested(IFLA_INFO.DATA);
      // VETH_INFO_PEER holds a struct ifinfomsg followed by the peer's attributes.
      const peer = w.beginNested(VETH_INFO_PEER, false);
      encodeIfInfoMsg(w, { family: AF.UNSPEC, type: 0, index: 0, flags: 0, change: 0 });
      w.attrString(IFLA.IFNAME, checkName(spec.peer.name, 'peer.name'));
      if (spec.peer.netnsFd !== undefined) w.attrU32(IFLA.NET_NS_FD, spec.peer.netnsFd);
      w.endNested(peer);
      w.endNested(data);
      break;
    }
    case 'vxlan': {
      const data = w.beginNested(IFLA_INFO.DATA);
      const vni = checkU32(spec.vni, 'vni');
      if (vni > 0xffffff) throw new NetlinkArgumentError('vni', `${vni} is more than 24 bits`);
      w.attrU32(IFLA_VXLAN.ID, vni);
      if (spec.local !== undefined) {
        const local = parseIp(spec.local, 'local');
        w.attrBytes(local.family === 4 ? IFLA_VXLAN.LOCAL : IFLA_VXLAN.LOCAL6, local.bytes);
      }
      if (spec.remote !== undefined) {
        const remote = parseIp(spec.remote, 'remote');
        w.attrBytes(remote.family === 4 ? IFLA_VXLAN.GROUP : IFLA_VXLAN.GROUP6, remote.bytes);
      }
      if (spec.dev !== undefined) w.attrU32(IFLA_VXLAN.LINK, checkU32(spec.dev, 'dev', 1));
      const port = spec.port ?? 4789;
      if (!Number.isInteger(port) || port < 1 || port > 0xffff) throw new NetlinkArgumentError('port', `${port} outside 1..65535`);
      w.attrBe16(IFLA_VXLAN.PORT, port);
      if (spec.learning !== undefined) w.attrU8(IFLA_VXLAN.LEARNING, spec.learning ? 1 : 0);
      if (spec.proxy !== undefined) w.attrU8(IFLA_VXLAN.PROXY, spec.proxy ? 1 : 0);
      if (spec.l2miss !== undefined) w.attrU8(IFLA_VXLAN.L2MISS, spec.l2miss ? 1 : 0);
      if (spec.l3miss !== undefined) w.attrU8(IFLA_VXLAN.L3MISS, spec.l3miss ? 1 : 0);
      if (spec.ttl !== undefined) w.attrU8(IFLA_VXLAN.TTL, spec.ttl);
      w.endNested(data);
      break;
    }
    case 'macvlan': {
      const data = w.beginNested(IFLA_INFO.DATA);
      const mode = MACVLAN_MODE[spec.mode ?? 'bridge'];
      if (mode === undefined) throw new NetlinkArgumentError('mode', `unknown macvlan mode ${JSON.stringify(spec.mode)}`);
      w.attrU32(IFLA_MACVLAN_MODE, mode);
      w.endNested(data);
      break;
    }
    case 'vrf': {
      const data = w.beginNested(IFLA_INFO.DATA);
      w.attrU32(IFLA_VRF_TABLE, checkU32(spec.table, 'table', 1));
      w.endNested(data);
      break;
    }
    case 'bridge':
      break;
    default: {
      const never: never = spec;
      throw new NetlinkArgumentError('kind', `unsupported link kind ${JSON.stringify((never as { kind: string }).kind)}`);
    }
  }
  w.endNested(info);
}

/** Names or indexes a link: ifinfomsg with the index, or IFLA_IFNAME with index 0. */
export function encodeLinkRef(w: MessageWriter, link: number | string, flags = 0, change = 0): void {
  if (typeof link === 'number') {
    encodeIfInfoMsg(w, { family: AF.UNSPEC, type: 0, index: checkU32(link, 'link', 1), flags, change });
  } else {
    encodeIfInfoMsg(w, { family: AF.UNSPEC, type: 0, index: 0, flags, change });
    w.attrString(IFLA.IFNAME, checkName(link, 'link'));
  }
}

/** RTM_NEWLINK (change) body. */
export function encodeLinkChangeBody(w: MessageWriter, link: number | string, change: LinkChange): void {
  const up = upFlags(change.up);
  if (typeof link === 'string' && change.name !== undefined) {
    throw new NetlinkArgumentError('name', 'renaming needs the link by index');
  }
  encodeLinkRef(w, link, up.flags, up.change);
  if (change.name !== undefined) w.attrString(IFLA.IFNAME, checkName(change.name, 'name'));
  writeCommon(w, change);
  if (change.netnsFd !== undefined) w.attrU32(IFLA.NET_NS_FD, change.netnsFd);
}

/** Decodes one RTM_NEWLINK body. */
export function decodeLink(buf: Buffer, start: number, end: number): LinkEntry {
  const ifi = decodeIfInfoMsg(buf, start);
  const attrs = readAttributes(buf, start + IFINFOMSG_SIZE, end);
  const entry: LinkEntry = {
    family: ifi.family,
    index: ifi.index,
    name: attrString(attrs[IFLA.IFNAME]) ?? '',
    type: ifi.type,
    flags: ifi.flags,
    up: (ifi.flags & IFF.UP) !== 0,
    lowerUp: (ifi.flags & IFF.LOWER_UP) !== 0,
  };
  const mtu = attrU32(attrs[IFLA.MTU]);
  if (mtu !== undefined) entry.mtu = mtu;
  const address = attrs[IFLA.ADDRESS];
  if (address !== undefined) entry.address = formatMac(address);
  const master = attrU32(attrs[IFLA.MASTER]);
  if (master !== undefined) entry.master = master;
  const link = attrU32(attrs[IFLA.LINK]);
  if (link !== undefined) entry.link = link;
  const netnsid = attrs[IFLA.LINK_NETNSID];
  if (netnsid !== undefined && netnsid.length >= 4) entry.linkNetnsId = readI32(netnsid, 0);
  const operstate = attrU8(attrs[IFLA.OPERSTATE]);
  if (operstate !== undefined) entry.operstate = operstate;
  const linkinfo = attrs[IFLA.LINKINFO];
  if (linkinfo !== undefined) {
    const info = readAttributes(linkinfo, 0, linkinfo.length);
    const kind = attrString(info[IFLA_INFO.KIND]);
    if (kind !== undefined) entry.kind = kind;
    const slaveKind = attrString(info[IFLA_INFO.SLAVE_KIND]);
    if (slaveKind !== undefined) entry.slaveKind = slaveKind;
    const data = info[IFLA_INFO.DATA];
    if (kind === 'vrf' && data !== undefined) {
      const table = attrU32(readAttributes(data, 0, data.length)[IFLA_VRF_TABLE]);
      if (table !== undefined) entry.vrfTable = table;
    }
    if (kind === 'vxlan' && data !== undefined) {
      const v = readAttributes(data, 0, data.length);
      const vxlan: NonNullable<LinkEntry['vxlan']> = {};
      const vni = attrU32(v[IFLA_VXLAN.ID]);
      if (vni !== undefined) vxlan.vni = vni;
      const local = v[IFLA_VXLAN.LOCAL] ?? v[IFLA_VXLAN.LOCAL6];
      if (local !== undefined) vxlan.local = formatIp(local);
      const remote = v[IFLA_VXLAN.GROUP] ?? v[IFLA_VXLAN.GROUP6];
      if (remote !== undefined) vxlan.remote = formatIp(remote);
      const port = attrBe16(v[IFLA_VXLAN.PORT]);
      if (port !== undefined) vxlan.port = port;
      const dev = attrU32(v[IFLA_VXLAN.LINK]);
      if (dev !== undefined) vxlan.dev = dev;
      // u8 flags; the kernel reports each of them on every dump (vxlan_fill_info).
      const flag = (type: number): boolean | undefined => {
        const value = attrU8(v[type]);
        return value === undefined ? undefined : value !== 0;
      };
      const learning = flag(IFLA_VXLAN.LEARNING);
      if (learning !== undefined) vxlan.learning = learning;
      const proxy = flag(IFLA_VXLAN.PROXY);
      if (proxy !== undefined) vxlan.proxy = proxy;
      const l2miss = flag(IFLA_VXLAN.L2MISS);
      if (l2miss !== undefined) vxlan.l2miss = l2miss;
      const l3miss = flag(IFLA_VXLAN.L3MISS);
      if (l3miss !== undefined) vxlan.l3miss = l3miss;
      entry.vxlan = vxlan;
    }
  }
  return entry;
}
