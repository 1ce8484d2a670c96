/**
 * A minimal, test-only BGP speaker for the real-daemon tests (test/interop/).
 *
 * Node cannot open one socket inside another network namespace, so the speaker
 * runs in a child process started with `ip netns exec NS node --import tsx
 * test/support/bgp-peer.ts` (this same file). The child connects to the daemon
 * through the veth (or, in `listen` mode, accepts the daemon's connection), sends our OPEN, answers the peer's OPEN with a KEEPALIVE,
 * keeps the session up with KEEPALIVEs every hold time / 3 (RFC 4271 §4.4,
 * §10) and forwards every frame it receives as hex. The parent
 * ({@link SpeakerProcess}) talks to it over stdio, one JSON object per line,
 * negotiates the same {@link CodecContext} from both OPENs and keeps received
 * UPDATEs as {@link UpdateView}s. No FSM beyond that: no collision detection,
 * no hold timer enforcement — the daemon under test does those.
 *
 * stdin commands:  `{"cmd":"send","id":N,"frames":["hex",...]}`,
 *                  `{"cmd":"close","id":N,"code":C,"subcode":S}` (NOTIFICATION, then FIN).
 * stdout events:   `{"event":"open","hex":...}` (the peer's OPEN frame),
 *                  `{"event":"listening"}` (listen mode), `{"event":"established"}` (first
 *                  KEEPALIVE after the OPENs),
 *                  `{"event":"frame","hex":...}` (UPDATE, NOTIFICATION, ROUTE-REFRESH),
 *                  `{"event":"sent","id":N}`, `{"event":"closed","reason":...}`.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BufferPool } from '../../src/buffers/buffer-pool.js';
import { FrameReader, type FrameReaderOptions } from '../../src/buffers/frame-reader.js';
import { MessageType } from '../../src/bgp/constants.js';
import { type CodecContext, DEFAULT_CODEC_CONTEXT } from '../../src/bgp/context.js';
import type { Capability } from '../../src/bgp/messages/capabilities/capability-registry.js';
import { decodeMessage } from '../../src/bgp/messages/decode-message.js';
import { encodeKeepalive } from '../../src/bgp/messages/keepalive.js';
import { negotiateContext } from '../../src/bgp/messages/negotiate-context.js';
import { NotificationMessage, decodeNotification, encodeNotification } from '../../src/bgp/messages/notification.js';
import { encodeOpen } from '../../src/bgp/messages/open-encode.js';
import { OpenMessage } from '../../src/bgp/messages/open-message.js';
import { UpdateView } from '../../src/bgp/update/update-view.js';
import { isJsonObject, parseJson, type JsonObject } from './json.js';
import type { TestNamespace } from './netns.js';

/** What the speaker connects to and the OPEN it sends (JSON-serialisable: it crosses stdio). */
export interface SpeakerConfig {
  /** The daemon's address (inside its namespace, reached through the veth). */
  readonly host: string;
  readonly port?: number;
  /** Our source address, the one the daemon has configured as neighbor. */
  readonly localAddress: string;
  readonly asn: number;
  readonly bgpIdentifier: string;
  /** Hold time we offer; KEEPALIVEs go every third of the negotiated one. */
  readonly holdTime?: number;
  readonly capabilities: readonly Capability[];
  /**
   * `connect` (default): dial `host`. `listen`: accept one connection on
   * `localAddress` (the daemon dials; the accepted socket goes through
   * `FrameReader.attach`, the copy path).
   */
  readonly mode?: 'connect' | 'listen';
}

/** The OPEN a config describes (parent and child build the same one). */
export function speakerOpen(config: SpeakerConfig): OpenMessage {
  return OpenMessage.create({
    asn: config.asn,
    holdTime: config.holdTime ?? 9,
    bgpIdentifier: config.bgpIdentifier,
    capabilities: config.capabilities,
  });
}

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
const fromHex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));

function stringField(obj: JsonObject, key: string): string {
  const value = obj[key];
  if (typeof value !== 'string') throw new Error(`speaker protocol: ${key} is not a string`);
  return value;
}

function numberField(obj: JsonObject, key: string): number {
  const value = obj[key];
  if (typeof value !== 'number') throw new Error(`speaker protocol: ${key} is not a number`);
  return value;
}

// ───────────────────────────── child side ─────────────────────────────

