import { NativeAddonLoadError, NetlinkArgumentError } from './errors.js';
import { NETLINK_OPT, SO, SOL_NETLINK, SOL_SOCKET } from './constants.js';
import type { NativeNetlinkSocket, NativeReceiveCallback, NativeSystemError } from './native/binding-types.js';
import { loadNativeBinding } from './native/load-binding.js';

/**
 * A network namespace: a name under /var/run/netns (as `ip netns add` makes
 * them), a path (anything containing '/', e.g. /proc/1234/ns/net) or an open fd.
 */
export type NetnsRef = string | number;

/** Turns a NetnsRef into what the addon takes: a path or an fd. */
export function resolveNetns(netns: NetnsRef | undefined): string | number | null {
  if (netns === undefined) return null;
  if (typeof netns === 'number') {
    if (!Number.isInteger(netns) || netns < 0) throw new NetlinkArgumentError('netns', 'fd must be a non-negative integer');
    return netns;
  }
  if (netns.includes('/')) return netns;
  if (!/^[A-Za-z0-9_.-]{1,255}$/.test(netns) || netns === '.' || netns === '..') {
    throw new NetlinkArgumentError('netns', `not a namespace name: ${JSON.stringify(netns)}`);
  }
  return `/var/run/netns/${netns}`;
}

/** Is this an errno-style error from the addon with the given code? */
export function isSystemError(error: unknown, code?: string): error is NativeSystemError {
  if (!(error instanceof Error)) return false;
  const record = error as Error & { code?: unknown; syscall?: unknown };
  return typeof record.syscall === 'string' && (code === undefined || record.code === code);
}

/** Options applied when a socket opens. */
export interface RtnlSocketOptions {
  netns?: NetnsRef;
  /** Legacy bind(2) group mask (groups 1..32 as bits). */
  groups?: number;
  /** Bytes; tried with SO_RCVBUFFORCE (root) first, then SO_RCVBUF. */
  receiveBufferSize?: number;
  sendBufferSize?: number;
  /** NETLINK_EXT_ACK: the kernel explains errors in text. Default true. */
  extendedAck?: boolean;
  /** NETLINK_CAP_ACK: errors echo only the request header. Default true. */
  capAck?: boolean;
  /** NETLINK_GET_STRICT_CHK: dump requests are checked and filtered by the kernel. Default true. */
  strictCheck?: boolean;
}

/**
 * A NETLINK_ROUTE socket with fibwire's socket options applied. Thin: the
 * protocol lives in NetlinkChannel and the ops.
 *
 * @example
 * ```ts
 * const s = RtnlSocket.open({ netns: 'fwnl-1' });
 * s.start((err, datagrams) => {});
 * s.send(bytes);
 * s.close();
 * ```
 */
export class RtnlSocket {
  /** Port id the kernel assigned (nl_pid of our replies). */
  readonly portId: number;
  /** Receive buffer size the kernel actually granted (getsockopt, already doubled). */
  readonly receiveBufferSize: number;
  readonly sendBufferSize: number;
  private closed = false;

  private constructor(private readonly native: NativeNetlinkSocket, options: RtnlSocketOptions) {
    this.setBool(NETLINK_OPT.EXT_ACK, options.extendedAck ?? true);
    this.setBool(NETLINK_OPT.CAP_ACK, options.capAck ?? true);
    this.setBool(NETLINK_OPT.GET_STRICT_CHK, options.strictCheck ?? true);
    if (options.receiveBufferSize !== undefined) this.setBuffer(SO.RCVBUFFORCE, SO.RCVBUF, options.receiveBufferSize);
    if (options.sendBufferSize !== undefined) this.setBuffer(SO.SNDBUFFORCE, SO.SNDBUF, options.sendBufferSize);
    this.portId = native.bind(options.groups ?? 0);
    this.receiveBufferSize = native.getOption(SOL_SOCKET, SO.RCVBUF);
    this.sendBufferSize = native.getOption(SOL_SOCKET, SO.SNDBUF);
  }

