import { BufferError } from './buffer-error.js';
import { BGP_EXTENDED_MAX_MESSAGE_SIZE, BGP_HEADER_LENGTH, BGP_STANDARD_MAX_MESSAGE_SIZE } from './frame-constants.js';
import { LEASE, PooledMessage, type MessageRecycler } from './pooled-message.js';

/** Options for {@link BufferPool}. */
export interface BufferPoolOptions {
  /**
   * Size of each buffer = largest message accepted. Default 4096 (RFC 4271
   * §4.1); 65535 once Extended Message is negotiated (RFC 8654).
   */
  readonly messageSize?: number;
  /** Most released buffers kept for reuse; extra ones are dropped to the GC. Default 32. */
  readonly maxFree?: number;
}

/** A snapshot of pool counters. */
export interface BufferPoolStats {
  /** Current buffer size (largest message accepted). */
  readonly messageSize: number;
  /** Messages handed out and not yet released to zero. */
  readonly outstanding: number;
  /** Highest `outstanding` seen. */
  readonly peakOutstanding: number;
  /** Buffers created (each costs one `messageSize` allocation). */
  readonly allocated: number;
  /** Acquisitions served from the free list. */
  readonly reused: number;
  /** Released buffers not kept: free list full, or of an old size after a switch. */
  readonly dropped: number;
  /** Buffers waiting in the free list. */
  readonly free: number;
}

/**
 * Per-peer pool of message buffers (seed 003). Every buffer is `messageSize`
 * bytes: 4096 until the OPEN exchange, 65535 after Extended Message is
 * negotiated (RFC 8654 §3). After a size switch, buffers of the old size still
 * in use stay valid; when released they are dropped, never reused. The free
 * list is bounded by `maxFree`, so a burst does not pin memory forever.
 *
 * @example
 * ```ts
 * const pool = new BufferPool();          // 4096-byte buffers
 * // ... OPEN exchanged, both sides sent capability 6 (Extended Message):
 * pool.setMessageSize(65535);
 * const message = pool.copyFrom(frameBytes);
 * message.release();
 * console.log(pool.stats());              // { outstanding: 0, allocated: 1, ... }
 * ```
 */
export class BufferPool {
  #messageSize: number;
  readonly #maxFree: number;
  readonly #free: PooledMessage[] = [];
  readonly #recycler: MessageRecycler;
  #outstanding = 0;
  #peakOutstanding = 0;
  #allocated = 0;
  #reused = 0;
  #dropped = 0;

  constructor(options: BufferPoolOptions = {}) {
    this.#messageSize = checkedSize(options.messageSize ?? BGP_STANDARD_MAX_MESSAGE_SIZE);
    const maxFree = options.maxFree ?? 32;
    if (!Number.isInteger(maxFree) || maxFree < 0) {
      throw new BufferError('ERR_BUFFER_BAD_SIZE', `maxFree must be a non-negative integer, got ${maxFree}`);
    }
    this.#maxFree = maxFree;
    this.#recycler = { recycle: (message) => this.#recycle(message) };
  }

  /** Largest message a buffer from this pool holds right now. */
  get messageSize(): number {
    return this.#messageSize;
  }

  /** Messages handed out and not yet released; tests assert it returns to 0. */
  get outstanding(): number {
    return this.#outstanding;
  }

  /** Counters, for tests and monitoring. */
  stats(): BufferPoolStats {
    return {
      messageSize: this.#messageSize,
      outstanding: this.#outstanding,
      peakOutstanding: this.#peakOutstanding,
      allocated: this.#allocated,
      reused: this.#reused,
      dropped: this.#dropped,
      free: this.#free.length,
    };
  }

  /**
   * Change the buffer size, e.g. to 65535 after Extended Message was
   * negotiated (RFC 8654). Free buffers of the old size are dropped at once;
   * outstanding ones are dropped when released. Size must be 4096..65535.
   */
  setMessageSize(size: number): void {
    const checked = checkedSize(size);
    if (checked === this.#messageSize) return;
    this.#messageSize = checked;
    this.#dropped += this.#free.length;
    this.#free.length = 0;
  }

  /** Shorthand for `setMessageSize(65535)` (RFC 8654 §3). */
  enableExtendedMessage(): void {
    this.setMessageSize(BGP_EXTENDED_MAX_MESSAGE_SIZE);
  }

  /** Take a message (refCount 1, length 0) from the free list or a new allocation. */
  acquire(): PooledMessage {
    let message = this.#free.pop();
    if (message === undefined) {
      message = new PooledMessage(new Uint8Array(this.#messageSize), this.#recycler);
      this.#allocated++;
    } else {
      this.#reused++;
    }
    message[LEASE]();
    this.#outstanding++;
    if (this.#outstanding > this.#peakOutstanding) this.#peakOutstanding = this.#outstanding;
    return message;
  }

  /**
   * Acquire a message and copy a complete frame into it (for messages built
   * elsewhere: tests, repacked output). Throws `ERR_BUFFER_BAD_LENGTH` when the
   * frame is shorter than a header or larger than `messageSize`; nothing is
   * acquired in that case.
   */
  copyFrom(frame: Uint8Array): PooledMessage {
    if (frame.length < BGP_HEADER_LENGTH || frame.length > this.#messageSize) {
      throw new BufferError(
        'ERR_BUFFER_BAD_LENGTH',
        `frame of ${frame.length} bytes is outside ${BGP_HEADER_LENGTH}..${this.#messageSize}`,
      );
    }
    const message = this.acquire();
    message.buffer.set(frame);
    message.setLength(frame.length);
    return message;
  }

  #recycle(message: PooledMessage): void {
    this.#outstanding--;
    if (message.capacity !== this.#messageSize || this.#free.length >= this.#maxFree) {
      this.#dropped++;
      return;
    }
    this.#free.push(message);
  }
}

function checkedSize(size: number): number {
  if (!Number.isInteger(size) || size < BGP_STANDARD_MAX_MESSAGE_SIZE || size > BGP_EXTENDED_MAX_MESSAGE_SIZE) {
    throw new BufferError(
      'ERR_BUFFER_BAD_SIZE',
      `pool message size must be an integer in ${BGP_STANDARD_MAX_MESSAGE_SIZE}..${BGP_EXTENDED_MAX_MESSAGE_SIZE}, got ${size}`,
    );
  }
  return size;
}
