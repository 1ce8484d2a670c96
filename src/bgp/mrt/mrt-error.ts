/** Codes of {@link MrtError}. */
export type MrtErrorCode =
  /** The input ended inside a record header or body (RFC 6396 §2 length runs past EOF). */
  | 'ERR_MRT_TRUNCATED'
  /** The header's length is larger than the configured cap: the framing cannot be trusted. */
  | 'ERR_MRT_RECORD_TOO_LARGE'
  /** A record body is shorter than its fixed fields, or a field inside it overruns the body. */
  | 'ERR_MRT_MALFORMED'
  /** A RIB entry names a peer index that the PEER_INDEX_TABLE does not have (RFC 6396 §4.3.4). */
  | 'ERR_MRT_UNKNOWN_PEER'
  /** A RIB record came before any PEER_INDEX_TABLE (RFC 6396 §4.3: it must come first). */
  | 'ERR_MRT_NO_PEER_INDEX'
  /** An address family the record type does not define. */
  | 'ERR_MRT_BAD_AFI'
  /** The compressed input is damaged (gzip/bzip2 stream error). */
  | 'ERR_MRT_DECOMPRESS'
  /** The input cannot be read (a file that does not open, a stream that fails). */
  | 'ERR_MRT_READ';

/** Where in the input an {@link MrtError} happened. */
export interface MrtErrorInit {
  readonly code: MrtErrorCode;
  readonly message: string;
  /** Byte offset of the record in the (decompressed) input. */
  readonly offset?: number;
  /** MRT type and subtype of the record, when the header was read. */
  readonly type?: number;
  readonly subtype?: number;
  /** Index of the record in the input (0-based), when known. */
  readonly recordIndex?: number;
  /** The underlying exception (a BgpError or a zlib error), when there is one. */
  readonly cause?: unknown;
}

/**
 * A damaged MRT input. The reader yields these as items (it does not throw),
 * so one bad record does not end a scan: reading goes on at the next record
 * whenever the framing (RFC 6396 §2 length field) still holds.
 *
 * @example
 * ```ts
 * for await (const item of new MrtReader('updates.gz')) {
 *   if (item instanceof MrtError) { console.warn(item.code, item.offset); continue; }
 *   handle(item);
 * }
 * ```
 */
export class MrtError extends Error {
  override readonly name = 'MrtError';
  readonly code: MrtErrorCode;
  readonly offset: number | undefined;
  readonly type: number | undefined;
  readonly subtype: number | undefined;
  readonly recordIndex: number | undefined;

  constructor(init: MrtErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.offset = init.offset;
    this.type = init.type;
    this.subtype = init.subtype;
    this.recordIndex = init.recordIndex;
  }

  /** JSON form for the CLI's `--json` output. */
  toJSON(): { error: 'MrtError'; code: MrtErrorCode; message: string; offset?: number; type?: number; subtype?: number } {
    return {
      error: 'MrtError',
      code: this.code,
      message: this.message,
      ...(this.offset !== undefined ? { offset: this.offset } : {}),
      ...(this.type !== undefined ? { type: this.type } : {}),
      ...(this.subtype !== undefined ? { subtype: this.subtype } : {}),
    };
  }
}
