import net from 'node:net';
import type { BufferPool } from './buffer-pool.js';
import {
  FrameAssembler,
  type FrameAssemblerStats,
  type FrameReadMode,
  type FrameSink,
} from './frame-assembler.js';
import type { FrameError, FrameHandlerError } from './frame-error.js';
import type { PooledMessage } from './pooled-message.js';

/** Callbacks and pool for a {@link FrameReader}. */
export interface FrameReaderOptions {
  /** The peer's pool; frames longer than `pool.messageSize` are Bad Message Length. */
  readonly pool: BufferPool;
  /**
   * One frame. Return `true` ("kept") to take ownership (you must `release()`);
   * otherwise the reader releases the message as soon as this returns.
   */
  onFrame(message: PooledMessage): boolean | void;
  /** A framing error or a throwing `onFrame`; reading has stopped and all buffers are released. Called once. */
  onError?(error: FrameError | FrameHandlerError): void;
  /** The socket closed; `pendingBytes` of an incomplete frame were dropped (and released). */
  onClose?(info: { readonly pendingBytes: number }): void;
  /**
   * Zero-copy read sizing (ignored by `attach`): `batched` (default) lets one
   * read fill the rest of the pool buffer, so many small messages cost one
   * read; `exact` never copies a byte but reads each header and body
   * separately. See {@link FrameReadMode} and bench/buffers-reader.ts.
   */
  readonly readMode?: FrameReadMode;
}

/** The `onread` option Node's `net.connect()` / `new net.Socket()` accept. */
export interface FrameReaderOnRead {
  readonly buffer: () => Uint8Array;
  readonly callback: (bytesWritten: number, buf: Uint8Array) => boolean;
}

/**
 * Reads BGP frames from a TCP socket into {@link BufferPool} memory and hands
 * out one {@link PooledMessage} per frame (seed 003, RFC 4271 §4.1, §6.1).
 *
 * Zero copy: for sockets the reader creates ({@link FrameReader.connect}) or
 * that the caller creates with the given `onread` option
 * ({@link FrameReader.wrap}), Node's `onread` lets every `read()` land directly
 * in a pooled message buffer, right after the bytes already there. In the
 * default `batched` read mode a read may fill the whole buffer: the first frame
 * stays in place and the frames that came with it are copied into their own
 * buffers (one copy, no intermediate Node Buffer). In `exact` mode each read
 * stops at the end of the current header or frame, so nothing is ever copied,
 * at the price of up to two reads per message — measured several times slower
 * for small messages, worthwhile only for large ones.
 *
 * Copy fallback ({@link FrameReader.attach}): Node 20 offers `onread` only
 * when a socket is constructed. Sockets accepted by `net.Server` are
 * constructed inside Node without it, and re-wrapping their handle needs the
 * private `_handle` (and breaks the server's connection accounting). For those,
 * and any other socket you did not create, the reader listens to `'data'` and
 * copies each chunk once into pool memory.
 *
 * A zero-copy reader holds one pool buffer while it waits for data (Node asks
 * for the next read target in advance); it goes back on `stop()` or `'close'`.
 *
 * On a framing error it stops reading (the socket is paused, not destroyed: the
 * session still has to send the NOTIFICATION), releases everything and calls
 * `onError` once. On `'close'` it releases a partial frame. Listen for the
 * socket's own `'error'` events yourself.
 *
 * @example
 * ```ts
 * const pool = new BufferPool();
 * const reader = FrameReader.connect({ host: '127.0.0.1', port: 179 }, {
 *   pool,
 *   onFrame: (message) => {
 *     if (message.type === 2) { cache.add(message); return true; } // kept
 *     return false;                                                 // released by the reader
 *   },
 *   onError: (error) => { if ('notification' in error) notify(error.notification); },
 * });
 * reader.socket.on('error', console.error);
 * ```
 */
export class FrameReader {
  readonly #assembler: FrameAssembler;
  readonly #socket: net.Socket;
  readonly #zeroCopy: boolean;

  private constructor(assembler: FrameAssembler, socket: net.Socket, zeroCopy: boolean, options: FrameReaderOptions) {
    this.#assembler = assembler;
    this.#socket = socket;
    this.#zeroCopy = zeroCopy;
    socket.once('close', () => {
      const pendingBytes = assembler.finish();
      options.onClose?.({ pendingBytes });
    });
  }

  /** Connect a new TCP socket whose reads go straight into pool memory. */
  static connect(connectOptions: net.TcpNetConnectOpts, options: FrameReaderOptions): FrameReader {
    return FrameReader.wrap((onread) => net.connect({ ...connectOptions, onread }), options);
  }

  /**
   * Zero-copy reading on a socket the caller constructs with its own connect
   * options, e.g. `(onread) => net.connect({ host, port, localAddress, onread })`.
   * The factory must pass `onread` unchanged to `net.connect` or the
   * `net.Socket` constructor (Node reads the option there; @types/node 20
   * omits it from `SocketConstructorOpts`, see nodejs/node#53792).
   */
  static wrap(createSocket: (onread: FrameReaderOnRead) => net.Socket, options: FrameReaderOptions): FrameReader {
    const { assembler, sink } = FrameReader.#assemble(options);
    const socket = createSocket(assembler.onread());
    const reader = new FrameReader(assembler, socket, true, options);
    sink.pause = () => socket.pause();
    return reader;
  }

  /**
   * Read frames from an existing socket (e.g. one accepted by `net.Server`)
   * by copying its `'data'` chunks into pool memory. The reader must be the
   * socket's only consumer, and no encoding may be set on it.
   */
  static attach(socket: net.Socket, options: FrameReaderOptions): FrameReader {
    if (socket.readableEncoding !== null) {
      throw new TypeError(`FrameReader.attach needs a binary socket, this one has encoding ${socket.readableEncoding}`);
    }
    const { assembler, sink } = FrameReader.#assemble(options);
    const reader = new FrameReader(assembler, socket, false, options);
    const onData = (chunk: Buffer | string): void => {
      if (typeof chunk === 'string') return; // excluded above; a later setEncoding() is the caller's bug
      if (!assembler.push(chunk)) stopData();
    };
    const stopData = (): void => {
      socket.off('data', onData);
      socket.pause();
    };
    sink.pause = stopData;
    socket.on('data', onData);
    return reader;
  }

  static #assemble(options: FrameReaderOptions): { assembler: FrameAssembler; sink: FrameSink & { pause: () => void } } {
    const sink: FrameSink & { pause: () => void } = {
      pause: () => undefined,
      onFrame: (message) => options.onFrame(message),
      onError: (error) => {
        sink.pause();
        options.onError?.(error);
      },
    };
    const assemblerOptions = options.readMode === undefined ? {} : { readMode: options.readMode };
    return { assembler: new FrameAssembler(options.pool, sink, assemblerOptions), sink };
  }

  /** The socket being read. */
  get socket(): net.Socket {
    return this.#socket;
  }

  /** True when reads land directly in pool memory (`onread`), false for the `'data'` copy path. */
  get zeroCopy(): boolean {
    return this.#zeroCopy;
  }

  /** True once reading stopped (error, `stop()` or socket closed). */
  get stopped(): boolean {
    return this.#assembler.stopped;
  }

  /** Frames, bytes, copied bytes and the size of a partial frame. */
  stats(): FrameAssemblerStats {
    return this.#assembler.stats();
  }

  /** Stop reading and release a partial frame. The socket is paused, not closed. */
  stop(): void {
    this.#assembler.stop();
    this.#socket.pause();
  }
}
