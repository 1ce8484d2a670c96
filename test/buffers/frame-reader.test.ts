import net, { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BufferPool } from '../../src/buffers/buffer-pool.js';
import { FrameError, type FrameHandlerError } from '../../src/buffers/frame-error.js';
import { FrameReader, type FrameReaderOptions } from '../../src/buffers/frame-reader.js';
import type { PooledMessage } from '../../src/buffers/pooled-message.js';
import { KEEPALIVE, OPEN, SAMPLE_FRAMES, UPDATE, opaqueFrame } from '../support/bgp-frames.js';
import { concatBytes, hex, toHex } from '../support/hex.js';
import { listenLoopback, type LoopbackServer } from '../support/loopback.js';
import { waitFor } from '../support/wait.js';

/** Real TCP on 127.0.0.1: one side writes with `peer`, the other reads with a FrameReader. */
interface Pair {
  readonly pool: BufferPool;
  readonly reader: FrameReader;
  readonly peer: net.Socket;
  readonly frames: string[];
  readonly errors: Array<FrameError | FrameHandlerError>;
  readonly closes: number[];
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function server(): Promise<LoopbackServer> {
  const loopback = await listenLoopback();
  cleanups.push(() => loopback.close());
  return loopback;
}

type Mode = 'onread batched (connect)' | 'onread exact (connect)' | 'copy (attach to accepted socket)';
const MODES: Mode[] = ['onread batched (connect)', 'onread exact (connect)', 'copy (attach to accepted socket)'];

/**
 * Open a connection. In zero-copy mode the reader connects (client side); in
 * copy mode it attaches to the server's accepted socket and the client writes.
 */
async function pair(
  mode: Mode,
  pool = new BufferPool(),
  onFrame?: FrameReaderOptions['onFrame'],
): Promise<Pair> {
  const loopback = await server();
  const frames: string[] = [];
  const errors: Array<FrameError | FrameHandlerError> = [];
  const closes: number[] = [];
  const options: FrameReaderOptions = {
    pool,
    onFrame: (message) => {
      frames.push(toHex(message.bytes));
      return onFrame?.(message);
    },
    onError: (error) => errors.push(error),
    onClose: ({ pendingBytes }) => closes.push(pendingBytes),
  };
  if (mode !== 'copy (attach to accepted socket)') {
    const readMode = mode === 'onread exact (connect)' ? 'exact' : 'batched';
    const reader = FrameReader.connect({ host: '127.0.0.1', port: loopback.port }, { ...options, readMode });
    reader.socket.on('error', () => undefined);
    const peer = await loopback.accepted();
    cleanups.push(async () => {
      reader.socket.destroy();
      await waitFor(() => reader.stopped, 'reader to stop after close');
    });
    return { pool, reader, peer, frames, errors, closes };
  }
  const peer = net.connect({ host: '127.0.0.1', port: loopback.port });
  peer.on('error', () => undefined);
  const accepted = await loopback.accepted();
  const reader = FrameReader.attach(accepted, options);
  cleanups.push(async () => {
    peer.destroy();
    accepted.destroy();
    await waitFor(() => reader.stopped, 'reader to stop after close');
  });
  await new Promise<void>((resolve) => (peer.connecting ? peer.once('connect', () => resolve()) : resolve()));
  return { pool, reader, peer, frames, errors, closes };
}

async function write(socket: net.Socket, bytes: Uint8Array): Promise<void> {
  await new Promise<void>((resolve, reject) => socket.write(bytes, (error) => (error ? reject(error) : resolve())));
}

/** Close both ends and wait until the reader has seen 'close' (and released what it held). */
async function close(p: Pair): Promise<void> {
  p.reader.socket.destroy();
  p.peer.destroy();
  await waitFor(() => p.closes.length === 1, 'reader to see the close');
}

async function closeAndCheck(p: Pair): Promise<void> {
  await close(p);
  await waitFor(() => p.pool.outstanding === 0, 'reader to release on close');
}

const STREAM = concatBytes(SAMPLE_FRAMES);
const EXPECTED = SAMPLE_FRAMES.map(toHex);

describe.each(MODES)('FrameReader over real TCP on 127.0.0.1, %s', (mode) => {
  it('reports which path it uses', async () => {
    const p = await pair(mode);
    expect(p.reader.zeroCopy).toBe(mode.startsWith('onread'));
    await closeAndCheck(p);
    expect(p.pool.outstanding).toBe(0);
  });

  it('reassembles frames split at every byte boundary', async () => {
    const p = await pair(mode);
    let bytes = 0;
    for (let cut = 1; cut < STREAM.length; cut++) {
      await write(p.peer, STREAM.subarray(0, cut));
      // wait until the reader has these bytes, so the split really reaches it as two reads
      await waitFor(() => p.reader.stats().bytes === bytes + cut, `first ${cut} bytes`);
      await write(p.peer, STREAM.subarray(cut));
      bytes += STREAM.length;
      await waitFor(() => p.reader.stats().bytes === bytes, `rest after cut ${cut}`);
    }
    const rounds = STREAM.length - 1;
    expect(p.frames).toHaveLength(rounds * SAMPLE_FRAMES.length);
    for (let round = 0; round < rounds; round++) {
      expect(p.frames.slice(round * 5, round * 5 + 5), `round ${round}`).toEqual(EXPECTED);
    }
    expect(p.errors).toEqual([]);
    const copied = p.reader.stats().copiedBytes;
    if (mode === 'onread exact (connect)') expect(copied).toBe(0);
    else if (mode === 'copy (attach to accepted socket)') expect(copied).toBe(bytes);
    else expect(copied).toBeLessThan(bytes); // batched: frames behind the first of a read are copied
    await closeAndCheck(p);
    expect(p.pool.outstanding).toBe(0);
  });

  it('splits many frames written in one chunk', async () => {
    const p = await pair(mode);
    const frames = Array.from({ length: 200 }, (_, i) => opaqueFrame(1 + (i % 5), 19 + ((i * 37) % 400), i));
    await write(p.peer, concatBytes(frames));
    await waitFor(() => p.frames.length === 200, '200 frames');
    expect(p.frames).toEqual(frames.map(toHex));
    expect(p.errors).toEqual([]);
    await closeAndCheck(p);
    expect(p.pool.outstanding).toBe(0);
    expect(p.pool.stats().allocated).toBeLessThanOrEqual(3); // buffers are reused frame after frame
  });

  it('bad marker: NOTIFICATION 1/1 once, reading stops, everything released', async () => {
    const p = await pair(mode);
    const badMarker = hex(`ffffffff ffffffff 00ffffff ffffffff  0013 04   # marker byte 8 is 00`);
    await write(p.peer, concatBytes([KEEPALIVE, badMarker, KEEPALIVE]));
    await waitFor(() => p.errors.length === 1, 'the framing error');
    expect(p.frames).toEqual([toHex(KEEPALIVE)]);
    const error = p.errors[0];
    expect(error).toBeInstanceOf(FrameError);
    expect(error instanceof FrameError && error.notification).toEqual({ code: 1, subcode: 1, data: new Uint8Array(0) });
    expect(p.reader.stopped).toBe(true);
    expect(p.pool.outstanding).toBe(0);
    // the socket is still open (the session must send the NOTIFICATION) but not read any more
    expect(p.reader.socket.destroyed).toBe(false);
    await write(p.peer, KEEPALIVE);
    await write(p.peer, KEEPALIVE);
    expect(p.frames).toHaveLength(1);
    expect(p.errors).toHaveLength(1);
    await closeAndCheck(p);
    expect(p.pool.outstanding).toBe(0);
  });

  it.each([
    ['18', hex(`ffffffff ffffffff ffffffff ffffffff  0012 04   # length 18`), '0012'],
    ['4097', hex(`ffffffff ffffffff ffffffff ffffffff  1001 02   # length 4097 > 4096`), '1001'],
  ])('bad length %s: NOTIFICATION 1/2 with the length as data', async (_name, header, data) => {
    const p = await pair(mode);
    await write(p.peer, concatBytes([UPDATE, header]));
    await waitFor(() => p.errors.length === 1, 'the framing error');
    const error = p.errors[0];
    expect(error instanceof FrameError ? error.code : error).toBe('ERR_FRAME_BAD_LENGTH');
    if (!(error instanceof FrameError)) return;
    expect(error.notification.code).toBe(1);
    expect(error.notification.subcode).toBe(2);
    expect(toHex(error.notification.data)).toBe(data);
    expect(p.frames).toEqual([toHex(UPDATE)]);
    expect(p.pool.outstanding).toBe(0);
    await closeAndCheck(p);
    expect(p.pool.outstanding).toBe(0);
  });

  it('ownership: kept messages stay valid after the callback until released', async () => {
    const kept: PooledMessage[] = [];
    const p = await pair(mode, new BufferPool(), (message) => {
      if (message.type !== 2) return false;
      kept.push(message);
      return true;
    });
    await write(p.peer, concatBytes([OPEN, UPDATE, KEEPALIVE, UPDATE, KEEPALIVE]));
    await waitFor(() => p.frames.length === 5, '5 frames');
    expect(kept).toHaveLength(2);
    for (const message of kept) {
      expect(message.refCount).toBe(1);
      expect(message.bytes).toEqual(UPDATE);
    }
    expect(p.pool.outstanding).toBeGreaterThanOrEqual(2);
    await close(p);
    expect(p.pool.outstanding).toBe(2); // only the kept ones are still out
    for (const message of kept) message.release();
    expect(p.pool.outstanding).toBe(0);
  });

  it('pool size switch after OPEN: extended frames are accepted and old buffers dropped', async () => {
    const pool = new BufferPool();
    const p = await pair(mode, pool, (message) => {
      // RFC 8654: Extended Message negotiated in the OPEN exchange
      if (message.type === 1) pool.enableExtendedMessage();
    });
    const big = opaqueFrame(2, 65535, 11);
    await write(p.peer, concatBytes([OPEN, big, KEEPALIVE]));
    await waitFor(() => p.frames.length === 3, '3 frames');
    expect(p.errors).toEqual([]);
    expect(p.frames).toEqual([toHex(OPEN), toHex(big), toHex(KEEPALIVE)]);
    expect(pool.stats().dropped).toBeGreaterThanOrEqual(1); // the 4096-byte buffer of the OPEN
    await closeAndCheck(p);
    expect(pool.outstanding).toBe(0);
  });

  it('pool size switch while a header is pending moves it into a bigger buffer', async () => {
    const pool = new BufferPool();
    const p = await pair(mode, pool);
    await write(p.peer, KEEPALIVE);
    await waitFor(() => p.frames.length === 1, 'first frame');
    const big = opaqueFrame(2, 20_000, 5);
    await write(p.peer, big.subarray(0, 10)); // header not complete yet: a 4096-byte buffer holds it
    await waitFor(() => p.reader.stats().pendingBytes === 10, 'partial header');
    pool.enableExtendedMessage();
    await write(p.peer, big.subarray(10));
    await waitFor(() => p.frames.length === 2, 'big frame');
    expect(p.frames[1]).toBe(toHex(big));
    expect(p.errors).toEqual([]);
    // exact reads: only the 19 header bytes moved to the bigger buffer
    if (mode === 'onread exact (connect)') expect(p.reader.stats().copiedBytes).toBe(19);
    await closeAndCheck(p);
    expect(pool.outstanding).toBe(0);
  });

  it('closing mid-frame reports the dropped bytes and releases the buffer', async () => {
    const p = await pair(mode);
    await write(p.peer, concatBytes([KEEPALIVE, UPDATE.subarray(0, 25)]));
    await waitFor(() => p.reader.stats().pendingBytes === 25, 'partial frame');
    expect(p.pool.outstanding).toBe(1);
    p.peer.end();
    await waitFor(() => p.closes.length === 1, 'close');
    expect(p.closes).toEqual([25]);
    expect(p.pool.outstanding).toBe(0);
  });

  it('stats count frames and bytes', async () => {
    const p = await pair(mode);
    await write(p.peer, STREAM);
    await waitFor(() => p.frames.length === 5, '5 frames');
    expect(p.reader.stats()).toMatchObject({ frames: 5, bytes: STREAM.length, pendingBytes: 0 });
    // batched: the first buffer of a read stays pinned while the frames behind it are copied out
    if (mode === 'onread batched (connect)') expect(p.pool.stats().peakOutstanding).toBeLessThanOrEqual(2);
    else expect(p.pool.stats().peakOutstanding).toBe(1);
    await closeAndCheck(p);
    expect(p.pool.outstanding).toBe(0);
  });
});

describe('FrameReader construction paths', () => {
  it('wrap(): zero copy on a socket the caller constructs with the onread option', async () => {
    const loopback = await server();
    const pool = new BufferPool();
    const frames: string[] = [];
    let closed = false;
    const reader = FrameReader.wrap(
      (onread) => net.connect({ port: loopback.port, host: '127.0.0.1', noDelay: true, onread }),
      {
        pool,
        readMode: 'exact',
        onFrame: (message) => {
          frames.push(toHex(message.bytes));
        },
        onClose: () => {
          closed = true;
        },
      },
    );
    const peer = await loopback.accepted();
    await write(peer, STREAM);
    await waitFor(() => frames.length === 5, '5 frames');
    expect(frames).toEqual(EXPECTED);
    expect(reader.zeroCopy).toBe(true);
    expect(reader.stats().copiedBytes).toBe(0);
    reader.socket.destroy();
    await waitFor(() => closed, 'close');
    expect(pool.outstanding).toBe(0);
  });

  it('attach() refuses a socket with a string encoding', async () => {
    const loopback = await server();
    const pool = new BufferPool();
    const client = new Socket().connect(loopback.port, '127.0.0.1');
    client.on('error', () => undefined);
    client.setEncoding('utf8');
    expect(() => FrameReader.attach(client, { pool, onFrame: () => undefined })).toThrow(/binary socket/);
    client.destroy();
    expect(pool.outstanding).toBe(0);
  });

  it('stop() releases the pending frame and pauses the socket without closing it', async () => {
    const loopback = await server();
    const pool = new BufferPool();
    const frames: string[] = [];
    const reader = FrameReader.connect({ host: '127.0.0.1', port: loopback.port }, {
      pool,
      onFrame: (message) => {
        frames.push(toHex(message.bytes));
      },
    });
    const peer = await loopback.accepted();
    await write(peer, concatBytes([KEEPALIVE, UPDATE.subarray(0, 10)]));
    await waitFor(() => reader.stats().pendingBytes === 10, 'partial frame');
    reader.stop();
    expect(reader.stopped).toBe(true);
    expect(pool.outstanding).toBe(0);
    expect(reader.socket.destroyed).toBe(false);
    await write(peer, UPDATE.subarray(10));
    expect(frames).toEqual([toHex(KEEPALIVE)]);
    reader.socket.destroy();
    expect(pool.outstanding).toBe(0);
  });
});

