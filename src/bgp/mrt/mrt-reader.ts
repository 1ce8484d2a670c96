import { MrtError } from './mrt-error.js';
import { MrtFramer, type MrtFramerOptions, type MrtRawRecord } from './mrt-framer.js';
import { decodeMrtRecord, type MrtDecodeState, type MrtRecord } from './mrt-record.js';
import { decompressedChunks, type MrtCompression, type MrtInput } from './mrt-source.js';

/** Options of {@link MrtReader}. */
export type MrtReaderOptions = MrtFramerOptions;

/** Counters an {@link MrtReader} keeps while reading. */
export interface MrtReaderStats {
  records: number;
  errors: number;
  bytes: number;
  compression: MrtCompression | undefined;
}

/**
 * Reads MRT (RFC 6396, RFC 8050) from a file path or a stream, gzip and bzip2
 * transparent, as an async iterator of decoded records. A damaged record
 * comes out as an {@link MrtError} item (never thrown), and reading goes on
 * with the next record whenever the framing still holds; damaged framing
 * (a length beyond `maxRecordLength`) ends the stream with an error item, or
 * with `recover: true` resynchronises on the next plausible header.
 *
 * TABLE_DUMP_V2 RIB records resolve their peers through the last
 * PEER_INDEX_TABLE read. Records are views into the input chunks: they stay
 * valid as long as they are referenced (nothing is reused).
 *
 * @example
 * ```ts
 * import { MrtReader, MrtError } from 'fibwire';
 * for await (const rec of new MrtReader('updates.20160811.1600.gz')) {
 *   if (rec instanceof MrtError) console.warn(rec.code);
 *   else if (rec.kind === 'bgp4mp-message') console.log(rec.peerIp, rec.messageType);
 * }
 * ```
 */
export class MrtReader implements AsyncIterable<MrtRecord | MrtError> {
  private readonly input: MrtInput;
  private readonly options: MrtReaderOptions;
  readonly stats: MrtReaderStats = { records: 0, errors: 0, bytes: 0, compression: undefined };
  private used = false;

  constructor(input: MrtInput, options: MrtReaderOptions = {}) {
    this.input = input;
    this.options = options;
  }

  /**
   * Framed but undecoded records, in batches (one per input chunk): the
   * cheapest way through a file. Errors of framing and decompression are
   * items too.
   */
  async *rawBatches(): AsyncGenerator<(MrtRawRecord | MrtError)[]> {
    if (this.used) throw new Error('an MrtReader can be iterated once');
    this.used = true;
    const framer = new MrtFramer(this.options);
    const drain = (): (MrtRawRecord | MrtError)[] => {
      const out: (MrtRawRecord | MrtError)[] = [];
      for (let r = framer.next(); r !== undefined; r = framer.next()) {
        if (r instanceof MrtError) this.stats.errors++;
        out.push(r);
      }
      return out;
    };
    let failure: MrtError | undefined;
    try {
      for await (const chunk of decompressedChunks(this.input, (c) => (this.stats.compression = c))) {
        this.stats.bytes += chunk.length;
        framer.push(chunk);
        const batch = drain();
        if (batch.length) yield batch;
        if (framer.isStopped) break;
      }
    } catch (e) {
      // An errno-style error (ENOENT, EIO...) is I/O; anything else came from the decompressor.
      const io = e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === 'string';
      failure = new MrtError({
        code: io ? 'ERR_MRT_READ' : 'ERR_MRT_DECOMPRESS',
        message: `${io ? 'cannot read the input' : 'cannot decompress the input'}: ${e instanceof Error ? e.message : String(e)}`,
        offset: this.stats.bytes,
        cause: e,
      });
    }
    framer.end();
    const tail = drain();
    if (failure) {
      this.stats.errors++;
      tail.push(failure);
    }
    if (tail.length) yield tail;
  }

  /** Decoded records and errors, in batches (fewer awaits than record-by-record iteration). */
  async *batches(): AsyncGenerator<(MrtRecord | MrtError)[]> {
    const state: MrtDecodeState = { peerIndex: undefined };
    for await (const raws of this.rawBatches()) {
      const out: (MrtRecord | MrtError)[] = new Array<MrtRecord | MrtError>(raws.length);
      for (let i = 0; i < raws.length; i++) {
        const raw = raws[i]!;
        if (raw instanceof MrtError) {
          out[i] = raw;
          continue;
        }
        try {
          out[i] = decodeMrtRecord(raw, state);
          this.stats.records++;
        } catch (e) {
          this.stats.errors++;
          out[i] = e instanceof MrtError ? e : new MrtError({ code: 'ERR_MRT_MALFORMED', message: String(e), offset: raw.offset, type: raw.type, subtype: raw.subtype, recordIndex: raw.index, cause: e });
        }
      }
      yield out;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<MrtRecord | MrtError> {
    for await (const batch of this.batches()) yield* batch;
  }
}
