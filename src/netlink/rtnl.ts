import type { BulkEncoder, BulkOperation, BulkOptions, BulkResult } from './bulk.js';
import { runBulk, runBulkWith } from './bulk.js';
import type { ChannelStats } from './channel.js';
import { NetlinkChannel } from './channel.js';
import type { MonitorOptions, ResyncPart } from './monitor.js';
import { RtnlMonitor } from './monitor.js';
import type { AddressEntry } from './ops/address-codec.js';
import { AddressOps } from './ops/addresses.js';
import type { LinkEntry } from './ops/link-codec.js';
import { LinkOps } from './ops/links.js';
import type { FdbEntry, NeighborEntry } from './ops/neighbor-codec.js';
import { FdbOps, NeighborOps } from './ops/neighbors.js';
import type { NexthopEntry } from './ops/nexthop-codec.js';
import { NexthopOps } from './ops/nexthops.js';
import type { RouteEntry } from './ops/route-codec.js';
import type { RouteDumpFilter } from './ops/routes.js';
import { RouteOps } from './ops/routes.js';
import { SysctlOps } from './ops/sysctl.js';
import type { NetnsRef } from './socket.js';
import { resolveNetns, RtnlSocket } from './socket.js';
import { SyncNetlinkChannel } from './sync-channel.js';
import { NetlinkArgumentError, NetlinkClosedError } from './errors.js';

export type { ResyncPart };

export interface RtnlOptions {
  /** Network namespace: a name (/var/run/netns/NAME), a path, or an fd. */
  netns?: NetnsRef;
  /** Default 32 MiB: room for the error replies of large bulk batches. */
  receiveBufferSize?: number;
  /** Default 8 MiB: the largest sendmsg is the send buffer minus 32 bytes. */
  sendBufferSize?: number;
  /** NETLINK_GET_STRICT_CHK (default true): kernel-side dump filtering. */
  strictCheck?: boolean;
  /**
   * Longest wait of a synchronous call (`routes.getSync`) for the kernel's
   * answer, in ms (default 1000). Those calls use a socket of their own, opened
   * in the same namespace on first use (a namespace given as an fd must then
   * still be open).
   */
  syncTimeoutMs?: number;
}

/** A consistent-enough picture of kernel state after an overrun. */
export interface RtnlSnapshot {
  links?: LinkEntry[];
  addresses?: AddressEntry[];
  routes?: RouteEntry[];
  nexthops?: NexthopEntry[];
  neighbors?: NeighborEntry[];
  fdb?: FdbEntry[];
}

/**
 * The rtnetlink client: one NETLINK_ROUTE socket (optionally in another
 * network namespace) with pipelined, batched requests, and the operation
 * families as properties.
 *
 * @example
 * ```ts
 * const rtnl = await Rtnl.open({ netns: 'fwdemo' });
 * const eth = await rtnl.links.get('veth0');
 * await rtnl.routes.add({ dst: '10.9.0.0/24', gateway: '10.0.0.2', oif: eth!.index });
 * const result = await rtnl.bulk(routes.map((route) => ({ op: 'route.add', route })));
 * rtnl.close();
 * ```
 */
export class Rtnl {
  readonly routes: RouteOps;
  readonly nexthops: NexthopOps;
  readonly neighbors: NeighborOps;
  readonly fdb: FdbOps;
  readonly links: LinkOps;
  readonly addresses: AddressOps;
  readonly sysctl: SysctlOps;

  private syncChannel: SyncNetlinkChannel | undefined;

  private constructor(
    readonly channel: NetlinkChannel,
    readonly netns: NetnsRef | undefined,
    private readonly syncTimeoutMs: number,
  ) {
    this.routes = new RouteOps(channel, () => this.synchronous());
    this.nexthops = new NexthopOps(channel);
    this.neighbors = new NeighborOps(channel);
    this.fdb = new FdbOps(channel);
    this.links = new LinkOps(channel);
    this.addresses = new AddressOps(channel);
    this.sysctl = new SysctlOps(resolveNetns(netns));
  }

