import { BufferError } from './buffer-error.js';
import type { BufferPool } from './buffer-pool.js';
import { BGP_HEADER_LENGTH, BGP_LENGTH_OFFSET, BGP_MARKER_LENGTH } from './frame-constants.js';
import { FrameError, FrameHandlerError } from './frame-error.js';
import { PIN, UNPIN, type PooledMessage } from './pooled-message.js';

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

/**
 * How much a zero-copy read may take (see {@link FrameAssembler.readTarget}).
 * - `batched`: up to the end of the current pool buffer. The first frame of a
 *   read stays where it landed; frames read along with it are copied into
 *   their own buffers. One read serves many small messages.
 * - `exact`: exactly the rest of the current header or frame. No byte is ever
 *   copied, at the price of up to two reads per message.
 */
export type FrameReadMode = 'batched' | 'exact';

/** Options for {@link FrameAssembler}. */
export interface FrameAssemblerOptions {
  /** Default `batched`: bench/buffers-reader.ts measured `exact` several times slower for small messages. */
  readonly readMode?: FrameReadMode;
}

/** Counters of a {@link FrameAssembler}. */
export interface FrameAssemblerStats {
  /** Frames delivered to `onFrame`. */
  readonly frames: number;
  /** Bytes received (committed reads and pushed chunks), including any ignored after an error. */
  readonly bytes: number;
  /**
   * Bytes that were memcpy'd: everything fed through `push()`; for zero-copy
   * reads, frames that arrived behind another frame in the same read (batched
   * mode) and headers moved to a bigger buffer after a pool size switch.
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
 * Two ways to feed it. Zero copy: ask `readTarget()` for the view of pool
 * memory where the next bytes belong, let the socket write there, then
 * `commit(n)`; this is what Node's `onread` option does, see
 * {@link FrameAssembler.onread}. Copying: `push(chunk)` copies any chunk into
 * pool memory. Either way frames split across reads, several frames per read
 * and 64 KiB extended messages come out the same.
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
  readonly #exact: boolean;
  #current: PooledMessage | undefined = undefined;
  #buffer: Uint8Array = DISCARD;
  /** Bytes of the current frame present in `#buffer`. */
  #filled = 0;
  /** 19 while the header is incomplete, then the frame's Length. */
  #expected = BGP_HEADER_LENGTH;
  /** Length of the last `readTarget()` view, to check `commit(n)`. */
  #targetLength = 0;
  #stopped = false;
  #frames = 0;
  #bytes = 0;
  #copiedBytes = 0;

  constructor(pool: BufferPool, sink: FrameSink, options: FrameAssemblerOptions = {}) {
    this.#pool = pool;
    this.#sink = sink;
    this.#exact = options.readMode === 'exact';
  }

