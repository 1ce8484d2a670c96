import { BufferError } from './buffer-error.js';
import type { BufferPool } from './buffer-pool.js';
import {
  BGP_HEADER_LENGTH,
  BGP_LENGTH_OFFSET,
  BGP_MARKER_LENGTH,
} from './frame-constants.js';
import { FrameError, FrameHandlerError } from './frame-error.js';
import type { PooledMessage } from './pooled-message.js';

/** What a {@link FrameAssembler} delivers to. */
export interface FrameSink {
  /**
   * One complete frame. Runs before anything else sees the message (seed 003:
   * callback before cache). Return `true` ("kept") to take ownership: you must
   * `release()` it later. Otherwise the assembler releases it when this returns.
   */
  onFrame(message: PooledMessage): boolean | void;
  /** Called at most once, after the assembler stopped and released everything. */
  onError?(error: FrameError | FrameHandlerError): void;
}

/** Counters of a {@link FrameAssembler}. */
export interface FrameAssemblerStats {
  /** Frames delivered to `onFrame`. */
  readonly frames: number;
  /** Bytes accepted (written into pool memory and committed). */
  readonly bytes: number;
  /**
   * Bytes that were memcpy'd: everything fed through `push()`, plus the 19
   * header bytes moved when a frame outgrows a buffer from before a pool size
   * switch. Zero for a socket read through `onread` in the usual case.
   */
  readonly copiedBytes: number;
  /** Bytes of an incomplete frame currently held. */
  readonly pendingBytes: number;
}

/** Non-empty scratch target handed to the socket once stopped (a 0-length read would look like EOF). */
const DISCARD = new Uint8Array(64);

/**
 * The framing state machine behind {@link FrameReader}, usable alone: it turns
 * a byte stream into one {@link PooledMessage} per BGP message (RFC 4271 §4.1).
 *
 * Two ways to feed it. Zero copy: ask `readTarget()` for the exact view of pool
 * memory the next bytes belong in (first the 19 header bytes, then the rest of
 * the frame), let the socket write there, then `commit(n)`; this is what Node's
 * `onread` option does, see {@link FrameAssembler.onread}. Copying: `push(chunk)`
 * copies any chunk into the same views. Either way frames split across reads,
 * several frames per read and 64 KiB extended messages come out the same.
 *
 * Header checks are the only checks (RFC 4271 §6.1): a marker that is not all
 * ones → {@link FrameError} 1/1; a Length below 19 or above the pool's message
 * size → 1/2 with the Length as data. Type-specific minimum lengths are the
 * codec's job. On the first error the assembler stops, releases what it holds
 * and calls `onError` once; later input is ignored.
 *
 * @example
 * ```ts
 * const pool = new BufferPool();
 * const assembler = new FrameAssembler(pool, {
 *   onFrame: (message) => { console.log(message.type, message.length); },
 *   onError: (error) => { console.error(error.code); },
 * });
 * assembler.push(chunk);   // any chunking of the stream
 * assembler.finish();      // releases a partial frame, returns its byte count
 * ```
 */
export class FrameAssembler {
  readonly #pool: BufferPool;
  readonly #sink: FrameSink;
  #current: PooledMessage | undefined = undefined;
  #buffer: Uint8Array = DISCARD;
  #filled = 0;
  /** 19 while the header is incomplete, then the frame's Length. */
  #expected = BGP_HEADER_LENGTH;
  #stopped = false;
  #frames = 0;
  #bytes = 0;
  #copiedBytes = 0;

  constructor(pool: BufferPool, sink: FrameSink) {
    this.#pool = pool;
    this.#sink = sink;
  }

  /** True after an error, `stop()` or `finish()`; all input is then ignored. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Counters; `pendingBytes` is the size of an incomplete frame held right now. */
  stats(): FrameAssemblerStats {
    return {
      frames: this.#frames,
      bytes: this.#bytes,
      copiedBytes: this.#copiedBytes,
      pendingBytes: this.#current === undefined ? 0 : this.#filled,
    };
  }

