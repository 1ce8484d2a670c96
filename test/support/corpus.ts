/**
 * Loaders for the external conformance data in `../shared/corpus` (never
 * copied into the repo). Each folder's README.txt describes its format; the
 * loaders below follow them. Tests call {@link corpusAvailable} first and skip,
 * loudly, only when the folder is absent.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseJson, type JsonValue } from './json.js';

/** The repository root (this file is test/support/corpus.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared/corpus` next to the repository, or `$FIBWIRE_CORPUS` when set. */
export const CORPUS_ROOT = process.env['FIBWIRE_CORPUS'] ?? path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

/** The corpus folders (see CORPUS_ROOT/README.txt). */
export type CorpusFolder = 'exabgp-qa' | 'ripe-bgpdump' | 'mrtparse-samples' | 'bgpkit-parser-fixtures' | 'gobgp-bad-len';

/** Absolute path inside a corpus folder. */
export function corpusPath(folder: CorpusFolder, ...parts: string[]): string {
  return path.join(CORPUS_ROOT, folder, ...parts);
}

/**
 * Undefined when the folder is there and readable; otherwise the reason it is
 * not, worded for a `console.warn` next to the skipped test.
 */
export function corpusAvailable(folder: CorpusFolder): string | undefined {
  const dir = corpusPath(folder);
  if (!existsSync(dir)) return `corpus folder ${dir} does not exist (external data, not part of the repo)`;
  if (!statSync(dir).isDirectory()) return `corpus path ${dir} is not a directory`;
  if (readdirSync(dir).length === 0) return `corpus folder ${dir} is empty`;
  return undefined;
}

