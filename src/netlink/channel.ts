import { messageTypeName, NLM_F, NLMSG, NLMSG_HDRLEN, NLMSGERR_ATTR } from './constants.js';
import { attrString, readAttributes, readI32, readU16, readU32 } from './codec/attributes.js';
import type { NlMsgErr } from './codec/nlmsgerr.js';
import { decodeNlMsgErr } from './codec/nlmsgerr.js';
import { netlinkMessageAt, type NetlinkMessage } from './codec/nlmsghdr.js';
import { MessageWriter } from './codec/writer.js';
import {
  NetlinkClosedError,
  NetlinkDecodeError,
  NetlinkDumpInterruptedError,
  NetlinkError,
  NetlinkOverrunError,
  type NetlinkRequestInfo,
} from './errors.js';
import type { NativeReceiveCallback, NativeSystemError } from './native/binding-types.js';

/** What the channel needs from a socket (RtnlSocket implements it). */
export interface ChannelSocket {
  readonly sendBufferSize: number;
  readonly receiveBufferSize: number;
  send(data: Buffer | readonly Buffer[]): number;
  /**
   * The same sendmsg on the socket's sender thread (in the addon), `done` once it
   * returned. Calls are sent in call order, several may be outstanding, and the
   * thread goes on to the next as soon as one returns; close() cancels those not
   * started. Optional: a socket without it is sent to synchronously.
   */
  sendAsync?(data: Buffer | readonly Buffer[], done: (error: Error | null, bytes: number) => void): void;
  /** sendAsync calls not started yet. Optional. */
  queuedSends?(): number;
  /**
   * True when queuedSends() is exact: the send thread takes sends in call
   * order, one at a time, and a send leaves the queue when the thread takes
   * it. The channel then reuses a batch's buffer once a later send was taken
   * (its sendmsg is over), before its `done` has run. Optional: without it,
   * a buffer is reused only after `done`.
   */
  readonly countsQueuedSends?: boolean;
  start(onReceive: NativeReceiveCallback, maxDatagramsPerWake?: number): void;
  stop(): void;
  close(): void;
}

/** Writes a request's body (everything after the nlmsghdr). */
export type BodyEncoder = (w: MessageWriter) => void;

interface PendingRequest {
  type: number;
  flags: number;
  operation: unknown;
  replies: NetlinkMessage[];
  resolve: (replies: NetlinkMessage[]) => void;
  reject: (error: Error) => void;
}

interface PendingDump {
  seq: number;
  type: number;
  flags: number;
  operation: unknown;
  datagrams: Buffer[];
  interrupted: boolean;
  /** Streaming dumps hand each datagram over as it arrives instead of keeping it. */
  onDatagram: ((datagram: Buffer) => void) | undefined;
  resolve: (result: { datagrams: Buffer[]; interrupted: boolean }) => void;
  reject: (error: Error) => void;
}

/**
 * Listener for a contiguous range of sequence numbers (the bulk path): no
 * per-request promise or map entry, just an index computed from the seq.
 */
export interface SeqRangeListener {
  first: number;
  count: number;
  onError(index: number, error: NlMsgErr, message: NetlinkMessage): void;
  onAck(index: number): void;
  onOverrun(error: Error): void;
}

/** Counters a caller can watch; nothing is lost silently. */
export interface ChannelStats {
  requestsSent: number;
  datagramsSent: number;
  bytesSent: number;
  datagramsReceived: number;
  messagesReceived: number;
  /** Replies whose seq matched nothing (late answers after a close, foreign noise). */
  unmatched: number;
  truncated: number;
  foreign: number;
  overruns: number;
  decodeErrors: number;
  dumpRetries: number;
  /** Bulk batch buffers allocated (a buffer is reused once its sendmsg is over; see `sendBatchWriter`). */
  batchWriters: number;
}

/**
 * Batch writers kept for the next bulk stream (16–320 KiB each; at most ~2.5 MiB
 * kept, and only after a workload had that many batches in flight at once).
 * Eight, not four: the FIB exporter fed 1,000 changes per event-loop turn keeps
 * five to seven slices in the kernel's queue at 10k routes, and with four kept
 * every such export allocated three new ~100 KiB buffers (probe, 30 runs).
 */
const MAX_SPARE_WRITERS = 8;

