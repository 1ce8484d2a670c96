import { EventEmitter } from 'node:events';
import type * as TypedEmitterTypes from 'typed-emitter';
import { AF, NLMSG_HDRLEN, RTM, RTNLGRP } from './constants.js';
import { readU16, readU32 } from './codec/attributes.js';
import { NetlinkDecodeError, NetlinkOverrunError } from './errors.js';
import type { NativeSystemError } from './native/binding-types.js';
import type { AddressEntry } from './ops/address-codec.js';
import { decodeAddress } from './ops/address-codec.js';
import type { LinkEntry } from './ops/link-codec.js';
import { decodeLink } from './ops/link-codec.js';
import type { FdbEntry, NeighborEntry } from './ops/neighbor-codec.js';
import { decodeFdb, decodeNeighbor } from './ops/neighbor-codec.js';
import type { NexthopEntry } from './ops/nexthop-codec.js';
import { decodeNexthop } from './ops/nexthop-codec.js';
import type { RouteEntry } from './ops/route-codec.js';
import { decodeRoute } from './ops/route-codec.js';
import type { NetnsRef } from './socket.js';
import { RtnlSocket } from './socket.js';

/** Groups by name, or any RTNLGRP_* number. */
export type MonitorGroup = 'link' | 'neighbor' | 'ipv4-address' | 'ipv6-address' | 'ipv4-route' | 'ipv6-route' | 'nexthop' | number;

const groupNumbers: Record<Exclude<MonitorGroup, number>, number> = {
  link: RTNLGRP.LINK,
  neighbor: RTNLGRP.NEIGH,
  'ipv4-address': RTNLGRP.IPV4_IFADDR,
  'ipv6-address': RTNLGRP.IPV6_IFADDR,
  'ipv4-route': RTNLGRP.IPV4_ROUTE,
  'ipv6-route': RTNLGRP.IPV6_ROUTE,
  nexthop: RTNLGRP.NEXTHOP,
};

export type ChangeAction = 'new' | 'del';

/** What Rtnl.resync() can dump. */
export type ResyncPart = 'links' | 'addresses' | 'routes' | 'nexthops' | 'neighbors' | 'fdb';

const partsByGroup = new Map<number, ResyncPart[]>([
  [RTNLGRP.LINK, ['links']],
  [RTNLGRP.IPV4_IFADDR, ['addresses']],
  [RTNLGRP.IPV6_IFADDR, ['addresses']],
  [RTNLGRP.IPV4_ROUTE, ['routes']],
  [RTNLGRP.IPV6_ROUTE, ['routes']],
  [RTNLGRP.NEXTHOP, ['nexthops']],
  [RTNLGRP.NEIGH, ['neighbors', 'fdb']],
]);

/** The events an RtnlMonitor emits (typed with typed-emitter; types only). */
export type RtnlMonitorEvents = {
  link: (action: ChangeAction, link: LinkEntry) => void;
  address: (action: ChangeAction, address: AddressEntry) => void;
  route: (action: ChangeAction, route: RouteEntry) => void;
  nexthop: (action: ChangeAction, nexthop: NexthopEntry) => void;
  neighbor: (action: ChangeAction, neighbor: NeighborEntry) => void;
  fdb: (action: ChangeAction, entry: FdbEntry) => void;
  /** RTM_GETNEIGH from the kernel: it wants user space to resolve this neighbour (app_solicit > 0). */
  neighborRequest: (neighbor: NeighborEntry) => void;
  /** ENOBUFS: events were lost. Call resync() (or your own dumps) to recover. */
  overrun: (error: NetlinkOverrunError) => void;
  /** A message that did not decode, or a socket error; the monitor keeps running. */
  error: (error: Error) => void;
};

export interface MonitorOptions {
  groups: readonly MonitorGroup[];
  netns?: NetnsRef;
  /** Default 64 MiB (SO_RCVBUFFORCE, falling back to SO_RCVBUF). */
  receiveBufferSize?: number;
}

/** Counters; nothing is dropped silently. */
export interface MonitorStats {
  messages: number;
  overruns: number;
  decodeErrors: number;
  ignored: number;
  truncated: number;
  foreign: number;
}

// typed-emitter is a CommonJS types-only package; under NodeNext its interface is the module's `default`.
type TypedEmitter<E extends TypedEmitterTypes.EventMap> = TypedEmitterTypes.default<E>;
const TypedEventEmitter = EventEmitter as new () => TypedEmitter<RtnlMonitorEvents>;

/**
 * rtnetlink notifications as typed events, on a socket of their own with a
 * large receive buffer. Groups of any number are joined with
 * NETLINK_ADD_MEMBERSHIP (the bind(2) mask only reaches groups 1..32). When
 * the kernel drops events (ENOBUFS) the monitor emits `overrun`; state is then
 * recovered by dumping — see Rtnl.resync().
 *
 * @example
 * ```ts
 * const monitor = await Rtnl.monitor({ groups: ['ipv4-route', 'nexthop', 'neighbor'] });
 * monitor.on('route', (action, route) => console.log(action, route.dst));
 * monitor.on('neighborRequest', (n) => resolver.resolve(n.address));
 * monitor.on('overrun', () => void rtnl.resync(['routes']));
 * ```
 */
