import type { NetlinkChannel, SeqRangeListener } from './channel.js';
import { netlinkErrorFrom } from './channel.js';
import { NLM_F, NLMSG, RTM } from './constants.js';
import { MessageWriter } from './codec/writer.js';
import type { NetlinkError } from './errors.js';
import { NetlinkArgumentError } from './errors.js';
import type { AddressSpec } from './ops/address-codec.js';
import { encodeAddressBody } from './ops/address-codec.js';
import type { FdbSpec, NeighborSpec } from './ops/neighbor-codec.js';
import { encodeFdbBody, encodeNeighborBody } from './ops/neighbor-codec.js';
import type { NexthopSpec } from './ops/nexthop-codec.js';
import { encodeNexthopBody, encodeNexthopIdBody } from './ops/nexthop-codec.js';
import type { RouteSpec } from './ops/route-codec.js';
import { encodeRouteBody } from './ops/route-codec.js';
import { RouteSpecRun } from './ops/route-spec-run.js';
import { keepShapeOf } from './shape-keeper.js';

/** One operation of a bulk stream. */
export type BulkOperation =
  | { op: 'route.add' | 'route.replace' | 'route.append' | 'route.delete'; route: RouteSpec }
  | { op: 'nexthop.add' | 'nexthop.replace'; nexthop: NexthopSpec }
  | { op: 'nexthop.delete'; id: number }
  | { op: 'neighbor.add' | 'neighbor.replace' | 'neighbor.delete'; neighbor: NeighborSpec }
  | { op: 'fdb.add' | 'fdb.replace' | 'fdb.append' | 'fdb.delete'; fdb: FdbSpec }
  | { op: 'address.add' | 'address.delete'; address: AddressSpec };

/** An operation that failed: which one (0-based position in the stream), and why. */
export interface BulkFailure<T = BulkOperation> {
  index: number;
  /**
   * The operation itself. From an array (or typed array) source it is read at
   * `index` when the kernel's answer arrives, so the array must not change
   * while the stream runs; other sources' operations are kept per batch.
   */
  operation: T;
  error: NetlinkError | NetlinkArgumentError;
}

/**
 * Turns items of a caller's own type into requests for `rtnl.bulkWith()`, so a
 * hot caller (the FIB exporter) streams its records without building a
 * BulkOperation and a RouteSpec per route.
 */
export interface BulkEncoder<T> {
  /**
   * Appends the item's request (nlmsghdr and body) with this seq and
   * NLM_F_REQUEST | ackFlag | its own flags; throws NetlinkArgumentError
   * (leaving the writer as it was) for an item that cannot be encoded.
   */
  encode(w: MessageWriter, seq: number, item: T, ackFlag: number): void;
  /** Message type and flags of the item's request, for the NetlinkError of a failure. */
  requestOf(item: T): { type: number; flags: number };
}

export interface BulkOptions<T = BulkOperation> {
  /** Bytes per sendmsg (default 256 KiB, capped by the socket's send buffer); a stream starts at 16 KiB and doubles up to it. */
  batchBytes?: number;
  /**
   * Start with a 16 KiB batch and double up to batchBytes (default true): the
   * kernel starts while the rest is encoded. Off for a caller that keeps the
   * kernel busy with streams of its own (the FIB exporter's slices), where it
   * would only add sendmsg calls.
   */
  slowStart?: boolean;
  /** Batches sent before waiting for the oldest to finish (default 2). */
  window?: number;
  /** NLM_F_ACK on every operation (default false: only errors come back, ~25 % faster). */
  ack?: boolean;
  /** Called for every failure as it arrives. */
  onFailure?: (failure: BulkFailure<T>) => void;
  /** Keep failures in the result (default true; at most maxFailuresKept). */
  keepFailures?: boolean;
  maxFailuresKept?: number;
}

export interface BulkResult<T = BulkOperation> {
  /** Operations handed to the kernel. */
  submitted: number;
  /** Operations that failed (kernel errors and operations that could not be encoded). */
  failed: number;
  /** With ack: true, how many were confirmed; otherwise submitted - kernel failures. */
  succeeded: number;
  failures: BulkFailure<T>[];
  /** The receive buffer overflowed: some failures may not have been reported. */
  overrun: boolean;
  batches: number;
}