  /**
   * Opens a client. Throws UnsupportedPlatformError off Linux, a Node-style
   * system error (ENOENT for a missing namespace, EPERM without privileges)
   * otherwise.
   */
  static async open(options: RtnlOptions = {}): Promise<Rtnl> {
    const syncTimeoutMs = options.syncTimeoutMs ?? 1000;
    if (!Number.isInteger(syncTimeoutMs) || syncTimeoutMs < 0 || syncTimeoutMs > 60_000) {
      throw new NetlinkArgumentError('syncTimeoutMs', `must be an integer 0..60000, got ${syncTimeoutMs}`);
    }
    const socket = RtnlSocket.open({
      ...(options.netns !== undefined ? { netns: options.netns } : {}),
      receiveBufferSize: options.receiveBufferSize ?? 32 * 1024 * 1024,
      sendBufferSize: options.sendBufferSize ?? 8 * 1024 * 1024,
      strictCheck: options.strictCheck ?? true,
    });
    return new Rtnl(new NetlinkChannel(socket), options.netns, syncTimeoutMs);
  }

  /** Opens an event monitor (a socket of its own). */
  static monitor(options: MonitorOptions): Promise<RtnlMonitor> {
    return RtnlMonitor.open(options);
  }

  /** Opens an event monitor in this client's namespace. */
  monitor(options: Omit<MonitorOptions, 'netns'>): Promise<RtnlMonitor> {
    return RtnlMonitor.open(this.netns === undefined ? options : { ...options, netns: this.netns });
  }

  /** Streams operations in large batches; see BulkOptions. */
  bulk(operations: Iterable<BulkOperation> | AsyncIterable<BulkOperation>, options?: BulkOptions): Promise<BulkResult> {
    return runBulk(this.channel, operations, options);
  }

  /**
   * Streams items of the caller's own type, encoded by `encoder` (no
   * BulkOperation object per item); failures name the item. See BulkOptions.
   */
  bulkWith<T>(items: Iterable<T> | AsyncIterable<T>, encoder: BulkEncoder<T>, options?: BulkOptions<T>): Promise<BulkResult<T>> {
    return runBulkWith(this.channel, items, encoder, options);
  }

  /**
   * Dumps the named parts of kernel state: what a monitor consumer does after
   * an `overrun` event to rebuild its view.
   */
  async resync(parts: readonly ResyncPart[], routeFilter: RouteDumpFilter = {}): Promise<RtnlSnapshot> {
    const snapshot: RtnlSnapshot = {};
    for (const part of parts) {
      switch (part) {
        case 'links':
          snapshot.links = await this.links.list();
          break;
        case 'addresses':
          snapshot.addresses = await this.addresses.list();
          break;
        case 'routes':
          snapshot.routes = await this.routes.list(routeFilter);
          break;
        case 'nexthops':
          snapshot.nexthops = await this.nexthops.list();
          break;
        case 'neighbors':
          snapshot.neighbors = await this.neighbors.list();
          break;
        case 'fdb':
          snapshot.fdb = await this.fdb.list();
          break;
      }
    }
    return snapshot;
  }

  get stats(): Readonly<ChannelStats> {
    return this.channel.stats;
  }

  /** Closes the socket; requests still waiting reject with NetlinkClosedError. */
  close(): void {
    this.channel.close();
    this.syncChannel?.close();
  }

  /** The socket of synchronous calls, opened on first use. */
  private synchronous(): SyncNetlinkChannel {
    if (this.channel.isClosed) throw new NetlinkClosedError();
    this.syncChannel ??= SyncNetlinkChannel.open({ ...(this.netns !== undefined ? { netns: this.netns } : {}), timeoutMs: this.syncTimeoutMs });
    return this.syncChannel;
  }
}
