import { describe, expect, it } from 'vitest';
import { BufferError } from '../../src/buffers/buffer-error.js';
import { BufferPool } from '../../src/buffers/buffer-pool.js';
import { KEEPALIVE, OPEN, opaqueFrame } from '../support/bgp-frames.js';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error: unknown) {
    return error instanceof BufferError ? error.code : `not a BufferError: ${String(error)}`;
  }
  return undefined;
}

describe('BufferPool', () => {
  it('hands out 4096-byte buffers until Extended Message, 65535 after (RFC 4271 §4.1, RFC 8654)', () => {
    const pool = new BufferPool();
    const before = pool.acquire();
    expect(before.capacity).toBe(4096);
    pool.enableExtendedMessage();
    const after = pool.acquire();
    expect(after.capacity).toBe(65535);
    expect(pool.messageSize).toBe(65535);
    before.release();
    after.release();
    expect(pool.outstanding).toBe(0);
  });

  it('counts allocated, reused, peak and outstanding', () => {
    const pool = new BufferPool();
    const a = pool.acquire();
    const b = pool.acquire();
    const c = pool.acquire();
    expect(pool.stats()).toMatchObject({ outstanding: 3, peakOutstanding: 3, allocated: 3, reused: 0, free: 0 });
    a.release();
    b.release();
    expect(pool.stats()).toMatchObject({ outstanding: 1, free: 2 });
    const d = pool.acquire();
    const e = pool.acquire();
    const f = pool.acquire();
    expect(pool.stats()).toMatchObject({ outstanding: 4, peakOutstanding: 4, allocated: 4, reused: 2, free: 0 });
    for (const message of [c, d, e, f]) message.release();
    expect(pool.stats()).toMatchObject({ outstanding: 0, free: 4, dropped: 0 });
    expect(pool.outstanding).toBe(0);
  });

  it('reuses the same objects (no new allocation in steady state)', () => {
    const pool = new BufferPool();
    const first = pool.acquire();
    first.release();
    const again = pool.acquire();
    expect(again).toBe(first);
    expect(again.generation).toBe(2);
    again.release();
    expect(pool.stats()).toMatchObject({ allocated: 1, reused: 1 });
    expect(pool.outstanding).toBe(0);
  });

  it('bounds the free list and counts what it drops', () => {
    const pool = new BufferPool({ maxFree: 2 });
    const held = [pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()];
    for (const message of held) message.release();
    expect(pool.stats()).toMatchObject({ free: 2, dropped: 3, outstanding: 0 });
    const none = new BufferPool({ maxFree: 0 });
    none.acquire().release();
    expect(none.stats()).toMatchObject({ free: 0, dropped: 1, allocated: 1 });
    expect(pool.outstanding).toBe(0);
    expect(none.outstanding).toBe(0);
  });

  it('drops buffers of the old size after a switch instead of reusing them', () => {
    const pool = new BufferPool();
    const inFlight = pool.acquire();
    const idle = pool.acquire();
    idle.release();
    expect(pool.stats().free).toBe(1);
    pool.setMessageSize(65535);
    // The idle 4096-byte buffer is dropped at once ...
    expect(pool.stats()).toMatchObject({ free: 0, dropped: 1 });
    // ... the one in flight stays usable and is dropped on release.
    inFlight.buffer.set(KEEPALIVE);
    inFlight.setLength(KEEPALIVE.length);
    expect(inFlight.type).toBe(4);
    inFlight.release();
    expect(pool.stats()).toMatchObject({ free: 0, dropped: 2, outstanding: 0 });
    const fresh = pool.acquire();
    expect(fresh.capacity).toBe(65535);
    expect(fresh).not.toBe(inFlight);
    fresh.release();
    expect(pool.stats()).toMatchObject({ free: 1, allocated: 3 });
    expect(pool.outstanding).toBe(0);
  });

  it('setting the same size again keeps the free list', () => {
    const pool = new BufferPool();
    pool.acquire().release();
    pool.setMessageSize(4096);
    expect(pool.stats()).toMatchObject({ free: 1, dropped: 0 });
    expect(pool.outstanding).toBe(0);
  });

  it.each([
    ['below RFC 4271 minimum', 4095],
    ['above 16-bit length', 65536],
    ['not an integer', 5000.5],
    ['NaN', Number.NaN],
  ])('rejects message size %s', (_name, size) => {
    expect(codeOf(() => new BufferPool({ messageSize: size }))).toBe('ERR_BUFFER_BAD_SIZE');
    const pool = new BufferPool();
    expect(codeOf(() => pool.setMessageSize(size))).toBe('ERR_BUFFER_BAD_SIZE');
    expect(pool.messageSize).toBe(4096);
    expect(pool.outstanding).toBe(0);
  });

  it('rejects a negative or fractional maxFree', () => {
    expect(codeOf(() => new BufferPool({ maxFree: -1 }))).toBe('ERR_BUFFER_BAD_SIZE');
    expect(codeOf(() => new BufferPool({ maxFree: 1.5 }))).toBe('ERR_BUFFER_BAD_SIZE');
  });

  it('copyFrom copies a frame and exposes exactly its bytes', () => {
    const pool = new BufferPool();
    const message = pool.copyFrom(OPEN);
    expect(message.length).toBe(45);
    expect(message.bytes).toEqual(OPEN);
    expect(message.bytes.buffer).toBe(message.buffer.buffer); // a view of pool memory
    expect(message.type).toBe(1);
    expect(message.headerLength).toBe(45);
    expect(message.payload).toEqual(OPEN.subarray(19));
    message.release();
    expect(pool.outstanding).toBe(0);
  });

  it('copyFrom refuses frames that do not fit, without leaking', () => {
    const pool = new BufferPool();
    expect(codeOf(() => pool.copyFrom(opaqueFrame(2, 4097)))).toBe('ERR_BUFFER_BAD_LENGTH');
    expect(codeOf(() => pool.copyFrom(KEEPALIVE.subarray(0, 18)))).toBe('ERR_BUFFER_BAD_LENGTH');
    expect(pool.stats()).toMatchObject({ outstanding: 0, allocated: 0 });
    pool.enableExtendedMessage();
    const big = pool.copyFrom(opaqueFrame(2, 65535, 7));
    expect(big.length).toBe(65535);
    expect(big.bytes[65534]).toBe((7 + 65534) & 0xff);
    big.release();
    expect(pool.outstanding).toBe(0);
  });
});
