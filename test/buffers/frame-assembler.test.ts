import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferError } from '../../src/buffers/buffer-error.js';
import { BufferPool } from '../../src/buffers/buffer-pool.js';
import { FrameAssembler, type FrameReadMode } from '../../src/buffers/frame-assembler.js';
import { FrameError, FrameHandlerError } from '../../src/buffers/frame-error.js';
import type { PooledMessage } from '../../src/buffers/pooled-message.js';
import { KEEPALIVE, SAMPLE_FRAMES, UPDATE, opaqueFrame } from '../support/bgp-frames.js';
import { concatBytes, hex, toHex } from '../support/hex.js';

/** An assembler that records copies of delivered frames and errors. */
function recording(
  pool: BufferPool,
  readMode: FrameReadMode = 'batched',
): {
  assembler: FrameAssembler;
  frames: string[];
  errors: Array<FrameError | FrameHandlerError>;
} {
  const frames: string[] = [];
  const errors: Array<FrameError | FrameHandlerError> = [];
  const assembler = new FrameAssembler(
    pool,
    {
      onFrame: (message) => {
        frames.push(toHex(message.bytes));
      },
      onError: (error) => errors.push(error),
    },
    { readMode },
  );
  return { assembler, frames, errors };
}

/**
 * Feed `stream` the way Node's `onread` does: each read writes at most
 * `readSizes[i]` bytes into the view `readTarget()` returned, then commits.
 */
function feedZeroCopy(assembler: FrameAssembler, stream: Uint8Array, readSizes: readonly number[]): void {
  const onread = assembler.onread();
  let offset = 0;
  let i = 0;
  while (offset < stream.length) {
    const target = onread.buffer();
    const wanted = readSizes.length === 0 ? stream.length : (readSizes[i++ % readSizes.length] ?? 1);
    const n = Math.min(target.length, wanted, stream.length - offset);
    target.set(stream.subarray(offset, offset + n));
    offset += n;
    if (!onread.callback(n, target)) break;
  }
}

const STREAM = concatBytes(SAMPLE_FRAMES);
const EXPECTED = SAMPLE_FRAMES.map(toHex);

