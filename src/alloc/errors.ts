/**
 * Errors of the allocation module. Every refusal is an {@link AllocError} with
 * a stable string `code`, so callers branch on codes, never on message text.
 */

/** The stable codes an {@link AllocError} can carry. */
export type AllocErrorCode =
  /** The allocation text is not an IPv6 prefix at all. */
  | 'ERR_ALLOC_BAD_PREFIX'
  /** The allocation is an IPv6 prefix, but not a /48 (the seed: "always a /48. Period."). */
  | 'ERR_ALLOC_NOT_A_48'
  /** The allocation has bits set after its 48th bit. */
  | 'ERR_ALLOC_HOST_BITS'
  /** The allocation lies in a non-global range (::/8, fe80::/10, ff00::/8). */
  | 'ERR_ALLOC_NOT_GLOBAL'
  /** An ExitNode number outside 1..15. */
  | 'ERR_ALLOC_EXIT_NODE'
  /** An id that is not a uint16. */
  | 'ERR_ALLOC_ID_RANGE'
  /** An id under 0x1000: it belongs to PrefixZero, never to a network resource. */
  | 'ERR_ALLOC_PREFIX_ZERO_ID'
  /** An allocation number that is not a uint16. */
  | 'ERR_ALLOC_NUMBER'
  /** A resource has no NR-local IPv4 network (ids 0xff00-0xffff, see nrLocalIP4). */
  | 'ERR_ALLOC_NO_IPV4'
  /** An IPv4 address/prefix given by the operator is not valid. */
  | 'ERR_ALLOC_BAD_IPV4'
  /** A name, address or route that is not one of ours (parse refused it). */
  | 'ERR_ALLOC_NOT_OURS'
  /** A plan input that is inconsistent (duplicate id, id of another ExitNode, ...). */
  | 'ERR_ALLOC_PLAN_INPUT'
  /** An operation failed in the kernel while applying a diff. */
  | 'ERR_ALLOC_APPLY_FAILED'
  /** An operation the netlink client cannot carry out (e.g. creating a WireGuard link). */
  | 'ERR_ALLOC_APPLY_UNSUPPORTED'
  /** Something read from the kernel cannot be represented (an address that is neither IPv4 nor IPv6). */
  | 'ERR_ALLOC_READ_STATE';

/**
 * A refusal of the allocation module.
 *
 * @example
 * ```ts
 * try { Allocation.parse('2001:db8::/47'); }
 * catch (e) { if (e instanceof AllocError && e.code === 'ERR_ALLOC_NOT_A_48') console.log(e.message); }
 * ```
 */
export class AllocError extends Error {
  override readonly name = 'AllocError';
  /** Stable machine-readable reason. */
  readonly code: AllocErrorCode;
  /** The refused input, as given (for logs). */
  readonly input: unknown;

  constructor(code: AllocErrorCode, message: string, input?: unknown) {
    super(message);
    this.code = code;
    this.input = input;
  }
}
