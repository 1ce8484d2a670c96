import { createReadStream } from 'node:fs';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import unbzip2 from 'unbzip2-stream';

/** What an {@link MrtReader} reads: a file path, a Readable, or any async iterable of byte chunks. */
export type MrtInput = string | Readable | AsyncIterable<Uint8Array>;

/** The compression an input was found to use (by its magic bytes). */
export type MrtCompression = 'none' | 'gzip' | 'bzip2';

/** RFC 1952 §2.3.1: gzip members start 1f 8b. */
function isGzip(b: Uint8Array): boolean {
  return b[0] === 0x1f && b[1] === 0x8b;
}

/** bzip2 streams start "BZh" + a block size digit '1'..'9'. */
function isBzip2(b: Uint8Array): boolean {
  return b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68 && (b[3] ?? 0x31) >= 0x31 && (b[3] ?? 0x31) <= 0x39;
}

/** Detects the compression from the first bytes of an input. */
export function detectCompression(head: Uint8Array): MrtCompression {
  if (isGzip(head)) return 'gzip';
  if (isBzip2(head)) return 'bzip2';
  return 'none';
}

const READ_CHUNK = 1 << 20;

function toIterable(input: MrtInput): AsyncIterable<Uint8Array> {
  if (typeof input === 'string') return createReadStream(input, { highWaterMark: READ_CHUNK });
  return input;
}

/**
 * The decompressed bytes of an MRT input, in chunks. gzip (also several
 * concatenated members, as RIS archives and `cat a.gz b.gz` produce) and bzip2
 * are recognised by their magic bytes and decompressed transparently; anything
 * else passes through. A decompression error is thrown from the iterator.
 */
export async function* decompressedChunks(input: MrtInput, onCompression?: (c: MrtCompression) => void): AsyncGenerator<Uint8Array> {
  const it = toIterable(input)[Symbol.asyncIterator]();
  // Collect at least 4 bytes to look at the magic.
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < 4) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const chunk = r.value instanceof Uint8Array ? r.value : Buffer.from(r.value as string);
    head.push(chunk);
    headBytes += chunk.length;
  }
  const first = head.length === 1 ? head[0]! : Buffer.concat(head);
  const compression = detectCompression(first);
  onCompression?.(compression);
  async function* raw(): AsyncGenerator<Uint8Array> {
    if (first.length) yield first;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      // A stream in string mode hands out strings: take them as bytes.
      yield r.value instanceof Uint8Array ? r.value : Buffer.from(r.value as string);
    }
  }
  if (compression === 'none') {
    yield* raw();
    return;
  }
  let failure: Error | undefined;
  let out: Readable;
  if (compression === 'gzip') {
    out = pipeline(Readable.from(raw(), { objectMode: false }), createGunzip({ chunkSize: 1 << 18 }), (err) => {
      if (err) failure = err;
    });
  } else {
    // unbzip2-stream is a classic (streams1) through-stream: pipe it into a
    // PassThrough to get an async-iterable Readable, forwarding errors by hand.
    const src = Readable.from(raw(), { objectMode: false });
    const bz = unbzip2();
    const pass = new PassThrough();
    src.on('error', (err: Error) => pass.destroy(err));
    bz.on('error', (err: Error) => pass.destroy(err));
    src.pipe(bz).pipe(pass);
    out = pass;
  }
  try {
    for await (const chunk of out as AsyncIterable<Uint8Array | string>) {
      yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    }
  } finally {
    out.destroy();
  }
  if (failure) throw failure;
}