/** A batch buffer handed to the socket's send thread (see NetlinkChannel.sendBatchWriter). */
interface SendingWriter {
  readonly writer: MessageWriter;
  /** Number of the threaded send that carries it (see NetlinkChannel.sendsIssued). */
  readonly send: number;
  /** Taken back for another batch before its `done` ran. */
  reclaimed: boolean;
}

/** One complete dump: the datagrams holding its messages, and its seq. */
export interface DumpResult {
  seq: number;
  datagrams: Buffer[];
}

/**
 * Calls fn for every message of one dump (skipping DONE/ERROR and anything
 * with another seq) without allocating per message.
 */
export function forEachDumpMessage(
  dump: DumpResult,
  fn: (buf: Buffer, type: number, flags: number, payloadStart: number, payloadEnd: number) => void,
): void {
  for (const buf of dump.datagrams) {
    let offset = 0;
    while (offset + NLMSG_HDRLEN <= buf.length) {
      const length = readU32(buf, offset);
      if (length < NLMSG_HDRLEN || offset + length > buf.length) break; // validated on receipt
      const type = readU16(buf, offset + 4);
      if (type >= 16 && readU32(buf, offset + 8) === dump.seq) {
        fn(buf, type, readU16(buf, offset + 6), offset + NLMSG_HDRLEN, offset + length);
      }
      offset += (length + 3) & ~3;
    }
  }
}

/**
 * Sequence numbers, pipelining and batching over one RtnlSocket. Requests
 * made in the same tick are packed into one sendmsg; answers are matched by
 * seq, so any number can be in flight. Dumps run one at a time (the kernel
 * allows one per socket) and are retried on NLM_F_DUMP_INTR.
 *
 * @example
 * ```ts
 * const ch = new NetlinkChannel(RtnlSocket.open());
 * await ch.request(RTM.NEWROUTE, NLM_F.CREATE | NLM_F.EXCL, (w) => encodeRouteBody(w, route));
 * ```
 */
export class NetlinkChannel {
  readonly stats: ChannelStats = {
    requestsSent: 0,
    datagramsSent: 0,
    bytesSent: 0,
    datagramsReceived: 0,
    messagesReceived: 0,
    unmatched: 0,
    truncated: 0,
    foreign: 0,
    overruns: 0,
    decodeErrors: 0,
    dumpRetries: 0,
    batchWriters: 0,
  };
  /** Largest sendmsg the socket accepts (sk_sndbuf - 32, netlink_sendmsg). */
  readonly maxSendBytes: number;
  private seq = Math.floor(Math.random() * 0x7fffffff) + 1;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly ranges = new Set<SeqRangeListener>();
  private dump: PendingDump | undefined;
  private dumpChain: Promise<unknown> = Promise.resolve();
  private readonly writer = new MessageWriter(64 * 1024);
  /**
   * Threaded sends handed to the socket and not yet returned. While there are
   * any, request() traffic goes through the socket's queue too, so it never
   * overtakes a bulk batch.
   */
  private threadedSends = 0;
  /** Batch writers of finished bulk streams, reused by the next (a few hundred KiB each). */
  private readonly spareWriters: MessageWriter[] = [];
  /** Threaded sends handed to the socket so far (each numbered by this count when handed over). */
  private sendsIssued = 0;
  /** Batch writers handed to the send thread, in sending order, until reclaimed or their `done` ran. */
  private readonly sendingWriters: SendingWriter[] = [];
  private batchSeqs: number[] = [];
  private flushScheduled = false;
  private polling = false;
  private stopScheduled = false;
  private paused = false;
  private closed = false;

  constructor(readonly socket: ChannelSocket) {
    this.maxSendBytes = Math.max(4096, Math.min(socket.sendBufferSize - 64, 4 * 1024 * 1024));
  }

  /** Next sequence number (never 0: the kernel uses 0 for notifications). */
  nextSeq(): number {
    this.seq = (this.seq + 1) >>> 0;
    if (this.seq === 0) this.seq = 1;
    return this.seq;
  }

  /** Reserves count consecutive seqs (wrapping past 0 is skipped by restarting). */
  reserveSeqs(count: number): number {
    if (this.seq + count + 1 > 0xffffffff) this.seq = 0;
    const first = this.seq + 1;
    this.seq += count;
    return first;
  }

