#!/usr/bin/env node
/**
 * fibwire-decode: decodes BGP messages given in hex and prints one JSON object
 * per message — a harness's first tool, like ExaBGP's decoder.
 *
 *   fibwire-decode [--asn2] [--addpath FAMILIES] [--extended] [--type TYPE] [HEX...]
 *
 * Input: each HEX argument is one input; with no argument, each non-empty line
 * of standard input is one. Whitespace, `:` separators and a leading `0x` are
 * ignored (so ExaBGP's `FFFF...:0017:02:00000000` form works).
 *
 * Which bytes are which (the rule):
 * 1. An input that starts with the 16-octet all-ones marker holds complete
 *    messages (RFC 4271 §4.1), one after another; it is split by their Length
 *    fields. Bytes that do not form a whole message are reported as an error.
 * 2. Otherwise it is ONE message body without the 19-octet header. Its type is
 *    `--type` when given (open, update, notification, keepalive, route-refresh);
 *    else it is inferred: an OPEN when octet 0 is 4 (the version) and the
 *    Optional Parameters Length at octet 9 (or the RFC 9072 extended length)
 *    accounts exactly for the rest of the body; an UPDATE otherwise. (A valid
 *    UPDATE body cannot pass the OPEN test: it would declare 1024 or more octets
 *    of withdrawn routes in a body of at most 265.)
 *
 * Output: per message, `messageToJSON()` on one line (`{"type":"open",...}`,
 * `{"type":"update",...}`, ...). A malformed message prints its `BgpError` as
 * JSON instead: `{"error":"BgpError","code","notifyCode","notifySubcode","data",
 * "action","message","input","messageType"?}`; an UPDATE that frames but fails
 * RFC 7606 validation prints its strongest error with `"errors"` (all of them)
 * and `"decoded"` (the UPDATE's JSON).
 *
 * Exit status: 0 when every message decoded cleanly, 2 when any was malformed,
 * 1 on a usage error (the CLIs of fibwire share these codes).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BGP_HEADER_LENGTH, BGP_MARKER_LENGTH, MessageType, OptionalParameterType } from '../bgp/constants.js';
import { type CodecContext, createCodecContext } from '../bgp/context.js';
import { BgpError, strongerAction, type ErrorAction } from '../bgp/errors.js';
import { parseFamilyName } from '../bgp/family.js';
import { decodeMessage } from '../bgp/messages/decode-message.js';
import { messageToJSON } from '../bgp/messages/message-json.js';

const USAGE = `usage: fibwire-decode [--asn2] [--addpath FAMILIES] [--extended] [--type TYPE] [HEX...]
  --asn2              the session did not negotiate 4-octet AS (RFC 6793): 2-octet AS_PATH
  --addpath FAMILIES  comma-separated families whose NLRI carry ADD-PATH path ids
                      (RFC 7911), e.g. ipv4-unicast,ipv6-unicast
  --extended          Extended Message negotiated (RFC 8654): messages up to 65535 octets
  --type TYPE         type of a body given without its 19-octet header:
                      open, update, notification, keepalive, route-refresh
                      (default: inferred, OPEN if it parses as one, else UPDATE)
HEX: complete messages (starting with the ff..ff marker, several may follow each
other) or one message body. With no HEX argument, each line of stdin is one input.
Prints one JSON object per message. Exit status 0 ok, 2 malformed input, 1 usage.
`;

const TYPE_BY_NAME: Readonly<Record<string, MessageType>> = {
  open: MessageType.OPEN,
  update: MessageType.UPDATE,
  notification: MessageType.NOTIFICATION,
  keepalive: MessageType.KEEPALIVE,
  'route-refresh': MessageType.ROUTE_REFRESH,
};

class UsageError extends Error {
  readonly code = 'ERR_FIBWIRE_DECODE_USAGE';
}

interface Options {
  readonly ctx: CodecContext;
  readonly bodyType: MessageType | undefined;
  readonly inputs: readonly string[] | undefined;
}

function parseOptions(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        asn2: { type: 'boolean', default: false },
        addpath: { type: 'string' },
        extended: { type: 'boolean', default: false },
        type: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const addPath: number[] = [];
  for (const name of (values.addpath ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const key = parseFamilyName(name);
    if (key === undefined) throw new UsageError(`unknown family in --addpath: ${name}`);
    addPath.push(key);
  }
  let bodyType: MessageType | undefined;
  if (values.type !== undefined) {
    bodyType = TYPE_BY_NAME[values.type];
    if (bodyType === undefined) throw new UsageError(`unknown --type ${values.type}`);
  }
  return {
    ctx: createCodecContext({ asn4: !values.asn2, extendedMessage: values.extended, addPath }),
    bodyType,
    inputs: positionals.length > 0 ? positionals : undefined,
  };
}

function parseHex(text: string): Uint8Array {
  const digits = text.replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new UsageError(`not hex: ${text.length > 40 ? `${text.slice(0, 40)}...` : text}`);
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

function startsWithMarker(b: Uint8Array): boolean {
  if (b.length < BGP_MARKER_LENGTH) return false;
  for (let i = 0; i < BGP_MARKER_LENGTH; i++) if (b[i] !== 0xff) return false;
  return true;
}

/** Rule 2 of the header comment: is this headerless body an OPEN (RFC 4271 §4.2, RFC 9072 §2)? */
function looksLikeOpenBody(body: Uint8Array): boolean {
  if (body.length < 10 || body[0] !== 4) return false;
  const optLength = body[9]!;
  if (10 + optLength === body.length) return true;
  return (
    optLength !== 0 &&
    body.length >= 13 &&
    body[10] === OptionalParameterType.EXTENDED_LENGTH &&
    13 + ((body[11]! << 8) | body[12]!) === body.length
  );
}