/** Runs the speaker in this process (the child): stdin commands, stdout events. */
async function runChild(config: SpeakerConfig): Promise<void> {
  const emit = (event: Record<string, string | number>): void => {
    process.stdout.write(`${JSON.stringify(event)}\n`);
  };
  const ours = speakerOpen(config);
  const pool = new BufferPool();
  let ctx: CodecContext = DEFAULT_CODEC_CONTEXT;
  let openReceived = false;
  let established = false;
  let keepaliveTimer: NodeJS.Timeout | undefined;
  let finished = false;
  const finish = (reason: string): void => {
    if (finished) return;
    finished = true;
    if (keepaliveTimer) clearInterval(keepaliveTimer);
    emit({ event: 'closed', reason });
    // Let stdout drain, then leave; the parent also kills us on dispose.
    setTimeout(() => process.exit(0), 50).unref();
  };

  // One session; `socket` is set by connect() or by the first accepted connection.
  let socket: net.Socket | undefined;
  const readerOptions: FrameReaderOptions = {
    pool,
    onFrame: (message) => {
      const frame = message.bytes;
      if (!socket) return false;
      const session = socket;
      if (message.type === MessageType.OPEN) {
        const decoded = decodeMessage(frame, ctx);
        if (decoded.type !== 'open') return false;
        ctx = negotiateContext(ours, decoded.open);
        openReceived = true;
        emit({ event: 'open', hex: toHex(frame) });
        if (ctx.extendedMessage) pool.enableExtendedMessage();
        session.write(encodeKeepalive());
        // RFC 4271 §4.4: KEEPALIVE at a third of the negotiated hold time (0: none).
        const hold = Math.min(ours.holdTime, decoded.open.holdTime);
        if (hold > 0) keepaliveTimer = setInterval(() => session.write(encodeKeepalive()), (hold * 1000) / 3);
        return false;
      }
      if (message.type === MessageType.KEEPALIVE) {
        if (openReceived && !established) {
          established = true;
          emit({ event: 'established' });
        }
        return false;
      }
      emit({ event: 'frame', hex: toHex(frame) });
      if (message.type === MessageType.NOTIFICATION) {
        const n = decodeNotification(frame, ctx);
        session.end();
        finish(`notification ${n.code}/${n.subcode}`);
      }
      return false;
    },
    onError: (error) => {
      emit({ event: 'error', message: error.message });
      socket?.destroy();
      finish(`frame error: ${error.message}`);
    },
    onClose: () => finish('socket closed'),
  };
  const watch = (s: net.Socket): void => {
    s.on('error', (error) => finish(`socket error: ${error.message}`));
  };

  let server: net.Server | undefined;
  if (config.mode === 'listen') {
    // The daemon dials us: accept one connection on localAddress, send our OPEN at once.
    server = net.createServer((accepted) => {
      if (socket) {
        accepted.destroy();
        return;
      }
      socket = accepted;
      server?.close();
      watch(accepted);
      FrameReader.attach(accepted, readerOptions);
      accepted.write(encodeOpen(ours));
    });
    server.on('error', (error) => finish(`listen error: ${error.message}`));
    server.listen({ host: config.localAddress, port: config.port ?? 179 }, () => emit({ event: 'listening' }));
  } else {
    const connected = FrameReader.connect({ host: config.host, port: config.port ?? 179, localAddress: config.localAddress }, readerOptions).socket;
    socket = connected;
    watch(connected);
    connected.once('connect', () => connected.write(encodeOpen(ours)));
  }

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const command = parseJson(line);
    if (!isJsonObject(command)) continue;
    const id = numberField(command, 'id');
    const session = socket;
    if (!session) {
      emit({ event: 'error', message: `no session for ${String(command.cmd)}` });
      emit({ event: 'sent', id });
      continue;
    }
    if (command.cmd === 'send') {
      const frames = command.frames;
      if (!Array.isArray(frames)) throw new Error('speaker protocol: frames is not an array');
      for (const f of frames) {
        if (typeof f !== 'string') throw new Error('speaker protocol: frame is not hex');
        session.write(fromHex(f));
      }
      // The write callback of an empty write runs after everything queued before it.
      session.write(new Uint8Array(0), () => emit({ event: 'sent', id }));
    } else if (command.cmd === 'close') {
      const n = new NotificationMessage(numberField(command, 'code'), numberField(command, 'subcode'));
      session.end(encodeNotification(n), () => emit({ event: 'sent', id }));
      finish('closed by us');
    }
  }
  // stdin closed: the parent is gone.
  server?.close();
  socket?.destroy();
  finish('stdin closed');
}

// ───────────────────────────── parent side ─────────────────────────────

