import { AF, LWTUNNEL_ENCAP, MPLS_IPTUNNEL, NEXTHOP_GRP_TYPE, NHA, NHA_RES_GROUP, RTNH_F, RTPROT } from '../constants.js';
import { attrU16, attrU32, attrU8, readAttributes, readU32 } from '../codec/attributes.js';
import { HOST_LITTLE_ENDIAN as LE } from '../codec/host-endian.js';
import { decodeNhMsg, encodeNhMsg, NHMSG_SIZE } from '../codec/nhmsg.js';
import type { MessageWriter } from '../codec/writer.js';
import { NetlinkArgumentError, NetlinkDecodeError } from '../errors.js';
import type { IpFamily } from '../ip.js';
import { formatIp, parseIpInto } from '../ip.js';
import type { RouteProtocolName } from './route-names.js';
import { checkU32, routeProtocolNumber } from './route-names.js';

/** A member of a nexthop group (struct nexthop_grp). */
export interface NexthopGroupMember {
  id: number;
  /** 1..256 (the kernel stores weight - 1). */
  weight?: number;
}

/** Resilient group parameters (NHA_RES_GROUP); timers in seconds. */
export interface ResilientGroupParams {
  buckets?: number;
  idleTimer?: number;
  unbalancedTimer?: number;
}

/**
 * MPLS encapsulation of a nexthop (LWTUNNEL_ENCAP_MPLS,
 * net/mpls/mpls_iptunnel.c): packets leave with this label stack pushed,
 * outermost label first. Needs the mpls_router and mpls_iptunnel modules.
 */
export interface MplsEncap {
  type: 'mpls';
  /** 20-bit labels, outermost first; 1..30 of them (MAX_NEW_LABELS), never 3 (implicit null, RFC 3032 §2.1). */
  labels: readonly number[];
  /** MPLS_IPTUNNEL_TTL: a fixed TTL instead of copying the IP TTL (1..255). */
  ttl?: number;
}

/** A nexthop encapsulation the kernel reported that fibwire does not decode: its LWTUNNEL_ENCAP_* number. */
export interface OtherEncap {
  type: 'other';
  encapType: number;
}

/**
 * A kernel nexthop object (include/uapi/linux/nexthop.h): a single nexthop
 * (gateway and/or oif, or blackhole), or a group of other nexthops
 * (multipath with weights, or resilient with buckets). `fdb` marks nexthops
 * used by VXLAN FDB entries.
 */
export interface NexthopSpec {
  id: number;
  gateway?: string;
  oif?: number;
  onlink?: boolean;
  blackhole?: boolean;
  fdb?: boolean;
  /** Family of a blackhole or device-only nexthop (default 4). */
  family?: IpFamily;
  group?: readonly NexthopGroupMember[];
  groupType?: 'mpath' | 'resilient';
  resilient?: ResilientGroupParams;
  protocol?: RouteProtocolName | number;
  /** NHA_ENCAP_TYPE + NHA_ENCAP: a single nexthop with a gateway or oif only. */
  encap?: MplsEncap;
}

/** A nexthop object as the kernel reports it. */
export interface NexthopEntry {
  id: number;
  family: number;
  protocol: number;
  scope: number;
  flags: number;
  gateway?: string;
  oif?: number;
  blackhole?: boolean;
  fdb?: boolean;
  group?: { id: number; weight: number }[];
  groupType?: 'mpath' | 'resilient';
  resilient?: { buckets: number; idleTimer: number; unbalancedTimer: number };
  encap?: { type: 'mpls'; labels: number[]; ttl?: number } | OtherEncap;
}

/** Most labels one MPLS encap may push (MAX_NEW_LABELS in net/mpls/internal.h). */
const MAX_MPLS_LABELS = 30;
const MPLS_LABEL_IMPLNULL = 3;

/**
 * NHA_ENCAP_TYPE, then NHA_ENCAP { MPLS_IPTUNNEL_DST: struct mpls_label[],
 * MPLS_IPTUNNEL_TTL }. Each label entry is a big-endian u32: label << 12,
 * TC 0, the bottom-of-stack bit (0x100) on the last entry only, TTL 0
 * (RFC 3032 §2.1; the kernel checks exactly this in nla_get_labels).
 */
