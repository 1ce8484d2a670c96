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
  const batchBytes = Math.max(4096, Math.min(options.batchBytes ?? 256 * 1024, channel.maxSendBytes));
  const window = Math.max(1, options.window ?? 2);
  const ackFlag = options.ack === true ? NLM_F.ACK : 0;
  const keep = options.keepFailures ?? true;
  const maxKept = options.maxFailuresKept ?? 100_000;
  // A kernel error reply costs about 1 KiB of receive buffer (skb truesize):
  // never put more operations in flight than the buffer can hold answers for.
  const maxOpsPerBatch = Math.max(16, Math.floor(channel.socket.receiveBufferSize / 1024 / (window + 1)));
  const result: BulkResult<T> = { submitted: 0, failed: 0, succeeded: 0, failures: [], overrun: false, batches: 0 };
  let acked = 0;

  let kernelFailed = 0;
  const report = (failure: BulkFailure<T>): void => {
    result.failed++;
    if (!(failure.error instanceof NetlinkArgumentError)) kernelFailed++;
    if (keep && result.failures.length < maxKept) result.failures.push(failure);
    options.onFailure?.(failure);
  };

  // A batch's bytes belong to its sendmsg (on the addon's send thread) until it
  // returns; the channel then reuses its writer (channel.sendBatchWriter),
  // known from the send queue even before the batch's answer is read. The
  // next writer is taken when the next operation comes, not when a batch goes
  // out: a stream that ends with that batch (the FIB exporter sends many small
  // ones and keeps them unanswered through a burst) holds no idle writer.
  // Headroom for the message that crosses the batch limit (a writer grows if one is larger).
  const writerSize = batchBytes + Math.min(64 * 1024, batchBytes >> 2);
  let writer: MessageWriter | undefined;
  const inFlight: Batch[] = [];
  // An array (or typed array) source is read by index, and a failure looks its
  // operation up there: no per-operation bookkeeping. Other sources keep each
  // batch's operations until the batch is answered.
  const indexed: ArrayLike<T> | undefined = Array.isArray(operations) || (ArrayBuffer.isView(operations) && !(operations instanceof DataView)) ? (operations as unknown as ArrayLike<T>) : undefined;
  let operationsInBatch: T[] = [];
  let batchCount = 0;
  // Stream positions of the batch's operations: contiguous from batchStart
  // unless an operation in between could not be encoded (then listed).
  let batchStart = 0;
  let listedIndices: number[] | undefined;
  // Sequence numbers are reserved per batch so a batch's seqs are contiguous.
  const maxMessages = Math.min(maxOpsPerBatch, Math.ceil(batchBytes / 16)) + 1;
  let firstSeq = channel.reserveSeqs(maxMessages + 1);
  let batchLimit = options.slowStart === false ? batchBytes : Math.min(batchBytes, FIRST_BATCH_BYTES);
  /** A sendmsg that failed: nothing of that batch reached the kernel, and the stream stops. */
  let sendError: Error | undefined;

  const sendBatch = (): void => {
    const count = batchCount;
    const full = writer;
    if (count === 0 || full === undefined) return;
    const barrierSeq = (firstSeq + count) >>> 0;
    full.message(NLMSG.NOOP, NLM_F.REQUEST | NLM_F.ACK, barrierSeq, 0, noBody);
    const ops = operationsInBatch;
    const indices = listedIndices;
    const start0 = batchStart;
    const batchFirstSeq = firstSeq;
    let remove: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      const listener: SeqRangeListener = {
        first: batchFirstSeq,
        count: count + 1,
        onError(i, decoded, message) {
          const index = indices === undefined ? start0 + i : indices[i];
          if (index === undefined || i >= count) return;
          const operation = indexed !== undefined ? indexed[index] : ops[i];
          if (operation === undefined) return;
          const { type, flags } = encoder.requestOf(operation);
          report({ index, operation, error: netlinkErrorFrom(decoded, type, flags, message.seq, operation) });
        },
        onAck(i) {
          if (i === count) {
            remove();
            resolve();
          } else {
            acked++;
          }
        },
        onOverrun() {
          result.overrun = true;
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
        sendError ??= error;
        reject(error);
      });
    });
    const done = Promise.all([answered, sent]).then(() => undefined);
    // Awaited later (window or end of stream); marked handled now so a failed
    // send is never an unhandled rejection in between.
    done.catch(() => undefined);
    result.batches++;
    result.submitted += count;
    inFlight.push({ firstSeq: batchFirstSeq, done });
    writer = undefined;
    if (indexed === undefined) operationsInBatch = [];
    batchCount = 0;
    listedIndices = undefined;
    firstSeq = channel.reserveSeqs(maxMessages + 1);
  };

  /** Waits for the oldest batch in flight. */
  const settleOldest = async (): Promise<void> => {
    const batch = inFlight.shift();
    if (batch === undefined) return;
    await batch.done;
  };

  let index = 0;
  /** Encodes one operation; true when a batch went out and the window is full. */
  const add = (operation: T): boolean => {
    const i = index++;
    const seq = (firstSeq + batchCount) >>> 0;
    writer ??= channel.acquireBatchWriter(writerSize);
    try {
      encoder.encode(writer, seq, operation, ackFlag);
    } catch (error) {
      if (error instanceof NetlinkArgumentError) {
        report({ index: i, operation, error });
        return false;
      }
      throw error;
    }
    const count = batchCount;
    if (count === 0) batchStart = i;
    else if (listedIndices !== undefined) listedIndices.push(i);
    else if (i !== batchStart + count) {
      listedIndices = Array.from({ length: count }, (_, k) => batchStart + k);
      listedIndices.push(i);
    }
    if (indexed === undefined) operationsInBatch.push(operation);
    batchCount = count + 1;
    if (writer.offset >= batchLimit || batchCount >= maxMessages - 1) {
      // Slow start: the first batches are small so the kernel starts while the
      // rest is still being encoded; then they double up to batchBytes.
      batchLimit = Math.min(batchBytes, batchLimit * 2);
      sendBatch();
      return inFlight.length >= window;
    }
    return false;
  };

  try {
    if (Symbol.asyncIterator in operations) {
      for await (const operation of operations) {
        if (sendError !== undefined) throw sendError;
        if (add(operation)) await settleOldest();
      }
    } else if (indexed !== undefined) {
      // Synchronous sources stay synchronous between batches: no await per operation.
      for (let k = 0; k < indexed.length; k++) {
        if (sendError !== undefined) throw sendError;
        if (add(indexed[k] as T)) await settleOldest();
      }
    } else {
      for (const operation of operations) {
        if (sendError !== undefined) throw sendError;
        if (add(operation)) await settleOldest();
      }
    }
    sendBatch();
    while (inFlight.length > 0) await settleOldest();
  } finally {
    // Sent writers are the channel's again once their sendmsg is over; only a
    // writer that was being filled goes back from here.
    if (writer !== undefined) channel.releaseBatchWriter(writer);
  }
  result.succeeded = options.ack === true ? acked : result.submitted - kernelFailed;
  return result;
}
