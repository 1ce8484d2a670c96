import type { NetlinkChannel } from '../channel.js';
import type { BodyEncoder, DumpResult } from '../channel.js';
import type { NetlinkMessage } from '../codec/nlmsghdr.js';
import type { SyncNetlinkChannel } from '../sync-channel.js';
import { AF, NLM_F, NLMSG_HDRLEN, RT_TABLE, RTA, RTM, RTM_F } from '../constants.js';
import { readU16, readU32 } from '../codec/attributes.js';
import { encodeRtMsg } from '../codec/rtmsg.js';
import type { MessageWriter } from '../codec/writer.js';
import { NetlinkArgumentError, NetlinkDecodeError, NetlinkDumpInterruptedError, NetlinkError } from '../errors.js';
import type { IpFamily } from '../ip.js';
import { parseIpInto } from '../ip.js';
import type { BulkFailure, BulkOptions, BulkResult } from '../bulk.js';
import { runBulkWith } from '../bulk.js';
import type { RouteEntry, RouteSpec } from './route-codec.js';
import { decodeRoute, encodeRouteBody } from './route-codec.js';
import type { RouteProtocolName, RouteTypeName } from './route-names.js';
import { checkU32, routeProtocolNumber, routeTypeNumber } from './route-names.js';
import { RouteView } from './route-view.js';
import type { RouteSetAttributes, RouteSetOp, RouteSetPrefix } from './route-set.js';
import { RouteSetEncoder } from './route-set.js';
import type { NlriBlock, NlriPrefix } from './nlri-route-set.js';
import { NlriRouteEncoder } from './nlri-route-set.js';

/** What a route dump asks the kernel for (strict checking) and checks again itself. */
export interface RouteDumpFilter {
  family?: IpFamily;
  table?: number;
  protocol?: RouteProtocolName | number;
  type?: RouteTypeName | number;
  oif?: number;
  /** Retries after NLM_F_DUMP_INTR (default 8). */
  maxRetries?: number;
}

/**
 * Routes: add, replace, append, delete, get (FIB lookup) and filtered dumps.
 * Every call is pipelined: issue many without awaiting each and they share
 * sendmsg calls.
 *
 * @example
 * ```ts
 * await rtnl.routes.add({ dst: '10.1.0.0/24', gateway: '10.0.0.2', oif: 2, table: 1000, protocol: 'bgp' });
 * for await (const r of rtnl.routes.dump({ table: 1000 })) console.log(r.dst, r.nhid ?? r.gateway);
 * ```
 */
export class RouteOps {
  /** getSyncView()'s view while its request runs (undefined once the answer is in it). */
  private viewWanted: RouteView | undefined;
  /**
   * Made once, not per call: a lookup that runs once in a while runs
   * unoptimized, where making a closure (and naming it) showed in profiles.
   */
  private readonly loadViewOnce = (buffer: Buffer, offset: number, length: number): void => {
    const view = this.viewWanted;
    if (view === undefined || readU16(buffer, offset + 4) !== RTM.NEWROUTE) return;
    view.load(buffer, offset + NLMSG_HDRLEN, offset + length);
    this.viewWanted = undefined;
  };

  constructor(
    private readonly channel: NetlinkChannel,
    /** The synchronous channel getSync() uses (Rtnl opens it on first use). */
    private readonly sync?: () => SyncNetlinkChannel,
  ) {}

  /** RTM_NEWROUTE with NLM_F_CREATE | NLM_F_EXCL: fails with EEXIST if present. */
  async add(route: RouteSpec): Promise<void> {
    await this.channel.request(RTM.NEWROUTE, NLM_F.CREATE | NLM_F.EXCL, (w) => encodeRouteBody(w, route, false), route);
  }

  /** NLM_F_CREATE | NLM_F_REPLACE: creates or replaces the route with the same key. */
  async replace(route: RouteSpec): Promise<void> {
    await this.channel.request(RTM.NEWROUTE, NLM_F.CREATE | NLM_F.REPLACE, (w) => encodeRouteBody(w, route, false), route);
  }

  /** NLM_F_CREATE | NLM_F_APPEND: adds another route with the same key (IPv4) or another path (IPv6). */
  async append(route: RouteSpec): Promise<void> {
    await this.channel.request(RTM.NEWROUTE, NLM_F.CREATE | NLM_F.APPEND, (w) => encodeRouteBody(w, route, false), route);
  }

