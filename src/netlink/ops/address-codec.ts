import { AF, IFA, IFA_F } from '../constants.js';
import { attrString, attrU32, readAttributes } from '../codec/attributes.js';
import { decodeIfAddrMsg, encodeIfAddrMsg, IFADDRMSG_SIZE } from '../codec/ifaddrmsg.js';
import type { MessageWriter } from '../codec/writer.js';
import { NetlinkArgumentError } from '../errors.js';
import type { IpFamily } from '../ip.js';
import { formatIp, parseIp, parsePrefix } from '../ip.js';
import type { ScopeName } from './route-names.js';
import { checkU32, scopeNumber } from './route-names.js';

/** An interface address to add or delete: '10.0.0.1/24' on ifindex `index`. */
export interface AddressSpec {
  address: string;
  index: number;
  label?: string;
  scope?: ScopeName | number;
  /** IPv4 broadcast address. */
  broadcast?: string;
  /** Point-to-point peer (IFA_ADDRESS differs from IFA_LOCAL). */
  peer?: string;
  /** IFA_F_NODAD: skip IPv6 duplicate address detection (usable at once). */
  nodad?: boolean;
  /** IFA_F_NOPREFIXROUTE: do not add the prefix route. */
  noprefixroute?: boolean;
  /** Further IFA_F_* bits. */
  flags?: number;
}

/** An address as the kernel reports it. */
export interface AddressEntry {
  family: IpFamily;
  /** The local address (IFA_LOCAL, else IFA_ADDRESS). */
  address: string;
  prefixLength: number;
  index: number;
  scope: number;
  flags: number;
  label?: string;
  peer?: string;
  broadcast?: string;
}

/** RTM_NEWADDR / RTM_DELADDR body. */
export function encodeAddressBody(w: MessageWriter, spec: AddressSpec): void {
  const prefix = parsePrefix(spec.address, 'address');
  let flags = spec.flags ?? 0;
  if (spec.nodad === true) flags |= IFA_F.NODAD;
  if (spec.noprefixroute === true) flags |= IFA_F.NOPREFIXROUTE;
  encodeIfAddrMsg(w, {
    family: prefix.family === 4 ? AF.INET : AF.INET6,
    prefixLen: prefix.length,
    flags,
    scope: spec.scope === undefined ? 0 : scopeNumber(spec.scope),
    index: checkU32(spec.index, 'index', 1),
  });
  const local = prefix.bytes.subarray(0, prefix.family === 4 ? 4 : 16);
  w.attrBytes(IFA.LOCAL, local);
  if (spec.peer !== undefined) {
    const peer = parseIp(spec.peer, 'peer');
    if (peer.family !== prefix.family) throw new NetlinkArgumentError('peer', 'family differs from the address');
    w.attrBytes(IFA.ADDRESS, peer.bytes);
  } else {
    w.attrBytes(IFA.ADDRESS, local);
  }
  if (spec.broadcast !== undefined) {
    const b = parseIp(spec.broadcast, 'broadcast');
    if (b.family !== 4) throw new NetlinkArgumentError('broadcast', 'only IPv4 has broadcast addresses');
    w.attrBytes(IFA.BROADCAST, b.bytes);
  }
  if (spec.label !== undefined) w.attrString(IFA.LABEL, spec.label);
  if (flags > 0xff) w.attrU32(IFA.FLAGS, flags);
}

/** Decodes one RTM_NEWADDR body. */
export function decodeAddress(buf: Buffer, start: number, end: number): AddressEntry {
  const ifa = decodeIfAddrMsg(buf, start);
  const attrs = readAttributes(buf, start + IFADDRMSG_SIZE, end);
  const local = attrs[IFA.LOCAL];
  const address = attrs[IFA.ADDRESS];
  const main = local ?? address;
  const entry: AddressEntry = {
    family: ifa.family === AF.INET6 ? 6 : 4,
    address: main === undefined ? '' : formatIp(main),
    prefixLength: ifa.prefixLen,
    index: ifa.index,
    scope: ifa.scope,
    flags: attrU32(attrs[IFA.FLAGS]) ?? ifa.flags,
  };
  if (local !== undefined && address !== undefined && !local.equals(address)) entry.peer = formatIp(address);
  const label = attrString(attrs[IFA.LABEL]);
  if (label !== undefined) entry.label = label;
  const broadcast = attrs[IFA.BROADCAST];
  if (broadcast !== undefined) entry.broadcast = formatIp(broadcast);
  return entry;
}
