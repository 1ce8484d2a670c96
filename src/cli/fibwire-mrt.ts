#!/usr/bin/env node
/**
 * fibwire-mrt: reads MRT files (RFC 6396, RFC 8050; gzip/bzip2 transparent).
 *
 *   fibwire-mrt -m FILE        one line per route, exactly as `bgpdump -m` prints it
 *   fibwire-mrt -v -m FILE     the same, and damaged records reported on stderr (`bgpdump -v -m`)
 *   fibwire-mrt -m -l FILE     with the large communities field of `bgpdump -m -l`
 *   fibwire-mrt --json FILE    one JSON object per record (damaged records as MrtError objects)
 *
 * Options: --recover (resynchronise after damaged framing instead of stopping),
 * --keep-host-bits (prefix bits past the length as received, like bgpdump
 * 1.6.2), --max-record-length N. FILE may be `-` for stdin. Exit status: 0, or 2 when
 * the input had damaged records, 1 on a usage error.
 */
import { accessSync, constants } from 'node:fs';
import { BgpdumpFormatter } from '../bgp/mrt/bgpdump/formatter.js';
import { MrtError } from '../bgp/mrt/mrt-error.js';
import { decodeMrtRecord, type MrtDecodeState } from '../bgp/mrt/mrt-record.js';
import { MrtReader } from '../bgp/mrt/mrt-reader.js';
import type { MrtInput } from '../bgp/mrt/mrt-source.js';

const USAGE = `usage: fibwire-mrt [-m | --json] [-v] [-l] [-t dump|change] [--recover] [--keep-host-bits] [--max-record-length N] FILE|-
  -m        one line per entry, the format of bgpdump -m
  -v        report damaged records on stderr
  -l        with -m: a large communities field after the communities (bgpdump -l)
  -t change with -m: RIB lines carry each entry's originated time (bgpdump -t change)
  --json    one JSON object per record
  --recover resynchronise on the next plausible header after damaged framing
  --keep-host-bits  print UPDATE prefixes with the bits past their length as
            received (bgpdump 1.6.2 does; current bgpdump clears them)
`;

interface CliOptions {
  mode: 'm' | 'json';
  verbose: boolean;
  recover: boolean;
  keepHostBits: boolean;
  large: boolean;
  ribTime: 'dump' | 'change';
  maxRecordLength: number | undefined;
  file: string;
}

function parseArgs(argv: string[]): CliOptions | string {
  let mode: 'm' | 'json' | undefined;
  let verbose = false;
  let recover = false;
  let keepHostBits = false;
  let large = false;
  let ribTime: 'dump' | 'change' = 'dump';
  let maxRecordLength: number | undefined;
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') mode = 'json';
    else if (a === '--recover') recover = true;
    else if (a === '--keep-host-bits') keepHostBits = true;
    else if (a === '-t') {
      const t = argv[++i];
      if (t !== 'dump' && t !== 'change') return '-t takes dump or change';
      ribTime = t;
    }
    else if (a === '--max-record-length') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n <= 0) return 'bad --max-record-length';
      maxRecordLength = n;
    } else if (a === '-h' || a === '--help') return '';
    else if (/^-[mvlM]+$/.test(a)) {
      for (const ch of a.slice(1)) {
        if (ch === 'v') verbose = true;
        else if (ch === 'l') large = true;
        else if (ch === 'm') mode = 'm';
        else return `-${ch} is not supported (use -m)`;
      }
    } else if (a === '-' || !a.startsWith('-')) {
      if (file !== undefined) return 'exactly one FILE';
      file = a;
    } else return `unknown option ${a}`;
  }
  if (!mode) return 'choose -m or --json';
  if (file === undefined) return 'exactly one FILE';
  return { mode, verbose, recover, keepHostBits, large, ribTime, maxRecordLength, file };
}

const FLUSH_AT = 1 << 16;

/** Writes with back-pressure: resolves once the stream has room again. */
function write(text: string): Promise<void> | undefined {
  if (process.stdout.write(text)) return undefined;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  if (typeof opts === 'string') {
    if (opts) process.stderr.write(`fibwire-mrt: ${opts}\n`);
    process.stderr.write(USAGE);
    return opts ? 1 : 0;
  }
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // A closed pipe (`| head`) ends the program quietly.
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  if (opts.file !== '-') {
    try {
      accessSync(opts.file, constants.R_OK);
    } catch (e) {
      process.stderr.write(`fibwire-mrt: cannot open ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return 1;
    }
  }
  const input: MrtInput = opts.file === '-' ? process.stdin : opts.file;
  const reader = new MrtReader(input, { recover: opts.recover, maxRecordLength: opts.maxRecordLength });
  let errors = 0;
  const report = (e: MrtError): void => {
    errors++;
    if (opts.verbose) process.stderr.write(`fibwire-mrt: ${e.code} at offset ${e.offset ?? '?'}: ${e.message}\n`);
  };
  let out = '';
  if (opts.mode === 'm') {
    const fmt = new BgpdumpFormatter({ maskHostBits: !opts.keepHostBits, largeCommunities: opts.large, ribTime: opts.ribTime });
    // The formatter reads as bgpdump does (forgiving); a record it prints
    // nothing for is also run through the strict readers, so damage is reported.
    const state: MrtDecodeState = { peerIndex: undefined };
    for await (const batch of reader.rawBatches()) {
      for (const r of batch) {
        if (r instanceof MrtError) {
          report(r);
          continue;
        }
        const text = fmt.format(r);
        if (text === '' || (r.type === 13 && r.subtype === 1)) {
          try {
            decodeMrtRecord(r, state);
          } catch (e) {
            if (e instanceof MrtError) report(e);
            else throw e;
          }
        }
        out += text;
        if (out.length >= FLUSH_AT) {
          const p = write(out);
          out = '';
          if (p) await p;
        }
      }
    }
  } else {
    for await (const batch of reader.batches()) {
      for (const r of batch) {
        if (r instanceof MrtError) report(r);
        out += `${JSON.stringify(r)}\n`;
        if (out.length >= FLUSH_AT) {
          const p = write(out);
          out = '';
          if (p) await p;
        }
      }
    }
  }
  if (out) {
    const p = write(out);
    if (p) await p;
  }
  return errors ? 2 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`fibwire-mrt: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