/** Wraps a body in a header; a body too long for the Length field is left for decodeMessage to refuse. */
function withHeader(type: MessageType, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(BGP_HEADER_LENGTH + body.length);
  out.fill(0xff, 0, BGP_MARKER_LENGTH);
  const length = Math.min(out.length, 0xffff);
  out[16] = length >>> 8;
  out[17] = length & 0xff;
  out[18] = type;
  out.set(body, BGP_HEADER_LENGTH);
  return out;
}

/** The frames of one input, per the rule in the header comment. */
function framesOf(bytes: Uint8Array, bodyType: MessageType | undefined): Uint8Array[] {
  if (!startsWithMarker(bytes)) {
    const type = bodyType ?? (looksLikeOpenBody(bytes) ? MessageType.OPEN : MessageType.UPDATE);
    return [withHeader(type, bytes)];
  }
  const frames: Uint8Array[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const rest = bytes.subarray(pos);
    const length = rest.length >= 18 ? (rest[16]! << 8) | rest[17]! : 0;
    if (length < BGP_HEADER_LENGTH || length > rest.length) {
      frames.push(rest); // decodeMessage reports what is wrong with it
      break;
    }
    frames.push(rest.subarray(0, length));
    pos += length;
  }
  return frames;
}

type JsonLine = Record<string, unknown>;

/** Decodes one frame to its output line; `ok` is false for a malformed message. */
function decodeFrame(frame: Uint8Array, ctx: CodecContext, input: number): { line: JsonLine; ok: boolean } {
  let msg;
  try {
    msg = decodeMessage(frame, ctx);
  } catch (e) {
    if (!(e instanceof BgpError)) throw e;
    return { line: { ...e.toJSON(), input }, ok: false };
  }
  if (msg.type === 'update') {
    // UPDATE views are lazy: RFC 7606 validation finds what framing does not.
    const { action, errors } = msg.update.validate();
    if (action !== 'ok' && errors.length > 0) {
      let strongest = errors[0]!;
      let strongestAction: ErrorAction = strongest.action;
      for (const e of errors) {
        const next = strongerAction(strongestAction, e.action);
        if (next !== strongestAction) {
          strongest = e;
          strongestAction = next;
        }
      }
      return {
        line: {
          ...strongest.toJSON(),
          input,
          messageType: 'update',
          errors: errors.map((e) => e.toJSON()),
          decoded: messageToJSON(msg),
        },
        ok: false,
      };
    }
  }
  return { line: { ...messageToJSON(msg) }, ok: true };
}

function readStdinLines(): string[] {
  if (process.stdin.isTTY) throw new UsageError('no HEX argument and stdin is a terminal');
  return readFileSync(0, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function main(argv: string[]): number {
  let options: Options;
  let texts: readonly string[];
  try {
    options = parseOptions(argv);
    texts = options.inputs ?? readStdinLines();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`fibwire-decode: ${e.message}\n${USAGE}`);
    return 1;
  }
  let malformed = false;
  const out: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    let bytes: Uint8Array;
    try {
      bytes = parseHex(texts[i]!);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      process.stderr.write(`fibwire-decode: input ${i}: ${e.message}\n`);
      return 1;
    }
    for (const frame of framesOf(bytes, options.bodyType)) {
      const { line, ok } = decodeFrame(frame, options.ctx, i);
      if (!ok) malformed = true;
      out.push(JSON.stringify(line));
    }
  }
  if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
  return malformed ? 2 : 0;
}

process.exitCode = main(process.argv.slice(2));