  /** Opens a socket (throws UnsupportedPlatformError off Linux, a system error on failure). */
  static open(options: RtnlSocketOptions = {}): RtnlSocket {
    const binding = loadNativeBinding();
    const netns = resolveNetns(options.netns);
    const native = new binding.NetlinkSocket(0 /* NETLINK_ROUTE */, netns);
    try {
      return new RtnlSocket(native, options);
    } catch (error) {
      native.close();
      throw error;
    }
  }

  private setBool(option: number, on: boolean): void {
    try {
      this.native.setOption(SOL_NETLINK, option, on ? 1 : 0);
    } catch (error) {
      // Older kernels lack some options (ENOPROTOOPT); they are optional.
      if (!isSystemError(error, 'ENOPROTOOPT')) throw error;
    }
  }

  private setBuffer(force: number, plain: number, size: number): void {
    if (!Number.isInteger(size) || size <= 0 || size > 0x7fffffff) {
      throw new NetlinkArgumentError('bufferSize', `must be a positive 31-bit integer, got ${size}`);
    }
    try {
      this.native.setOption(SOL_SOCKET, force, size);
    } catch (error) {
      if (!isSystemError(error, 'EPERM')) throw error;
      this.native.setOption(SOL_SOCKET, plain, size); // capped by net.core.[rw]mem_max
    }
  }

  /** Joins a multicast group by number (any group, including >= 32). */
  addMembership(group: number): void {
    this.native.setOption(SOL_NETLINK, NETLINK_OPT.ADD_MEMBERSHIP, group);
  }

  dropMembership(group: number): void {
    this.native.setOption(SOL_NETLINK, NETLINK_OPT.DROP_MEMBERSHIP, group);
  }

  /** One sendmsg; returns the bytes sent. */
  send(data: Buffer | readonly Buffer[]): number {
    return this.native.send(data);
  }

  /**
   * The same sendmsg on the socket's sender thread (its own, in the addon);
   * `done` runs on this thread once it returned. `data` must stay unchanged
   * until then. Falls back to a synchronous send with an addon built before
   * sendAsync existed.
   */
  sendAsync(data: Buffer | readonly Buffer[], done: (error: Error | null, bytes: number) => void): void {
    const native = this.native;
    if (native.sendAsync === undefined) {
      let bytes = 0;
      let failure: Error | null = null;
      try {
        bytes = native.send(data);
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      }
      done(failure, bytes);
      return;
    }
    native.sendAsync(data, done);
  }

  /**
   * Reads one datagram into `buffer` (returns its length), waiting at most
   * timeoutMs for one (then a system error ETIMEDOUT). For a socket used
   * synchronously, never start()ed.
   */
  receiveSync(buffer: Buffer, timeoutMs: number): number {
    const native = this.native;
    if (native.receiveSync === undefined) throw new NativeAddonLoadError(new Error('the loaded addon predates receiveSync; rebuild it'));
    return native.receiveSync(buffer, timeoutMs);
  }

  /**
   * sendAsync calls the addon's send thread has not started yet (0 with an
   * addon that predates the count). Known at once, unlike their completions,
   * which wait for the event loop.
   */
  queuedSends(): number {
    return this.closed ? 0 : (this.native.queuedSends?.() ?? 0);
  }

  /**
   * True when {@link queuedSends} is exact: the addon's send thread takes
   * sends in call order, one at a time, and counts what it has not taken
   * (false with an addon that predates the count, whose queuedSends() reads 0).
   */
  get countsQueuedSends(): boolean {
    return this.native.queuedSends !== undefined;
  }

  start(onReceive: NativeReceiveCallback, maxDatagramsPerWake = 64): void {
    this.native.start(onReceive, maxDatagramsPerWake);
  }

  stop(): void {
    if (!this.closed) this.native.stop();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.native.close();
  }
}