function writeMplsEncap(w: MessageWriter, encap: MplsEncap): void {
  if (encap.type !== 'mpls') throw new NetlinkArgumentError('encap.type', `unsupported encapsulation ${JSON.stringify((encap as { type: unknown }).type)}`);
  const labels = encap.labels;
  if (!Array.isArray(labels) || labels.length < 1 || labels.length > MAX_MPLS_LABELS) {
    throw new NetlinkArgumentError('encap.labels', `needs 1..${MAX_MPLS_LABELS} labels`);
  }
  const stack = new Uint8Array(labels.length * 4);
  const view = new DataView(stack.buffer);
  labels.forEach((label: unknown, i: number) => {
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label > 0xfffff) {
      throw new NetlinkArgumentError(`encap.labels[${i}]`, `${String(label)} is not a 20-bit label`);
    }
    if (label === MPLS_LABEL_IMPLNULL) throw new NetlinkArgumentError(`encap.labels[${i}]`, 'implicit null (3) never appears in a label stack');
    view.setUint32(i * 4, ((label << 12) | (i === labels.length - 1 ? 0x100 : 0)) >>> 0, false);
  });
  w.attrU16(NHA.ENCAP_TYPE, LWTUNNEL_ENCAP.MPLS);
  const nest = w.beginNested(NHA.ENCAP);
  w.attrBytes(MPLS_IPTUNNEL.DST, stack);
  if (encap.ttl !== undefined) {
    if (!Number.isInteger(encap.ttl) || encap.ttl < 1 || encap.ttl > 255) throw new NetlinkArgumentError('encap.ttl', `${encap.ttl} outside 1..255`);
    w.attrU8(MPLS_IPTUNNEL.TTL, encap.ttl);
  }
  w.endNested(nest);
}

/** Reads NHA_ENCAP_TYPE / NHA_ENCAP; a malformed label stack is a NetlinkDecodeError. */
function readEncap(type: number, encap: Buffer | undefined): NonNullable<NexthopEntry['encap']> {
  if (type !== LWTUNNEL_ENCAP.MPLS || encap === undefined) return { type: 'other', encapType: type };
  const attrs = readAttributes(encap, 0, encap.length);
  const stack = attrs[MPLS_IPTUNNEL.DST];
  if (stack === undefined || stack.length === 0 || stack.length % 4 !== 0) {
    throw new NetlinkDecodeError(`MPLS_IPTUNNEL_DST of ${stack?.length ?? 0} bytes`);
  }
  const labels: number[] = [];
  for (let o = 0; o < stack.length; o += 4) {
    const entry = (((stack[o] ?? 0) << 24) | ((stack[o + 1] ?? 0) << 16) | ((stack[o + 2] ?? 0) << 8) | (stack[o + 3] ?? 0)) >>> 0;
    labels.push(entry >>> 12);
  }
  const result: { type: 'mpls'; labels: number[]; ttl?: number } = { type: 'mpls', labels };
  const ttl = attrU8(attrs[MPLS_IPTUNNEL.TTL]);
  if (ttl !== undefined) result.ttl = ttl;
  return result;
}

/** USER_HZ: the kernel's clock_t unit for NHA_RES_GROUP timers. */
const USER_HZ = 100;
const scratch = new Uint8Array(16);

/** RTM_NEWNEXTHOP body: struct nhmsg then NHA_* attributes. */
export function encodeNexthopBody(w: MessageWriter, spec: NexthopSpec): void {
  const id = checkU32(spec.id, 'id', 1);
  const isGroup = spec.group !== undefined;
  let family: number = spec.family === 6 ? AF.INET6 : AF.INET;
  let gatewaySize = 0;
  if (spec.gateway !== undefined) {
    const f = parseIpInto(spec.gateway, scratch);
    if (f === 0) throw new NetlinkArgumentError('gateway', `not an IP address: ${JSON.stringify(spec.gateway)}`);
    family = f === 4 ? AF.INET : AF.INET6;
    gatewaySize = f === 4 ? 4 : 16;
  }
  if (isGroup) {
    if (spec.gateway !== undefined || spec.oif !== undefined || spec.blackhole === true || spec.encap !== undefined) {
      throw new NetlinkArgumentError('group', 'a group cannot also have gateway, oif, blackhole or encap');
    }
    family = AF.UNSPEC;
  }
  encodeNhMsg(w, {
    family,
    scope: 0,
    protocol: spec.protocol === undefined ? RTPROT.UNSPEC : routeProtocolNumber(spec.protocol),
    flags: spec.onlink === true ? RTNH_F.ONLINK : 0,
  });
  w.attrU32(NHA.ID, id);
  if (isGroup) {
    const members = spec.group ?? [];
    if (members.length === 0) throw new NetlinkArgumentError('group', 'needs at least one member');
    const bytes = new Uint8Array(members.length * 8);
    const view = new DataView(bytes.buffer);
    members.forEach((m, i) => {
      const weight = m.weight ?? 1;
      if (!Number.isInteger(weight) || weight < 1 || weight > 256) {
        throw new NetlinkArgumentError(`group[${i}].weight`, `${weight} outside 1..256`);
      }
      view.setUint32(i * 8, checkU32(m.id, `group[${i}].id`, 1), LE);
      bytes[i * 8 + 4] = weight - 1;
    });
    w.attrBytes(NHA.GROUP, bytes);
    const resilient = spec.groupType === 'resilient';
    if (resilient || spec.groupType === 'mpath') {
      w.attrU16(NHA.GROUP_TYPE, resilient ? NEXTHOP_GRP_TYPE.RES : NEXTHOP_GRP_TYPE.MPATH);
    }
    if (resilient) {
      const p = spec.resilient ?? {};
      const nest = w.beginNested(NHA.RES_GROUP);
      if (p.buckets !== undefined) {
        if (!Number.isInteger(p.buckets) || p.buckets < 1 || p.buckets > 0xffff) {
          throw new NetlinkArgumentError('resilient.buckets', `${p.buckets} outside 1..65535`);
        }
        w.attrU16(NHA_RES_GROUP.BUCKETS, p.buckets);
      }
      if (p.idleTimer !== undefined) w.attrU32(NHA_RES_GROUP.IDLE_TIMER, checkU32(Math.round(p.idleTimer * USER_HZ), 'resilient.idleTimer'));
      if (p.unbalancedTimer !== undefined) {
        w.attrU32(NHA_RES_GROUP.UNBALANCED_TIMER, checkU32(Math.round(p.unbalancedTimer * USER_HZ), 'resilient.unbalancedTimer'));
      }
      w.endNested(nest);
    } else if (spec.resilient !== undefined) {
      throw new NetlinkArgumentError('resilient', "needs groupType: 'resilient'");
    }
  } else if (spec.blackhole === true) {
    if (spec.gateway !== undefined || spec.oif !== undefined || spec.encap !== undefined) {
      throw new NetlinkArgumentError('blackhole', 'a blackhole nexthop has no gateway, oif or encap');
    }
    w.attrFlag(NHA.BLACKHOLE);
  } else {
    if (spec.gateway === undefined && spec.oif === undefined && spec.fdb !== true) {
      throw new NetlinkArgumentError('nexthop', 'needs gateway, oif, blackhole or group');
    }
    if (spec.gateway !== undefined) w.attrBytes(NHA.GATEWAY, scratch.subarray(0, gatewaySize));
    if (spec.oif !== undefined) w.attrU32(NHA.OIF, checkU32(spec.oif, 'oif', 1));
    if (spec.encap !== undefined) {
      if (spec.fdb === true) throw new NetlinkArgumentError('encap', 'an FDB nexthop has no encapsulation');
      writeMplsEncap(w, spec.encap);
    }
  }
  if (spec.fdb === true) w.attrFlag(NHA.FDB);
}