interface Batch {
  firstSeq: number;
  /** Resolves when the kernel acknowledged the batch's closing NOOP and sendmsg returned. */
  done: Promise<void>;
}

/** Bytes of a stream's first batch (later batches double up to batchBytes). */
const FIRST_BATCH_BYTES = 16 * 1024;

/** Which request a bulk operation becomes. */
/** The barrier NOOP has no body. */
const noBody = (): void => undefined;

/** Runs of route operations sharing their attributes go through a route set (encoding is synchronous: one is enough). */
const routeRun = new RouteSpecRun();
const ROUTE_SET_OPS = { 'route.add': 'add', 'route.replace': 'replace', 'route.append': 'append', 'route.delete': 'delete' } as const;

function encodeOperation(w: MessageWriter, seq: number, operation: BulkOperation, ackFlag: number): void {
  let type: number;
  let flags: number;
  switch (operation.op) {
    case 'route.add':
    case 'route.replace':
    case 'route.append':
    case 'route.delete': {
      const del = operation.op === 'route.delete';
      if (routeRun.encode(w, seq, ROUTE_SET_OPS[operation.op], operation.route, ackFlag)) return;
      type = del ? RTM.DELROUTE : RTM.NEWROUTE;
      flags = del ? 0 : operation.op === 'route.add' ? NLM_F.CREATE | NLM_F.EXCL : operation.op === 'route.replace' ? NLM_F.CREATE | NLM_F.REPLACE : NLM_F.CREATE | NLM_F.APPEND;
      const start = w.beginMessage(type, NLM_F.REQUEST | ackFlag | flags, seq, 0);
      try {
        encodeRouteBody(w, operation.route, del);
      } catch (error) {
        w.abandon(start);
        throw error;
      }
      w.endMessage(start);
      return;
    }
    default:
      break;
  }
  let body: (w: MessageWriter) => void;
  switch (operation.op) {
    case 'nexthop.add':
    case 'nexthop.replace':
      type = RTM.NEWNEXTHOP;
      flags = NLM_F.CREATE | (operation.op === 'nexthop.add' ? NLM_F.EXCL : NLM_F.REPLACE);
      body = (x) => encodeNexthopBody(x, operation.nexthop);
      break;
    case 'nexthop.delete':
      type = RTM.DELNEXTHOP;
      flags = 0;
      body = (x) => encodeNexthopIdBody(x, operation.id);
      break;
    case 'neighbor.add':
    case 'neighbor.replace':
    case 'neighbor.delete': {
      const del = operation.op === 'neighbor.delete';
      type = del ? RTM.DELNEIGH : RTM.NEWNEIGH;
      flags = del ? 0 : NLM_F.CREATE | (operation.op === 'neighbor.add' ? NLM_F.EXCL : NLM_F.REPLACE);
      body = (x) => encodeNeighborBody(x, operation.neighbor, del);
      break;
    }
    case 'fdb.add':
    case 'fdb.replace':
    case 'fdb.append':
    case 'fdb.delete': {
      const del = operation.op === 'fdb.delete';
      type = del ? RTM.DELNEIGH : RTM.NEWNEIGH;
      flags = del ? 0 : NLM_F.CREATE | (operation.op === 'fdb.add' ? NLM_F.EXCL : operation.op === 'fdb.replace' ? NLM_F.REPLACE : NLM_F.APPEND);
      body = (x) => encodeFdbBody(x, operation.fdb, del);
      break;
    }
    case 'address.add':
    case 'address.delete': {
      const del = operation.op === 'address.delete';
      type = del ? RTM.DELADDR : RTM.NEWADDR;
      flags = del ? 0 : NLM_F.CREATE | NLM_F.EXCL;
      body = (x) => encodeAddressBody(x, operation.address);
      break;
    }
    default: {
      const unknown: { op?: unknown } = operation;
      throw new NetlinkArgumentError('op', `unknown bulk operation ${JSON.stringify(unknown.op)}`);
    }
  }
  w.message(type, NLM_F.REQUEST | ackFlag | flags, seq, 0, body);
}