/**
 * The test's handle on a speaker child running inside a namespace: what it
 * received (UPDATEs as views over owned copies, NOTIFICATIONs), and `send` /
 * `close`. Every wait is bounded.
 *
 * @example
 * ```ts
 * const peer = await SpeakerProcess.start(ns, { host: '10.91.0.2', localAddress: '10.91.0.1', asn: 65001,
 *   bgpIdentifier: '10.91.0.1', capabilities: [{ kind: 'multiprotocol', afi: 1, safi: 1 }] });
 * await peer.send(new UpdateBuilder(peer.context).attributes(attrs).announce(prefixes).build());
 * await peer.close();
 * ```
 */
export class SpeakerProcess {
  readonly ours: OpenMessage;
  /** The peer's OPEN, once received. */
  theirs: OpenMessage | undefined;
  /** Every UPDATE received, in order (End-of-RIB markers included). */
  readonly updates: UpdateView[] = [];
  readonly notifications: NotificationMessage[] = [];
  established = false;
  /** `listen` mode: the child accepts connections. */
  listening = false;
  /** Why the session ended, once it did. */
  closedReason: string | undefined;
  /** Events this side could not handle (e.g. a frame `decodeMessage` rejected); tests assert none. */
  readonly errors: Error[] = [];
  /** Lines the child wrote to stderr (for failure messages). */
  stderr = '';
  readonly #child: ChildProcess;
  #ctx: CodecContext | undefined;
  #nextId = 1;
  readonly #acked = new Set<number>();
  readonly #listeners = new Set<() => void>();

  private constructor(child: ChildProcess, config: SpeakerConfig) {
    this.#child = child;
    this.ours = speakerOpen(config);
  }

  /** Start the child in `ns` and wait (bounded) until the session is established. */
  static async start(ns: TestNamespace, config: SpeakerConfig, timeoutMs = 20_000): Promise<SpeakerProcess> {
    const speaker = await SpeakerProcess.spawn(ns, config, timeoutMs);
    await speaker.waitFor(() => speaker.established, 'BGP session established', timeoutMs);
    return speaker;
  }

