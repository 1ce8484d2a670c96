/**
 * tshark as a second opinion on BGP bytes (test harness, no fibwire codec
 * involved): raw messages → hex dump → `text2pcap -T 1179,179` (dummy
 * Ethernet/IPv4/TCP headers, port 1179 → 179) → `tshark -d tcp.port==179,bgp
 * -T json --no-duplicate-keys` → one parsed BGP layer per message.
 *
 * Known limit (tshark 4.0, Debian 12): the BGP dissector does not implement
 * RFC 8654, so a message longer than 4096 bytes is still framed and reported
 * with its `bgp.length`, but flagged `bgp.length.invalid` and not decoded
 * further. Compare extended messages field by field only with a newer tshark.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from './json.js';

const run = promisify(execFile);

/** One BGP message as tshark's JSON output shows it (field name → value or subtree). */
export type TsharkBgpLayer = JsonObject;

/** Options for {@link decodeWithTshark}. */
export interface TsharkOptions {
  /**
   * How many consecutive messages share one TCP segment (default 1). tshark
   * splits a segment holding several BGP messages into several BGP layers.
   */
  readonly messagesPerSegment?: number;
  /**
   * Largest TCP payload per packet (default 16000, well under the 65535-byte
   * IPv4 limit of text2pcap's dummy headers). Longer payloads are cut into
   * several segments; tshark reassembles BGP messages across them.
   */
  readonly maxSegmentBytes?: number;
}

/** Why the harness could not produce one layer per message. */
export class TsharkHarnessError extends Error {
  override readonly name = 'TsharkHarnessError';

  constructor(
    readonly code: 'ERR_TSHARK_RUN' | 'ERR_TSHARK_OUTPUT' | 'ERR_TSHARK_COUNT',
    message: string,
    /** Whatever BGP layers tshark did report, for diagnosis. */
    readonly layers: readonly TsharkBgpLayer[] = [],
  ) {
    super(message);
  }
}

/** text2pcap builds IPv4 packets: keep each TCP payload well under the 65535-byte IP limit. */
const DEFAULT_MAX_SEGMENT_BYTES = 16_000;

let availability: string | null | undefined;

/**
 * Why tshark/text2pcap cannot be used here, or undefined when both run.
 * Debian: `apt-get install -y --no-install-recommends tshark` (text2pcap
 * comes with it). Cached for the process.
 */
export function tsharkUnavailableReason(): string | undefined {
  if (availability === undefined) {
    availability = null;
    for (const tool of ['tshark', 'text2pcap']) {
      const probe = spawnSync(tool, ['-v'], { encoding: 'utf8', timeout: 30_000 });
      if (probe.error !== undefined || probe.status !== 0) {
        const why = probe.error?.message ?? `exit status ${String(probe.status)}`;
        availability = `${tool} is not usable (${why}); install the Debian package tshark`;
        break;
      }
    }
  }
  return availability ?? undefined;
}

/** True when both `tshark` and `text2pcap` run on this machine. */
export function tsharkAvailable(): boolean {
  return tsharkUnavailableReason() === undefined;
}

