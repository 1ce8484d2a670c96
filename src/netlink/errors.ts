import { getSystemErrorName } from 'node:util';

/**
 * Thrown by the netlink classes on any platform other than Linux. Importing
 * fibwire still works there; only opening a socket fails.
 *
 * @example
 * ```ts
 * try { await Rtnl.open(); } catch (e) { if (e instanceof UnsupportedPlatformError) console.log(e.platform); }
 * ```
 */
export class UnsupportedPlatformError extends Error {
  readonly code = 'ERR_NETLINK_UNSUPPORTED_PLATFORM';
  constructor(readonly platform: string) {
    super(`rtnetlink needs Linux; this is ${platform}`);
    this.name = 'UnsupportedPlatformError';
  }
}

/**
 * The native addon could not be loaded (not built, or built for another Node).
 *
 * @example
 * ```ts
 * // thrown by Rtnl.open() when build/Release/fibwire_netlink.node is missing
 * ```
 */
export class NativeAddonLoadError extends Error {
  readonly code = 'ERR_NETLINK_ADDON_LOAD';
  constructor(readonly reason: unknown) {
    super(`cannot load the fibwire netlink addon: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'NativeAddonLoadError';
  }
}

/** What a failed request was: enough to find it in the caller's data. */
export interface NetlinkRequestInfo {
  /** nlmsg_type of the request, e.g. 24 (RTM_NEWROUTE). */
  readonly type: number;
  /** Its name, e.g. 'RTM_NEWROUTE'. */
  readonly typeName: string;
  readonly flags: number;
  readonly seq: number;
  /** The caller's description of the operation (route, nexthop, ...), if any. */
  readonly operation?: unknown;
}

/**
 * The kernel refused a request (NLMSG_ERROR with a negative error). `errno` is
 * the positive errno value (as in `os.constants.errno`), `code` its name and
 * `message` the kernel's extended-ack text when it sent one
 * (NLMSGERR_ATTR_MSG, include/uapi/linux/netlink.h).
 *
 * @example
 * ```ts
 * try { await rtnl.routes.add({ dst: '10.0.0.0/24', nhid: 999 }); }
 * catch (e) { if (e instanceof NetlinkError) console.log(e.code, e.message); } // EINVAL Nexthop id does not exist
 * ```
 */
export class NetlinkError extends Error {
  readonly code: string;
  /** NLMSGERR_ATTR_OFFS: byte offset of the offending attribute in the request. */
  readonly extackOffset: number | undefined;
  /** The kernel's extack text, or undefined when it sent none. */
  readonly extack: string | undefined;
  constructor(
    readonly errno: number,
    readonly request: NetlinkRequestInfo,
    extack?: string,
    extackOffset?: number,
  ) {
    const code = errnoName(errno);
    super(extack !== undefined && extack.length > 0 ? extack : `${request.typeName} failed: ${code}`);
    this.name = 'NetlinkError';
    this.code = code;
    this.extack = extack;
    this.extackOffset = extackOffset;
  }
}

/**
 * The caller passed something that cannot be encoded (prefix length 33, table
 * 0, a malformed address, ...). Raised before anything reaches the kernel.
 *
 * @example
 * ```ts
 * await rtnl.routes.add({ dst: '10.0.0.0/33' }); // throws NetlinkArgumentError, field 'dst'
 * ```
 */
export class NetlinkArgumentError extends TypeError {
  readonly code = 'ERR_NETLINK_INVALID_ARGUMENT';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'NetlinkArgumentError';
  }
}

/**
 * Bytes from the kernel that do not parse as the message they claim to be.
 * Codecs raise this instead of a RangeError.
 *
 * @example
 * ```ts
 * try { decodeRtmsg(Buffer.alloc(3)); } catch (e) { console.log((e as NetlinkDecodeError).code); }
 * ```
 */
export class NetlinkDecodeError extends Error {
  readonly code = 'ERR_NETLINK_DECODE';
  constructor(message: string) {
    super(message);
    this.name = 'NetlinkDecodeError';
  }
}

/**
 * The socket's receive buffer overflowed (ENOBUFS): the kernel dropped
 * messages. Pending dumps fail with this; monitors emit `overrun` instead.
 *
 * @example
 * ```ts
 * monitor.on('overrun', async () => { const state = await monitor.resync(); });
 * ```
 */
export class NetlinkOverrunError extends Error {
  readonly code = 'ERR_NETLINK_OVERRUN';
  constructor(message = 'netlink receive buffer overrun (ENOBUFS): messages were lost') {
    super(message);
    this.name = 'NetlinkOverrunError';
  }
}

/**
 * A dump kept being interrupted (NLM_F_DUMP_INTR: the table changed while it
 * was read) more times than allowed.
 *
 * @example
 * ```ts
 * for await (const r of rtnl.routes.dump({ maxRetries: 2 })) {} // may throw NetlinkDumpInterruptedError
 * ```
 */
export class NetlinkDumpInterruptedError extends Error {
  readonly code = 'ERR_NETLINK_DUMP_INTERRUPTED';
  constructor(readonly attempts: number) {
    super(`dump was interrupted by concurrent changes ${attempts} times`);
    this.name = 'NetlinkDumpInterruptedError';
  }
}

/**
 * The client was closed while a request was still waiting for its answer.
 *
 * @example
 * ```ts
 * const p = rtnl.routes.add(r); rtnl.close(); await p; // rejects with NetlinkClosedError
 * ```
 */
export class NetlinkClosedError extends Error {
  readonly code = 'ERR_NETLINK_CLOSED';
  constructor() {
    super('netlink socket closed');
    this.name = 'NetlinkClosedError';
  }
}

/** 'EEXIST' for 17; 'E<n>' for numbers Node does not know. */
export function errnoName(errno: number): string {
  try {
    return getSystemErrorName(-Math.abs(errno));
  } catch {
    return `E${errno}`;
  }
}
