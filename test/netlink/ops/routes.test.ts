/**
 * RouteOps dumps (list, scan, dump) against a scripted socket: filtering
 * again in user space, datagrams decoded as they arrive, NLM_F_DUMP_INTR
 * restarts, malformed routes. Pure logic; the kernel is in
 * test/kernel/netlink-routes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { NetlinkChannel, type ChannelSocket } from '../../../src/netlink/channel.js';
import { HOST_LITTLE_ENDIAN } from '../../../src/netlink/codec/host-endian.js';
import { splitMessages } from '../../../src/netlink/codec/nlmsghdr.js';
import { MessageWriter } from '../../../src/netlink/codec/writer.js';
import { NLM_F, NLMSG, RTM } from '../../../src/netlink/constants.js';
import { NetlinkDecodeError, NetlinkDumpInterruptedError } from '../../../src/netlink/errors.js';
import type { NativeReceiveCallback } from '../../../src/netlink/native/binding-types.js';
import { encodeRouteBody, type RouteSpec } from '../../../src/netlink/ops/route-codec.js';
import { RouteOps } from '../../../src/netlink/ops/routes.js';
import { RouteView } from '../../../src/netlink/ops/route-view.js';
import { SyncNetlinkChannel, type SyncChannelSocket } from '../../../src/netlink/sync-channel.js';

class ScriptedSocket implements ChannelSocket {
  readonly sendBufferSize = 1 << 20;
  readonly receiveBufferSize = 1 << 20;
  sent: Buffer[] = [];
  private onReceive: NativeReceiveCallback | undefined;
  send(data: Buffer | readonly Buffer[]): number {
    const buf = Buffer.isBuffer(data) ? Buffer.from(data) : Buffer.concat([...data]);
    this.sent.push(buf);
    return buf.length;
  }
  start(onReceive: NativeReceiveCallback): void {
    this.onReceive = onReceive;
  }
  stop(): void {}
  close(): void {}
  deliver(datagrams: Buffer[]): void {
    this.onReceive?.(null, datagrams, 0, 0);
  }
  lastSeq(): number {
    const last = this.sent.at(-1);
    const seq = last === undefined ? undefined : splitMessages(last).at(-1)?.seq;
    if (seq === undefined) throw new Error('nothing sent');
    return seq;
  }
}

/** One dump datagram: the routes as RTM_NEWROUTE messages, optionally raw bodies, optionally NLMSG_DONE. */
function datagram(seq: number, routes: RouteSpec[], options: { raw?: Buffer[]; flags?: number; done?: boolean } = {}): Buffer {
  const w = new MessageWriter(256);
  for (const route of routes) {
    const m = w.beginMessage(RTM.NEWROUTE, options.flags ?? NLM_F.MULTI, seq, 1);
    encodeRouteBody(w, route, false);
    w.endMessage(m);
  }
  for (const body of options.raw ?? []) {
    const m = w.beginMessage(RTM.NEWROUTE, options.flags ?? NLM_F.MULTI, seq, 1);
    w.raw(body);
    w.endMessage(m);
  }
  if (options.done === true) {
    const d = w.beginMessage(NLMSG.DONE, NLM_F.MULTI | (options.flags ?? 0), seq, 1);
    w.i32(0);
    w.endMessage(d);
  }
  return Buffer.from(w.bytes());
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** An MPLS route (AF_MPLS = 28): skipped by IPv4/IPv6 route dumps. */
const MPLS_BODY = Buffer.from([28, 20, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0]);

if (!HOST_LITTLE_ENDIAN) console.warn('route dump tests build little-endian replies; skipped on this big-endian host');
const suite = HOST_LITTLE_ENDIAN ? describe : describe.skip;

suite('RouteOps dumps', () => {
  it('list() decodes as datagrams arrive, filters again in user space and skips other families', async () => {
    const socket = new ScriptedSocket();
    const routes = new RouteOps(new NetlinkChannel(socket));
    const p = routes.list({ table: 1000, protocol: 'bgp' });
    await tick();
    const seq = socket.lastSeq();
    socket.deliver([
      datagram(seq, [
        { dst: '10.0.0.0/24', nhid: 1, table: 1000, protocol: 'bgp' },
        { dst: '10.0.1.0/24', nhid: 1, table: 1001, protocol: 'bgp' }, // another table: a kernel that ignored the filter
      ]),
    ]);
    socket.deliver([datagram(seq, [{ dst: '10.0.2.0/24', gateway: '10.9.0.1', table: 1000, protocol: 'static' }], { raw: [MPLS_BODY] })]);
    socket.deliver([datagram(seq, [{ dst: '2001:db8::/64', nhid: 2, table: 1000, protocol: 'bgp' }], { done: true })]);
    const list = await p;
    expect(list.map((r) => r.dst)).toEqual(['10.0.0.0/24', '2001:db8::/64']);
    expect(list[0]).toMatchObject({ family: 4, table: 1000, protocol: 186, nhid: 1, type: 'unicast' });
  });

  it('list() starts over after NLM_F_DUMP_INTR: only the clean attempt is returned', async () => {
    const socket = new ScriptedSocket();
    const routes = new RouteOps(new NetlinkChannel(socket));
    const p = routes.list({ table: 1000 });
    await tick();
    const first = socket.lastSeq();
    socket.deliver([datagram(first, [{ dst: '10.0.0.0/24', table: 1000, nhid: 1 }], { flags: NLM_F.MULTI | NLM_F.DUMP_INTR, done: true })]);
    await tick();
    const second = socket.lastSeq();
    expect(second).not.toBe(first);
    socket.deliver([datagram(second, [{ dst: '10.0.0.0/24', table: 1000, nhid: 1 }, { dst: '10.0.1.0/24', table: 1000, nhid: 1 }], { done: true })]);
    expect((await p).map((r) => r.dst)).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
  });

  it('scan() visits one reused view per route; without onRestart an interrupted dump throws', async () => {
    const socket = new ScriptedSocket();
    const routes = new RouteOps(new NetlinkChannel(socket));
    const seen: string[] = [];
    const views = new Set<unknown>();
    const p = routes.scan({ table: 1000 }, (view) => {
      views.add(view);
      seen.push(`${view.dst} nhid ${view.nhid ?? '-'}`);
    });
    await tick();
    const seq = socket.lastSeq();
    socket.deliver([datagram(seq, [{ dst: '10.0.0.0/24', table: 1000, nhid: 1 }, { dst: '10.0.1.0/24', table: 1000, nhid: 2 }], { done: true })]);
    expect(await p).toBe(2);
    expect(seen).toEqual(['10.0.0.0/24 nhid 1', '10.0.1.0/24 nhid 2']);
    expect(views.size).toBe(1);

    const q = routes.scan({ table: 1000 }, () => undefined);
    await tick();
    socket.deliver([datagram(socket.lastSeq(), [{ dst: '10.0.0.0/24', table: 1000, nhid: 1 }], { flags: NLM_F.MULTI | NLM_F.DUMP_INTR, done: true })]);
    await expect(q).rejects.toBeInstanceOf(NetlinkDumpInterruptedError);
  });

  it('scan() with onRestart starts over and counts only the clean attempt', async () => {
    const socket = new ScriptedSocket();
    const routes = new RouteOps(new NetlinkChannel(socket));
    let visited = 0;
    let restarts = 0;
    const p = routes.scan(
      { table: 1000 },
      () => visited++,
      () => {
        restarts++;
        visited = 0;
      },
    );
    await tick();
    socket.deliver([datagram(socket.lastSeq(), [{ dst: '10.0.0.0/24', table: 1000, nhid: 1 }], { flags: NLM_F.MULTI | NLM_F.DUMP_INTR, done: true })]);
    await tick();
    socket.deliver([datagram(socket.lastSeq(), [{ dst: '10.0.0.0/24', table: 1000, nhid: 1 }, { dst: '10.0.5.0/24', table: 1000, nhid: 1 }], { done: true })]);
    expect(await p).toBe(2);
    expect(visited).toBe(2);
    expect(restarts).toBe(1);
  });

  it('a malformed route rejects list() with NetlinkDecodeError after the dump ends; the channel keeps working', async () => {
    const socket = new ScriptedSocket();
    const routes = new RouteOps(new NetlinkChannel(socket));
    const p = routes.list();
    await tick();
    const seq = socket.lastSeq();
    // RTA_DST of 3 bytes on an IPv4 route
    const bad = Buffer.from([2, 24, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0, 7, 0, 1, 0, 10, 0, 0, 0]);
    socket.deliver([datagram(seq, [{ dst: '10.0.0.0/24', nhid: 1 }], { raw: [bad] })]);
    socket.deliver([datagram(seq, [], { done: true })]);
    await expect(p).rejects.toBeInstanceOf(NetlinkDecodeError);
    const again = routes.list();
    await tick();
    socket.deliver([datagram(socket.lastSeq(), [{ dst: '10.0.0.0/24', nhid: 1 }], { done: true })]);
    expect(await again).toHaveLength(1);
  });
});

/** A synchronous socket that answers each request with `answer(seq)`. */
function scriptedSync(answer: (seq: number) => Buffer): SyncChannelSocket {
  const queue: Buffer[] = [];
  return {
    send(data) {
      const buf = Buffer.isBuffer(data) ? data : Buffer.concat([...data]);
      queue.push(answer(splitMessages(buf)[0]!.seq));
      return buf.length;
    },
    receiveSync(buffer) {
      const next = queue.shift()!;
      next.copy(buffer);
      return next.length;
    },
    close() {},
  };
}

/** NLMSG_ERROR 0 (the ACK) for seq, request header echoed (capped). */
function ackFor(seq: number): Buffer {
  const w = new MessageWriter(64);
  const m = w.beginMessage(NLMSG.ERROR, NLM_F.CAPPED, seq, 0);
  w.i32(0);
  w.endMessage(w.beginMessage(RTM.GETROUTE, NLM_F.REQUEST | NLM_F.ACK, seq));
  w.endMessage(m);
  return Buffer.from(w.bytes());
}

suite('RouteOps.getSyncView', () => {
  it('an answer without RTM_NEWROUTE is NetlinkDecodeError; the next lookup fills the view from the reply', () => {
    let withRoute = false;
    const sync = new SyncNetlinkChannel(
      scriptedSync((seq) =>
        withRoute ? Buffer.concat([datagram(seq, [{ dst: '10.9.0.0/16', gateway: '10.0.0.2', oif: 3, table: 254 }], { flags: 0 }), ackFor(seq)]) : ackFor(seq),
      ),
    );
    const routes = new RouteOps(new NetlinkChannel(new ScriptedSocket()), () => sync);
    const view = new RouteView();
    expect(() => routes.getSyncView('10.9.1.1', view)).toThrow(NetlinkDecodeError);
    withRoute = true;
    expect(routes.getSyncView('10.9.1.1', view)).toBe(view);
    expect([view.type, view.dst, view.gateway, view.oif, view.table]).toEqual(['unicast', '10.9.0.0/16', '10.0.0.2', 3, 254]);
  });
});
