import { BufferError } from './buffer-error.js';
import { BGP_HEADER_LENGTH, BGP_LENGTH_OFFSET, BGP_TYPE_OFFSET } from './frame-constants.js';

/**
 * Where a {@link PooledMessage} goes when its last reference is released.
 * Implemented by {@link BufferPool}; kept as an interface so this file does not
 * import the pool (no cycle).
 */
export interface MessageRecycler {
  /** Called exactly once per lease, when the reference count reaches zero. */
  recycle(message: PooledMessage): void;
}

const EMPTY = new Uint8Array(0);

/**
 * Key of the method the pool calls when it hands a message out. A symbol that
 * `src/index.ts` does not export keeps it out of the public API.
 * @internal
 */
export const LEASE = Symbol('fibwire.buffers.lease');

/**
 * Keys of the methods the frame assembler uses to keep a buffer's memory from
 * being handed out again while it still copies following frames out of it.
 * A pinned message that reaches refCount 0 looks released (every accessor
 * throws) but goes back to its pool only when unpinned.
 * @internal
 */
export const PIN = Symbol('fibwire.buffers.pin');
/** @internal See {@link PIN}. */
export const UNPIN = Symbol('fibwire.buffers.unpin');

/**
 * One BGP message in pooled memory, with a reference count (seed 003).
 *
 * The object itself is reused: after the last `release()` it goes back to its
 * {@link BufferPool} together with its buffer. Metadata the passthrough layer
 * needs (`flags`, the 64-bit required-capability mask) lives in plain fields;
 * JavaScript has no need for the seed's marker-overlay trick. The mask is two
 * uint32 words rather than one bigint: `bench/buffers-mask.ts` measured the
 * pass-through check about 3× faster that way.
 *
 * Use after release is detected while the object sits in the pool: `bytes`,
 * `buffer`, `acquire()` and friends throw `ERR_BUFFER_USE_AFTER_RELEASE`. Once
 * the pool hands the object out again a stale holder can no longer be told
 * apart; compare {@link PooledMessage.generation} if that matters.
 *
 * @example
 * ```ts
 * const message = pool.acquire();          // refCount 1, length 0
 * message.buffer.set(keepaliveBytes);
 * message.setLength(19);
 * message.acquire();                       // a second owner, refCount 2
 * message.release();                       // refCount 1
 * message.release();                       // back to the pool
 * ```
 */
export class PooledMessage {
  /** Processing flags for higher layers (seed 003: parsed, has-withdraw, ...). Reset on reuse. */
  flags = 0;
  /** Bits 0..31 of the capabilities a receiver needs to take these bytes unchanged. Reset on reuse. */
  requiredCapsLow = 0;
  /** Bits 32..63 of the required-capability mask. Reset on reuse. */
  requiredCapsHigh = 0;

  #buffer: Uint8Array;
  #bytes: Uint8Array = EMPTY;
  #length = 0;
  #refCount = 0;
  #generation = 0;
  #pins = 0;
  #recyclePending = false;
  readonly #recycler: MessageRecycler;

  /** @internal Created by {@link BufferPool}; use `pool.acquire()`. */
  constructor(buffer: Uint8Array, recycler: MessageRecycler) {
    this.#buffer = buffer;
    this.#recycler = recycler;
  }

  /** Size of the underlying pool buffer (4096 or 65535 unless configured otherwise). */
  get capacity(): number {
    return this.#buffer.length;
  }

  /** Current number of owners; 0 means the message is back in its pool. */
  get refCount(): number {
    return this.#refCount;
  }

  /** True while the message sits in its pool (every accessor of the bytes throws). */
  get released(): boolean {
    return this.#refCount === 0;
  }

  /** Incremented each time the pool hands this object out; lets holders detect reuse. */
  get generation(): number {
    return this.#generation;
  }

  /** Number of valid bytes (the whole frame, header included). */
  get length(): number {
    this.#assertLive('length');
    return this.#length;
  }

