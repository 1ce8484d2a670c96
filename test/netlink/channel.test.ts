/**
 * NetlinkChannel's protocol logic (seq matching, batching, dumps with
 * NLM_F_DUMP_INTR retry, errors with extack, overrun) against a scripted
 * socket: pure logic, no kernel. The real kernel is in test/kernel/netlink-*.
 */
import { describe, expect, it } from 'vitest';
import { NetlinkChannel, forEachDumpMessage, type ChannelSocket } from '../../src/netlink/channel.js';
import { MessageWriter } from '../../src/netlink/codec/writer.js';
import { splitMessages } from '../../src/netlink/codec/nlmsghdr.js';
import { NLM_F, NLMSG, NLMSGERR_ATTR, RTM } from '../../src/netlink/constants.js';
import { HOST_LITTLE_ENDIAN } from '../../src/netlink/codec/host-endian.js';
import type { NativeReceiveCallback, NativeSystemError } from '../../src/netlink/native/binding-types.js';
import {
  NetlinkClosedError,
  NetlinkDumpInterruptedError,
  NetlinkError,
  NetlinkOverrunError,
} from '../../src/netlink/errors.js';

class ScriptedSocket implements ChannelSocket {
  readonly sendBufferSize = 1 << 20;
  readonly receiveBufferSize = 1 << 20;
  sent: Buffer[] = [];
  polling = false;
  closed = false;
  private onReceive: NativeReceiveCallback | undefined;
  send(data: Buffer | readonly Buffer[]): number {
    const buf = Buffer.isBuffer(data) ? Buffer.from(data) : Buffer.concat([...data]);
    this.sent.push(buf);
    return buf.length;
  }
  starts = 0;
  start(onReceive: NativeReceiveCallback): void {
    this.onReceive = onReceive;
    this.polling = true;
    this.starts++;
  }
  stop(): void {
    this.polling = false;
  }
  close(): void {
    this.closed = true;
  }
  deliver(datagrams: Buffer[], error: NativeSystemError | null = null, truncated = 0): void {
    if (this.onReceive === undefined) throw new Error('not polling');
    this.onReceive(error, datagrams, truncated, 0);
  }
  /** seqs of every message sent so far. */
  seqs(): number[] {
    return this.sent.flatMap((b) => splitMessages(b).map((m) => m.seq));
  }
}

function ack(seq: number, error = 0, extack?: string): Buffer {
  const w = new MessageWriter(64);
  const start = w.beginMessage(NLMSG.ERROR, NLM_F.CAPPED | (extack !== undefined ? NLM_F.ACK_TLVS : 0), seq, 1);
  w.i32(error);
  const echoed = w.beginMessage(RTM.NEWROUTE, 0x605, seq);
  w.endMessage(echoed);
  if (extack !== undefined) w.attrString(NLMSGERR_ATTR.MSG, extack);
  w.endMessage(start);
  return Buffer.from(w.bytes());
}

