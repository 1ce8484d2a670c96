import { NLM_F, NLMSG, NLMSG_HDRLEN } from './constants.js';
import { readI32, readU16, readU32 } from './codec/attributes.js';
import { decodeNlMsgErr } from './codec/nlmsgerr.js';
import { netlinkMessageAt, type NetlinkMessage } from './codec/nlmsghdr.js';
import { MessageWriter } from './codec/writer.js';
import type { BodyEncoder } from './channel.js';
import { netlinkErrorFrom } from './channel.js';
import { NetlinkClosedError, NetlinkDecodeError } from './errors.js';
import { isSystemError, RtnlSocket, type NetnsRef } from './socket.js';

/** Options of {@link SyncNetlinkChannel}. */
export interface SyncNetlinkChannelOptions {
  netns?: NetnsRef;
  /** Longest wait for the kernel's answer, in ms (default 1000); then a system error ETIMEDOUT. */
  timeoutMs?: number;
}

/** What a {@link SyncNetlinkChannel} needs of its socket ({@link RtnlSocket} has it). */
export interface SyncChannelSocket {
  send(data: Buffer | readonly Buffer[]): number;
  /** One datagram into `buffer` (its length), waiting at most timeoutMs; throws a system error (ETIMEDOUT, ENOBUFS, ...). */
  receiveSync(buffer: Buffer, timeoutMs: number): number;
  close(): void;
}

/** Datagrams of a single answer (a lookup's reply and its ACK) fit many times over. */
const RECEIVE_BYTES = 64 * 1024;

/**
 * A NETLINK_ROUTE socket of its own, used synchronously: one request at a
 * time, answered before the call returns. For short lookups on a path that
 * cannot wait for the event loop, such as the FIB exporter resolving a new
 * gateway in the middle of a synchronous burst. rtnetlink handles a request
 * inside the sendmsg that carries it, so the answer is already queued when
 * the call reads it; `timeoutMs` only bounds a kernel that does not answer.
 *
 * Not for dumps (many datagrams) and not for bulk work: the event loop waits
 * for every call. {@link NetlinkChannel} is the asynchronous, pipelined path.
 *
 * @example
 * ```ts
 * const sync = SyncNetlinkChannel.open({ netns: 'edge' });
 * const [reply] = sync.request(RTM.GETROUTE, 0, (w) => encodeGetRoute(w, '192.0.2.1'));
 * sync.close();
 * ```
 */
export class SyncNetlinkChannel {
  private readonly writer = new MessageWriter(4096);
  private readonly receiveBuffer = Buffer.allocUnsafe(RECEIVE_BYTES);
  private seq = Math.floor(Math.random() * 0x7fffffff) + 1;
  private closed = false;

  /** Over a socket of the caller's (tests script one); {@link open} makes a real one. */
  constructor(
    private readonly socket: SyncChannelSocket,
    private readonly timeoutMs = 1000,
  ) {}

  /** Opens the socket (in `netns` when given). Throws like {@link RtnlSocket.open}. */
  static open(options: SyncNetlinkChannelOptions = {}): SyncNetlinkChannel {
    const timeoutMs = options.timeoutMs ?? 1000;
    const socket = RtnlSocket.open(options.netns !== undefined ? { netns: options.netns } : {});
    return new SyncNetlinkChannel(socket, timeoutMs);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Sends one request with NLM_F_REQUEST | NLM_F_ACK | flags and returns the
   * replies the kernel sent before its ACK. Throws NetlinkError (with the
   * kernel's extack text) when the kernel refuses it, a system error when the
   * socket fails or the answer does not come within the timeout.
   */
  request(type: number, flags: number, body: BodyEncoder, operation?: unknown): NetlinkMessage[] {
    const replies: NetlinkMessage[] = [];
    this.requestInPlace(
      type,
      flags,
      body,
      (buffer, offset, length) => {
        // The messages outlive this call; the receive buffer is reused by the next one.
        replies.push(netlinkMessageAt(Buffer.from(buffer.subarray(offset, offset + length)), 0, length));
      },
      operation,
    );
    return replies;
  }

  /**
   * {@link request} without copies: `onReply` gets each reply in the receive
   * buffer itself (the message at `offset`, `length` bytes with its header),
   * which the next call on this channel overwrites; read what you need before
   * then. For lookups that run rarely and so in unoptimized code, where every
   * allocation and copy shows.
   */
  requestInPlace(type: number, flags: number, body: BodyEncoder, onReply: (buffer: Buffer, offset: number, length: number) => void, operation?: unknown): void {
    if (this.closed) throw new NetlinkClosedError();
    this.seq = this.seq >= 0x7fffffff ? 1 : this.seq + 1;
    const seq = this.seq;
    const w = this.writer;
    w.reset();
    w.message(type, NLM_F.REQUEST | NLM_F.ACK | flags, seq, 0, body);
    this.socket.send(w.bytes());
    const datagram = this.receiveBuffer;
    for (;;) {
      let n: number;
      try {
        n = this.socket.receiveSync(datagram, this.timeoutMs);
      } catch (error) {
        // An overrun cannot lose anything of ours (one request at a time): read on.
        if (isSystemError(error, 'ENOBUFS')) continue;
        throw error;
      }
      let offset = 0;
      while (offset + NLMSG_HDRLEN <= n) {
        const length = readU32(datagram, offset);
        if (length < NLMSG_HDRLEN || offset + length > n) {
          throw new NetlinkDecodeError(`nlmsg_len ${length} at offset ${offset} of a ${n}-byte datagram`);
        }
        // Answers to an earlier request that timed out are not ours.
        if (readU32(datagram, offset + 8) === seq) {
          if (readU16(datagram, offset + 4) === NLMSG.ERROR) {
            if (readI32(datagram, offset + NLMSG_HDRLEN) === 0) return;
            const message = netlinkMessageAt(Buffer.from(datagram.subarray(offset, offset + length)), 0, length);
            throw netlinkErrorFrom(decodeNlMsgErr(message), type, flags, seq, operation);
          }
          onReply(datagram, offset, length);
        }
        offset += (length + 3) & ~3;
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}