  /** RTM_DELROUTE; unspecified protocol/type/scope match anything. */
  async delete(route: RouteSpec): Promise<void> {
    await this.channel.request(RTM.DELROUTE, 0, (w) => encodeRouteBody(w, route, true), route);
  }

  /**
   * Adds, replaces, appends or deletes many routes that share every attribute
   * but their destination, streamed like `rtnl.bulk()` (large batches, a
   * bounded window, failures reported per prefix without stopping). The
   * fastest bulk form: the attributes are encoded once (RouteSetEncoder).
   *
   * @example
   * ```ts
   * const r = await rtnl.routes.bulk('add', { table: 1000, gateway: '10.0.0.2', oif, protocol: 'bgp' }, prefixes);
   * console.log(r.submitted, r.failed, r.failures[0]?.operation);
   * ```
   */
  bulk(
    op: RouteSetOp,
    attributes: RouteSetAttributes,
    prefixes: Iterable<RouteSetPrefix> | AsyncIterable<RouteSetPrefix>,
    options?: BulkOptions<RouteSetPrefix>,
  ): Promise<BulkResult<RouteSetPrefix>> {
    let encoder: RouteSetEncoder;
    try {
      encoder = new RouteSetEncoder(op, attributes);
    } catch (error) {
      return Promise.reject(error);
    }
    return runBulkWith(this.channel, prefixes, encoder, options);
  }

  /**
   * Adds, replaces, appends or deletes a route for every prefix of a block in
   * the BGP NLRI encoding (RFC 4271 §4.3: a length octet, then the prefix's
   * octets), all with the same attributes: the prefixes of a received UPDATE's
   * NLRI or MP_REACH_NLRI field, straight from its bytes, with no object or
   * string per prefix. A malformed block is refused whole, as a
   * NetlinkArgumentError, before anything is sent. A failure names its prefix
   * copied out of the block, with the byte offset of its Length octet, and its
   * position in the block as `index`. Deletes are sent from the block's end to
   * its start (ascending deletes are slow in the kernel's fib_trie).
   *
   * @example
   * ```ts
   * const [seg] = view.nlriSegments(true); // UpdateView of a received UPDATE
   * const r = await rtnl.routes.bulkNlri('add', { table: 1000, gateway, oif },
   *   { family: 4, bytes: view.buf, start: seg.start, end: seg.end, addPath: seg.addPath });
   * ```
   */
  async bulkNlri(op: RouteSetOp, attributes: RouteSetAttributes, block: NlriBlock, options: BulkOptions<NlriPrefix> = {}): Promise<BulkResult<NlriPrefix>> {
    const encoder = new NlriRouteEncoder(op, attributes, block);
    // Deletes go from the block's end to its start: a withdrawal listing its
    // prefixes in ascending order would otherwise take fib_trie's slow path
    // (1M ascending deletes: 28–39 s instead of 2–4.5 s). Failures still give
    // each prefix's position in the block.
    const backwards = op === 'delete';
    const items = backwards ? encoder.offsets.slice().reverse() : encoder.offsets;
    const last = items.length - 1;
    const named = (f: BulkFailure<number>): BulkFailure<NlriPrefix> => ({ index: backwards ? last - f.index : f.index, operation: encoder.prefixAt(f.operation), error: f.error });
    const { onFailure, ...rest } = options;
    const result = await runBulkWith(this.channel, items, encoder, { ...rest, ...(onFailure !== undefined ? { onFailure: (f) => onFailure(named(f)) } : {}) });
    return { ...result, failures: result.failures.map(named) };
  }

  /**
   * Looks up the FIB entry that matches an address through the policy rules
   * (RTM_GETROUTE with RTM_F_FIB_MATCH, like `ip route get fibmatch`). With
   * strict checking the kernel refuses a table in a get request
   * (inet_rtm_valid_getroute_req), so the lookup is the one the stack makes.
   */
  async get(address: string, options: { oif?: number } = {}): Promise<RouteEntry> {
    const replies = await this.channel.request(RTM.GETROUTE, 0, getRouteBody(address, options), { address, ...options });
    return routeOfReplies(replies, address);
  }