function dumpPart(seq: number, count: number, flags: number = NLM_F.MULTI, done = false): Buffer {
  const w = new MessageWriter(64);
  for (let i = 0; i < count; i++) {
    const m = w.beginMessage(RTM.NEWLINK, flags, seq, 1);
    w.u32(i);
    w.endMessage(m);
  }
  if (done) {
    const d = w.beginMessage(NLMSG.DONE, NLM_F.MULTI, seq, 1);
    w.i32(0);
    w.endMessage(d);
  }
  return Buffer.from(w.bytes());
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

if (!HOST_LITTLE_ENDIAN) console.warn('channel tests build little-endian replies; skipped on this big-endian host');
const suite = HOST_LITTLE_ENDIAN ? describe : describe.skip;

suite('NetlinkChannel', () => {
  it('packs requests of one tick into one sendmsg and matches answers by seq, in any order', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const a = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(1));
    const b = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(2));
    const c = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(3));
    await tick();
    expect(socket.sent).toHaveLength(1);
    const [sa, sb, sc] = socket.seqs();
    if (sa === undefined || sb === undefined || sc === undefined) throw new Error('three seqs expected');
    expect(new Set([sa, sb, sc]).size).toBe(3);
    expect(socket.polling).toBe(true);
    socket.deliver([Buffer.concat([ack(sc), ack(sb, -17, 'Route exists')]), ack(sa)]);
    await expect(a).resolves.toEqual([]);
    await expect(b).rejects.toMatchObject({ code: 'EEXIST', message: 'Route exists', errno: 17 });
    await expect(c).resolves.toEqual([]);
    await tick();
    expect(socket.polling).toBe(false); // nothing pending: the process may exit (one loop iteration later)
  });

  it('a request sent from the answer of the previous one finds the socket still polled (no stop/start per round trip)', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    for (let i = 0; i < 3; i++) {
      const p = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(i));
      await tick();
      const seq = socket.seqs().at(-1);
      if (seq === undefined) throw new Error('no seq');
      queueMicrotask(() => socket.deliver([ack(seq)])); // the answer, then our next request in its microtasks
      await p;
    }
    expect(socket.starts).toBe(1);
    await tick();
    expect(socket.polling).toBe(false);
  });

  it('collects GET replies until the ACK', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const p = ch.request(RTM.GETLINK, 0, (w) => w.u32(0));
    await tick();
    const [seq] = socket.seqs();
    if (seq === undefined) throw new Error('no seq');
    socket.deliver([Buffer.concat([dumpPart(seq, 1, 0), ack(seq)])]);
    const replies = await p;
    expect(replies.map((m) => m.type)).toEqual([RTM.NEWLINK]);
  });

  it('retries a dump marked NLM_F_DUMP_INTR, then yields only the clean attempt', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const p = ch.dumpAll(RTM.GETLINK, (w) => w.u32(0));
    await tick();
    const first = socket.seqs().at(-1);
    if (first === undefined) throw new Error('no dump sent');
    socket.deliver([dumpPart(first, 3), dumpPart(first, 2, NLM_F.MULTI | NLM_F.DUMP_INTR, true)]);
    await tick();
    const second = socket.seqs().at(-1);
    expect(second).not.toBe(first);
    if (second === undefined) throw new Error('no retry sent');
    socket.deliver([dumpPart(second, 4), dumpPart(second, 1, NLM_F.MULTI, true)]);
    const result = await p;
    let n = 0;
    forEachDumpMessage(result, () => n++);
    expect(n).toBe(5);
    expect(ch.stats.dumpRetries).toBe(1);
  });

  it('dumpEach hands datagrams over as they arrive and starts over after NLM_F_DUMP_INTR', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const seen: number[] = [];
    let restarts = 0;
    const p = ch.dumpEach(
      RTM.GETLINK,
      (w) => w.u32(0),
      (datagram, seq) => {
        forEachDumpMessage({ seq, datagrams: [datagram] }, () => seen.push(seq));
      },
      () => {
        restarts++;
        seen.length = 0;
      },
    );
    await tick();
    const first = socket.seqs().at(-1);
    if (first === undefined) throw new Error('no dump sent');
    socket.deliver([dumpPart(first, 3)]);
    expect(seen).toHaveLength(3); // handed over before the dump ends
    socket.deliver([dumpPart(first, 2, NLM_F.MULTI | NLM_F.DUMP_INTR, true)]);
    await tick();
    const second = socket.seqs().at(-1);
    if (second === undefined || second === first) throw new Error('no retry sent');
    expect(restarts).toBe(1);
    socket.deliver([dumpPart(second, 4), dumpPart(second, 1, NLM_F.MULTI, true)]);
    await p;
    expect(seen).toEqual([second, second, second, second, second]);
    expect(ch.stats.dumpRetries).toBe(1);
    await tick();
    expect(socket.polling).toBe(false);
  });

  it('gives up after maxRetries interrupted dumps', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const p = ch.dumpAll(RTM.GETLINK, (w) => w.u32(0), undefined, 1);
    for (let attempt = 0; attempt < 2; attempt++) {
      await tick();
      const seq = socket.seqs().at(-1);
      if (seq === undefined) throw new Error('no dump');
      socket.deliver([dumpPart(seq, 1, NLM_F.MULTI | NLM_F.DUMP_INTR, true)]);
    }
    await expect(p).rejects.toBeInstanceOf(NetlinkDumpInterruptedError);
  });

  it('an error answering a dump rejects it with the extack text', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const p = ch.dumpAll(RTM.GETROUTE, (w) => w.u32(0));
    await tick();
    const seq = socket.seqs().at(-1);
    if (seq === undefined) throw new Error('no dump');
    socket.deliver([ack(seq, -22, 'Invalid values in header for FIB dump request')]);
    await expect(p).rejects.toMatchObject({ code: 'EINVAL', message: 'Invalid values in header for FIB dump request' });
  });

  it('ENOBUFS fails everything waiting with NetlinkOverrunError; the channel keeps working', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const a = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(1));
    await tick();
    const enobufs = Object.assign(new Error('ENOBUFS: No buffer space available, recvmsg'), { errno: -105, code: 'ENOBUFS', syscall: 'recvmsg' });
    socket.deliver([], enobufs);
    await expect(a).rejects.toBeInstanceOf(NetlinkOverrunError);
    expect(ch.stats.overruns).toBe(1);
    const b = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(2));
    await tick();
    const seq = socket.seqs().at(-1);
    if (seq === undefined) throw new Error('no request');
    socket.deliver([ack(seq)]);
    await expect(b).resolves.toEqual([]);
  });

  it('counts unmatched replies and malformed datagrams instead of crashing', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const p = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(1));
    await tick();
    socket.deliver([ack(123456), Buffer.from([0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])]);
    expect(ch.stats.unmatched).toBe(1);
    expect(ch.stats.decodeErrors).toBe(1);
    const seq = socket.seqs().at(-1);
    if (seq === undefined) throw new Error('no request');
    socket.deliver([ack(seq)]);
    await expect(p).resolves.toEqual([]);
  });

  it('a failing encoder rejects only its own request; close rejects the rest', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const bad = ch.request(RTM.NEWROUTE, 0, () => {
      throw new RangeError('boom');
    });
    const good = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(7));
    await expect(bad).rejects.toThrow('boom');
    await tick();
    expect(socket.seqs()).toHaveLength(1);
    ch.close();
    await expect(good).rejects.toBeInstanceOf(NetlinkClosedError);
    expect(socket.closed).toBe(true);
    await expect(ch.request(RTM.NEWROUTE, 0, () => undefined)).rejects.toBeInstanceOf(NetlinkClosedError);
  });

  it('a sendmsg failure rejects exactly the requests of that batch', async () => {
    const socket = new ScriptedSocket();
    socket.send = (): number => {
      throw Object.assign(new Error('EMSGSIZE: Message too long, sendmsg'), { errno: -90, code: 'EMSGSIZE', syscall: 'sendmsg' });
    };
    const ch = new NetlinkChannel(socket);
    const a = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(1));
    await expect(a).rejects.toMatchObject({ code: 'EMSGSIZE', syscall: 'sendmsg' });
    await expect(a).rejects.not.toBeInstanceOf(NetlinkError);
  });

  it('dumpStream yields datagrams as they arrive, pauses reading above the high-water mark, resumes when drained', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const iterator = ch.dumpStream(RTM.GETLINK, (w) => w.u32(0), undefined, 2);
    const first = iterator.next();
    await tick();
    const seq = socket.seqs().at(-1);
    if (seq === undefined) throw new Error('no dump sent');
    socket.deliver([dumpPart(seq, 1)]);
    const a = await first;
    expect(a.done).toBe(false);
    socket.deliver([dumpPart(seq, 1), dumpPart(seq, 1), dumpPart(seq, 1)]);
    expect(socket.polling).toBe(false); // 3 waiting >= high-water 2: the socket is not read
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await iterator.next();
      if (r.done === true) throw new Error('ended early');
      let n = 0;
      forEachDumpMessage(r.value, () => n++);
      counts.push(n);
    }
    expect(counts).toEqual([1, 1, 1]);
    expect(socket.polling).toBe(true); // drained: reading again
    socket.deliver([dumpPart(seq, 2, NLM_F.MULTI, true)]);
    const last = await iterator.next();
    expect(last.done).toBe(false);
    expect((await iterator.next()).done).toBe(true);
  });

  it('dumpStream reports NLM_F_DUMP_INTR at the end instead of retrying', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const seen: number[] = [];
    const run = (async (): Promise<void> => {
      for await (const chunk of ch.dumpStream(RTM.GETLINK, (w) => w.u32(0))) forEachDumpMessage(chunk, () => seen.push(1));
    })();
    await tick();
    const seq = socket.seqs().at(-1);
    if (seq === undefined) throw new Error('no dump sent');
    socket.deliver([dumpPart(seq, 2, NLM_F.MULTI | NLM_F.DUMP_INTR, true)]);
    await expect(run).rejects.toBeInstanceOf(NetlinkDumpInterruptedError);
    expect(seen).toHaveLength(2);
  });

  it('after an early break the next dump waits for NLMSG_DONE of the abandoned one', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const iterator = ch.dumpStream(RTM.GETLINK, (w) => w.u32(0));
    const first = iterator.next();
    await tick();
    const seq = socket.seqs().at(-1);
    if (seq === undefined) throw new Error('no dump sent');
    socket.deliver([dumpPart(seq, 1)]);
    await first;
    await iterator.return(undefined);
    const next = ch.dumpAll(RTM.GETLINK, (w) => w.u32(0));
    await tick();
    expect(socket.seqs().at(-1)).toBe(seq); // not sent yet: the kernel is still in the first dump
    socket.deliver([dumpPart(seq, 5, NLM_F.MULTI, true)]); // the rest of the abandoned dump is dropped
    await tick();
    await tick();
    const seq2 = socket.seqs().at(-1);
    expect(seq2).not.toBe(seq);
    if (seq2 === undefined) throw new Error('no second dump');
    socket.deliver([dumpPart(seq2, 1, NLM_F.MULTI, true)]);
    const result = await next;
    let n = 0;
    forEachDumpMessage(result, () => n++);
    expect(n).toBe(1);
  });

  it('a request made while a stream is paused keeps the socket read (no deadlock)', async () => {
    const socket = new ScriptedSocket();
    const ch = new NetlinkChannel(socket);
    const iterator = ch.dumpStream(RTM.GETLINK, (w) => w.u32(0), undefined, 1);
    const first = iterator.next();
    await tick();
    const seq = socket.seqs().at(-1);
    if (seq === undefined) throw new Error('no dump sent');
    socket.deliver([dumpPart(seq, 1), dumpPart(seq, 1)]);
    await first;
    expect(socket.polling).toBe(false);
    const request = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(1));
    await tick();
    expect(socket.polling).toBe(true);
    const rseq = socket.seqs().at(-1);
    if (rseq === undefined) throw new Error('no request');
    socket.deliver([ack(rseq)]);
    await expect(request).resolves.toEqual([]);
    await iterator.return(undefined);
  });

  it('requests made while threaded batches are outstanding queue behind them on the socket, in order', async () => {
    const socket = new ThreadedSocket();
    const ch = new NetlinkChannel(socket);
    const order: string[] = [];
    ch.sendBatch(Buffer.from('batch-1'), 1, (error) => order.push(`batch-1 sent ${String(error)}`));
    ch.sendBatch(Buffer.from('batch-2'), 1, (error) => order.push(`batch-2 sent ${String(error)}`));
    const request = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(1));
    await tick();
    // every send is handed to the socket at once (its thread sends them in call
    // order without waiting for this one); nothing went out synchronously ahead of the batches
    expect(socket.threaded.map((t) => t.bytes.subarray(0, 7).toString())).toEqual(['batch-1', 'batch-2', expect.any(String)]);
    expect(socket.sent).toHaveLength(0);
    const requestBytes = socket.threaded[2]!.bytes;
    const [seq] = splitMessages(requestBytes).map((m) => m.seq);
    socket.complete(0);
    socket.complete(1);
    socket.complete(2);
    expect(order).toEqual(['batch-1 sent null', 'batch-2 sent null']);
    socket.deliver([ack(seq ?? 0)]);
    await expect(request).resolves.toEqual([]);
    expect(ch.stats).toMatchObject({ datagramsSent: 3, requestsSent: 3 });
    // with nothing outstanding, requests are sent synchronously again
    const later = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(2));
    await tick();
    expect(socket.sent).toHaveLength(1);
    socket.deliver([ack(socket.seqs()[0] ?? 0)]);
    await expect(later).resolves.toEqual([]);
  });

  it('a failed threaded send reports to its own callback; the next send still goes', () => {
    const socket = new ThreadedSocket();
    const ch = new NetlinkChannel(socket);
    const results: (string | null)[] = [];
    ch.sendBatch(Buffer.from('a'), 1, (error) => results.push(error === null ? null : (error as NativeSystemError).code));
    ch.sendBatch(Buffer.from('b'), 1, (error) => results.push(error === null ? null : (error as NativeSystemError).code));
    socket.complete(0, Object.assign(new Error('ENOBUFS'), { errno: -105, code: 'ENOBUFS', syscall: 'sendmsg' }));
    socket.complete(1);
    expect(results).toEqual(['ENOBUFS', null]);
    expect(ch.stats.datagramsSent).toBe(1);
  });

  it('close() during threaded sends: the one in sendmsg finishes, the rest fail with NetlinkClosedError', async () => {
    const socket = new ThreadedSocket();
    const ch = new NetlinkChannel(socket);
    const results: unknown[] = [];
    ch.sendBatch(Buffer.from('a'), 1, (error) => results.push(error));
    ch.sendBatch(Buffer.from('b'), 1, (error) => results.push(error));
    const request = ch.request(RTM.NEWROUTE, 0, (w) => w.u32(1));
    ch.close();
    await expect(request).rejects.toBeInstanceOf(NetlinkClosedError);
    socket.complete(0); // the addon finishes the sendmsg it had started
    socket.deliverCancelled();
    expect(results[0]).toBeNull();
    expect(results[1]).toBeInstanceOf(NetlinkClosedError);
    expect(socket.sent).toHaveLength(0);
    ch.sendBatch(Buffer.from('c'), 1, (error) => results.push(error));
    expect(results[2]).toBeInstanceOf(NetlinkClosedError);
    expect(socket.threaded).toHaveLength(3); // a, b and the request flushed by close(); nothing after
  });
});