/** RTM_DELNEXTHOP / RTM_GETNEXTHOP by id. */
export function encodeNexthopIdBody(w: MessageWriter, id: number): void {
  encodeNhMsg(w, { family: AF.UNSPEC, scope: 0, protocol: 0, flags: 0 });
  w.attrU32(NHA.ID, checkU32(id, 'id', 1));
}

/** Decodes one RTM_NEWNEXTHOP body. */
export function decodeNexthop(buf: Buffer, start: number, end: number): NexthopEntry {
  const nh = decodeNhMsg(buf, start);
  const attrs = readAttributes(buf, start + NHMSG_SIZE, end);
  const id = attrU32(attrs[NHA.ID]);
  if (id === undefined) throw new NetlinkDecodeError('nexthop without NHA_ID');
  const entry: NexthopEntry = { id, family: nh.family, protocol: nh.protocol, scope: nh.scope, flags: nh.flags };
  const gateway = attrs[NHA.GATEWAY];
  if (gateway !== undefined) entry.gateway = formatIp(gateway);
  const oif = attrU32(attrs[NHA.OIF]);
  if (oif !== undefined) entry.oif = oif;
  if (attrs[NHA.BLACKHOLE] !== undefined) entry.blackhole = true;
  if (attrs[NHA.FDB] !== undefined) entry.fdb = true;
  const encapType = attrU16(attrs[NHA.ENCAP_TYPE]);
  if (encapType !== undefined && encapType !== LWTUNNEL_ENCAP.NONE) entry.encap = readEncap(encapType, attrs[NHA.ENCAP]);
  const group = attrs[NHA.GROUP];
  if (group !== undefined) {
    if (group.length % 8 !== 0) throw new NetlinkDecodeError(`NHA_GROUP of ${group.length} bytes`);
    entry.group = [];
    for (let o = 0; o < group.length; o += 8) {
      // weight_high (byte 5) extends the weight on kernels >= 6.12.
      const weight = ((group[o + 5] ?? 0) << 8) + (group[o + 4] ?? 0) + 1;
      entry.group.push({ id: readU32(group, o), weight });
    }
    entry.groupType = attrU16(attrs[NHA.GROUP_TYPE]) === NEXTHOP_GRP_TYPE.RES ? 'resilient' : 'mpath';
  }
  const res = attrs[NHA.RES_GROUP];
  if (res !== undefined) {
    const r = readAttributes(res, 0, res.length);
    entry.resilient = {
      buckets: attrU16(r[NHA_RES_GROUP.BUCKETS]) ?? 0,
      idleTimer: (attrU32(r[NHA_RES_GROUP.IDLE_TIMER]) ?? 0) / USER_HZ,
      unbalancedTimer: (attrU32(r[NHA_RES_GROUP.UNBALANCED_TIMER]) ?? 0) / USER_HZ,
    };
  }
  return entry;
}