  /**
   * The same lookup as {@link get}, answered before the call returns, on a
   * socket of its own (opened on first use, closed with the client). The
   * event loop waits for the kernel's answer: microseconds for a FIB lookup,
   * bounded by the client's `syncTimeoutMs`. For code that must not yield,
   * such as a synchronous burst of route changes; prefer {@link get} elsewhere.
   * Throws NetlinkError (ENETUNREACH, ...) like get().
   */
  getSync(address: string, options: { oif?: number } = {}): RouteEntry {
    if (this.sync === undefined) throw new NetlinkArgumentError('getSync', 'this RouteOps has no synchronous channel (use Rtnl)');
    const replies = this.sync().request(RTM.GETROUTE, 0, getRouteBody(address, options), { address, ...options });
    return routeOfReplies(replies, address);
  }

  /**
   * {@link getSync} answered into `view` instead of a new RouteEntry: no copy
   * of the reply and no field decoded until read. The view reads the
   * synchronous socket's receive buffer, so it holds until the next
   * synchronous call of this client. A lookup that runs once in a while (the
   * FIB exporter's, once per new gateway) runs unoptimized, where the copies
   * and the formatting of fields nobody reads were most of its time.
   *
   * @example
   * ```ts
   * const view = rtnl.routes.getSyncView('192.0.2.1', new RouteView());
   * if (view.type === 'unicast') console.log(view.oif, view.gateway);
   * ```
   */
  getSyncView(address: string, view: RouteView, options: { oif?: number } = {}): RouteView {
    if (this.sync === undefined) throw new NetlinkArgumentError('getSyncView', 'this RouteOps has no synchronous channel (use Rtnl)');
    this.viewWanted = view;
    try {
      this.sync().requestInPlace(RTM.GETROUTE, 0, getRouteBody(address, options), this.loadViewOnce, { address, ...options });
      if (this.viewWanted !== undefined) throw new NetlinkDecodeError(`no RTM_NEWROUTE reply for ${address}`);
    } finally {
      this.viewWanted = undefined;
    }
    return view;
  }

  /**
   * Dumps routes as an async iterator. The kernel filters (strict checking,
   * NLM_F_DUMP_FILTERED) and fibwire filters again, for kernels that ignore
   * the request's filter. A dump interrupted by concurrent changes
   * (NLM_F_DUMP_INTR) is retried from scratch before anything is yielded.
   */
  async *dump(filter: RouteDumpFilter = {}): AsyncGenerator<RouteEntry> {
    const { result, match } = await this.runDump(filter);
    if (result === undefined) return;
    // Decoded one datagram at a time: a million-route dump never holds a
    // million decoded objects at once, only the raw datagrams.
    const view = new RouteView();
    for (const datagram of result.datagrams) {
      const entries: RouteEntry[] = [];
      collectRoutes(datagram, result.seq, view, match, entries);
      yield* entries;
    }
  }

  /**
   * The whole dump as an array (no per-route await). Datagrams are decoded
   * as they arrive and dropped at once; an interrupted dump starts over.
   */
  async list(filter: RouteDumpFilter = {}): Promise<RouteEntry[]> {
    let entries: RouteEntry[] = [];
    const view = new RouteView();
    const { body, match, table } = this.prepare(filter);
    const found = await this.dumpDatagrams(
      filter,
      body,
      table,
      (datagram, seq) => collectRoutes(datagram, seq, view, match, entries),
      () => {
        entries = [];
        return true;
      },
      filter.maxRetries,
    );
    return found ? entries : [];
  }

  /**
   * The dump for bulk consumers (resync, FIB adoption): visit is called with
   * one reused RouteView per matching route, read in place as datagrams
   * arrive: no object and no string per route unless the visitor asks for
   * one (view.dst, view.toEntry()). The view is valid only during the call.
   * If the kernel interrupts the dump (NLM_F_DUMP_INTR), onRestart (when
   * given) is called and the dump starts over; without it the scan throws
   * NetlinkDumpInterruptedError, since visit has already seen part of it.
   * Resolves with the number of routes visited. An exception from visit
   * stops the visiting and rejects the scan once the dump has finished.
   */
  async scan(filter: RouteDumpFilter, visit: (route: RouteView) => void, onRestart?: () => void): Promise<number> {
    let count = 0;
    const view = new RouteView();
    const { body, match, table } = this.prepare(filter);
    try {
      const found = await this.dumpDatagrams(
        filter,
        body,
        table,
        (datagram, seq) => {
          count += visitRoutes(datagram, seq, view, match, visit);
        },
        () => {
          if (onRestart === undefined) throw new NetlinkDumpInterruptedError(1);
          count = 0;
          onRestart();
          return false;
        },
        onRestart === undefined ? 0 : filter.maxRetries,
      );
      return found ? count : 0;
    } finally {
      view.buffer = Buffer.alloc(0);
    }
  }

