/** One problem found in a FIB exporter configuration, with the JSON path it is at. */
export interface FibConfigIssue {
  /** JSON path, e.g. `rules[2].communities[0]`. */
  readonly path: string;
  readonly message: string;
}

/**
 * A FIB exporter configuration was rejected. Carries every issue found, not just
 * the first, so a config file can be fixed in one go. Nothing is changed when it
 * is thrown (construction fails, `reconfigure()` keeps the running rules).
 *
 * @example
 * ```ts
 * try { parseFibExporterConfig(JSON.parse(text)); }
 * catch (e) { if (e instanceof FibConfigError) for (const i of e.issues) console.error(i.path, i.message); }
 * ```
 */
export class FibConfigError extends Error {
  readonly code = 'ERR_FIB_CONFIG' as const;
  readonly issues: readonly FibConfigIssue[];
  constructor(issues: readonly FibConfigIssue[]) {
    super(`invalid FIB exporter config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'FibConfigError';
    this.issues = issues;
  }
}

/**
 * A cleanup by route protocol was asked for one of the kernel-reserved protocols
 * 0–4 (RTPROT_UNSPEC, REDIRECT, KERNEL, BOOT, STATIC in linux/rtnetlink.h): sweeping
 * those would delete routes the kernel or the administrator own.
 *
 * @example
 * ```ts
 * await sink.cleanup(4, [100]); // throws FibReservedProtocolError (code ERR_FIB_RESERVED_PROTOCOL)
 * ```
 */
export class FibReservedProtocolError extends Error {
  readonly code = 'ERR_FIB_RESERVED_PROTOCOL' as const;
  readonly protocol: number;
  constructor(protocol: number) {
    super(`route protocol ${protocol} is reserved by the kernel (0-4); refusing to sweep it`);
    this.name = 'FibReservedProtocolError';
    this.protocol = protocol;
  }
}

/**
 * A kernel operation of the exporter failed (reported through the `failure` event
 * and `stats().lastError`; the route is not counted as exported).
 *
 * @example
 * ```ts
 * exporter.on('failure', (e) => console.error(e.code, e.prefix, e.cause));
 * ```
 */
export class FibOperationError extends Error {
  readonly code: 'ERR_FIB_ROUTE' | 'ERR_FIB_NEXTHOP' | 'ERR_FIB_CLEANUP' | 'ERR_FIB_VRF' | 'ERR_FIB_SOURCE';
  readonly prefix: string | undefined;
  override readonly cause: unknown;
  constructor(code: FibOperationError['code'], message: string, prefix?: string, cause?: unknown) {
    super(message);
    this.name = 'FibOperationError';
    this.code = code;
    this.prefix = prefix;
    this.cause = cause;
  }
}

/** Kernel-reserved route protocols (linux/rtnetlink.h RTPROT_UNSPEC..RTPROT_STATIC). */
export const RESERVED_ROUTE_PROTOCOL_MAX = 4;

/** Throws {@link FibReservedProtocolError} for protocols 0–4 (and anything not a u8). */
export function assertSweepableProtocol(protocol: number): void {
  if (!Number.isInteger(protocol) || protocol <= RESERVED_ROUTE_PROTOCOL_MAX || protocol > 255) throw new FibReservedProtocolError(protocol);
}
