import type { NetlinkChannel } from '../channel.js';
import { forEachDumpMessage } from '../channel.js';
import { AF, NDA, NLM_F, RTM } from '../constants.js';
import { encodeNdMsg } from '../codec/ndmsg.js';
import type { IpFamily } from '../ip.js';
import type { FdbEntry, FdbSpec, NeighborEntry, NeighborSpec } from './neighbor-codec.js';
import { decodeFdb, decodeNeighbor, encodeFdbBody, encodeNeighborBody } from './neighbor-codec.js';
import { checkU32 } from './route-names.js';

/**
 * IPv4 (ARP) and IPv6 (ND) neighbours: add, replace, delete, dump.
 *
 * @example
 * ```ts
 * await rtnl.neighbors.replace({ address: '10.0.0.2', index: 3, lladdr: '02:00:00:00:00:02', state: 'reachable' });
 * ```
 */
export class NeighborOps {
  constructor(private readonly channel: NetlinkChannel) {}

  async add(neighbor: NeighborSpec): Promise<void> {
    await this.channel.request(RTM.NEWNEIGH, NLM_F.CREATE | NLM_F.EXCL, (w) => encodeNeighborBody(w, neighbor), neighbor);
  }

  async replace(neighbor: NeighborSpec): Promise<void> {
    await this.channel.request(RTM.NEWNEIGH, NLM_F.CREATE | NLM_F.REPLACE, (w) => encodeNeighborBody(w, neighbor), neighbor);
  }

  async delete(neighbor: Pick<NeighborSpec, 'address' | 'index'>): Promise<void> {
    await this.channel.request(RTM.DELNEIGH, 0, (w) => encodeNeighborBody(w, neighbor, true), neighbor);
  }

  /** Dumps neighbours; index filtered by the kernel (NDA_IFINDEX) and here. */
  async *dump(filter: { family?: IpFamily; index?: number; maxRetries?: number } = {}): AsyncGenerator<NeighborEntry> {
    yield* await this.list(filter);
  }

  /** The whole dump as an array (no per-entry await). */
  async list(filter: { family?: IpFamily; index?: number; maxRetries?: number } = {}): Promise<NeighborEntry[]> {
    const index = filter.index === undefined ? undefined : checkU32(filter.index, 'index', 1);
    const family = filter.family === undefined ? AF.UNSPEC : filter.family === 4 ? AF.INET : AF.INET6;
    const result = await this.channel.dumpAll(
      RTM.GETNEIGH,
      (w) => {
        encodeNdMsg(w, { family, ifindex: 0, state: 0, flags: 0, type: 0 });
        if (index !== undefined) w.attrU32(NDA.IFINDEX, index);
      },
      filter,
      filter.maxRetries,
    );
    const entries: NeighborEntry[] = [];
    forEachDumpMessage(result, (buf, type, _flags, start, end) => {
      if (type !== RTM.NEWNEIGH) return;
      const f = buf[start];
      if (f !== AF.INET && f !== AF.INET6) return;
      const entry = decodeNeighbor(buf, start, end);
      if (index !== undefined && entry.index !== index) return;
      entries.push(entry);
    });
    return entries;
  }
}

/**
 * Bridge and VXLAN forwarding database entries (family AF_BRIDGE neighbours,
 * NDA_DST / NDA_VNI / NDA_PORT), like `bridge fdb`.
 *
 * @example
 * ```ts
 * await rtnl.fdb.append({ lladdr: '00:00:00:00:00:00', index: vxlan.index, dst: '192.0.2.1', vni: 100 });
 * ```
 */
export class FdbOps {
  constructor(private readonly channel: NetlinkChannel) {}

  async add(entry: FdbSpec): Promise<void> {
    await this.channel.request(RTM.NEWNEIGH, NLM_F.CREATE | NLM_F.EXCL, (w) => encodeFdbBody(w, entry), entry);
  }

  async replace(entry: FdbSpec): Promise<void> {
    await this.channel.request(RTM.NEWNEIGH, NLM_F.CREATE | NLM_F.REPLACE, (w) => encodeFdbBody(w, entry), entry);
  }

  /** NLM_F_APPEND: another remote for the same MAC (VXLAN head-end replication). */
  async append(entry: FdbSpec): Promise<void> {
    await this.channel.request(RTM.NEWNEIGH, NLM_F.CREATE | NLM_F.APPEND, (w) => encodeFdbBody(w, entry), entry);
  }

  async delete(entry: FdbSpec): Promise<void> {
    await this.channel.request(RTM.DELNEIGH, 0, (w) => encodeFdbBody(w, entry, true), entry);
  }

  /** Dumps FDB entries, optionally of one port (NDA_IFINDEX) or one bridge (NDA_MASTER). */
  async *dump(filter: { index?: number; master?: number; maxRetries?: number } = {}): AsyncGenerator<FdbEntry> {
    yield* await this.list(filter);
  }

  /** The whole dump as an array (no per-entry await). */
  async list(filter: { index?: number; master?: number; maxRetries?: number } = {}): Promise<FdbEntry[]> {
    const index = filter.index === undefined ? undefined : checkU32(filter.index, 'index', 1);
    const master = filter.master === undefined ? undefined : checkU32(filter.master, 'master', 1);
    const result = await this.channel.dumpAll(
      RTM.GETNEIGH,
      (w) => {
        encodeNdMsg(w, { family: AF.BRIDGE, ifindex: 0, state: 0, flags: 0, type: 0 });
        if (index !== undefined) w.attrU32(NDA.IFINDEX, index);
        if (master !== undefined) w.attrU32(NDA.MASTER, master);
      },
      filter,
      filter.maxRetries,
    );
    const entries: FdbEntry[] = [];
    forEachDumpMessage(result, (buf, type, _flags, start, end) => {
      if (type !== RTM.NEWNEIGH || buf[start] !== AF.BRIDGE) return;
      const entry = decodeFdb(buf, start, end);
      if (index !== undefined && entry.index !== index) return;
      if (master !== undefined && entry.master !== master) return;
      entries.push(entry);
    });
    return entries;
  }
}