  /** Exactly the frame: a view (no copy) of the first `length` bytes of the buffer. */
  get bytes(): Uint8Array {
    this.#assertLive('bytes');
    return this.#bytes;
  }

  /** The whole pool buffer, for writers filling a message in place (then `setLength`). */
  get buffer(): Uint8Array {
    this.#assertLive('buffer');
    return this.#buffer;
  }

  /** The BGP message type octet (RFC 4271 §4.1); 0 while the header is incomplete. */
  get type(): number {
    this.#assertLive('type');
    return this.#length >= BGP_HEADER_LENGTH ? (this.#buffer[BGP_TYPE_OFFSET] ?? 0) : 0;
  }

  /** The 2-octet Length field of the header as stored in the buffer. */
  get headerLength(): number {
    this.#assertLive('headerLength');
    return ((this.#buffer[BGP_LENGTH_OFFSET] ?? 0) << 8) | (this.#buffer[BGP_LENGTH_OFFSET + 1] ?? 0);
  }

  /** The bytes after the 19-octet header, as a view. */
  get payload(): Uint8Array {
    this.#assertLive('payload');
    return this.#length >= BGP_HEADER_LENGTH ? this.#bytes.subarray(BGP_HEADER_LENGTH) : EMPTY;
  }

  /**
   * Declare how many bytes of {@link buffer} are valid. Throws
   * `ERR_BUFFER_BAD_LENGTH` outside 0..capacity.
   */
  setLength(length: number): void {
    this.#assertLive('setLength');
    if (!Number.isInteger(length) || length < 0 || length > this.#buffer.length) {
      throw new BufferError(
        'ERR_BUFFER_BAD_LENGTH',
        `message length ${length} does not fit a ${this.#buffer.length}-byte pool buffer`,
      );
    }
    this.#length = length;
    this.#bytes = this.#buffer.subarray(0, length);
  }

  /** Add an owner. Every `acquire()` needs its own `release()`. */
  acquire(): this {
    this.#assertLive('acquire');
    this.#refCount++;
    return this;
  }

  /**
   * Drop one owner. At zero the message returns to its pool and `true` is
   * returned. A release on a message that is already back in the pool throws
   * `ERR_BUFFER_DOUBLE_RELEASE` and changes nothing.
   */
  release(): boolean {
    if (this.#refCount === 0) {
      throw new BufferError('ERR_BUFFER_DOUBLE_RELEASE', 'release() on a message that was already released');
    }
    this.#refCount--;
    if (this.#refCount > 0) return false;
    this.#length = 0;
    this.#bytes = EMPTY;
    this.flags = 0;
    this.requiredCapsLow = 0;
    this.requiredCapsHigh = 0;
    if (this.#pins > 0) this.#recyclePending = true;
    else this.#recycler.recycle(this);
    return true;
  }

  /** @internal Defer the return to the pool (see {@link PIN}). */
  [PIN](): void {
    this.#pins++;
  }

  /** @internal Undo one {@link PIN}; recycles now if the last release happened meanwhile. */
  [UNPIN](): void {
    if (this.#pins === 0) return;
    this.#pins--;
    if (this.#pins === 0 && this.#recyclePending) {
      this.#recyclePending = false;
      this.#recycler.recycle(this);
    }
  }

  /** @internal Called by the pool when it hands the object out (refCount 0 → 1). */
  [LEASE](): void {
    if (this.#refCount !== 0) {
      throw new BufferError('ERR_BUFFER_DOUBLE_RELEASE', 'pool handed out a message that is still owned');
    }
    this.#refCount = 1;
    this.#generation++;
  }

  #assertLive(what: string): void {
    if (this.#refCount === 0) {
      throw new BufferError('ERR_BUFFER_USE_AFTER_RELEASE', `${what} of a message that was released to its pool`);
    }
  }
}