  /**
   * One route dump through dumpEach for list() and scan(): `each` sees every
   * datagram, and its first exception stops the visiting and is thrown once
   * the dump has finished; `restart` runs when the kernel interrupted the
   * dump and says whether that exception is forgotten. Resolves false when
   * the filter names a table the kernel does not have (ipv4 answers ENOENT,
   * "FIB table does not exist": no routes).
   */
  private async dumpDatagrams(
    filter: RouteDumpFilter,
    body: (w: MessageWriter) => void,
    table: number | undefined,
    each: (datagram: Buffer, seq: number) => void,
    restart: () => boolean,
    maxRetries: number | undefined,
  ): Promise<boolean> {
    let failure: unknown;
    try {
      await this.channel.dumpEach(
        RTM.GETROUTE,
        body,
        (datagram, seq) => {
          if (failure !== undefined) return;
          try {
            each(datagram, seq);
          } catch (error) {
            failure = error;
          }
        },
        () => {
          if (restart()) failure = undefined;
        },
        filter,
        maxRetries,
      );
    } catch (error) {
      if (error instanceof NetlinkError && error.code === 'ENOENT' && table !== undefined) return false;
      throw error;
    }
    if (failure !== undefined) throw failure;
    return true;
  }

  /**
   * Streams a dump with bounded memory at any table size: routes are decoded
   * and yielded as the kernel produces them, and the kernel waits while the
   * consumer is busy. Unlike dump(), an interrupted dump (NLM_F_DUMP_INTR) is
   * not retried: the iterator throws NetlinkDumpInterruptedError at its end.
   * Always finish or break the loop: an abandoned iterator keeps the
   * client's socket paused.
   */
  async *stream(filter: RouteDumpFilter = {}): AsyncGenerator<RouteEntry> {
    const { body, match, table } = this.prepare(filter);
    const view = new RouteView();
    try {
      for await (const chunk of this.channel.dumpStream(RTM.GETROUTE, body, filter)) {
        const entries: RouteEntry[] = [];
        for (const datagram of chunk.datagrams) collectRoutes(datagram, chunk.seq, view, match, entries);
        yield* entries;
      }
    } catch (error) {
      if (error instanceof NetlinkError && error.code === 'ENOENT' && table !== undefined) return;
      throw error;
    }
  }

  private prepare(filter: RouteDumpFilter): { body: (w: MessageWriter) => void; match: RouteMatch; table: number | undefined } {
    const table = filter.table === undefined ? undefined : checkU32(filter.table, 'table', 1);
    const protocol = filter.protocol === undefined ? undefined : routeProtocolNumber(filter.protocol);
    const type = filter.type === undefined ? undefined : routeTypeNumber(filter.type);
    const oif = filter.oif === undefined ? undefined : checkU32(filter.oif, 'oif', 1);
    const family = filter.family === undefined ? AF.UNSPEC : filter.family === 4 ? AF.INET : AF.INET6;
    const match: RouteMatch = { table: table ?? -1, protocol: protocol ?? -1, type: type ?? -1, oif: oif ?? -1 };
    const body = (w: MessageWriter): void => {
      encodeRtMsg(w, {
        family,
        dstLen: 0,
        srcLen: 0,
        tos: 0,
        table: table !== undefined && table < 256 ? table : RT_TABLE.UNSPEC,
        protocol: protocol ?? 0,
        scope: 0,
        type: type ?? 0,
        flags: 0,
      });
      if (table !== undefined) w.attrU32(RTA.TABLE, table);
      if (oif !== undefined) w.attrU32(RTA.OIF, oif);
    };
    return { body, match, table };
  }