  /**
   * Where the next bytes of the stream go: a view of pool memory ending exactly
   * at the end of the current header or frame, so a read never spans two
   * frames. Acquires a pool message when a new frame starts.
   */
  readTarget(): Uint8Array {
    if (this.#stopped) return DISCARD;
    if (this.#current === undefined) this.#begin();
    return this.#buffer.subarray(this.#filled, this.#expected);
  }

  /**
   * `n` bytes were written at the start of the last `readTarget()`. Checks the
   * header as soon as its bytes are there and delivers a completed frame.
   * Returns false once stopped (a socket should stop reading).
   */
  commit(n: number): boolean {
    if (this.#stopped || this.#current === undefined) return !this.#stopped;
    if (!Number.isInteger(n) || n < 0 || n > this.#expected - this.#filled) {
      throw new BufferError(
        'ERR_BUFFER_BAD_LENGTH',
        `commit(${n}) exceeds the ${this.#expected - this.#filled} bytes of the last readTarget()`,
      );
    }
    const start = this.#filled;
    this.#filled += n;
    this.#bytes += n;
    // RFC 4271 §4.1: the marker MUST be all ones; check as bytes arrive so a
    // garbage stream fails without waiting for 19 bytes.
    const markerEnd = Math.min(this.#filled, BGP_MARKER_LENGTH);
    for (let i = start; i < markerEnd; i++) {
      if (this.#buffer[i] !== 0xff) {
        this.#fail(FrameError.badMarker());
        return false;
      }
    }
    if (this.#filled === BGP_HEADER_LENGTH && this.#expected === BGP_HEADER_LENGTH) {
      if (!this.#headerComplete()) return false;
    }
    if (this.#filled === this.#expected && this.#filled >= BGP_HEADER_LENGTH) this.#deliver();
    return !this.#stopped;
  }

  /**
   * Copy a chunk of the stream into pool memory (for sockets whose reads
   * cannot target our buffers). Returns false once stopped.
   */
  push(chunk: Uint8Array): boolean {
    let offset = 0;
    while (offset < chunk.length && !this.#stopped) {
      if (this.#current === undefined) this.#begin();
      const n = Math.min(this.#expected - this.#filled, chunk.length - offset);
      this.#buffer.set(chunk.subarray(offset, offset + n), this.#filled);
      this.#copiedBytes += n;
      offset += n;
      this.commit(n);
    }
    return !this.#stopped;
  }

  /**
   * `onread` options for `net.connect()` / `new net.Socket()` that read
   * straight into pool memory. The socket pauses itself once the assembler
   * stopped.
   */
  onread(): { buffer: () => Uint8Array; callback: (bytesWritten: number, buf: Uint8Array) => boolean } {
    return {
      buffer: () => this.readTarget(),
      callback: (bytesWritten: number) => this.commit(bytesWritten),
    };
  }

  /** Stop without error: release the partial frame, ignore further input. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    const current = this.#current;
    this.#current = undefined;
    this.#buffer = DISCARD;
    current?.release();
  }

  /** End of stream: stop and return how many bytes of an incomplete frame were dropped. */
  finish(): number {
    const pending = this.#current === undefined ? 0 : this.#filled;
    this.stop();
    return pending;
  }

  #begin(): void {
    const message = this.#pool.acquire();
    this.#current = message;
    this.#buffer = message.buffer;
    this.#filled = 0;
    this.#expected = BGP_HEADER_LENGTH;
  }

  /** RFC 4271 §6.1 length bounds; returns false after failing. */
  #headerComplete(): boolean {
    const length = ((this.#buffer[BGP_LENGTH_OFFSET] ?? 0) << 8) | (this.#buffer[BGP_LENGTH_OFFSET + 1] ?? 0);
    const max = this.#pool.messageSize;
    if (length < BGP_HEADER_LENGTH || length > max) {
      this.#fail(FrameError.badLength(length, max));
      return false;
    }
    const current = this.#current;
    if (current !== undefined && length > current.capacity) {
      // The buffer was acquired before the pool grew (Extended Message just
      // negotiated): move the header into a buffer of the new size.
      const bigger = this.#pool.acquire();
      bigger.buffer.set(this.#buffer.subarray(0, BGP_HEADER_LENGTH));
      this.#copiedBytes += BGP_HEADER_LENGTH;
      this.#current = bigger;
      this.#buffer = bigger.buffer;
      current.release();
    }
    this.#expected = length;
    return true;
  }

  #deliver(): void {
    const message = this.#current;
    if (message === undefined) return;
    this.#current = undefined;
    this.#buffer = DISCARD;
    message.setLength(this.#expected);
    this.#frames++;
    let kept: boolean | void;
    try {
      kept = this.#sink.onFrame(message);
    } catch (error: unknown) {
      this.#releaseQuietly(message);
      this.#fail(new FrameHandlerError(error));
      return;
    }
    if (kept === true) return;
    try {
      message.release();
    } catch (error: unknown) {
      // The handler released a message it did not keep: our release is the second one.
      this.#fail(new FrameHandlerError(error));
    }
  }

  #releaseQuietly(message: PooledMessage): void {
    if (!message.released) message.release();
  }

  #fail(error: FrameError | FrameHandlerError): void {
    if (this.#stopped) return;
    this.stop();
    this.#sink.onError?.(error);
  }
}
