/** Machine-readable reasons a {@link BufferError} is thrown. */
export type BufferErrorCode =
  /** `release()` on a message whose reference count is already zero. */
  | 'ERR_BUFFER_DOUBLE_RELEASE'
  /** `acquire()` or a byte accessor on a message that went back to its pool. */
  | 'ERR_BUFFER_USE_AFTER_RELEASE'
  /** A pool message size outside 4096..65535 (RFC 4271 §4.1, RFC 8654). */
  | 'ERR_BUFFER_BAD_SIZE'
  /** A message length that does not fit the buffer (or is below the 19-octet header). */
  | 'ERR_BUFFER_BAD_LENGTH';

/**
 * A misuse of pooled buffers: double release, use after release, or a size
 * that cannot be honoured. These are programming errors of the caller, not
 * bad input from a peer (those are {@link FrameError}s).
 *
 * @example
 * ```ts
 * try {
 *   message.release();
 * } catch (error) {
 *   if (error instanceof BufferError && error.code === 'ERR_BUFFER_DOUBLE_RELEASE') {
 *     // a second owner released the same reference
 *   }
 * }
 * ```
 */
export class BufferError extends Error {
  override readonly name = 'BufferError';

  constructor(
    readonly code: BufferErrorCode,
    message: string,
  ) {
    super(message);
  }
}