/** Bytes from hex that may contain spaces or `:` separators (both corpora use them). */
export function bytesFromHex(text: string): Uint8Array {
  const digits = text.replace(/[\s:]/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not hex: ${text.slice(0, 60)}`);
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

/** True when bytes start with the 16-octet all-ones BGP marker (RFC 4271 §4.1). */
export function startsWithMarker(bytes: Uint8Array): boolean {
  if (bytes.length < 16) return false;
  for (let i = 0; i < 16; i++) if (bytes[i] !== 0xff) return false;
  return true;
}

// ── exabgp-qa/decoding ───────────────────────────────────────────────────

/** One ExaBGP decoding case: message kind and family, the bytes, the JSON ExaBGP printed. */
export interface ExabgpDecodingCase {
  readonly name: string;
  /** First word of line 1: `update`, `open` or `nlri`. */
  readonly kind: string;
  /** ExaBGP's AFI name (`ipv4`, `l2vpn`, `bgp-ls`, ...) or undefined when line 1 has none. */
  readonly afi: string | undefined;
  /** ExaBGP's SAFI name (`unicast`, `flow`, `evpn`, ...) or undefined. */
  readonly safi: string | undefined;
  readonly bytes: Uint8Array;
  /** True when `bytes` is a full message (marker first), false for a body without the 19-octet header. */
  readonly hasHeader: boolean;
  readonly expected: JsonValue;
}

/** Every case in exabgp-qa/decoding (README: line 1 kind/afi/safi, line 2 hex, line 3 JSON). */
export function loadExabgpDecodingCases(): ExabgpDecodingCase[] {
  const dir = corpusPath('exabgp-qa', 'decoding');
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const lines = readFileSync(path.join(dir, name), 'utf8').split('\n');
      const [kind = '', afi, safi] = (lines[0] ?? '').trim().split(/\s+/);
      const bytes = bytesFromHex(lines[1] ?? '');
      const jsonLine = lines[2];
      if (jsonLine === undefined || kind === '') throw new Error(`exabgp decoding case ${name}: expected 3 lines`);
      return { name, kind, afi, safi, bytes, hasHeader: startsWithMarker(bytes), expected: parseJson(jsonLine) };
    });
}

// ── exabgp-qa/encoding ───────────────────────────────────────────────────

/** One `N:raw:` message with the command that produced it and the JSON ExaBGP decodes it to. */
export interface ExabgpEncodedMessage {
  /** The `N` of the raw line (ExaBGP's connection index). */
  readonly index: number;
  /** 1-based line of the raw line in its .ci file. */
  readonly line: number;
  /** The nearest preceding `N:cmd:` (API command), if any. */
  readonly command: string | undefined;
  /** Wire bytes (the `:` separators stripped). */
  readonly bytes: Uint8Array;
  /** `N:json:` following the raw line, if any. */
  readonly json: JsonValue | undefined;
  /** `N:jsv4:` / `N:jsv6:` variants (older/newer ExaBGP JSON), if any. */
  readonly jsonVariants: Readonly<Record<string, JsonValue>>;
}

/** One .ci file: its session options and messages in order. */
export interface ExabgpEncodingFile {
  readonly name: string;
  /** `option:file:<conf>` → absolute path in exabgp-qa/conf, if given. */
  readonly confPath: string | undefined;
  /** Other `option:` lines without the prefix, e.g. `asn:65000`, `open:send-unknown-message`. */
  readonly options: readonly string[];
  readonly messages: readonly ExabgpEncodedMessage[];
}

/** Every `*.ci` file in exabgp-qa/encoding (`skip-*.conf` are not test vectors). */
export function loadExabgpEncodingFiles(): ExabgpEncodingFile[] {
  const dir = corpusPath('exabgp-qa', 'encoding');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ci'))
    .sort()
    .map((name) => parseExabgpCi(name, readFileSync(path.join(dir, name), 'utf8')));
}

/** Parse one .ci text (exported for tests of the parser itself). */
export function parseExabgpCi(name: string, text: string): ExabgpEncodingFile {
  let confPath: string | undefined;
  const options: string[] = [];
  const messages: Array<{
    index: number;
    line: number;
    command: string | undefined;
    bytes: Uint8Array;
    json: JsonValue | undefined;
    jsonVariants: Record<string, JsonValue>;
  }> = [];
  let command: string | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('option:')) {
      const option = line.slice('option:'.length);
      if (option.startsWith('file:')) confPath = corpusPath('exabgp-qa', 'conf', option.slice('file:'.length));
      else options.push(option);
      return;
    }
    const match = /^(\d+):([a-z0-9]+):(.*)$/.exec(line);
    if (match === null) throw new Error(`${name}:${i + 1}: unrecognised line ${line.slice(0, 60)}`);
    const [, index = '0', tag = '', value = ''] = match;
    const last = messages[messages.length - 1];
    if (tag === 'cmd') {
      command = value;
    } else if (tag === 'raw') {
      messages.push({ index: Number(index), line: i + 1, command, bytes: bytesFromHex(value), json: undefined, jsonVariants: {} });
    } else if (tag === 'json' && last !== undefined) {
      last.json = parseJson(value);
    } else if (tag.startsWith('jsv') && last !== undefined) {
      last.jsonVariants[tag] = parseJson(value);
    } else {
      throw new Error(`${name}:${i + 1}: ${tag} line without a preceding raw line`);
    }
  });
  return { name, confPath, options, messages };
}

/**
 * What an ExaBGP neighbor config says about the negotiated session, as far as
 * decoding its messages needs it. A best-effort reading of the few statements
 * the qa configs use (not an ExaBGP config parser): first `local-as` /
 * `peer-as` in the file (templates included), `capability { asn4 disable; }`,
 * `capability { add-path <dir>; }` plus the `add-path { ... }` and
 * `family { ... }` blocks.
 */
export interface ExabgpSessionSummary {
  readonly localAs: number | undefined;
  readonly peerAs: number | undefined;
  /** False when `asn4 disable` appears (RFC 6793 not negotiated). */
  readonly asn4: boolean;
  /** `send`, `receive` or `send/receive` from the capability block, if any. */
  readonly addPath: string | undefined;
  /** Families of the `add-path { }` block, else of `family { }` when add-path is on; `afi safi` strings. */
  readonly addPathFamilies: readonly string[];
  /** Families of the `family { }` block (empty when absent: ExaBGP then uses its defaults). */
  readonly families: readonly string[];
}

function blockLines(text: string, keyword: string): string[] {
  const match = new RegExp(`(?:^|\\s)${keyword}\\s*\\{([^}]*)\\}`).exec(text);
  if (match?.[1] === undefined) return [];
  return match[1]
    .split(';')
    .map((line) => line.replace(/#.*$/gm, '').trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '');
}

/** Read the session facts of an exabgp-qa/conf file (see {@link ExabgpSessionSummary}). */
export function readExabgpSession(confPath: string): ExabgpSessionSummary {
  const text = readFileSync(confPath, 'utf8').replace(/#.*$/gm, '');
  const number = (keyword: string): number | undefined => {
    const match = new RegExp(`\\b${keyword}\\s+(\\d+)\\s*;`).exec(text);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  const capability = blockLines(text, 'capability');
  const addPathLine = capability.find((line) => line.startsWith('add-path '));
  const addPath = addPathLine?.slice('add-path '.length);
  const families = blockLines(text, 'family');
  const addPathBlock = blockLines(text, 'add-path');
  return {
    localAs: number('local-as'),
    peerAs: number('peer-as'),
    asn4: !capability.some((line) => line === 'asn4 disable'),
    addPath,
    addPathFamilies: addPath === undefined ? [] : addPathBlock.length > 0 ? addPathBlock : families,
    families,
  };
}

// ── ripe-bgpdump ─────────────────────────────────────────────────────────

/** An MRT input with the `bgpdump -vm` output RIPE's test suite expects for it. */
export interface RipeBgpdumpPair {
  readonly name: string;
  /** gzip'd MRT file (feed it to an MRT reader as is). */
  readonly inputPath: string;
  /** gzip'd expected output. */
  readonly expectedPath: string;
  /** The expected `bgpdump -vm` lines, gunzipped, without the trailing empty line. */
  expectedLines(): string[];
  /** The MRT bytes, gunzipped. */
  inputBytes(): Uint8Array;
}

/** Every pair test_data/<f> + test_expect/<f>.bgp.gz. */
export function loadRipeBgpdumpPairs(): RipeBgpdumpPair[] {
  const dataDir = corpusPath('ripe-bgpdump', 'test_data');
  const expectDir = corpusPath('ripe-bgpdump', 'test_expect');
  return readdirSync(dataDir)
    .sort()
    .filter((name) => existsSync(path.join(expectDir, `${name}.bgp.gz`)))
    .map((name) => {
      const inputPath = path.join(dataDir, name);
      const expectedPath = path.join(expectDir, `${name}.bgp.gz`);
      return {
        name,
        inputPath,
        expectedPath,
        expectedLines: () => {
          const text = gunzipSync(readFileSync(expectedPath)).toString('utf8');
          const lines = text.split('\n');
          if (lines[lines.length - 1] === '') lines.pop();
          return lines;
        },
        inputBytes: () => new Uint8Array(gunzipSync(readFileSync(inputPath))),
      };
    });
}

// ── gobgp-bad-len ────────────────────────────────────────────────────────

/** A raw message that must be rejected with a typed error. */
export interface GobgpBadMessage {
  readonly name: string;
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Every fuzzer-found message in gobgp-bad-len (files named by their SHA-1). */
export function loadGobgpBadLenMessages(): GobgpBadMessage[] {
  const dir = corpusPath('gobgp-bad-len');
  return readdirSync(dir)
    .filter((name) => /^[0-9a-f]{40}$/.test(name))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      return { name, path: file, bytes: new Uint8Array(readFileSync(file)) };
    });
}

// ── mrtparse-samples ─────────────────────────────────────────────────────

/** One raw MRT dump from a real daemon. */
export interface MrtparseSample {
  readonly name: string;
  readonly path: string;
  /** The daemon: `bird`, `bird6`, `openbgpd` or `quagga` (from the file name). */
  readonly producer: string;
  /** The daemon config used to produce it, when shipped alongside. */
  readonly confPath: string | undefined;
}

/** Every MRT sample (everything but LICENSE, README.* and *.conf). */
export function loadMrtparseSamples(): MrtparseSample[] {
  const dir = corpusPath('mrtparse-samples');
  const names = readdirSync(dir);
  return names
    .filter((name) => name !== 'LICENSE' && !name.startsWith('README') && !name.endsWith('.conf'))
    .sort()
    .map((name) => {
      const producer = name.split(/[-_]/)[0] ?? name;
      // bird-mrtdump_bgp was made with bird-mrtdump.conf, bird_bgp with bird.conf, ...
      const stem = name.replace(/_[^_]*$/, '').replace(/_rib_table.*$/, '');
      const conf = [`${stem}.conf`, `${producer}.conf`].find((candidate) => names.includes(candidate));
      return { name, path: path.join(dir, name), producer, confPath: conf === undefined ? undefined : path.join(dir, conf) };
    });
}

// ── bgpkit-parser-fixtures ───────────────────────────────────────────────

/** A bgpkit-parser fixture file. */
export interface BgpkitFixture {
  /** Path relative to the folder, e.g. `ripe/rrc00/2000.03/updates.20000325.0345.gz`. */
  readonly name: string;
  readonly path: string;
  readonly kind: 'mrt' | 'pcap';
  readonly compression: 'gzip' | 'bzip2' | 'none';
}

/** Every data file under bgpkit-parser-fixtures (READMEs and LICENSE excluded). */
export function loadBgpkitFixtures(): BgpkitFixture[] {
  const root = corpusPath('bgpkit-parser-fixtures');
  const out: BgpkitFixture[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        continue;
      }
      if (entry.name === 'LICENSE' || /^README/.test(entry.name)) continue;
      const kind = /\.(pcap|pcapng|cap)$/.test(entry.name) ? 'pcap' : 'mrt';
      const compression = entry.name.endsWith('.gz') ? 'gzip' : entry.name.endsWith('.bz2') ? 'bzip2' : 'none';
      out.push({ name: path.relative(root, full), path: full, kind, compression });
    }
  };
  walk(root);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
