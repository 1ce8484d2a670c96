import type { NetlinkChannel } from '../channel.js';
import { forEachDumpMessage } from '../channel.js';
import { AF, IFLA, IFLA_INFO, NLM_F, RTM } from '../constants.js';
import { encodeIfInfoMsg } from '../codec/ifinfomsg.js';
import { NetlinkError } from '../errors.js';
import { NetnsFd } from '../netns-fd.js';
import type { NetnsRef } from '../socket.js';
import type { BridgeSpec, LinkChange, LinkEntry, MacvlanSpec, VethSpec, VrfSpec, VxlanSpec } from './link-codec.js';
import { decodeLink, encodeLinkChangeBody, encodeLinkCreateBody, encodeLinkRef } from './link-codec.js';
import { checkU32 } from './route-names.js';

/** A link to create; `peer.netns` / `netns` may name a namespace instead of an fd. */
export type LinkCreateRequest =
  | (Omit<VethSpec, 'peer'> & { peer: { name: string; netns?: NetnsRef } })
  | BridgeSpec
  | VxlanSpec
  | MacvlanSpec
  | VrfSpec;

/** Changes to a link; `netns` moves it into another namespace. */
export type LinkChangeRequest = Omit<LinkChange, 'netnsFd'> & { netns?: NetnsRef };

/**
 * Network links: list and get (by name or index, with kind and master),
 * create and delete veth, vxlan, bridge, macvlan and vrf, change state, MTU,
 * address, master and namespace.
 *
 * @example
 * ```ts
 * await rtnl.links.create({ kind: 'veth', name: 'v0', peer: { name: 'v1' }, up: true });
 * const v0 = await rtnl.links.get('v0');
 * await rtnl.links.set(v0!.index, { mtu: 9000 });
 * ```
 */
export class LinkOps {
  constructor(private readonly channel: NetlinkChannel) {}

  async create(spec: LinkCreateRequest): Promise<void> {
    let fd: NetnsFd | undefined;
    try {
      let wire: VethSpec | BridgeSpec | VxlanSpec | MacvlanSpec | VrfSpec;
      if (spec.kind === 'veth') {
        const { netns, name } = spec.peer;
        if (netns !== undefined) fd = NetnsFd.open(netns);
        wire = { ...spec, peer: fd === undefined ? { name } : { name, netnsFd: fd.fd } };
      } else {
        wire = spec;
      }
      await this.channel.request(RTM.NEWLINK, NLM_F.CREATE | NLM_F.EXCL, (w) => encodeLinkCreateBody(w, wire), spec);
    } finally {
      fd?.release();
    }
  }

  async delete(link: number | string): Promise<void> {
    await this.channel.request(RTM.DELLINK, 0, (w) => encodeLinkRef(w, link), { link });
  }

  /** Changes a link (RTM_NEWLINK without NLM_F_CREATE, as `ip link set`). */
  async set(link: number | string, change: LinkChangeRequest): Promise<void> {
    const fd = change.netns === undefined ? undefined : NetnsFd.open(change.netns);
    try {
      const { netns: _netns, ...rest } = change;
      const wire: LinkChange = fd === undefined ? rest : { ...rest, netnsFd: fd.fd };
      await this.channel.request(RTM.NEWLINK, 0, (w) => encodeLinkChangeBody(w, link, wire), { link, ...change });
    } finally {
      fd?.release();
    }
  }

  setUp(link: number | string): Promise<void> {
    return this.set(link, { up: true });
  }

  setDown(link: number | string): Promise<void> {
    return this.set(link, { up: false });
  }

  /** Moves a link into another network namespace. */
  moveToNetns(link: number | string, netns: NetnsRef): Promise<void> {
    return this.set(link, { netns });
  }

  /** One link by name or index; undefined when there is none. */
  async get(link: number | string): Promise<LinkEntry | undefined> {
    try {
      const replies = await this.channel.request(RTM.GETLINK, 0, (w) => encodeLinkRef(w, link), { link });
      const reply = replies.find((m) => m.type === RTM.NEWLINK);
      return reply === undefined ? undefined : decodeLink(reply.buffer, reply.payloadStart, reply.payloadEnd);
    } catch (error) {
      if (error instanceof NetlinkError && error.code === 'ENODEV') return undefined;
      throw error;
    }
  }

  /** ifindex of a named link; throws NetlinkError(ENODEV) when there is none. */
  async indexOf(name: string): Promise<number> {
    const replies = await this.channel.request(RTM.GETLINK, 0, (w) => encodeLinkRef(w, name), { link: name });
    const reply = replies.find((m) => m.type === RTM.NEWLINK);
    if (reply === undefined) throw new Error(`no RTM_NEWLINK reply for ${name}`);
    return decodeLink(reply.buffer, reply.payloadStart, reply.payloadEnd).index;
  }

  /** All links, optionally only those of one kind or enslaved to one master (kernel-filtered). */
  async *dump(filter: { kind?: string; master?: number; maxRetries?: number } = {}): AsyncGenerator<LinkEntry> {
    yield* await this.list(filter);
  }

  /** The whole dump as an array (no per-entry await). */
  async list(filter: { kind?: string; master?: number; maxRetries?: number } = {}): Promise<LinkEntry[]> {
    const result = await this.channel.dumpAll(
      RTM.GETLINK,
      (w) => {
        encodeIfInfoMsg(w, { family: AF.UNSPEC, type: 0, index: 0, flags: 0, change: 0 });
        if (filter.master !== undefined) w.attrU32(IFLA.MASTER, checkU32(filter.master, 'master', 1));
        if (filter.kind !== undefined) {
          const nest = w.beginNested(IFLA.LINKINFO);
          w.attrString(IFLA_INFO.KIND, filter.kind);
          w.endNested(nest);
        }
      },
      filter,
      filter.maxRetries,
    );
    const entries: LinkEntry[] = [];
    forEachDumpMessage(result, (buf, type, _flags, start, end) => {
      if (type !== RTM.NEWLINK) return;
      const entry = decodeLink(buf, start, end);
      if (filter.kind !== undefined && entry.kind !== filter.kind) return;
      if (filter.master !== undefined && entry.master !== filter.master) return;
      entries.push(entry);
    });
    return entries;
  }
}
