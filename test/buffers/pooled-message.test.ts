import { describe, expect, it } from 'vitest';
import { BufferError } from '../../src/buffers/buffer-error.js';
import { BufferPool } from '../../src/buffers/buffer-pool.js';
import { PIN, UNPIN } from '../../src/buffers/pooled-message.js';
import { KEEPALIVE, UPDATE } from '../support/bgp-frames.js';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error: unknown) {
    return error instanceof BufferError ? error.code : `not a BufferError: ${String(error)}`;
  }
  return undefined;
}

describe('PooledMessage', () => {
  it('starts with one reference and returns to the pool at zero', () => {
    const pool = new BufferPool();
    const message = pool.copyFrom(UPDATE);
    expect(message.refCount).toBe(1);
    expect(message.acquire()).toBe(message);
    expect(message.refCount).toBe(2);
    expect(message.release()).toBe(false);
    expect(pool.outstanding).toBe(1);
    expect(message.release()).toBe(true);
    expect(message.released).toBe(true);
    expect(pool.stats().free).toBe(1);
    expect(pool.outstanding).toBe(0);
  });

  it('a double release throws ERR_BUFFER_DOUBLE_RELEASE and changes nothing', () => {
    const pool = new BufferPool();
    const message = pool.copyFrom(KEEPALIVE);
    message.release();
    expect(codeOf(() => message.release())).toBe('ERR_BUFFER_DOUBLE_RELEASE');
    expect(pool.stats()).toMatchObject({ outstanding: 0, free: 1 });
    // the pool still hands the object out exactly once
    const again = pool.acquire();
    const other = pool.acquire();
    expect(other).not.toBe(again);
    again.release();
    other.release();
    expect(pool.outstanding).toBe(0);
  });

  it.each([
    ['bytes', (m: { bytes: Uint8Array }) => m.bytes],
    ['buffer', (m: { buffer: Uint8Array }) => m.buffer],
    ['length', (m: { length: number }) => m.length],
    ['type', (m: { type: number }) => m.type],
    ['payload', (m: { payload: Uint8Array }) => m.payload],
    ['headerLength', (m: { headerLength: number }) => m.headerLength],
    ['acquire()', (m: { acquire(): unknown }) => m.acquire()],
    ['setLength()', (m: { setLength(n: number): void }) => m.setLength(19)],
  ])('use after release of %s throws ERR_BUFFER_USE_AFTER_RELEASE', (_name, use) => {
    const pool = new BufferPool();
    const message = pool.copyFrom(UPDATE);
    message.release();
    expect(codeOf(() => use(message))).toBe('ERR_BUFFER_USE_AFTER_RELEASE');
    expect(pool.outstanding).toBe(0);
  });

  it('resets metadata (flags, required capabilities) when recycled', () => {
    const pool = new BufferPool();
    const message = pool.copyFrom(UPDATE);
    message.flags = 0b101;
    message.requiredCapsLow = 0xdeadbeef;
    message.requiredCapsHigh = 0x3;
    message.release();
    const reused = pool.acquire();
    expect(reused).toBe(message);
    expect([reused.flags, reused.requiredCapsLow, reused.requiredCapsHigh, reused.length]).toEqual([0, 0, 0, 0]);
    expect(reused.bytes.length).toBe(0);
    expect(reused.type).toBe(0); // no header yet
    reused.release();
    expect(pool.outstanding).toBe(0);
  });

  it('setLength bounds the frame view to the buffer', () => {
    const pool = new BufferPool();
    const message = pool.acquire();
    message.buffer.set(KEEPALIVE);
    message.setLength(19);
    expect(message.bytes).toEqual(KEEPALIVE);
    expect(message.payload.length).toBe(0);
    expect(codeOf(() => message.setLength(4097))).toBe('ERR_BUFFER_BAD_LENGTH');
    expect(codeOf(() => message.setLength(-1))).toBe('ERR_BUFFER_BAD_LENGTH');
    expect(codeOf(() => message.setLength(1.5))).toBe('ERR_BUFFER_BAD_LENGTH');
    expect(message.length).toBe(19);
    message.release();
    expect(pool.outstanding).toBe(0);
  });

  it('a pinned message looks released at zero but reaches the pool only when unpinned (internal)', () => {
    const pool = new BufferPool();
    const message = pool.copyFrom(UPDATE);
    message[PIN]();
    expect(message.release()).toBe(true);
    expect(message.released).toBe(true);
    expect(codeOf(() => message.bytes)).toBe('ERR_BUFFER_USE_AFTER_RELEASE');
    expect(pool.stats()).toMatchObject({ outstanding: 1, free: 0 }); // memory not handed out yet
    const other = pool.acquire();
    expect(other).not.toBe(message);
    message[UNPIN]();
    expect(pool.stats()).toMatchObject({ outstanding: 1, free: 1 });
    message[UNPIN](); // unbalanced unpin is a no-op
    other.release();
    expect(pool.outstanding).toBe(0);
  });
});