  /** The read mode chosen at construction. */
  get readMode(): FrameReadMode {
    return this.#exact ? 'exact' : 'batched';
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
   * Where the next bytes of the stream go: a view of pool memory right after
   * the bytes already there. In `exact` mode it ends where the current header
   * or frame ends; in `batched` mode at the end of the buffer. Acquires a pool
   * message when a new frame starts.
   */
  readTarget(): Uint8Array {
    if (this.#stopped) {
      this.#targetLength = 0;
      return DISCARD;
    }
    if (this.#current === undefined) this.#begin();
    const end = this.#exact ? this.#expected : this.#buffer.length;
    this.#targetLength = end - this.#filled;
    return this.#buffer.subarray(this.#filled, end);
  }

  /**
   * `n` bytes were written at the start of the last `readTarget()`. Checks
   * headers as their bytes arrive and delivers completed frames. Returns false
   * once stopped (a socket should stop reading).
   */
  commit(n: number): boolean {
    if (this.#stopped) return false;
    const source = this.#current;
    if (source === undefined || !Number.isInteger(n) || n < 0 || n > this.#targetLength) {
      throw new BufferError('ERR_BUFFER_BAD_LENGTH', `commit(${n}) does not match the last readTarget() of ${this.#targetLength} bytes`);
    }
    this.#targetLength = 0;
    this.#bytes += n;
    const needed = this.#expected - this.#filled;
    if (n <= needed) {
      this.#step(n);
      return !this.#stopped;
    }
    // Batched read: bytes beyond the current header/frame belong to the next
    // frames. Keep this buffer's memory out of the pool until they are copied
    // out, even if the handler releases the first frame.
    const buffer = this.#buffer;
    const end = this.#filled + n;
    source[PIN]();
    try {
      let position = this.#filled;
      // Advance the current frame in place until it is delivered or moved
      // (a header whose Length needs a bigger buffer after a pool switch).
      while (!this.#stopped && this.#current === source && position < end) {
        const step = Math.min(this.#expected - this.#filled, end - position);
        position += step;
        this.#step(step);
      }
      if (!this.#stopped && position < end) this.#copyIn(buffer, position, end);
    } finally {
      source[UNPIN]();
    }
    return !this.#stopped;
  }

  /**
   * Copy a chunk of the stream into pool memory (for sockets whose reads
   * cannot target our buffers). Returns false once stopped.
   */
  push(chunk: Uint8Array): boolean {
    if (this.#stopped) return false;
    this.#bytes += chunk.length;
    this.#copyIn(chunk, 0, chunk.length);
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

  /** Copy source[from, to) frame piece by frame piece into pool messages. */
  #copyIn(source: Uint8Array, from: number, to: number): void {
    let offset = from;
    while (offset < to && !this.#stopped) {
      if (this.#current === undefined) this.#begin();
      if (this.#filled === 0 && this.#wholeFrameAt(source, offset, to)) {
        // Fast path: a complete, well-formed frame is in the source; one copy.
        const length = ((source[offset + BGP_LENGTH_OFFSET] ?? 0) << 8) | (source[offset + BGP_LENGTH_OFFSET + 1] ?? 0);
        this.#buffer.set(source.subarray(offset, offset + length));
        this.#copiedBytes += length;
        offset += length;
        this.#filled = length;
        this.#expected = length;
        this.#deliver();
        continue;
      }
      const n = Math.min(this.#expected - this.#filled, to - offset);
      this.#buffer.set(source.subarray(offset, offset + n), this.#filled);
      this.#copiedBytes += n;
      offset += n;
      this.#step(n);
    }
  }

  /**
   * True when source[offset, to) starts with a complete frame that passes the
   * header checks and fits the current buffer. Anything else (short, bad
   * header, needs a bigger buffer) takes the byte-wise path, which reports it.
   */
  #wholeFrameAt(source: Uint8Array, offset: number, to: number): boolean {
    if (to - offset < BGP_HEADER_LENGTH) return false;
    const length = ((source[offset + BGP_LENGTH_OFFSET] ?? 0) << 8) | (source[offset + BGP_LENGTH_OFFSET + 1] ?? 0);
    if (length < BGP_HEADER_LENGTH || length > to - offset || length > this.#buffer.length || length > this.#pool.messageSize) {
      return false;
    }
    for (let i = offset; i < offset + BGP_MARKER_LENGTH; i++) if (source[i] !== 0xff) return false;
    return true;
  }

  /** `n` (≤ expected - filled) more bytes of the current frame are in `#buffer`. */
  #step(n: number): void {
    const start = this.#filled;
    this.#filled += n;
    // RFC 4271 §4.1: the marker MUST be all ones; check as bytes arrive so a
    // garbage stream fails without waiting for 19 bytes.
    const markerEnd = Math.min(this.#filled, BGP_MARKER_LENGTH);
    for (let i = start; i < markerEnd; i++) {
      if (this.#buffer[i] !== 0xff) {
        this.#fail(FrameError.badMarker());
        return;
      }
    }
    if (this.#expected === BGP_HEADER_LENGTH && this.#filled === BGP_HEADER_LENGTH) {
      if (!this.#headerComplete()) return;
    }
    if (this.#filled === this.#expected && this.#filled >= BGP_HEADER_LENGTH) this.#deliver();
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
    this.#filled = 0;
    this.#expected = BGP_HEADER_LENGTH;
    this.#frames++;
    let kept: boolean | void;
    try {
      kept = this.#sink.onFrame(message);
    } catch (error: unknown) {
      if (!message.released) message.release();
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

  #fail(error: FrameError | FrameHandlerError): void {
    if (this.#stopped) return;
    this.stop();
    this.#sink.onError?.(error);
  }
}
