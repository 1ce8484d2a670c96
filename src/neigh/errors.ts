/** Every error code the neighbour resolver raises or reports. */
export type NeighErrorCode =
  | 'ERR_NEIGH_CONFIG'
  | 'ERR_NEIGH_RESOLVER_THREW'
  | 'ERR_NEIGH_TIMEOUT'
  | 'ERR_NEIGH_BAD_ANSWER'
  | 'ERR_NEIGH_INSTALL'
  | 'ERR_NEIGH_SYSCTL'
  | 'ERR_NEIGH_OVERLOADED'
  | 'ERR_NEIGH_ABANDONED'
  | 'ERR_NEIGH_CLOSED';

/**
 * Base class of the resolver's errors: `code` says which one it is, `cause`
 * (when set) is what went wrong underneath (the resolver's own exception, a
 * NetlinkError from the kernel, ...).
 *
 * @example
 * ```ts
 * resolver.on('failed', (request, error) => console.warn(error.code, request.address));
 * ```
 */
export class NeighError extends Error {
  constructor(
    readonly code: NeighErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NeighError';
  }
}

/**
 * NeighborResolver options that cannot work (an empty link selector, a
 * negative TTL, ...). Thrown by `NeighborResolver.open()` before anything is
 * changed in the kernel.
 *
 * @example
 * ```ts
 * await NeighborResolver.open({ links: [], resolve }); // throws NeighConfigError (ERR_NEIGH_CONFIG)
 * ```
 */
export class NeighConfigError extends NeighError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('ERR_NEIGH_CONFIG', `${field}: ${message}`);
    this.name = 'NeighConfigError';
  }
}

/**
 * The user's `resolve()` threw or rejected. The original exception is `cause`.
 *
 * @example
 * ```ts
 * if (error instanceof NeighResolverError) console.warn('directory failed:', error.cause);
 * ```
 */
export class NeighResolverError extends NeighError {
  constructor(cause: unknown) {
    super('ERR_NEIGH_RESOLVER_THREW', `resolve() failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'NeighResolverError';
  }
}

/**
 * The user's `resolve()` did not settle within the lookup timeout. Its
 * AbortSignal fired; a late answer is ignored.
 *
 * @example
 * ```ts
 * if (error instanceof NeighTimeoutError) console.warn(`no answer in ${error.timeoutMs} ms`);
 * ```
 */
export class NeighTimeoutError extends NeighError {
  constructor(readonly timeoutMs: number) {
    super('ERR_NEIGH_TIMEOUT', `resolve() gave no answer within ${timeoutMs} ms`);
    this.name = 'NeighTimeoutError';
  }
}

/**
 * `resolve()` answered something that cannot be installed (a malformed MAC,
 * an FDB answer to an IPv4 request on a non-VXLAN link, ...).
 *
 * @example
 * ```ts
 * // resolve: async () => ({ lladdr: 'nope' })  → 'failed' with NeighAnswerError, field 'lladdr'
 * ```
 */
export class NeighAnswerError extends NeighError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('ERR_NEIGH_BAD_ANSWER', `answer.${field}: ${message}`);
    this.name = 'NeighAnswerError';
  }
}

/**
 * The kernel refused to install an answer; `cause` is the NetlinkError.
 *
 * @example
 * ```ts
 * if (error instanceof NeighInstallError) console.warn(error.what, error.cause);
 * ```
 */
export class NeighInstallError extends NeighError {
  constructor(
    readonly what: 'neighbor' | 'fdb',
    cause: unknown,
  ) {
    super('ERR_NEIGH_INSTALL', `installing the ${what} entry failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'NeighInstallError';
  }
}

/**
 * A per-link neighbour sysctl (app_solicit, mcast_solicit, ucast_solicit)
 * could not be read, set or restored.
 *
 * @example
 * ```ts
 * resolver.on('error', (e) => { if (e instanceof NeighSysctlError) console.warn(e.sysctl); });
 * ```
 */
export class NeighSysctlError extends NeighError {
  constructor(
    readonly sysctl: string,
    cause: unknown,
  ) {
    super('ERR_NEIGH_SYSCTL', `sysctl ${sysctl}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'NeighSysctlError';
  }
}

/**
 * More lookups were running than `maxInFlight` allows; the request was
 * dropped (the kernel asks again on its next probe).
 *
 * @example
 * ```ts
 * if (error instanceof NeighOverloadError) console.warn(`${error.limit} lookups already running`);
 * ```
 */
export class NeighOverloadError extends NeighError {
  constructor(readonly limit: number) {
    super('ERR_NEIGH_OVERLOADED', `${limit} lookups already in flight`);
    this.name = 'NeighOverloadError';
  }
}

/**
 * A lookup was given up because its link disappeared (RTM_DELLINK) or the
 * resolver was closed: its answer would have nowhere to go.
 *
 * @example
 * ```ts
 * if (error instanceof NeighAbandonedError) console.log(error.reason); // 'link-removed' | 'closed'
 * ```
 */
export class NeighAbandonedError extends NeighError {
  constructor(readonly reason: 'link-removed' | 'closed') {
    super(reason === 'closed' ? 'ERR_NEIGH_CLOSED' : 'ERR_NEIGH_ABANDONED', reason === 'closed' ? 'resolver closed' : 'link removed');
    this.name = 'NeighAbandonedError';
  }
}