export class RtnlMonitor extends TypedEventEmitter {
  readonly stats: MonitorStats = { messages: 0, overruns: 0, decodeErrors: 0, ignored: 0, truncated: 0, foreign: 0 };
  private readonly joined = new Set<number>();
  private readonly socket: RtnlSocket;

  private constructor(options: MonitorOptions) {
    super();
    const socketOptions = { receiveBufferSize: options.receiveBufferSize ?? 64 * 1024 * 1024, strictCheck: false };
    this.socket = RtnlSocket.open(options.netns === undefined ? socketOptions : { ...socketOptions, netns: options.netns });
    try {
      for (const group of options.groups) this.join(group);
    } catch (error) {
      this.socket.close();
      throw error;
    }
    this.socket.start((error, datagrams, truncated, foreign) => this.onReceive(error, datagrams, truncated, foreign), 256);
  }

  /** Opens a monitor socket and joins the groups. */
  static async open(options: MonitorOptions): Promise<RtnlMonitor> {
    return new RtnlMonitor(options);
  }

  /** RTNLGRP_* numbers currently joined. */
  get groups(): readonly number[] {
    return [...this.joined];
  }

  /** Joins one more group (NETLINK_ADD_MEMBERSHIP; works for groups >= 32). */
  join(group: MonitorGroup): void {
    const number = typeof group === 'number' ? group : groupNumbers[group];
    this.socket.addMembership(number);
    this.joined.add(number);
  }

  /** Leaves a group (NETLINK_DROP_MEMBERSHIP). */
  leave(group: MonitorGroup): void {
    const number = typeof group === 'number' ? group : groupNumbers[group];
    this.socket.dropMembership(number);
    this.joined.delete(number);
  }

  /**
   * The state to dump after an overrun, given the groups this monitor joined:
   * `monitor.on('overrun', () => rtnl.resync(monitor.resyncParts()))`.
   */
  resyncParts(): ResyncPart[] {
    const parts = new Set<ResyncPart>();
    for (const group of this.joined) for (const part of partsByGroup.get(group) ?? []) parts.add(part);
    return [...parts];
  }

  /** Receive buffer the kernel granted (bytes). */
  get receiveBufferSize(): number {
    return this.socket.receiveBufferSize;
  }

  private onReceive(error: NativeSystemError | null, datagrams: Buffer[], truncated: number, foreign: number): void {
    this.stats.foreign += foreign;
    for (const datagram of datagrams) this.dispatch(datagram);
    if (truncated > 0) {
      this.stats.truncated += truncated;
      this.emitOverrun(new NetlinkOverrunError(`${truncated} event datagram(s) truncated`));
    }
    if (error !== null) {
      if (error.code === 'ENOBUFS') this.emitOverrun(new NetlinkOverrunError());
      else this.emitError(error);
    }
  }

  private emitOverrun(error: NetlinkOverrunError): void {
    this.stats.overruns++;
    this.emit('overrun', error);
  }

  private emitError(error: Error): void {
    // An 'error' event without listeners would throw from the poll callback.
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  private dispatch(buf: Buffer): void {
    let offset = 0;
    while (offset + NLMSG_HDRLEN <= buf.length) {
      const length = readU32(buf, offset);
      if (length < NLMSG_HDRLEN || offset + length > buf.length) {
        this.stats.decodeErrors++;
        this.emitError(new NetlinkDecodeError(`nlmsg_len ${length} at offset ${offset}`));
        return;
      }
      this.stats.messages++;
      try {
        this.handle(buf, readU16(buf, offset + 4), offset + NLMSG_HDRLEN, offset + length);
      } catch (e) {
        if (!(e instanceof NetlinkDecodeError)) throw e;
        this.stats.decodeErrors++;
        this.emitError(e);
      }
      offset += (length + 3) & ~3;
    }
  }

  private handle(buf: Buffer, type: number, start: number, end: number): void {
    switch (type) {
      case RTM.NEWLINK:
      case RTM.DELLINK:
        this.emit('link', type === RTM.NEWLINK ? 'new' : 'del', decodeLink(buf, start, end));
        return;
      case RTM.NEWADDR:
      case RTM.DELADDR:
        this.emit('address', type === RTM.NEWADDR ? 'new' : 'del', decodeAddress(buf, start, end));
        return;
      case RTM.NEWROUTE:
      case RTM.DELROUTE: {
        const family = buf[start];
        if (family !== AF.INET && family !== AF.INET6) break;
        this.emit('route', type === RTM.NEWROUTE ? 'new' : 'del', decodeRoute(buf, start, end));
        return;
      }
      case RTM.NEWNEXTHOP:
      case RTM.DELNEXTHOP:
        this.emit('nexthop', type === RTM.NEWNEXTHOP ? 'new' : 'del', decodeNexthop(buf, start, end));
        return;
      case RTM.NEWNEIGH:
      case RTM.DELNEIGH: {
        const action: ChangeAction = type === RTM.NEWNEIGH ? 'new' : 'del';
        if (buf[start] === AF.BRIDGE) this.emit('fdb', action, decodeFdb(buf, start, end));
        else this.emit('neighbor', action, decodeNeighbor(buf, start, end));
        return;
      }
      case RTM.GETNEIGH:
        this.emit('neighborRequest', decodeNeighbor(buf, start, end));
        return;
      default:
        break;
    }
    this.stats.ignored++;
  }

  close(): void {
    this.socket.close();
  }
}
