/**
 * GoBGP (`gobgpd` + `gobgp` CLI) run inside a test namespace: a generated TOML
 * config, the gRPC API on 127.0.0.1 of that namespace only, and JSON queries.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson, type JsonValue } from '../support/json.js';
import type { TestNamespace } from '../support/netns.js';
import { commandsOnPath, startDaemonProcess, type DaemonProcess } from './daemon-process.js';

/** Both binaries on PATH? (CI installs the Debian `gobgpd` package.) */
export function gobgpAvailable(): boolean {
  return commandsOnPath(['gobgpd', 'gobgp']);
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

/** A running gobgpd; `cli` is `gobgp ARGS` against its API in the namespace. */
export interface Gobgp extends DaemonProcess {
  /** `gobgp -j ARGS`, parsed. */
  json(args: readonly string[]): Promise<JsonValue>;
}

export async function startGobgp(ns: TestNamespace, options: GobgpOptions): Promise<Gobgp> {
  const daemon = await startDaemonProcess(ns, {
    name: 'gobgpd',
    tempPrefix: 'fw-gobgp-',
    prepare: (dir) => {
      const configPath = join(dir, 'gobgpd.toml');
      writeFileSync(configPath, gobgpConfig(options));
      return ['gobgpd', '-f', configPath, '-t', 'toml', '--api-hosts', '127.0.0.1:50051', '-l', 'info'];
    },
    cliCommand: () => ['gobgp', '-u', '127.0.0.1', '-p', '50051'],
    // Ready when the API answers.
    ready: async (cli) => {
      try {
        await cli(['global']);
        return true;
      } catch (error: unknown) {
        return String(error);
      }
    },
  });
  return { ...daemon, json: async (args) => parseJson(await daemon.cli(['-j', ...args])) };
}