/**
 * A scripted socket with sendAsync, like the addon: sends queue in call order,
 * the test completes each one (the first is "in sendmsg"), and close() cancels
 * those not started (their callbacks get ECANCELED on deliverCancelled()).
 */
class ThreadedSocket extends ScriptedSocket {
  threaded: { bytes: Buffer; done: (error: Error | null, bytes: number) => void; finished: boolean }[] = [];
  sendAsync(data: Buffer | readonly Buffer[], done: (error: Error | null, bytes: number) => void): void {
    if (this.closed) throw Object.assign(new Error('EBADF, sendmsg'), { errno: -9, code: 'EBADF', syscall: 'sendmsg' });
    const bytes = Buffer.isBuffer(data) ? data : Buffer.concat([...data]);
    this.threaded.push({ bytes, done, finished: false });
  }
  complete(i: number, error: Error | null = null): void {
    const t = this.threaded[i];
    if (t === undefined || t.finished) throw new Error(`no threaded send ${i} waiting`);
    if (this.threaded.slice(0, i).some((x) => !x.finished)) throw new Error(`send ${i} completed out of order`);
    t.finished = true;
    t.done(error, error === null ? t.bytes.length : 0);
  }
  deliverCancelled(): void {
    for (const t of this.threaded) {
      if (t.finished) continue;
      t.finished = true;
      t.done(Object.assign(new Error('ECANCELED, sendmsg'), { errno: -125, code: 'ECANCELED', syscall: 'sendmsg' }), 0);
    }
  }
}