function typeOf(operation: BulkOperation): { type: number; flags: number } {
  switch (operation.op) {
    case 'route.delete':
      return { type: RTM.DELROUTE, flags: 0 };
    case 'route.add':
    case 'route.replace':
    case 'route.append':
      return { type: RTM.NEWROUTE, flags: NLM_F.CREATE };
    case 'nexthop.delete':
      return { type: RTM.DELNEXTHOP, flags: 0 };
    case 'nexthop.add':
    case 'nexthop.replace':
      return { type: RTM.NEWNEXTHOP, flags: NLM_F.CREATE };
    case 'neighbor.delete':
    case 'fdb.delete':
      return { type: RTM.DELNEIGH, flags: 0 };
    case 'address.delete':
      return { type: RTM.DELADDR, flags: 0 };
    case 'address.add':
      return { type: RTM.NEWADDR, flags: NLM_F.CREATE };
    default:
      return { type: RTM.NEWNEIGH, flags: NLM_F.CREATE };
  }
}

/**
 * Streams operations to the kernel in large batches: each batch is one
 * sendmsg, without NLM_F_ACK unless asked (errors still come back), closed by
 * an acknowledged NLMSG_NOOP so fibwire knows when the kernel is done with
 * it. At most `window` batches are in flight, which bounds both memory and
 * the error replies that can pile up in the receive buffer. Failures are
 * reported per operation and never stop the stream.
 */
export function runBulk(
  channel: NetlinkChannel,
  operations: Iterable<BulkOperation> | AsyncIterable<BulkOperation>,
  options: BulkOptions = {},
): Promise<BulkResult> {
  return runBulkWith(channel, operations, OPERATION_ENCODER, options);
}

const OPERATION_ENCODER: BulkEncoder<BulkOperation> = { encode: encodeOperation, requestOf: typeOf };

/** {@link runBulk} for items of any type, encoded by `encoder`. */
export async function runBulkWith<T>(
  channel: NetlinkChannel,
  operations: Iterable<T> | AsyncIterable<T>,
  encoder: BulkEncoder<T>,
  options: BulkOptions<T> = {},
): Promise<BulkResult<T>> {
  // async: whatever the stream's set-up throws comes back as a rejection, as before.
  return new BulkStream(channel, operations, encoder, options).run();
}

/**
 * One run of {@link runBulkWith}. A class rather than closures inside the
 * function: V8 keeps an inner function's optimized code only while one of its
 * closures lives, so the per-operation `add` of a closure-based stream was
 * thrown away at every major collection between two bulks and the next bulk
 * encoded its first batches in the interpreter while it was recompiled
 * (`--log-code`: recompiled every ~1.3 s in a 10k-route bench). Methods live as
 * long as the class. One stream is kept (keepShapeOf) so its shape does too.
 */
class BulkStream<T> {
  private readonly batchBytes: number;
  private readonly window: number;
  private readonly ackFlag: number;
  private readonly keep: boolean;
  private readonly maxKept: number;
  /** Headroom for the message that crosses the batch limit (a writer grows if one is larger). */
  private readonly writerSize: number;
  /** Messages per batch: operations plus the closing NOOP. */
  private readonly maxMessages: number;
  /**
   * An array (or typed array) source is read by index, and a failure looks its
   * operation up there: no per-operation bookkeeping. Other sources keep each
   * batch's operations until the batch is answered.
   */
  private readonly indexed: ArrayLike<T> | undefined;
  private readonly result: BulkResult<T> = { submitted: 0, failed: 0, succeeded: 0, failures: [], overrun: false, batches: 0 };
  private acked = 0;
  private kernelFailed = 0;
  /**
   * A batch's bytes belong to its sendmsg (on the addon's send thread) until it
   * returns; the channel then reuses its writer (channel.sendBatchWriter),
   * known from the send queue even before the batch's answer is read. The
   * next writer is taken when the next operation comes, not when a batch goes
   * out: a stream that ends with that batch (the FIB exporter sends many small
   * ones and keeps them unanswered through a burst) holds no idle writer.
   */
  private writer: MessageWriter | undefined = undefined;
  private readonly inFlight: Batch[] = [];
  private operationsInBatch: T[] = [];
  private batchCount = 0;
  /** Stream positions of the batch's operations: contiguous from batchStart unless an operation in between could not be encoded (then listed). */
  private batchStart = 0;
  private listedIndices: number[] | undefined = undefined;
  /** Sequence numbers are reserved per batch so a batch's seqs are contiguous. */
  private firstSeq: number;
  private batchLimit: number;
  /** A sendmsg that failed: nothing of that batch reached the kernel, and the stream stops. */
  private sendError: Error | undefined = undefined;
  private index = 0;

