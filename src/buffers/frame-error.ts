/**
 * The NOTIFICATION a session must send for a framing error
 * (RFC 4271 §4.5, §6.1): error code 1 is "Message Header Error".
 */
export interface FrameNotification {
  /** NOTIFICATION error code: always 1 (Message Header Error). */
  readonly code: 1;
  /** 1 = Connection Not Synchronized, 2 = Bad Message Length. */
  readonly subcode: 1 | 2;
  /** NOTIFICATION data: empty for subcode 1, the erroneous 2-octet Length for subcode 2. */
  readonly data: Uint8Array;
}

/** Machine-readable reasons a {@link FrameError} is reported. */
export type FrameErrorCode = 'ERR_FRAME_BAD_MARKER' | 'ERR_FRAME_BAD_LENGTH';

/**
 * A BGP message header that cannot be framed: the marker is not all ones, or
 * the Length field is below 19 or above what this peer may send. It carries the
 * NOTIFICATION the session has to send before closing (RFC 4271 §6.1).
 *
 * This class lives in `buffers` rather than `bgp` on purpose: layers point one
 * way (bgp imports buffers), so the frame reader cannot use the codec's errors.
 *
 * @example
 * ```ts
 * const reader = FrameReader.connect({ host: '127.0.0.1', port: 179 }, {
 *   pool,
 *   onFrame: (message) => { handle(message); },
 *   onError: (error) => {
 *     if (error instanceof FrameError) sendNotification(error.notification);
 *   },
 * });
 * ```
 */
export class FrameError extends Error {
  override readonly name = 'FrameError';

  private constructor(
    readonly code: FrameErrorCode,
    readonly notification: FrameNotification,
    message: string,
    /** The Length field as read, for ERR_FRAME_BAD_LENGTH; undefined otherwise. */
    readonly length: number | undefined,
  ) {
    super(message);
  }

  /** RFC 4271 §6.1: marker not as expected → 1/1 Connection Not Synchronized, no data. */
  static badMarker(): FrameError {
    return new FrameError(
      'ERR_FRAME_BAD_MARKER',
      { code: 1, subcode: 1, data: new Uint8Array(0) },
      'BGP header marker is not all ones (RFC 4271 §6.1: Connection Not Synchronized)',
      undefined,
    );
  }

  /**
   * RFC 4271 §6.1: Length below 19 or above the maximum → 1/2 Bad Message Length,
   * data = the erroneous Length field (2 octets, network order).
   */
  static badLength(length: number, maxMessageSize: number): FrameError {
    const data = new Uint8Array(2);
    data[0] = (length >>> 8) & 0xff;
    data[1] = length & 0xff;
    return new FrameError(
      'ERR_FRAME_BAD_LENGTH',
      { code: 1, subcode: 2, data },
      `BGP header length ${length} is outside 19..${maxMessageSize} (RFC 4271 §6.1: Bad Message Length)`,
      length,
    );
  }
}

/**
 * The `onFrame` callback threw. The reader released the message it was handling
 * (ownership was never transferred), stopped, and reports the thrown value as
 * `cause`.
 *
 * @example
 * ```ts
 * onError: (error) => {
 *   if (error instanceof FrameHandlerError) console.error('handler failed', error.cause);
 * }
 * ```
 */
export class FrameHandlerError extends Error {
  override readonly name = 'FrameHandlerError';
  readonly code = 'ERR_FRAME_HANDLER' as const;

  constructor(cause: unknown) {
    super('onFrame callback threw; the frame was released and reading stopped', { cause });
  }
}
