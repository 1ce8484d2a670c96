/**
 * GoBGP (`gobgpd` + `gobgp` CLI) run inside a test namespace: a generated TOML
 * config, the gRPC API on 127.0.0.1 of that namespace only, and JSON queries.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJson, type JsonValue } from '../support/json.js';
import type { TestNamespace } from '../support/netns.js';

const run = promisify(execFile);

/** Both binaries on PATH? (CI installs the Debian `gobgpd` package.) */
export function gobgpAvailable(): boolean {
  return ['gobgpd', 'gobgp'].every((bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0);
}

/** One neighbor in the generated config; the daemon is passive (our speaker dials). */
export interface GobgpNeighbor {
  readonly address: string;
  readonly peerAs: number;
  /** RFC 7911 for ipv4-unicast: receive, and send up to 8 paths. */
  readonly addPathIpv4?: boolean;
}

export interface GobgpOptions {
  readonly asn: number;
  readonly routerId: string;
  readonly listenAddress: string;
  readonly neighbors: readonly GobgpNeighbor[];
}

/** The TOML config gobgpd reads (`-t toml`). */
export function gobgpConfig(options: GobgpOptions): string {
  const lines = [
    '[global.config]',
    `  as = ${options.asn}`,
    `  router-id = "${options.routerId}"`,
    '  port = 179',
    `  local-address-list = ["${options.listenAddress}"]`,
  ];
  for (const n of options.neighbors) {
    lines.push(
      '[[neighbors]]',
      '  [neighbors.config]',
      `    neighbor-address = "${n.address}"`,
      `    peer-as = ${n.peerAs}`,
      '  [neighbors.transport.config]',
      '    passive-mode = true',
      '  [neighbors.timers.config]',
      '    hold-time = 9',
      '    keepalive-interval = 3',
      '  [[neighbors.afi-safis]]',
      '    [neighbors.afi-safis.config]',
      '      afi-safi-name = "ipv4-unicast"',
    );
    if (n.addPathIpv4) lines.push('    [neighbors.afi-safis.add-paths.config]', '      receive = true', '      send-max = 8');
    lines.push('  [[neighbors.afi-safis]]', '    [neighbors.afi-safis.config]', '      afi-safi-name = "ipv6-unicast"');
  }
  return `${lines.join('\n')}\n`;
}

/** A running gobgpd. */
export interface Gobgp {
  /** `gobgp ARGS` in the namespace; stdout. */
  cli(args: readonly string[]): Promise<string>;
  /** `gobgp -j ARGS`, parsed. */
  json(args: readonly string[]): Promise<JsonValue>;
  /** The daemon's log so far (for failure messages). */
  log(): string;
  /** Stop the daemon (SIGTERM, then SIGKILL) and remove its temp dir. */
  stop(): Promise<void>;
}

export async function startGobgp(ns: TestNamespace, options: GobgpOptions): Promise<Gobgp> {
  const dir = mkdtempSync(join(tmpdir(), 'fw-gobgp-'));
  const configPath = join(dir, 'gobgpd.toml');
  writeFileSync(configPath, gobgpConfig(options));
  const child = ns.spawn('gobgpd', ['-f', configPath, '-t', 'toml', '--api-hosts', '127.0.0.1:50051', '-l', 'info'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  // Own execFile rather than ns.exec: a 1,200-route JSON listing is past the default 1 MB maxBuffer.
  const cli = async (args: readonly string[]): Promise<string> => {
    const { stdout } = await run('ip', ['netns', 'exec', ns.name, 'gobgp', '-u', '127.0.0.1', '-p', '50051', ...args], {
      timeout: 30_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready when the API answers (bounded).
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await cli(['global']);
      break;
    } catch (error: unknown) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`gobgpd did not come up: ${String(error)}\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { cli, json: async (args) => parseJson(await cli(['-j', ...args])), log: () => log, stop };
}
