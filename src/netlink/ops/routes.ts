import type { NetlinkChannel } from '../channel.js';
import { forEachDumpMessage, type DumpResult } from '../channel.js';
import { AF, NLM_F, RT_TABLE, RTA, RTM, RTM_F } from '../constants.js';
import { encodeRtMsg } from '../codec/rtmsg.js';
import type { MessageWriter } from '../codec/writer.js';
import { NetlinkError } from '../errors.js';
import type { IpFamily } from '../ip.js';
import { parseIp } from '../ip.js';
import type { RouteEntry, RouteSpec } from './route-codec.js';
import { decodeRoute, encodeRouteBody } from './route-codec.js';
import type { RouteProtocolName, RouteTypeName } from './route-names.js';
import { checkU32, routeProtocolNumber, routeTypeName, routeTypeNumber } from './route-names.js';

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
  constructor(private readonly channel: NetlinkChannel) {}

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
   * Looks up the FIB entry that matches an address through the policy rules
   * (RTM_GETROUTE with RTM_F_FIB_MATCH, like `ip route get fibmatch`). With
   * strict checking the kernel refuses a table in a get request
   * (inet_rtm_valid_getroute_req), so the lookup is the one the stack makes.
   */
  async get(address: string, options: { oif?: number } = {}): Promise<RouteEntry> {
    const { family, bytes } = parseIp(address, 'address');
    const replies = await this.channel.request(
      RTM.GETROUTE,
      0,
      (w) => {
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
        w.attrBytes(RTA.DST, bytes);
        if (options.oif !== undefined) w.attrU32(RTA.OIF, checkU32(options.oif, 'oif', 1));
      },
      { address, ...options },
    );
    const reply = replies.find((m) => m.type === RTM.NEWROUTE);
    if (reply === undefined) throw new Error(`no RTM_NEWROUTE reply for ${address}`);
    return decodeRoute(reply.buffer, reply.payloadStart, reply.payloadEnd);
  }

  /**
   * Dumps routes as an async iterator. The kernel filters (strict checking,
   * NLM_F_DUMP_FILTERED) and fibwire filters again, for kernels that ignore
   * the request's filter. A dump interrupted by concurrent changes
   * (NLM_F_DUMP_INTR) is retried from scratch before anything is yielded.
   */
  async *dump(filter: RouteDumpFilter = {}): AsyncGenerator<RouteEntry> {
    const { result, decodeInto } = await this.runDump(filter);
    if (result === undefined) return;
    // Decoded one datagram at a time: a million-route dump never holds a
    // million decoded objects at once, only the raw datagrams.
    for (const datagram of result.datagrams) {
      const entries: RouteEntry[] = [];
      decodeInto({ seq: result.seq, datagrams: [datagram] }, entries);
      yield* entries;
    }
  }

  /** The whole dump as an array (no per-route await). */
  async list(filter: RouteDumpFilter = {}): Promise<RouteEntry[]> {
    const { result, decodeInto } = await this.runDump(filter);
    const entries: RouteEntry[] = [];
    if (result !== undefined) decodeInto(result, entries);
    return entries;
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
    const { body, decodeInto, table } = this.prepare(filter);
    try {
      for await (const chunk of this.channel.dumpStream(RTM.GETROUTE, body, filter)) {
        const entries: RouteEntry[] = [];
        decodeInto(chunk, entries);
        yield* entries;
      }
    } catch (error) {
      if (error instanceof NetlinkError && error.code === 'ENOENT' && table !== undefined) return;
      throw error;
    }
  }

  private prepare(filter: RouteDumpFilter): {
    body: (w: MessageWriter) => void;
    decodeInto: (result: DumpResult, out: RouteEntry[]) => void;
    table: number | undefined;
  } {
    const table = filter.table === undefined ? undefined : checkU32(filter.table, 'table', 1);
    const protocol = filter.protocol === undefined ? undefined : routeProtocolNumber(filter.protocol);
    const type = filter.type === undefined ? undefined : routeTypeNumber(filter.type);
    const oif = filter.oif === undefined ? undefined : checkU32(filter.oif, 'oif', 1);
    const family = filter.family === undefined ? AF.UNSPEC : filter.family === 4 ? AF.INET : AF.INET6;
    const typeName = type === undefined ? undefined : routeTypeName(type);
    const decodeInto = (dump: DumpResult, out: RouteEntry[]): void => {
      forEachDumpMessage(dump, (buf, msgType, _flags, start, end) => {
        if (msgType !== RTM.NEWROUTE) return;
        const routeFamily = buf[start];
        if (routeFamily !== AF.INET && routeFamily !== AF.INET6) return; // ipmr, mpls, ...
        const entry = decodeRoute(buf, start, end);
        if (table !== undefined && entry.table !== table) return;
        if (protocol !== undefined && entry.protocol !== protocol) return;
        if (typeName !== undefined && entry.type !== typeName) return;
        if (oif !== undefined && entry.oif !== oif && !(entry.multipath ?? []).some((h) => h.oif === oif)) return;
        out.push(entry);
      });
    };
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
    return { body, decodeInto, table };
  }

  private async runDump(
    filter: RouteDumpFilter,
  ): Promise<{ result: DumpResult | undefined; decodeInto: (result: DumpResult, out: RouteEntry[]) => void }> {
    const { body, decodeInto, table } = this.prepare(filter);
    try {
      const result = await this.channel.dumpAll(RTM.GETROUTE, body, filter, filter.maxRetries);
      return { result, decodeInto };
    } catch (error) {
      // ipv4: a filter naming a table that does not exist is ENOENT ("FIB table does not exist"): no routes.
      if (error instanceof NetlinkError && error.code === 'ENOENT' && table !== undefined) return { result: undefined, decodeInto };
      throw error;
    }
  }
}
