/**
 * The interface of the native addon (native/netlink_socket.cc). The addon does
 * syscalls only; everything here is a thin, typed view of it.
 */

/** A Node-style system error raised by the addon (errno is negative, as in Node). */
export interface NativeSystemError extends Error {
  errno: number;
  code: string;
  syscall: string;
  path?: string;
}

/**
 * Called from a libuv poll callback with every datagram drained in one wake-up.
 * `truncated` counts datagrams cut by MSG_TRUNC, `foreign` datagrams from a
 * sender other than the kernel; both were dropped.
 */
export type NativeReceiveCallback = (
  error: NativeSystemError | null,
  datagrams: Buffer[],
  truncated: number,
  foreign: number,
) => void;

/** One AF_NETLINK socket owned by the addon. */
export interface NativeNetlinkSocket {
  readonly fd: number;
  /** bind(2) with a legacy group mask; returns the port id the kernel chose. */
  bind(groups: number): number;
  setOption(level: number, name: number, value: number): void;
  getOption(level: number, name: number): number;
  /** One sendmsg(2): a Buffer[] becomes one iovec array. Returns bytes sent. */
  send(data: Buffer | readonly Buffer[]): number;
  /**
   * The same sendmsg(2) on the socket's sender thread (one per socket, kept
   * off the CPU of the thread that wakes it, ended by close()); `done(error,
   * bytes)` runs on the main thread when it returned, and the buffers are
   * referenced until then. close() waits for sends in flight before closing
   * the fd. Absent from addons built before it existed.
   */
  sendAsync?(data: Buffer | readonly Buffer[], done: (error: NativeSystemError | null, bytes: number) => void): void;
  /**
   * One datagram from the kernel into `buffer` (returns its length), waiting up
   * to timeoutMs when none is queued (then throws ETIMEDOUT). Only on a socket
   * that is not polling (EBUSY otherwise). Absent from addons built before it existed.
   */
  receiveSync?(buffer: Buffer, timeoutMs: number): number;
  /** sendAsync calls the send thread has not started yet. Absent from addons built before it existed. */
  queuedSends?(): number;
  start(onReceive: NativeReceiveCallback, maxDatagramsPerWake?: number): void;
  stop(): void;
  close(): void;
}

/** Constructor: protocol number and where to create the socket. */
export type NativeNetlinkSocketConstructor = new (
  protocol: number,
  netns: string | number | null,
) => NativeNetlinkSocket;

/** What the addon exports. */
export interface NativeBinding {
  NetlinkSocket: NativeNetlinkSocketConstructor;
  /** open(2) a file while inside a network namespace (used for /proc/sys/net). */
  openInNetns(netns: string | number | null, path: string, flags: number): number;
  /**
   * `ip netns add`: creates `runDir/name` and bind-mounts a fresh network
   * namespace on it (native/named_netns.cc). Absent from addons built before it existed.
   */
  createNetns?(runDir: string, name: string): Promise<void>;
  /** `ip netns delete`: umount2(MNT_DETACH) and unlink of `runDir/name`. */
  deleteNetns?(runDir: string, name: string): Promise<void>;
}
