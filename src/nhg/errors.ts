/** Codes of {@link NhgError}. */
export type NhgErrorCode =
  | 'ERR_NHG_BAD_RANGE'
  | 'ERR_NHG_ID_EXHAUSTED'
  | 'ERR_NHG_BAD_NEXTHOP'
  | 'ERR_NHG_BAD_WEIGHT'
  | 'ERR_NHG_BAD_ROUTE'
  | 'ERR_NHG_NO_PATHS'
  | 'ERR_NHG_MODEL_KERNEL'
  | 'ERR_NHG_UNSUPPORTED';

/**
 * Every error the nexthop-group layer throws. Bad input (a malformed gateway, a
 * weight the kernel cannot carry, an exhausted id range) is reported with a
 * stable `code` and leaves the cache unchanged.
 *
 * @example
 * ```ts
 * try { cache.setRoute(route, []); }
 * catch (e) { if (e instanceof NhgError && e.code === 'ERR_NHG_NO_PATHS') cache.removeRoute(route); }
 * ```
 */
export class NhgError extends Error {
  readonly code: NhgErrorCode;
  constructor(code: NhgErrorCode, message: string) {
    super(message);
    this.name = 'NhgError';
    this.code = code;
  }
}
