/**
 * FrameReader throughput over real loopback TCP (127.0.0.1): `onread` into
 * pool memory in `batched` mode (default) and `exact` mode (never copies, two
 * reads per message), against the copy path (`'data'` chunks copied into pool
 * memory), for small and large frames.
 * Prints one JSON line per figure and a table on stderr.
 * Run: `npx tsx bench/buffers-reader.ts`.
 */
import net from 'node:net';
import { BufferPool } from '../src/buffers/buffer-pool.js';
import { FrameReader, type FrameReaderOptions } from '../src/buffers/frame-reader.js';

const ROUNDS = 3;

function frame(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  bytes.fill(0xff, 0, 16);
  bytes[16] = length >>> 8;
  bytes[17] = length & 0xff;
  bytes[18] = 2;
  for (let i = 19; i < length; i++) bytes[i] = (seed + i) & 0xff;
  return bytes;
}

/** One stream of `count` frames of `size` bytes, written in 1 MiB chunks. */
function stream(count: number, size: number): Buffer {
  const one = frame(size, 7);
  const out = Buffer.alloc(count * size);
  for (let i = 0; i < count; i++) out.set(one, i * size);
  return out;
}

type Mode = 'onread-batched' | 'onread-exact' | 'data-copy';

async function measure(mode: Mode, data: Buffer, frames: number): Promise<number> {
  const pool = new BufferPool();
  let seen = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const options: FrameReaderOptions = {
    pool,
    onFrame: () => {
      if (++seen === frames) done();
    },
    onError: (error) => {
      throw error;
    },
    onClose: () => closed(),
  };
  let closed: () => void = () => undefined;
  const closing = new Promise<void>((resolve) => (closed = resolve));
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  let start = 0n;
  let reader: FrameReader | undefined;
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  let writer: net.Socket;
  if (mode !== 'data-copy') {
    const readMode = mode === 'onread-exact' ? 'exact' : 'batched';
    reader = FrameReader.connect({ host: '127.0.0.1', port: address.port }, { ...options, readMode });
    writer = await accepted;
  } else {
    writer = net.connect({ host: '127.0.0.1', port: address.port });
    reader = FrameReader.attach(await accepted, options);
    await new Promise<void>((resolve) => writer.once('connect', () => resolve()));
  }
  start = process.hrtime.bigint();
  for (let offset = 0; offset < data.length; offset += 1 << 20) writer.write(data.subarray(offset, offset + (1 << 20)));
  await finished;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  reader.socket.destroy();
  writer.destroy();
  await closing; // the reader releases its buffer on 'close'
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (pool.outstanding !== 0) throw new Error(`pool.outstanding ${pool.outstanding} after the run`);
  return seconds;
}

const cases = [
  { name: 'small-update', size: 100, count: 300_000 },
  { name: 'full-4096', size: 4096, count: 20_000 },
  { name: 'mixed-1000', size: 1000, count: 60_000 },
];
const rows: Array<Record<string, string | number>> = [];
for (const c of cases) {
  const data = stream(c.count, c.size);
  for (const mode of ['onread-batched', 'onread-exact', 'data-copy'] as const) {
    let best = Infinity;
    for (let round = 0; round < ROUNDS; round++) best = Math.min(best, await measure(mode, data, c.count));
    const row = {
      bench: 'buffers-reader',
      case: c.name,
      mode,
      frameBytes: c.size,
      frames: c.count,
      messagesPerSec: Math.round(c.count / best),
      mbPerSec: Math.round((data.length / best / 1e6) * 10) / 10,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
process.stderr.write('case          mode            msgs/s      MB/s\n');
for (const row of rows) {
  process.stderr.write(
    `${String(row['case']).padEnd(13)} ${String(row['mode']).padEnd(15)} ${String(row['messagesPerSec']).padStart(9)} ${String(row['mbPerSec']).padStart(8)}\n`,
  );
}