  constructor(
    private readonly channel: NetlinkChannel,
    private readonly operations: Iterable<T> | AsyncIterable<T>,
    private readonly encoder: BulkEncoder<T>,
    private readonly options: BulkOptions<T>,
  ) {
    this.batchBytes = Math.max(4096, Math.min(options.batchBytes ?? 256 * 1024, channel.maxSendBytes));
    this.window = Math.max(1, options.window ?? 2);
    this.ackFlag = options.ack === true ? NLM_F.ACK : 0;
    this.keep = options.keepFailures ?? true;
    this.maxKept = options.maxFailuresKept ?? 100_000;
    // A kernel error reply costs about 1 KiB of receive buffer (skb truesize):
    // never put more operations in flight than the buffer can hold answers for.
    const maxOpsPerBatch = Math.max(16, Math.floor(channel.socket.receiveBufferSize / 1024 / (this.window + 1)));
    this.writerSize = this.batchBytes + Math.min(64 * 1024, this.batchBytes >> 2);
    this.indexed = Array.isArray(operations) || (ArrayBuffer.isView(operations) && !(operations instanceof DataView)) ? (operations as unknown as ArrayLike<T>) : undefined;
    this.maxMessages = Math.min(maxOpsPerBatch, Math.ceil(this.batchBytes / 16)) + 1;
    this.firstSeq = channel.reserveSeqs(this.maxMessages + 1);
    this.batchLimit = options.slowStart === false ? this.batchBytes : Math.min(this.batchBytes, FIRST_BATCH_BYTES);
  }

  async run(): Promise<BulkResult<T>> {
    const operations = this.operations;
    const indexed = this.indexed;
    try {
      if (Symbol.asyncIterator in operations) {
        for await (const operation of operations) {
          if (this.sendError !== undefined) throw this.sendError;
          if (this.add(operation)) await this.settleOldest();
        }
      } else if (indexed !== undefined) {
        // Synchronous sources stay synchronous between batches: no await per operation.
        for (let k = 0; k < indexed.length; k++) {
          if (this.sendError !== undefined) throw this.sendError;
          if (this.add(indexed[k] as T)) await this.settleOldest();
        }
      } else {
        for (const operation of operations) {
          if (this.sendError !== undefined) throw this.sendError;
          if (this.add(operation)) await this.settleOldest();
        }
      }
      this.sendBatch();
      while (this.inFlight.length > 0) await this.settleOldest();
    } finally {
      // Sent writers are the channel's again once their sendmsg is over; only a
      // writer that was being filled goes back from here.
      if (this.writer !== undefined) this.channel.releaseBatchWriter(this.writer);
      this.writer = undefined;
    }
    const result = this.result;
    result.succeeded = this.options.ack === true ? this.acked : result.submitted - this.kernelFailed;
    return result;
  }

  /** Encodes one operation; true when a batch went out and the window is full. */
  private add(operation: T): boolean {
    const i = this.index++;
    const count = this.batchCount;
    const seq = (this.firstSeq + count) >>> 0;
    const writer = (this.writer ??= this.channel.acquireBatchWriter(this.writerSize));
    try {
      this.encoder.encode(writer, seq, operation, this.ackFlag);
    } catch (error) {
      if (error instanceof NetlinkArgumentError) {
        this.report({ index: i, operation, error });
        return false;
      }
      throw error;
    }
    if (count === 0) this.batchStart = i;
    else if (this.listedIndices !== undefined) this.listedIndices.push(i);
    else if (i !== this.batchStart + count) {
      const start = this.batchStart;
      this.listedIndices = Array.from({ length: count }, (_, k) => start + k);
      this.listedIndices.push(i);
    }
    if (this.indexed === undefined) this.operationsInBatch.push(operation);
    this.batchCount = count + 1;
    if (writer.offset >= this.batchLimit || count + 1 >= this.maxMessages - 1) {
      // Slow start: the first batches are small so the kernel starts while the
      // rest is still being encoded; then they double up to batchBytes.
      this.batchLimit = Math.min(this.batchBytes, this.batchLimit * 2);
      this.sendBatch();
      return this.inFlight.length >= this.window;
    }
    return false;
  }