  private async runDump(filter: RouteDumpFilter): Promise<{ result: DumpResult | undefined; match: RouteMatch }> {
    const { body, match, table } = this.prepare(filter);
    try {
      const result = await this.channel.dumpAll(RTM.GETROUTE, body, filter, filter.maxRetries);
      return { result, match };
    } catch (error) {
      // ipv4: a filter naming a table that does not exist is ENOENT ("FIB table does not exist"): no routes.
      if (error instanceof NetlinkError && error.code === 'ENOENT' && table !== undefined) return { result: undefined, match };
      throw error;
    }
  }
}

/** A compiled dump filter; -1 means "any". Checked again here for kernels that ignore strict checking. */
interface RouteMatch {
  table: number;
  protocol: number;
  type: number;
  oif: number;
}

function matches(view: RouteView, match: RouteMatch): boolean {
  if (match.table >= 0 && view.table !== match.table) return false;
  if (match.protocol >= 0 && view.protocol !== match.protocol) return false;
  if (match.type >= 0 && view.typeNumber !== match.type) return false;
  if (match.oif >= 0 && !view.usesOif(match.oif)) return false;
  return true;
}

/**
 * Walks the nlmsghdrs of one dump datagram (only RTM_NEWROUTE with the
 * dump's seq; other families such as ipmr or MPLS are skipped) and calls
 * visit for each matching route. One pass, no closure or object per message.
 */
function visitRoutes(buf: Buffer, seq: number, view: RouteView, match: RouteMatch, visit: (route: RouteView) => void): number {
  let count = 0;
  let offset = 0;
  const size = buf.length;
  while (offset + NLMSG_HDRLEN <= size) {
    const length = readU32(buf, offset);
    if (length < NLMSG_HDRLEN || offset + length > size) break; // validated on receipt
    if (readU16(buf, offset + 4) === RTM.NEWROUTE && readU32(buf, offset + 8) === seq) {
      const start = offset + NLMSG_HDRLEN;
      const family = buf[start];
      if (family === AF.INET || family === AF.INET6) {
        view.load(buf, start, offset + length);
        if (matches(view, match)) {
          visit(view);
          count++;
        }
      }
    }
    offset += (length + 3) & ~3;
  }
  return count;
}

/** visitRoutes into plain RouteEntry objects (one closure per datagram, not per route). */
function collectRoutes(buf: Buffer, seq: number, view: RouteView, match: RouteMatch, out: RouteEntry[]): void {
  visitRoutes(buf, seq, view, match, (route) => {
    out.push(route.toEntry());
  });
  view.buffer = EMPTY_BUFFER;
}

const EMPTY_BUFFER = Buffer.alloc(0);

/**
 * RTM_GETROUTE for one address with RTM_F_FIB_MATCH (`ip route get fibmatch`).
 * With strict checking the kernel refuses a table in a get request
 * (inet_rtm_valid_getroute_req), so the lookup is the one the stack makes.
 */
function getRouteBody(address: string, options: { oif?: number }): BodyEncoder {
  // Parsed into a plain array of its own (the body may be encoded later, on the
  // asynchronous channel): no Buffer.alloc and subarray, which cost more than
  // the parse in a lookup that runs unoptimized.
  const bytes = new Uint8Array(16);
  const family = parseIpInto(address, bytes);
  if (family === 0) throw new NetlinkArgumentError('address', `not an IP address: ${JSON.stringify(address)}`);
  return (w) => {
    encodeRtMsg(w, {
      family: family === 4 ? AF.INET : AF.INET6,
      dstLen: family === 4 ? 32 : 128,
      srcLen: 0,
      tos: 0,
      table: 0,
      protocol: 0,
      scope: 0,
      type: 0,
      flags: RTM_F.FIB_MATCH,
    });
    w.attrBytesFrom(RTA.DST, bytes, family === 4 ? 4 : 16);
    if (options.oif !== undefined) w.attrU32(RTA.OIF, checkU32(options.oif, 'oif', 1));
  };
}

function routeOfReplies(replies: readonly NetlinkMessage[], address: string): RouteEntry {
  const reply = replies.find((m) => m.type === RTM.NEWROUTE);
  if (reply === undefined) throw new NetlinkDecodeError(`no RTM_NEWROUTE reply for ${address}`);
  return decodeRoute(reply.buffer, reply.payloadStart, reply.payloadEnd);
}