/** text2pcap's input format: per packet, lines of `offset byte byte ...`, offsets restarting at 0. */
export function toText2pcapHexDump(packets: readonly Uint8Array[]): string {
  const lines: string[] = [];
  for (const packet of packets) {
    for (let offset = 0; offset < packet.length; offset += 16) {
      const row = Array.from(packet.subarray(offset, offset + 16), (byte) => byte.toString(16).padStart(2, '0'));
      lines.push(`${offset.toString(16).padStart(6, '0')} ${row.join(' ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Group messages into TCP payloads: `perSegment` messages each, large payloads cut into pieces. */
function segments(messages: readonly Uint8Array[], perSegment: number, maxSegmentBytes: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < messages.length; i += perSegment) {
    const group = messages.slice(i, i + perSegment);
    const payload = new Uint8Array(group.reduce((sum, message) => sum + message.length, 0));
    let offset = 0;
    for (const message of group) {
      payload.set(message, offset);
      offset += message.length;
    }
    // tshark reassembles a BGP message spread over several segments (tcp_dissect_pdus).
    for (let cut = 0; cut < payload.length; cut += maxSegmentBytes) {
      out.push(payload.subarray(cut, cut + maxSegmentBytes));
    }
  }
  return out;
}

/** All BGP layers of tshark's `-T json` output, in packet order. */
function bgpLayers(output: JsonValue): TsharkBgpLayer[] {
  if (!Array.isArray(output)) throw new TsharkHarnessError('ERR_TSHARK_OUTPUT', 'tshark JSON is not an array of packets');
  const layers: TsharkBgpLayer[] = [];
  for (const packet of output) {
    if (!isJsonObject(packet)) continue;
    const source = packet['_source'];
    const packetLayers = isJsonObject(source) ? source['layers'] : undefined;
    if (!isJsonObject(packetLayers)) continue;
    const bgp = packetLayers['bgp'];
    if (bgp === undefined) continue;
    // --no-duplicate-keys: several messages in one segment become an array
    // and bytes tshark could not frame as a message show up as {"bgp.continuation": ""}.
    for (const layer of Array.isArray(bgp) ? bgp : [bgp]) {
      if (isJsonObject(layer) && layer['bgp.marker'] !== undefined) layers.push(layer);
    }
  }
  return layers;
}

/**
 * Decode raw BGP messages (marker included) with tshark and return its BGP
 * layer for each one, in order. Throws {@link TsharkHarnessError} when tshark
 * fails or does not report exactly one BGP layer per message.
 */
export async function decodeWithTshark(
  messages: readonly Uint8Array[],
  options: TsharkOptions = {},
): Promise<TsharkBgpLayer[]> {
  const perSegment = options.messagesPerSegment ?? 1;
  const maxSegmentBytes = options.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES;
  if (!Number.isInteger(perSegment) || perSegment < 1) throw new RangeError('messagesPerSegment must be >= 1');
  if (!Number.isInteger(maxSegmentBytes) || maxSegmentBytes < 1 || maxSegmentBytes > 60_000) {
    throw new RangeError('maxSegmentBytes must be in 1..60000');
  }
  if (messages.length === 0) return [];
  const dir = await mkdtemp(path.join(tmpdir(), 'fibwire-tshark-'));
  try {
    const dump = path.join(dir, 'messages.txt');
    const pcap = path.join(dir, 'messages.pcap');
    await writeFile(dump, toText2pcapHexDump(segments(messages, perSegment, maxSegmentBytes)));
    let stdout: string;
    try {
      await run('text2pcap', ['-q', '-T', '1179,179', dump, pcap], { timeout: 60_000 });
      ({ stdout } = await run('tshark', ['-r', pcap, '-d', 'tcp.port==179,bgp', '-T', 'json', '--no-duplicate-keys'], {
        timeout: 120_000,
        maxBuffer: 256 * 1024 * 1024,
      }));
    } catch (error: unknown) {
      throw new TsharkHarnessError('ERR_TSHARK_RUN', `text2pcap/tshark failed: ${String(error)}`);
    }
    const layers = bgpLayers(parseJson(stdout));
    if (layers.length !== messages.length) {
      throw new TsharkHarnessError(
        'ERR_TSHARK_COUNT',
        `tshark reported ${layers.length} BGP messages for ${messages.length} given`,
        layers,
      );
    }
    return layers;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every value of `field` anywhere in a tshark tree (depth first, document order). */
export function tsharkFields(tree: JsonValue, field: string): JsonValue[] {
  const found: JsonValue[] = [];
  const visit = (node: JsonValue): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
    } else if (isJsonObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === field) {
          if (Array.isArray(value)) found.push(...value);
          else found.push(value);
        }
        visit(value);
      }
    }
  };
  visit(tree);
  return found;
}

/** The first value of `field` anywhere in the tree, as tshark prints it (a string), or undefined. */
export function tsharkField(tree: JsonValue, field: string): string | undefined {
  const value = tsharkFields(tree, field)[0];
  return typeof value === 'string' ? value : undefined;
}
