import { BGP_EXTENDED_MAX_MESSAGE_LENGTH, BGP_MAX_MESSAGE_LENGTH } from './constants.js';
import { type FamilyKey, parseFamilyName } from './family.js';

/**
 * What was negotiated on a session and changes how bytes are read and written.
 * Immutable: a session builds one after OPEN ({@link createCodecContext}).
 *
 * - `asn4`: both sides sent the 4-octet AS capability (RFC 6793): AS_PATH and
 *   AGGREGATOR carry 4-octet ASNs; otherwise 2-octet with AS4_PATH/AS4_AGGREGATOR.
 * - `addPathReceive`: families whose received NLRI carry a 4-octet path id
 *   (RFC 7911 §3: we advertised receive and the peer advertised send).
 * - `addPathSend`: families whose NLRI we encode with a path id.
 * - `extendedMessage`: RFC 8654, messages up to 65535 octets.
 */
export interface CodecContext {
  readonly asn4: boolean;
  readonly extendedMessage: boolean;
  readonly addPathReceive: ReadonlySet<FamilyKey>;
  readonly addPathSend: ReadonlySet<FamilyKey>;
  /** 4096, or 65535 with Extended Message. */
  readonly maxMessageLength: number;
}

/** Options of {@link createCodecContext}; families by key or by name (`ipv4-unicast`). */
export interface CodecContextOptions {
  asn4?: boolean;
  extendedMessage?: boolean;
  /** ADD-PATH in both directions for these families (harness convenience). */
  addPath?: Iterable<FamilyKey | string>;
  addPathReceive?: Iterable<FamilyKey | string>;
  addPathSend?: Iterable<FamilyKey | string>;
}

function toKeys(families: Iterable<FamilyKey | string> | undefined, into: Set<FamilyKey>): void {
  if (!families) return;
  for (const f of families) {
    const key = typeof f === 'number' ? f : parseFamilyName(f);
    if (key === undefined) throw new TypeError(`unknown address family name: ${String(f)}`);
    into.add(key);
  }
}

/**
 * Builds a {@link CodecContext}. Defaults: 4-octet AS on, no ADD-PATH, no
 * Extended Message — what two modern speakers negotiate.
 *
 * @example
 * ```ts
 * const ctx = createCodecContext({ asn4: true, addPath: ['ipv4-unicast'] });
 * const view = decodeUpdate(body, ctx);
 * ```
 */
export function createCodecContext(opts: CodecContextOptions = {}): CodecContext {
  const receive = new Set<FamilyKey>();
  const send = new Set<FamilyKey>();
  toKeys(opts.addPath, receive);
  toKeys(opts.addPath, send);
  toKeys(opts.addPathReceive, receive);
  toKeys(opts.addPathSend, send);
  const extendedMessage = opts.extendedMessage ?? false;
  return Object.freeze({
    asn4: opts.asn4 ?? true,
    extendedMessage,
    addPathReceive: receive,
    addPathSend: send,
    maxMessageLength: extendedMessage ? BGP_EXTENDED_MAX_MESSAGE_LENGTH : BGP_MAX_MESSAGE_LENGTH,
  });
}

/** The context before OPEN is negotiated: 2-octet rules, 4096-octet messages. */
export const DEFAULT_CODEC_CONTEXT: CodecContext = createCodecContext();