  private report(failure: BulkFailure<T>): void {
    this.result.failed++;
    if (!(failure.error instanceof NetlinkArgumentError)) this.kernelFailed++;
    if (this.keep && this.result.failures.length < this.maxKept) this.result.failures.push(failure);
    this.options.onFailure?.(failure);
  }

  /** Closes the batch being filled with an acknowledged NOOP and hands it to the channel. */
  private sendBatch(): void {
    const count = this.batchCount;
    const full = this.writer;
    if (count === 0 || full === undefined) return;
    const channel = this.channel;
    const batchFirstSeq = this.firstSeq;
    const barrierSeq = (batchFirstSeq + count) >>> 0;
    full.message(NLMSG.NOOP, NLM_F.REQUEST | NLM_F.ACK, barrierSeq, 0, noBody);
    const ops = this.operationsInBatch;
    const indices = this.listedIndices;
    const start0 = this.batchStart;
    const indexed = this.indexed;
    const encoder = this.encoder;
    let remove: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      const listener: SeqRangeListener = {
        first: batchFirstSeq,
        count: count + 1,
        onError: (i, decoded, message) => {
          const index = indices === undefined ? start0 + i : indices[i];
          if (index === undefined || i >= count) return;
          const operation = indexed !== undefined ? indexed[index] : ops[i];
          if (operation === undefined) return;
          const { type, flags } = encoder.requestOf(operation);
          this.report({ index, operation, error: netlinkErrorFrom(decoded, type, flags, message.seq, operation) });
        },
        onAck: (i) => {
          if (i === count) {
            remove();
            resolve();
          } else {
            this.acked++;
          }
        },
        onOverrun: () => {
          this.result.overrun = true;
          remove();
          resolve();
        },
      };
      remove = channel.addRange(listener);
    });
    const sent = new Promise<void>((resolve, reject) => {
      channel.flush(); // request() traffic made before this batch goes out first
      // The channel takes the writer back once the sendmsg is over.
      channel.sendBatchWriter(full, count + 1, (error) => {
        if (error === null) {
          resolve();
          return;
        }
        // No answer will come for a batch the kernel never saw.
        remove();
        this.sendError ??= error;
        reject(error);
      });
    });
    const done = Promise.all([answered, sent]).then(() => undefined);
    // Awaited later (window or end of stream); marked handled now so a failed
    // send is never an unhandled rejection in between.
    done.catch(() => undefined);
    this.result.batches++;
    this.result.submitted += count;
    this.inFlight.push({ firstSeq: batchFirstSeq, done });
    this.writer = undefined;
    if (indexed === undefined) this.operationsInBatch = [];
    this.batchCount = 0;
    this.listedIndices = undefined;
    this.firstSeq = channel.reserveSeqs(this.maxMessages + 1);
  }

  /** Waits for the oldest batch in flight. */
  private async settleOldest(): Promise<void> {
    const batch = this.inFlight.shift();
    if (batch === undefined) return;
    await batch.done;
  }
}

/**
 * One stream lives on, so its shape does (see keepShapeOf): no stream outlives
 * its bulk. Built over a stand-in for the three things the constructor reads
 * from a channel; it never runs.
 */
const SHAPE_CHANNEL = { maxSendBytes: 4096, socket: { receiveBufferSize: 64 * 1024 }, reserveSeqs: () => 0 } as unknown as NetlinkChannel;
keepShapeOf(new BulkStream(SHAPE_CHANNEL, [], OPERATION_ENCODER, {}));