  /**
   * Start the child in `ns` without waiting for the session; in `listen` mode
   * wait (bounded) until it listens, so the daemon can be told to dial.
   */
  static async spawn(ns: TestNamespace, config: SpeakerConfig, timeoutMs = 20_000): Promise<SpeakerProcess> {
    const script = fileURLToPath(import.meta.url);
    const child = ns.spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: process.cwd(),
    });
    const speaker = new SpeakerProcess(child, config);
    speaker.#listen();
    if (config.mode === 'listen') await speaker.waitFor(() => speaker.listening, `speaker listening on ${config.localAddress}`, timeoutMs);
    return speaker;
  }

  /** The negotiated codec context (throws before the peer's OPEN). */
  get context(): CodecContext {
    if (!this.#ctx) throw new Error('no OPEN from the peer yet');
    return this.#ctx;
  }

  #listen(): void {
    const child = this.#child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    if (!child.stdout) throw new Error('speaker child has no stdout');
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      // A frame we cannot decode must fail the test that waits on it, not crash the runner.
      try {
        this.#onEvent(line);
      } catch (error: unknown) {
        this.errors.push(error instanceof Error ? error : new Error(String(error)));
      }
      for (const listener of this.#listeners) listener();
    });
    child.once('exit', (code, signal) => {
      this.closedReason ??= `speaker exited (${code ?? signal ?? '?'})`;
      for (const listener of this.#listeners) listener();
    });
  }

  #onEvent(line: string): void {
    const event = parseJson(line);
    if (!isJsonObject(event)) return;
    switch (event.event) {
      case 'open': {
        const msg = decodeMessage(fromHex(stringField(event, 'hex')), DEFAULT_CODEC_CONTEXT);
        if (msg.type !== 'open') throw new Error('speaker: open event without an OPEN');
        this.theirs = msg.open;
        this.#ctx = negotiateContext(this.ours, msg.open);
        break;
      }
      case 'established':
        this.established = true;
        break;
      case 'listening':
        this.listening = true;
        break;
      case 'frame': {
        const frame = fromHex(stringField(event, 'hex'));
        const msg = decodeMessage(frame, this.context);
        if (msg.type === 'update') this.updates.push(msg.update);
        else if (msg.type === 'notification') this.notifications.push(msg.notification);
        break;
      }
      case 'sent':
        this.#acked.add(numberField(event, 'id'));
        break;
      case 'closed':
        this.closedReason = stringField(event, 'reason');
        break;
      case 'error':
        this.stderr += `speaker error: ${stringField(event, 'message')}\n`;
        break;
    }
  }

  /** Resolve when `predicate()` holds (checked after each event); reject after `timeoutMs`. */
  waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        // A throwing predicate (e.g. replayUpdates on an UPDATE that does not validate) fails the wait.
        let ok: boolean;
        try {
          ok = predicate();
        } catch (error: unknown) {
          done();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (ok) {
          done();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (session: ${this.closedReason ?? 'up'}; stderr: ${this.stderr.slice(-500)})`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  #command(command: Record<string, unknown>): Promise<void> {
    const id = this.#nextId++;
    this.#child.stdin?.write(`${JSON.stringify({ ...command, id })}\n`);
    return this.waitFor(() => this.#acked.has(id) || this.closedReason !== undefined, `speaker command ${String(command.cmd)}`);
  }

  /** Write `frames` on the session; resolves once the socket took them. */
  send(frames: readonly Uint8Array[]): Promise<void> {
    return this.#command({ cmd: 'send', frames: frames.map(toHex) });
  }

  /** Send a NOTIFICATION (default Cease / Administrative Shutdown) and close. */
  async close(code = 6, subcode = 2): Promise<void> {
    if (this.closedReason !== undefined) return;
    await this.#command({ cmd: 'close', code, subcode });
  }

  /** Kill the child if it is still running (the namespace's dispose() does too). */
  async dispose(): Promise<void> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }
}

/** One route as the speaker holds it after replaying the received UPDATEs. */
export interface ReceivedRoute {
  readonly prefix: string;
  /** RFC 7911 path id, `undefined` without ADD-PATH. */
  readonly pathId: number | undefined;
  readonly origin: number | undefined;
  /** AS_PATH segments as `{type, asns}` (AS4 merge already applied by the view). */
  readonly asPath: readonly { readonly type: number; readonly asns: readonly number[] }[] | undefined;
  /** NEXT_HOP for classic IPv4 NLRI, the MP_REACH_NLRI next hop (global address) otherwise. */
  readonly nextHop: string | undefined;
  readonly med: number | undefined;
  readonly communities: readonly number[] | undefined;
  readonly largeCommunities: readonly (readonly [number, number, number])[] | undefined;
}

/** Map key of a route: `prefix` or `prefix#pathId` when ADD-PATH put a path id on it. */
export function routeKey(prefix: string, pathId: number | undefined): string {
  return pathId === undefined ? prefix : `${prefix}#${pathId}`;
}

/**
 * Replays UPDATEs in order (RFC 4271 §3.1: a later announcement replaces, a
 * withdrawal removes) into the routes they leave behind, keyed by
 * {@link routeKey}. Each UPDATE must validate as 'ok' (RFC 7606): a daemon
 * sending us anything else is a test failure, thrown here.
 */
export function replayUpdates(updates: readonly UpdateView[]): Map<string, ReceivedRoute> {
  const routes = new Map<string, ReceivedRoute>();
  for (const update of updates) {
    const { action, errors } = update.validate();
    if (action !== 'ok') throw new Error(`received UPDATE does not validate: ${action}: ${errors.map((e) => e.message).join('; ')}`);
    const w = update.withdrawnCursor();
    while (w.next()) routes.delete(routeKey(w.format(), w.pathId));
    if (!update.hasAnnouncements) continue;
    const mp = update.mpReach;
    const mpNextHop = mp && (mp.nextHop.type === 'ipv4' || mp.nextHop.type === 'ipv6') ? mp.nextHop.address : undefined;
    const base = {
      origin: update.origin,
      asPath: update.asPath,
      med: update.med,
      communities: update.communities,
      largeCommunities: update.largeCommunities,
    };
    const a = update.announcedCursor();
    while (a.next()) {
      const classic = a.segment !== undefined && a.segment.nextHopStart === a.segment.nextHopEnd;
      const prefix = a.format();
      routes.set(routeKey(prefix, a.pathId), {
        ...base,
        prefix,
        pathId: a.pathId,
        nextHop: classic ? update.nextHop : mpNextHop,
      });
    }
  }
  return routes;
}

// Run as the child when this file is the entry point.
const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const arg = process.argv[2];
  if (arg === undefined) throw new Error('usage: bgp-peer.ts CONFIG_JSON');
  // The config is ours (written by SpeakerProcess.start); checked only for shape.
  const parsed: unknown = JSON.parse(arg);
  if (typeof parsed !== 'object' || parsed === null || !('host' in parsed)) throw new Error('bad speaker config');
  runChild(parsed as SpeakerConfig).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