/**
 * ThreadedSocket with the addon's exact queue count: the test moves the send
 * thread on (take(): the next queued send enters sendmsg, and the one before
 * it has returned); queuedSends() counts what it has not taken.
 */
class CountingThreadedSocket extends ThreadedSocket {
  readonly countsQueuedSends = true;
  taken = 0;
  queuedSends(): number {
    return this.closed ? 0 : this.threaded.length - this.taken;
  }
  take(): void {
    if (this.taken >= this.threaded.length) throw new Error('nothing queued to take');
    this.taken++;
  }
}

describe('NetlinkChannel batch writers', () => {
  const noop = (w: MessageWriter, seq: number): void => {
    w.endMessage(w.beginMessage(NLMSG.NOOP, NLM_F.REQUEST, seq, 0));
  };
  /** A writer of at least `size` bytes from the channel, holding one NOOP, handed to sendBatchWriter. */
  const sendNoop = (ch: NetlinkChannel, size: number, seq: number): MessageWriter => {
    const w = ch.acquireBatchWriter(size);
    noop(w, seq);
    ch.sendBatchWriter(w, 1, () => undefined);
    return w;
  };

  it('takes a sent writer back once a later send was taken (its sendmsg is over), before its done ran; never twice', () => {
    const socket = new CountingThreadedSocket();
    const ch = new NetlinkChannel(socket);
    const dones: (Error | null)[] = [];
    const w1 = ch.acquireBatchWriter(4096);
    noop(w1, 1);
    ch.sendBatchWriter(w1, 1, (e) => dones.push(e));
    const w2 = ch.acquireBatchWriter(4096);
    expect(w2).not.toBe(w1); // w1 is queued
    socket.take(); // w1 enters sendmsg
    const w3 = ch.acquireBatchWriter(4096);
    expect(w3).not.toBe(w1); // the last send taken may still be in sendmsg
    noop(w2, 2);
    ch.sendBatchWriter(w2, 1, (e) => dones.push(e));
    socket.take(); // w2 enters sendmsg: w1's has returned
    const again = ch.acquireBatchWriter(4096);
    expect(again).toBe(w1);
    expect(again.offset).toBe(0);
    expect(dones).toEqual([]); // no callback has run
    expect(ch.stats.batchWriters).toBe(3);
    // the bytes handed to each sendmsg were never rewritten while queued or in it
    expect(socket.threaded.map((t) => splitMessages(t.bytes).map((m) => m.seq))).toEqual([[1], [2]]);
    socket.complete(0);
    socket.complete(1);
    expect(dones).toEqual([null, null]);
    // w2 came back through its done; w1, taken back before, is not given out a second time
    const next = [ch.acquireBatchWriter(4096), ch.acquireBatchWriter(4096)];
    expect(next[0]).toBe(w2);
    expect(next).not.toContain(w1);
    expect(ch.stats.batchWriters).toBe(4);
  });

  it('without an exact queue count, a writer comes back only through its done', () => {
    const socket = new ThreadedSocket();
    const ch = new NetlinkChannel(socket);
    const w1 = sendNoop(ch, 4096, 1);
    sendNoop(ch, 4096, 2);
    expect(ch.acquireBatchWriter(4096)).not.toBe(w1);
    socket.complete(0);
    expect(ch.acquireBatchWriter(4096)).toBe(w1);
  });

  it('a writer too small for the stream that asks is kept as a spare; the eight largest spares are kept', () => {
    const socket = new CountingThreadedSocket();
    const ch = new NetlinkChannel(socket);
    const small = sendNoop(ch, 1024, 1);
    sendNoop(ch, 1 << 20, 2);
    socket.take();
    socket.take();
    // small's sendmsg is over but it cannot hold 64 KiB: a new writer, and small becomes a spare
    const other = ch.acquireBatchWriter(64 * 1024);
    expect(other).not.toBe(small);
    expect(ch.acquireBatchWriter(1024)).toBe(small);
    // spares: eight small ones, then a large one displaces one of them
    const smalls = [1, 2, 3, 4, 5, 6, 7, 8].map(() => new MessageWriter(1024));
    for (const w of smalls) ch.releaseBatchWriter(w);
    const large = new MessageWriter(256 * 1024);
    ch.releaseBatchWriter(large);
    expect(ch.acquireBatchWriter(200 * 1024)).toBe(large);
    const before = ch.stats.batchWriters;
    const taken = Array.from({ length: 7 }, () => ch.acquireBatchWriter(1024));
    expect(taken.every((w) => smalls.includes(w))).toBe(true);
    expect(new Set(taken).size).toBe(7);
    expect(ch.stats.batchWriters).toBe(before);
    // the ninth writer given back was not kept: the next one is new
    expect(smalls).not.toContain(ch.acquireBatchWriter(1024));
    expect(ch.stats.batchWriters).toBe(before + 1);
  });
});