  /**
   * Batches handed to the socket's send thread and not started yet: the
   * kernel's backlog, known at once (completions wait for the event loop).
   */
  get queuedSends(): number {
    return this.socket.queuedSends?.() ?? 0;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Sends a request with NLM_F_REQUEST | NLM_F_ACK | flags and resolves with
   * any replies the kernel sent before its ACK (one for a GET, none for a
   * NEW/DEL). Rejects with NetlinkError carrying the kernel's extack text.
   */
  request(type: number, flags: number, body: BodyEncoder, operation?: unknown): Promise<NetlinkMessage[]> {
    if (this.closed) return Promise.reject(new NetlinkClosedError());
    const seq = this.nextSeq();
    const w = this.writer;
    try {
      w.message(type, NLM_F.REQUEST | NLM_F.ACK | flags, seq, 0, body);
    } catch (error) {
      return Promise.reject(error);
    }
    this.batchSeqs.push(seq);
    const promise = new Promise<NetlinkMessage[]>((resolve, reject) => {
      this.pending.set(seq, { type, flags, operation, replies: [], resolve, reject });
    });
    this.updatePolling();
    if (w.offset >= this.maxSendBytes - 4096) this.flush();
    else this.scheduleFlush();
    return promise;
  }

  /**
   * Runs a dump (NLM_F_REQUEST | NLM_F_DUMP) to completion, retrying up to
   * maxRetries times when the kernel marks it NLM_F_DUMP_INTR.
   */
  dumpAll(type: number, body: BodyEncoder, operation?: unknown, maxRetries = 8): Promise<DumpResult> {
    const run = async (): Promise<DumpResult> => {
      for (let attempt = 0; ; attempt++) {
        const seq = this.nextSeq();
        const result = await this.dumpOnce(seq, type, body, operation);
        if (!result.interrupted) return { seq, datagrams: result.datagrams };
        this.stats.dumpRetries++;
        if (attempt >= maxRetries) throw new NetlinkDumpInterruptedError(attempt + 1);
      }
    };
    const next = this.dumpChain.then(run, run);
    this.dumpChain = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs a dump to completion and hands each datagram to onDatagram as it
   * arrives instead of keeping them all (a million routes are ~70 MB of
   * datagrams): the caller decodes while the kernel produces. When the
   * kernel marks the dump NLM_F_DUMP_INTR, onRestart is called and the dump
   * runs again from scratch (up to maxRetries times), so the caller drops
   * what it gathered. An exception from onDatagram stops nothing in the
   * channel: keep it and report it when the promise settles.
   */
  dumpEach(
    type: number,
    body: BodyEncoder,
    onDatagram: (datagram: Buffer, seq: number) => void,
    onRestart: () => void,
    operation?: unknown,
    maxRetries = 8,
  ): Promise<void> {
    const run = async (): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        const seq = this.nextSeq();
        const result = await this.dumpOnce(seq, type, body, operation, (datagram) => onDatagram(datagram, seq));
        if (!result.interrupted) return;
        this.stats.dumpRetries++;
        if (attempt >= maxRetries) throw new NetlinkDumpInterruptedError(attempt + 1);
        onRestart();
      }
    };
    const next = this.dumpChain.then(run, run);
    this.dumpChain = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs a dump and yields its datagrams as they arrive, with backpressure:
   * when more than highWater datagrams wait for the consumer the socket stops
   * being read (and the kernel stops producing), so memory stays bounded at
   * any table size. There is no transparent retry: if the kernel marks the
   * dump NLM_F_DUMP_INTR, the iterator throws NetlinkDumpInterruptedError
   * after the last datagram. Requests made while the stream is paused keep
   * the socket read (so a loop that modifies routes while it streams them
   * cannot deadlock); the queue then grows only by what those round trips
   * bring in.
   */
  async *dumpStream(type: number, body: BodyEncoder, operation?: unknown, highWater = 64): AsyncGenerator<DumpResult> {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.dumpChain;
    this.dumpChain = previous.then(() => gate);
    await previous;
    const queue: Buffer[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    let cancelled = false;
    let interrupted = false;
    let failure: Error | undefined;
    const seq = this.nextSeq();
    const done = this.dumpOnce(seq, type, body, operation, (datagram) => {
      if (cancelled) return;
      queue.push(datagram);
      if (queue.length >= highWater) this.setPaused(true);
      wake?.();
    });
    done.then(
      (r) => {
        finished = true;
        interrupted = r.interrupted;
        wake?.();
      },
      (error: unknown) => {
        finished = true;
        failure = error instanceof Error ? error : new Error(String(error));
        wake?.();
      },
    );
    try {
      for (;;) {
        const next = queue.shift();
        if (next !== undefined) {
          if (queue.length <= highWater >> 1) this.setPaused(false);
          yield { seq, datagrams: [next] };
          continue;
        }
        if (failure !== undefined) throw failure;
        if (finished) {
          if (interrupted) throw new NetlinkDumpInterruptedError(1);
          return;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      // An early break leaves the kernel mid-dump: drop the rest, and start
      // the next dump only once this one has reached NLMSG_DONE.
      cancelled = true;
      queue.length = 0;
      this.setPaused(false);
      done.then(release, release);
    }
  }

  private setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    this.updatePolling();
  }

  private dumpOnce(
    seq: number,
    type: number,
    body: BodyEncoder,
    operation: unknown,
    onDatagram?: (datagram: Buffer) => void,
  ): Promise<{ datagrams: Buffer[]; interrupted: boolean }> {
    if (this.closed) return Promise.reject(new NetlinkClosedError());
    const flags = NLM_F.REQUEST | NLM_F.DUMP;
    const w = this.writer;
    try {
      w.message(type, flags, seq, 0, body);
    } catch (error) {
      return Promise.reject(error);
    }
    this.batchSeqs.push(seq);
    const promise = new Promise<{ datagrams: Buffer[]; interrupted: boolean }>((resolve, reject) => {
      this.dump = { seq, type, flags, operation, datagrams: [], interrupted: false, onDatagram, resolve, reject };
    });
    this.updatePolling();
    this.flush();
    return promise;
  }

  /** Registers a seq-range listener (bulk path); returns its remover. */
  addRange(listener: SeqRangeListener): () => void {
    this.ranges.add(listener);
    this.updatePolling();
    return () => {
      this.ranges.delete(listener);
      this.updatePolling();
    };
  }

  /** Sends everything queued by request() now, as one sendmsg (after any batch still being sent). */
  flush(): void {
    this.flushScheduled = false;
    const w = this.writer;
    if (w.offset === 0 || this.closed) return;
    const seqs = this.batchSeqs;
    this.batchSeqs = [];
    const failSeqs = (error: Error | null): void => {
      // Nothing of this batch reached the kernel: fail exactly its requests.
      if (error !== null) for (const seq of seqs) this.failSeq(seq, error);
    };
    try {
      if (this.threadedSends > 0) {
        // Order is kept: these requests queue behind the bulk batches being sent
        // (a copy: the writer is reused at once).
        this.sendThreaded(Buffer.from(w.bytes()), seqs.length, failSeqs);
      } else {
        try {
          this.sendRaw(w.bytes(), seqs.length);
        } catch (error) {
          failSeqs(error instanceof Error ? error : new Error(String(error)));
        }
      }
    } finally {
      w.reset();
    }
  }

  /** One sendmsg of already-encoded requests, now, on this thread. */
  sendRaw(bytes: Buffer | readonly Buffer[], requestCount: number): void {
    const sent = this.socket.send(bytes);
    this.stats.datagramsSent++;
    this.stats.bytesSent += sent;
    this.stats.requestsSent += requestCount;
  }

  /**
   * One sendmsg of an encoded bulk batch, in order after everything sent
   * before it. rtnetlink does a request's work inside the sender's sendmsg
   * (about 2 µs per route here), so when the socket can, the batch is sent
   * from a worker thread and the caller encodes the next batch meanwhile: on
   * two cores the client's own cost then overlaps the kernel's instead of
   * adding to it. `done` runs when sendmsg returned (possibly before this
   * call returns, for a socket without threads): only then may `bytes` be
   * reused.
   */
  sendBatch(bytes: Buffer | readonly Buffer[], requestCount: number, done: (error: Error | null) => void): void {
    if (this.closed) {
      done(new NetlinkClosedError());
      return;
    }
    if (this.socket.sendAsync === undefined) {
      let failure: Error | null = null;
      try {
        this.sendRaw(bytes, requestCount);
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      }
      done(failure);
      return;
    }
    this.sendThreaded(bytes, requestCount, done);
  }

  /**
   * Takes a bulk batch writer of at least `size` bytes: a spare one, else one
   * whose sendmsg is over (see sendBatchWriter), else a new one.
   */
  acquireBatchWriter(size: number): MessageWriter {
    const spares = this.spareWriters;
    for (let i = spares.length - 1; i >= 0; i--) {
      const spare = spares[i]!;
      if (spare.buffer.length < size) continue;
      spares.splice(i, 1);
      return spare;
    }
    const sent = this.reclaimSentWriter(size);
    if (sent !== undefined) return sent;
    this.stats.batchWriters++;
    return new MessageWriter(size);
  }

  /**
   * Gives a batch writer back once its send is done. Eight are kept, the
   * largest: streams of small batches (the FIB exporter's slices) must not
   * crowd out the writers of a stream of large ones, which would then be
   * allocated anew for every batch.
   */
  releaseBatchWriter(writer: MessageWriter): void {
    writer.reset();
    const spares = this.spareWriters;
    if (spares.length < MAX_SPARE_WRITERS) {
      spares.push(writer);
      return;
    }
    let smallest = 0;
    for (let i = 1; i < spares.length; i++) if (spares[i]!.buffer.length < spares[smallest]!.buffer.length) smallest = i;
    if (spares[smallest]!.buffer.length < writer.buffer.length) spares[smallest] = writer;
  }

  /**
   * {@link sendBatch} for a bulk batch written in a writer from
   * {@link acquireBatchWriter}: the channel takes the writer back once the
   * sendmsg is over. With a socket that counts its queue exactly
   * (`countsQueuedSends`), that is known before `done` runs: a synchronous
   * burst that queues many batches (the FIB exporter's, fed a million routes
   * in one loop) reuses their buffers while it runs, where waiting for `done`
   * held every batch's buffer to its end (~130 KiB each; 66 MB of external
   * memory at a million routes, which V8 counts towards its next major
   * collection).
   */
  sendBatchWriter(writer: MessageWriter, requestCount: number, done: (error: Error | null) => void): void {
    if (this.closed || this.socket.sendAsync === undefined) {
      // Sent (or refused) before this returns: the writer is free at once.
      this.sendBatch(writer.bytes(), requestCount, (error) => {
        this.releaseBatchWriter(writer);
        done(error);
      });
      return;
    }
    const entry: SendingWriter = { writer, send: this.sendsIssued + 1, reclaimed: false };
    this.sendingWriters.push(entry);
    this.sendBatch(writer.bytes(), requestCount, (error) => {
      if (!entry.reclaimed) {
        const sending = this.sendingWriters;
        const i = sending[0] === entry ? 0 : sending.indexOf(entry);
        if (i >= 0) sending.splice(i, 1);
        this.releaseBatchWriter(writer);
      }
      done(error);
    });
  }

  /**
   * The oldest batch writer whose sendmsg is over, without waiting for its
   * `done`. The send thread takes sends in order and sends one at a time, so
   * of the sends it has taken (issued minus still queued) all but the last
   * are over. Never after close(), which empties the queue without sending.
   */
  private reclaimSentWriter(size: number): MessageWriter | undefined {
    const sending = this.sendingWriters;
    if (sending.length === 0 || this.closed || this.socket.countsQueuedSends !== true || this.socket.queuedSends === undefined) return undefined;
    const over = this.sendsIssued - this.socket.queuedSends() - 1;
    while (sending.length > 0 && sending[0]!.send <= over) {
      const entry = sending.shift()!;
      entry.reclaimed = true;
      if (entry.writer.buffer.length >= size) {
        entry.writer.reset();
        return entry.writer;
      }
      // Too small for this stream: a spare for another (releaseBatchWriter resets it).
      this.releaseBatchWriter(entry.writer);
    }
    return undefined;
  }

  /**
   * Hands a send to the socket's thread. The socket sends in call order and
   * moves on to the next send without waiting for this thread, so the kernel
   * is never idle between two batches while JavaScript is busy.
   */
  private sendThreaded(bytes: Buffer | readonly Buffer[], requestCount: number, done: (error: Error | null) => void): void {
    const sendAsync = this.socket.sendAsync!;
    this.threadedSends++;
    this.sendsIssued++;
    try {
      sendAsync.call(this.socket, bytes, (error, sent) => {
        this.threadedSends--;
        if (error === null) {
          this.stats.datagramsSent++;
          this.stats.bytesSent += sent;
          this.stats.requestsSent += requestCount;
        }
        // After close(), the socket cancels what it had not started.
        done(error !== null && this.closed ? new NetlinkClosedError() : error);
      });
    } catch (error) {
      // Refused at once (EBADF after a close elsewhere, bad arguments): never queued.
      this.threadedSends--;
      this.sendsIssued--;
      done(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => this.flush());
  }

  private failSeq(seq: number, error: Error): void {
    const p = this.pending.get(seq);
    if (p !== undefined) {
      this.pending.delete(seq);
      p.reject(error);
    } else if (this.dump !== undefined && this.dump.seq === seq) {
      const d = this.dump;
      this.dump = undefined;
      d.reject(error);
    }
    this.updatePolling();
  }

  private isBusy(): boolean {
    // A paused streaming dump stops reading only on its own behalf: anything
    // else waiting for an answer keeps the socket read, or a consumer that
    // sends requests from inside its dump loop would deadlock.
    return this.pending.size > 0 || this.ranges.size > 0 || (this.dump !== undefined && !this.paused);
  }

  private updatePolling(): void {
    if (this.closed) return;
    if (this.isBusy()) {
      if (!this.polling) {
        this.socket.start((error, datagrams, truncated, foreign) => this.onReceive(error, datagrams, truncated, foreign));
        this.polling = true;
      }
      return;
    }
    if (!this.polling || this.stopScheduled) return;
    if (this.dump !== undefined) {
      // a paused stream: stop reading now, that is the backpressure
      this.socket.stop();
      this.polling = false;
      return;
    }
    // Idle: stop polling (so the process may exit) one loop iteration
    // later. Code that awaits one request and sends the next (a group
    // replace, sequential adds) does so in the microtasks of the answer, and
    // then finds the socket still polled: no uv_poll stop/start (two
    // epoll_ctl calls) per round trip, which measured 3-8 us of 11-16 us.
    this.stopScheduled = true;
    setImmediate(() => {
      this.stopScheduled = false;
      if (!this.closed && this.polling && !this.isBusy()) {
        this.socket.stop();
        this.polling = false;
      }
    });
  }

  private onReceive(error: NativeSystemError | null, datagrams: Buffer[], truncated: number, foreign: number): void {
    this.stats.truncated += truncated;
    this.stats.foreign += foreign;
    for (const datagram of datagrams) {
      this.stats.datagramsReceived++;
      try {
        this.dispatch(datagram);
      } catch (e) {
        if (!(e instanceof NetlinkDecodeError)) throw e;
        this.stats.decodeErrors++;
      }
    }
    if (truncated > 0) this.failEverything(new NetlinkOverrunError(`${truncated} reply datagram(s) truncated (MSG_TRUNC)`));
    if (error !== null) {
      if (error.code === 'ENOBUFS') {
        this.stats.overruns++;
        this.failEverything(new NetlinkOverrunError());
      } else {
        this.failEverything(error);
      }
    }
    this.updatePolling();
  }

  /** Replies may have been lost: nobody waiting can be sure of their answer. */
  private failEverything(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
    const d = this.dump;
    this.dump = undefined;
    d?.reject(error);
    for (const range of [...this.ranges]) range.onOverrun(error);
  }

  private dispatch(buf: Buffer): void {
    let offset = 0;
    let dumpDatagram = false;
    while (offset + NLMSG_HDRLEN <= buf.length) {
      const length = readU32(buf, offset);
      if (length < NLMSG_HDRLEN || offset + length > buf.length) {
        throw new NetlinkDecodeError(`nlmsg_len ${length} at offset ${offset} of a ${buf.length}-byte datagram`);
      }
      const type = readU16(buf, offset + 4);
      const flags = readU16(buf, offset + 6);
      const seq = readU32(buf, offset + 8);
      this.stats.messagesReceived++;
      const dump = this.dump;
      if (dump !== undefined && seq === dump.seq) {
        dumpDatagram = true;
        if (type === NLMSG.DONE) {
          this.dump = undefined;
          // NLMSG_DONE carries an int error (0, or negative if the dump failed).
          const status = length >= NLMSG_HDRLEN + 4 ? readI32(buf, offset + NLMSG_HDRLEN) : 0;
          const interrupted = dump.interrupted || (flags & NLM_F.DUMP_INTR) !== 0;
          if (status < 0) {
            dump.reject(this.errorFromDone(this.message(buf, offset, length), status, dump));
          } else if (dump.onDatagram !== undefined) {
            dump.onDatagram(buf);
            dump.resolve({ datagrams: [], interrupted });
          } else {
            dump.resolve({ datagrams: dump.datagrams.concat(buf), interrupted });
          }
          dumpDatagram = false; // already handed over
        } else if (type === NLMSG.ERROR) {
          this.dump = undefined;
          const message = this.message(buf, offset, length);
          const status = readI32(buf, offset + NLMSG_HDRLEN);
          if (status < 0) dump.reject(this.errorFromMessage(message, dump));
          else dump.resolve({ datagrams: dump.datagrams, interrupted: dump.interrupted });
          dumpDatagram = false;
        } else if ((flags & NLM_F.DUMP_INTR) !== 0) {
          dump.interrupted = true;
        }
      } else if (type === NLMSG.ERROR) {
        this.onError(buf, offset, length, seq);
      } else {
        const p = this.pending.get(seq);
        if (p !== undefined) p.replies.push(this.message(buf, offset, length));
        else this.stats.unmatched++;
      }
      offset += (length + 3) & ~3;
    }
    if (dumpDatagram && this.dump !== undefined) {
      if (this.dump.onDatagram !== undefined) this.dump.onDatagram(buf);
      else this.dump.datagrams.push(buf);
    }
  }

  private onError(buf: Buffer, offset: number, length: number, seq: number): void {
    const message = this.message(buf, offset, length);
    const status = readI32(buf, offset + NLMSG_HDRLEN);
    const p = this.pending.get(seq);
    if (p !== undefined) {
      this.pending.delete(seq);
      if (status === 0) p.resolve(p.replies);
      else p.reject(this.errorFromMessage(message, p));
      return;
    }
    for (const range of this.ranges) {
      const index = (seq - range.first) >>> 0;
      if (index < range.count) {
        if (status === 0) range.onAck(index);
        else range.onError(index, decodeNlMsgErr(message), message);
        return;
      }
    }
    this.stats.unmatched++;
  }

  private message(buf: Buffer, offset: number, length: number): NetlinkMessage {
    return netlinkMessageAt(buf, offset, length);
  }

  private errorFromMessage(message: NetlinkMessage, request: { type: number; flags: number; operation: unknown }): NetlinkError {
    const decoded = decodeNlMsgErr(message);
    return netlinkErrorFrom(decoded, request.type, request.flags, message.seq, request.operation);
  }

  /** NLMSG_DONE with a negative status: an int, then extack TLVs when NLM_F_ACK_TLVS. */
  private errorFromDone(message: NetlinkMessage, status: number, dump: PendingDump): NetlinkError {
    let extack: string | undefined;
    if ((message.flags & NLM_F.ACK_TLVS) !== 0) {
      const table = readAttributes(message.buffer, message.payloadStart + 4, message.payloadEnd);
      extack = attrString(table[NLMSGERR_ATTR.MSG]);
    }
    return netlinkErrorFrom({ error: status, request: message, ...(extack !== undefined ? { extackMessage: extack } : {}) }, dump.type, dump.flags, dump.seq, dump.operation);
  }

  /** Rejects everything still waiting and closes the socket. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.failEverything(new NetlinkClosedError());
    // The socket cancels threaded sends not started yet (their callbacks report
    // NetlinkClosedError); one in sendmsg finishes, and the addon closes the fd after it.
    this.socket.close();
  }
}

/** Builds the NetlinkError for a decoded NLMSG_ERROR. */
export function netlinkErrorFrom(
  decoded: NlMsgErr,
  type: number,
  flags: number,
  seq: number,
  operation: unknown,
): NetlinkError {
  const info: NetlinkRequestInfo =
    operation === undefined
      ? { type, typeName: messageTypeName(type), flags, seq }
      : { type, typeName: messageTypeName(type), flags, seq, operation };
  return new NetlinkError(-decoded.error, info, decoded.extackMessage, decoded.extackOffset);
}
