/**
 * The bulk path's bookkeeping against a scripted socket that sends "on a
 * thread" (completes later, like the addon's sendAsync) and answers like the
 * kernel: pure logic. The real kernel runs the same path in
 * test/kernel/netlink-routes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runBulk, runBulkWith, type BulkEncoder, type BulkOperation, type BulkResult } from '../../src/netlink/bulk.js';
import { encodeRouteBody } from '../../src/netlink/ops/route-codec.js';
import { NetlinkChannel, type ChannelSocket } from '../../src/netlink/channel.js';
import { splitMessages } from '../../src/netlink/codec/nlmsghdr.js';
import { MessageWriter } from '../../src/netlink/codec/writer.js';
import { NetlinkArgumentError, NetlinkError } from '../../src/netlink/errors.js';
import { NLM_F, NLMSG, RTM } from '../../src/netlink/constants.js';
import type { NativeReceiveCallback } from '../../src/netlink/native/binding-types.js';

/** Destination whose route the scripted kernel refuses with ENODEV. */
const REFUSED = [12, 9, 9, 9];

/** NLMSG_ERROR answering seq with `error` (0: an ACK). */
function answer(seq: number, error: number): Buffer {
  const w = new MessageWriter(64);
  const m = w.beginMessage(NLMSG.ERROR, NLM_F.CAPPED, seq, 1);
  w.i32(error);
  const echoed = w.beginMessage(RTM.NEWROUTE, 0, seq);
  w.endMessage(echoed);
  w.endMessage(m);
  return Buffer.from(w.bytes());
}

class ThreadedKernel implements ChannelSocket {
  readonly sendBufferSize = 1 << 20;
  readonly receiveBufferSize = 8 << 20;
  /** Bytes of each batch as they were when sendAsync was called. */
  readonly batches: Buffer[] = [];
  /** Set: the next sendAsync fails with this errno code. */
  failNext: string | undefined;
  reusedWhileSending = 0;
  protected onReceive: NativeReceiveCallback | undefined;
  send(data: Buffer | readonly Buffer[]): number {
    return (Buffer.isBuffer(data) ? data : Buffer.concat([...data])).length;
  }
  sendAsync(data: Buffer | readonly Buffer[], done: (error: Error | null, bytes: number) => void): void {
    const live = Buffer.isBuffer(data) ? data : Buffer.concat([...data]);
    const copy = Buffer.from(live);
    const failure = this.failNext;
    this.failNext = undefined;
    // "sendmsg" takes a while; the caller encodes the next batch meanwhile
    setTimeout(() => {
      if (!live.equals(copy)) this.reusedWhileSending++;
      if (failure !== undefined) {
        done(Object.assign(new Error(`${failure}, sendmsg`), { errno: -105, code: failure, syscall: 'sendmsg' }), 0);
        return;
      }
      const replies = this.accept(copy);
      done(null, copy.length);
      setImmediate(() => this.onReceive?.(null, replies, 0, 0));
    }, 2);
  }
  /** The kernel has the batch (its sendmsg returned): recorded, and its answers. */
  protected accept(copy: Buffer): Buffer[] {
    this.batches.push(copy);
    const replies: Buffer[] = [];
    for (const m of splitMessages(copy)) {
      if (m.type === NLMSG.NOOP) replies.push(answer(m.seq, 0));
      else if (copy.subarray(m.payloadStart + 24, m.payloadStart + 28).equals(Buffer.from(REFUSED))) replies.push(answer(m.seq, -19));
    }
    return replies;
  }
  start(onReceive: NativeReceiveCallback): void {
    this.onReceive = onReceive;
  }
  stop(): void {}
  close(): void {}
}

/**
 * ThreadedKernel with the addon's queue and an exact count of the sends not
 * started: the test moves the send thread on (sendQueued() sends everything
 * queued, in call order), and each callback and answer reaches JavaScript a
 * turn later, as the addon's do.
 */
class QueueingKernel extends ThreadedKernel {
  readonly countsQueuedSends = true;
  /** Batches whose bytes changed between sendAsync and their sendmsg. */
  reusedWhileQueued = 0;
  private readonly queue: { live: Buffer; copy: Buffer; done: (error: Error | null, bytes: number) => void }[] = [];
  queuedSends(): number {
    return this.queue.length;
  }
  override sendAsync(data: Buffer | readonly Buffer[], done: (error: Error | null, bytes: number) => void): void {
    const live = Buffer.isBuffer(data) ? data : Buffer.concat([...data]);
    this.queue.push({ live, copy: Buffer.from(live), done });
  }
  sendQueued(): void {
    for (let item = this.queue.shift(); item !== undefined; item = this.queue.shift()) {
      const sent = item;
      if (!sent.live.equals(sent.copy)) this.reusedWhileQueued++;
      const replies = this.accept(Buffer.from(sent.live));
      setImmediate(() => {
        sent.done(null, sent.copy.length);
        this.onReceive?.(null, replies, 0, 0);
      });
    }
  }
}