describe('FrameAssembler', () => {
  it('splits a stream fed as one chunk into its frames', () => {
    const pool = new BufferPool();
    const { assembler, frames, errors } = recording(pool);
    expect(assembler.push(STREAM)).toBe(true);
    expect(frames).toEqual(EXPECTED);
    expect(errors).toEqual([]);
    expect(assembler.stats()).toMatchObject({ frames: 5, bytes: STREAM.length, copiedBytes: STREAM.length, pendingBytes: 0 });
    expect(assembler.finish()).toBe(0);
    expect(pool.outstanding).toBe(0);
  });

  it('handles a split at every byte boundary of the stream (copy path)', () => {
    const pool = new BufferPool();
    for (let cut = 1; cut < STREAM.length; cut++) {
      const { assembler, frames, errors } = recording(pool);
      assembler.push(STREAM.subarray(0, cut));
      assembler.push(STREAM.subarray(cut));
      expect(frames, `cut at ${cut}`).toEqual(EXPECTED);
      expect(errors).toEqual([]);
      assembler.finish();
    }
    expect(pool.outstanding).toBe(0);
  });

  it.each(['batched', 'exact'] as const)('%s: one byte per read through onread copies nothing', (readMode) => {
    const pool = new BufferPool();
    const { assembler, frames } = recording(pool, readMode);
    feedZeroCopy(assembler, STREAM, [1]);
    expect(frames).toEqual(EXPECTED);
    expect(assembler.stats()).toMatchObject({ frames: 5, bytes: STREAM.length, copiedBytes: 0 });
    assembler.finish();
    expect(pool.outstanding).toBe(0);
  });

  it('batched: one read fills the buffer; the first frame stays in place, the others are copied once', () => {
    const pool = new BufferPool();
    const { assembler, frames, errors } = recording(pool, 'batched');
    const target = assembler.readTarget();
    expect(target.length).toBe(4096);
    target.set(STREAM);
    expect(assembler.commit(STREAM.length)).toBe(true);
    expect(errors).toEqual([]);
    expect(frames).toEqual(EXPECTED);
    expect(assembler.stats().copiedBytes).toBe(STREAM.length - (SAMPLE_FRAMES[0]?.length ?? 0));
    // the first buffer stayed pinned while frames were copied out of it, then went back to the pool
    expect(pool.stats().peakOutstanding).toBe(2);
    assembler.finish();
    expect(pool.outstanding).toBe(0);
  });

  it('batched: a read ending inside a header keeps the partial header for the next read', () => {
    const pool = new BufferPool();
    const { assembler, frames } = recording(pool, 'batched');
    const stream = concatBytes([UPDATE, KEEPALIVE]);
    feedZeroCopy(assembler, stream, [UPDATE.length + 7, 12]);
    expect(frames).toEqual([toHex(UPDATE), toHex(KEEPALIVE)]);
    expect(assembler.stats().copiedBytes).toBe(7); // the 7 header bytes read along with the UPDATE
    assembler.finish();
    expect(pool.outstanding).toBe(0);
  });

  it('exact: asks for exactly the header, then exactly the rest of the frame', () => {
    const pool = new BufferPool();
    const { assembler } = recording(pool, 'exact');
    const header = assembler.readTarget();
    expect(header.length).toBe(19);
    header.set(UPDATE.subarray(0, 19));
    assembler.commit(19);
    const body = assembler.readTarget();
    expect(body.length).toBe(UPDATE.length - 19);
    expect(body.byteOffset - header.byteOffset).toBe(19); // same buffer, right after the header
    expect(pool.outstanding).toBe(1);
    assembler.finish();
    expect(pool.outstanding).toBe(0);
  });

  it('delivers a KEEPALIVE (length exactly 19) without a body read', () => {
    const pool = new BufferPool();
    const { assembler, frames } = recording(pool);
    const target = assembler.readTarget();
    target.set(KEEPALIVE);
    expect(assembler.commit(19)).toBe(true);
    expect(frames).toEqual([toHex(KEEPALIVE)]);
    assembler.finish();
    expect(pool.outstanding).toBe(0);
  });

  it.each(['batched', 'exact'] as const)('%s: reads a 65535-byte frame with an extended pool, in pieces', (readMode) => {
    const pool = new BufferPool({ messageSize: 65535 });
    const big = opaqueFrame(2, 65535, 3);
    const { assembler, frames } = recording(pool, readMode);
    feedZeroCopy(assembler, concatBytes([big, KEEPALIVE]), [1000, 7, 30000]);
    expect(frames).toEqual([toHex(big), toHex(KEEPALIVE)]);
    assembler.finish();
    expect(pool.outstanding).toBe(0);
  });

  it.each(['batched', 'exact'] as const)('%s: moves a pending header into a bigger buffer when the pool grew meanwhile', (readMode) => {
    const pool = new BufferPool();
    const big = opaqueFrame(2, 10_000, 9);
    const { assembler, frames, errors } = recording(pool, readMode);
    feedZeroCopy(assembler, KEEPALIVE, []);
    const waiting = assembler.readTarget(); // a 4096-byte buffer is held, waiting for a header
    expect(waiting.buffer.byteLength).toBe(4096);
    pool.enableExtendedMessage();
    feedZeroCopy(assembler, big, [5, 14, 5000]);
    expect(errors).toEqual([]);
    expect(frames).toEqual([toHex(KEEPALIVE), toHex(big)]);
    expect(assembler.stats().copiedBytes).toBe(19);
    expect(pool.stats().dropped).toBeGreaterThanOrEqual(1); // the old 4096-byte buffer
    assembler.finish();
    expect(pool.outstanding).toBe(0);
  });

  it('copy path: a whole frame larger than the held buffer goes through the bigger-buffer move', () => {
    const pool = new BufferPool();
    const big = opaqueFrame(2, 10_000, 1);
    const { assembler, frames, errors } = recording(pool);
    expect(assembler.readTarget().buffer.byteLength).toBe(4096); // a 4096-byte buffer is held
    pool.enableExtendedMessage();
    assembler.push(concatBytes([big, KEEPALIVE]));
    expect(errors).toEqual([]);
    expect(frames).toEqual([toHex(big), toHex(KEEPALIVE)]);
    assembler.finish();
    expect(pool.outstanding).toBe(0);
  });

  describe('header errors (RFC 4271 §6.1)', () => {
    const cases: Array<{ name: string; stream: Uint8Array; code: string; subcode: number; data: string }> = [
      {
        name: 'marker with one zero bit',
        stream: hex(`ffffffff ffffffff ffffffff fffffffe  0013 04   # marker byte 15 = fe`),
        code: 'ERR_FRAME_BAD_MARKER',
        subcode: 1,
        data: '',
      },
      {
        name: 'all-zero marker',
        stream: hex(`00000000 00000000 00000000 00000000  0013 04`),
        code: 'ERR_FRAME_BAD_MARKER',
        subcode: 1,
        data: '',
      },
      {
        name: 'length 18 (< 19)',
        stream: hex(`ffffffff ffffffff ffffffff ffffffff  0012 04   # length 18`),
        code: 'ERR_FRAME_BAD_LENGTH',
        subcode: 2,
        data: '0012',
      },
      {
        name: 'length 0',
        stream: hex(`ffffffff ffffffff ffffffff ffffffff  0000 02   # length 0`),
        code: 'ERR_FRAME_BAD_LENGTH',
        subcode: 2,
        data: '0000',
      },
      {
        name: 'length 4097 without Extended Message',
        stream: hex(`ffffffff ffffffff ffffffff ffffffff  1001 02   # length 4097`),
        code: 'ERR_FRAME_BAD_LENGTH',
        subcode: 2,
        data: '1001',
      },
      {
        name: 'length 65535 without Extended Message',
        stream: hex(`ffffffff ffffffff ffffffff ffffffff  ffff 02   # length 65535`),
        code: 'ERR_FRAME_BAD_LENGTH',
        subcode: 2,
        data: 'ffff',
      },
    ];

    for (const testCase of cases) {
      it(`${testCase.name} → 1/${testCase.subcode}, reported once, everything released`, () => {
        const pool = new BufferPool();
        const { assembler, frames, errors } = recording(pool);
        // a good frame first, then the bad header, then more good frames that must be ignored
        const stream = concatBytes([KEEPALIVE, testCase.stream, KEEPALIVE, KEEPALIVE]);
        expect(assembler.push(stream)).toBe(false);
        expect(frames).toEqual([toHex(KEEPALIVE)]);
        expect(errors).toHaveLength(1);
        const error = errors[0];
        expect(error).toBeInstanceOf(FrameError);
        if (!(error instanceof FrameError)) return;
        expect(error.code).toBe(testCase.code);
        expect(error.notification.code).toBe(1);
        expect(error.notification.subcode).toBe(testCase.subcode);
        expect(toHex(error.notification.data)).toBe(testCase.data);
        expect(assembler.stopped).toBe(true);
        expect(assembler.push(KEEPALIVE)).toBe(false);
        expect(assembler.readTarget().length).toBeGreaterThan(0); // never a 0-byte read (EOF)
        expect(errors).toHaveLength(1);
        expect(pool.outstanding).toBe(0);
      });
    }

    it('detects a bad marker on its first byte, before the header is complete', () => {
      const pool = new BufferPool();
      const { assembler, errors } = recording(pool);
      feedZeroCopy(assembler, hex('00'), [1]);
      expect(errors.map((e) => e.code)).toEqual(['ERR_FRAME_BAD_MARKER']);
      expect(pool.outstanding).toBe(0);
    });

    it('accepts 65535 once Extended Message is negotiated', () => {
      const pool = new BufferPool({ messageSize: 65535 });
      const { assembler, frames, errors } = recording(pool);
      assembler.push(opaqueFrame(2, 65535));
      expect(errors).toEqual([]);
      expect(frames).toHaveLength(1);
      assembler.finish();
      expect(pool.outstanding).toBe(0);
    });
  });

  describe('ownership (seed 003)', () => {
    it('keeps messages whose callback returns true; releases the others after the callback', () => {
      const pool = new BufferPool();
      const kept: PooledMessage[] = [];
      const seen: PooledMessage[] = [];
      const assembler = new FrameAssembler(pool, {
        onFrame: (message) => {
          seen.push(message);
          expect(message.refCount).toBe(1);
          if (message.type === 2) {
            kept.push(message);
            return true;
          }
          return false;
        },
      });
      assembler.push(concatBytes([KEEPALIVE, UPDATE, KEEPALIVE, UPDATE, KEEPALIVE]));
      expect(kept).toHaveLength(2);
      expect(pool.outstanding).toBe(2); // the copy path acquires the next buffer only when bytes come
      for (const message of kept) expect(message.bytes).toEqual(UPDATE);
      const released = seen.filter((message) => !kept.includes(message));
      // The last KEEPALIVE's object went back to the free list: a stale reference is detected.
      const inPool = released.filter((message) => message.released);
      expect(inPool.length).toBeGreaterThan(0);
      for (const message of inPool) expect(() => message.bytes).toThrow(BufferError);
      assembler.finish();
      for (const message of kept) message.release();
      expect(pool.outstanding).toBe(0);
    });

    it('a callback that acquires its own reference shares the message', () => {
      const pool = new BufferPool();
      const shared: PooledMessage[] = [];
      const assembler = new FrameAssembler(pool, {
        onFrame: (message) => {
          shared.push(message.acquire());
          // not kept: the assembler drops its reference, ours stays
        },
      });
      assembler.push(UPDATE);
      assembler.finish();
      expect(shared[0]?.refCount).toBe(1);
      expect(shared[0]?.bytes).toEqual(UPDATE);
      shared[0]?.release();
      expect(pool.outstanding).toBe(0);
    });

    it('a throwing callback becomes FrameHandlerError; the frame is released and reading stops', () => {
      const pool = new BufferPool();
      const errors: unknown[] = [];
      const boom = new Error('boom');
      const assembler = new FrameAssembler(pool, {
        onFrame: () => {
          throw boom;
        },
        onError: (error) => errors.push(error),
      });
      expect(assembler.push(concatBytes([KEEPALIVE, KEEPALIVE]))).toBe(false);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(FrameHandlerError);
      expect((errors[0] as FrameHandlerError).cause).toBe(boom);
      expect((errors[0] as FrameHandlerError).code).toBe('ERR_FRAME_HANDLER');
      expect(pool.outstanding).toBe(0);
    });

    it('a callback that releases a message it did not keep is reported, not crashed on', () => {
      const pool = new BufferPool();
      const errors: unknown[] = [];
      const assembler = new FrameAssembler(pool, {
        onFrame: (message) => {
          message.release();
        },
        onError: (error) => errors.push(error),
      });
      assembler.push(KEEPALIVE);
      expect(errors).toHaveLength(1);
      const cause = (errors[0] as FrameHandlerError).cause;
      expect(cause).toBeInstanceOf(BufferError);
      expect((cause as BufferError).code).toBe('ERR_BUFFER_DOUBLE_RELEASE');
      expect(pool.outstanding).toBe(0);
    });
  });

  it('finish() reports and releases a partial frame', () => {
    const pool = new BufferPool();
    const { assembler, frames } = recording(pool);
    assembler.push(concatBytes([KEEPALIVE, UPDATE.subarray(0, 30)]));
    expect(assembler.stats().pendingBytes).toBe(30);
    expect(pool.outstanding).toBe(1);
    expect(assembler.finish()).toBe(30);
    expect(frames).toEqual([toHex(KEEPALIVE)]);
    expect(pool.outstanding).toBe(0);
  });

  it('commit() beyond the last target is a caller bug: BufferError', () => {
    const pool = new BufferPool();
    const { assembler } = recording(pool, 'exact');
    assembler.readTarget();
    expect(() => assembler.commit(20)).toThrow(BufferError);
    const batched = recording(pool, 'batched').assembler;
    expect(() => batched.commit(1)).toThrow(BufferError); // no readTarget() yet
    batched.readTarget();
    expect(() => batched.commit(4097)).toThrow(BufferError);
    batched.finish();
    assembler.finish();
    expect(pool.outstanding).toBe(0);
  });

  it('property: any chunking of a valid frame stream yields the same frames', () => {
    const frameArb = fc
      .record({ type: fc.integer({ min: 1, max: 5 }), bodyLength: fc.integer({ min: 0, max: 600 }), seed: fc.nat(255) })
      .map(({ type, bodyLength, seed }) => opaqueFrame(type, 19 + bodyLength, seed));
    fc.assert(
      fc.property(
        fc.array(frameArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom('copy', 'batched', 'exact'),
        (frames, sizes, feed) => {
          const pool = new BufferPool();
          const stream = concatBytes(frames);
          const { assembler, frames: got, errors } = recording(pool, feed === 'exact' ? 'exact' : 'batched');
          if (feed !== 'copy') {
            feedZeroCopy(assembler, stream, sizes);
          } else {
            let offset = 0;
            for (let i = 0; offset < stream.length; i++) {
              const size = sizes[i % sizes.length] ?? 1;
              assembler.push(stream.subarray(offset, offset + size));
              offset += size;
            }
          }
          expect(errors).toEqual([]);
          expect(got).toEqual(frames.map(toHex));
          expect(assembler.finish()).toBe(0);
          expect(pool.outstanding).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: arbitrary bytes in any chunking never throw, report at most one error and leak nothing', () => {
    // Mostly-valid streams with mutations, plus pure noise, so both frames and errors occur.
    const mutated = fc
      .tuple(
        fc.array(fc.integer({ min: 0, max: 300 }).map((body) => opaqueFrame(2, 19 + body, body)), { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }),
      )
      .map(([frames, edits]) => {
        const stream = concatBytes(frames);
        for (const [at, value] of edits) if (stream.length > 0) stream[at % stream.length] = value;
        return stream;
      });
    fc.assert(
      fc.property(
        fc.oneof(mutated, fc.uint8Array({ maxLength: 2000 })),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 10 }),
        fc.constantFrom('copy', 'batched', 'exact'),
        (stream, sizes, feed) => {
          const pool = new BufferPool();
          const { assembler, frames, errors } = recording(pool, feed === 'exact' ? 'exact' : 'batched');
          if (feed === 'copy') {
            let offset = 0;
            for (let i = 0; offset < stream.length; i++) {
              const size = sizes[i % sizes.length] ?? 1;
              assembler.push(stream.subarray(offset, offset + size));
              offset += size;
            }
          } else {
            feedZeroCopy(assembler, stream, sizes);
          }
          expect(errors.length).toBeLessThanOrEqual(1);
          for (const error of errors) expect(error).toBeInstanceOf(FrameError);
          for (const frame of frames) {
            expect(frame.startsWith('ff'.repeat(16))).toBe(true);
            expect(Number.parseInt(frame.slice(32, 36), 16) * 2).toBe(frame.length);
          }
          assembler.finish();
          expect(pool.outstanding).toBe(0);
        },
      ),
      { numRuns: 400 },
    );
  });
});