const route = (i: number): BulkOperation => ({ op: 'route.add', route: { dst: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`, nhid: 1, table: 1000 } });

// Endian-neutral: replies are built with MessageWriter and requests read with
// splitMessages, both in host order; the one fixed-offset read is an address
// (network order on every host).
describe('runBulk over a threaded socket', () => {
  it('never rewrites a batch while its sendmsg is in flight, and every operation goes out once', async () => {
    const kernel = new ThreadedKernel();
    const ops = Array.from({ length: 5000 }, (_, i) => route(i));
    const result = await runBulk(new NetlinkChannel(kernel), ops, { batchBytes: 8192, window: 2 });
    expect(result).toMatchObject({ submitted: 5000, failed: 0, succeeded: 5000, overrun: false });
    expect(result.batches).toBeGreaterThan(10);
    expect(kernel.reusedWhileSending).toBe(0);
    // every route message exactly once, in stream order
    const seen = kernel.batches.flatMap((b) => splitMessages(b).filter((m) => m.type === RTM.NEWROUTE).map((m) => [...b.subarray(m.payloadStart + 24, m.payloadStart + 28)].join('.')));
    expect(seen).toEqual(ops.map((o) => (o.op === 'route.add' ? String(o.route.dst).replace(/\/32$/, '') : '')));
  });

  it("streams started in one synchronous loop (the FIB exporter's slices) reuse the writers of batches the send thread is past; nothing is rewritten or sent twice", async () => {
    const kernel = new QueueingKernel();
    const channel = new NetlinkChannel(kernel);
    const streams: Promise<BulkResult<BulkOperation>>[] = [];
    for (let s = 0; s < 40; s++) {
      streams.push(runBulk(channel, Array.from({ length: 50 }, (_, i) => route(s * 50 + i)), { batchBytes: 8192 }));
      kernel.sendQueued(); // the send thread keeps up; no callback can run inside this loop
    }
    // one writer per stream without the queue count; here the one in sendmsg and the one being filled alternate
    expect(channel.stats.batchWriters).toBeLessThanOrEqual(3);
    for (const r of await Promise.all(streams)) expect(r).toMatchObject({ submitted: 50, failed: 0, succeeded: 50 });
    expect(kernel.reusedWhileQueued).toBe(0);
    const seen = kernel.batches.flatMap((b) => splitMessages(b).filter((m) => m.type === RTM.NEWROUTE).map((m) => [...b.subarray(m.payloadStart + 24, m.payloadStart + 28)].join('.')));
    expect(seen).toEqual(Array.from({ length: 2000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
  });

  it('slow start: batches grow from 16 KiB to batchBytes; slowStart: false fills batchBytes from the first', async () => {
    const ops = Array.from({ length: 6000 }, (_, i) => route(i));
    const sizes = async (slowStart: boolean | undefined): Promise<number[]> => {
      const kernel = new ThreadedKernel();
      const result = await runBulk(new NetlinkChannel(kernel), ops, { batchBytes: 128 * 1024, ...(slowStart === undefined ? {} : { slowStart }) });
      expect(result).toMatchObject({ submitted: 6000, failed: 0 });
      return kernel.batches.map((b) => b.length);
    };
    const grown = await sizes(undefined);
    // 16 KiB, 32 KiB, 64 KiB, then full batches (each closes at the first message past the limit)
    expect(grown[0]).toBeGreaterThanOrEqual(16 * 1024);
    expect(grown[0]).toBeLessThan(17 * 1024);
    expect(grown[1]).toBeGreaterThanOrEqual(32 * 1024);
    expect(grown[1]).toBeLessThan(33 * 1024);
    expect(grown[3]).toBeGreaterThanOrEqual(128 * 1024);
    const flat = await sizes(false);
    expect(flat[0]).toBeGreaterThanOrEqual(128 * 1024);
    expect(flat.length).toBeLessThan(grown.length);
  });

  it('reports stream positions right when an operation that cannot be encoded sits in the same batch', async () => {
    const kernel = new ThreadedKernel();
    const ops = Array.from({ length: 40 }, (_, i) => route(i));
    ops[5] = { op: 'route.add', route: { dst: '10.0.0.5/33', nhid: 1, table: 1000 } }; // prefix length 33
    ops[7] = { op: 'route.add', route: { dst: `${REFUSED.join('.')}/32`, nhid: 1, table: 1000 } };
    ops[30] = { op: 'route.add', route: { dst: `${REFUSED.join('.')}/32`, nhid: 1, table: 1000 } };
    const result = await runBulk(new NetlinkChannel(kernel), ops, { batchBytes: 1 << 16 });
    expect(result.batches).toBe(1);
    expect(result).toMatchObject({ submitted: 39, failed: 3, succeeded: 37 });
    const byIndex = new Map(result.failures.map((f) => [f.index, f.error]));
    expect(byIndex.get(5)).toBeInstanceOf(NetlinkArgumentError);
    expect(byIndex.get(7)).toBeInstanceOf(NetlinkError);
    expect(byIndex.get(7)).toMatchObject({ code: 'ENODEV' });
    expect(byIndex.get(30)).toMatchObject({ code: 'ENODEV' });
    expect(result.failures.find((f) => f.index === 7)?.operation).toBe(ops[7]);
  });

  // Arrays are read by index (failures looked up there); other sources keep
  // each batch's operations. Both must name the same failures.
  const sources: { name: string; of: (ops: BulkOperation[]) => Iterable<BulkOperation> | AsyncIterable<BulkOperation> }[] = [
    { name: 'an array', of: (ops) => ops },
    { name: 'a generator', of: (ops) => (function* () { yield* ops; })() },
    { name: 'a Set', of: (ops) => new Set(ops) },
    { name: 'an async generator', of: (ops) => (async function* () { yield* ops; })() },
  ];
  for (const source of sources) {
    it(`names each failed operation and its position from ${source.name}, across batches and encode failures`, async () => {
      const ops = Array.from({ length: 2000 }, (_, i) => route(i));
      const refused = (i: number): BulkOperation => ({ op: 'route.add', route: { dst: `${REFUSED.join('.')}/32`, nhid: 1, table: 1000 + i } });
      for (const i of [0, 299, 300, 1234, 1999]) ops[i] = refused(i);
      ops[301] = { op: 'route.add', route: { dst: '10.0.0.5/33', nhid: 1, table: 1000 } }; // cannot be encoded: a gap in the batch
      const result = await runBulk(new NetlinkChannel(new ThreadedKernel()), source.of(ops), { batchBytes: 4096 });
      expect(result.batches).toBeGreaterThan(10);
      expect(result).toMatchObject({ submitted: 1999, failed: 6, succeeded: 1994 });
      const named = result.failures.map((f) => [f.index, f.operation, f.error instanceof NetlinkError ? f.error.code : 'argument']).sort((a, b) => (a[0] as number) - (b[0] as number));
      expect(named).toEqual([
        [0, ops[0], 'ENODEV'],
        [299, ops[299], 'ENODEV'],
        [300, ops[300], 'ENODEV'],
        [301, ops[301], 'argument'],
        [1234, ops[1234], 'ENODEV'],
        [1999, ops[1999], 'ENODEV'],
      ]);
    });
  }

  it('a failed sendmsg rejects the stream with that error (never an unhandled rejection)', async () => {
    const kernel = new ThreadedKernel();
    kernel.failNext = 'ENOBUFS';
    const ops = Array.from({ length: 3000 }, (_, i) => route(i));
    const channel = new NetlinkChannel(kernel);
    await expect(runBulk(channel, ops, { batchBytes: 8192, window: 4 })).rejects.toMatchObject({ code: 'ENOBUFS', syscall: 'sendmsg' });
    // the channel is still usable afterwards
    const again = await runBulk(channel, ops.slice(0, 100));
    expect(again).toMatchObject({ submitted: 100, failed: 0 });
  });

  it('runBulkWith streams items of the caller\'s own type; failures name the item', async () => {
    interface Hostroute {
      readonly octets: readonly [number, number, number, number];
    }
    const encoder: BulkEncoder<Hostroute> = {
      encode(w, seq, item, ackFlag) {
        if (item.octets[0] > 255) throw new NetlinkArgumentError('octets', 'out of range');
        const start = w.beginMessage(RTM.NEWROUTE, NLM_F.REQUEST | ackFlag | NLM_F.CREATE, seq, 0);
        encodeRouteBody(w, { dst: { bytes: Uint8Array.from(item.octets), length: 32 }, nhid: 1, table: 1000 }, false);
        w.endMessage(start);
      },
      requestOf: () => ({ type: RTM.NEWROUTE, flags: NLM_F.CREATE }),
    };
    const items: Hostroute[] = Array.from({ length: 300 }, (_, i) => ({ octets: [10, 1, i >> 8, i & 255] }));
    items[3] = { octets: REFUSED as [number, number, number, number] };
    items[4] = { octets: [256, 0, 0, 1] };
    const kernel = new ThreadedKernel();
    const result = await runBulkWith(new NetlinkChannel(kernel), items, encoder, { batchBytes: 4096 });
    expect(result).toMatchObject({ submitted: 299, failed: 2, succeeded: 298 });
    expect(result.failures.map((f) => [f.index, f.operation, f.error.constructor.name])).toEqual([
      [4, items[4], 'NetlinkArgumentError'],
      [3, items[3], 'NetlinkError'],
    ]);
    expect(result.failures[1]?.error).toMatchObject({ code: 'ENODEV', request: { type: RTM.NEWROUTE } });
  });
});
