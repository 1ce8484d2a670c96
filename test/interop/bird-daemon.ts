/**
 * BIRD 2 (`bird` + `birdc`) run inside a test namespace: a generated config,
 * the control socket in a temp dir, `show route all` parsed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestNamespace } from '../support/netns.js';
import { commandsOnPath, startDaemonProcess, type DaemonProcess } from './daemon-process.js';

/** Both binaries on PATH? (CI installs the Debian `bird2` package.) */
export function birdAvailable(): boolean {
  return commandsOnPath(['bird', 'birdc']);
}

/** A running bird; `cli` is `birdc -s SOCK ARGS` (run in the namespace; the socket is a file, but keep it all there). */
export type Bird = DaemonProcess;

/** Start bird with `config` (text of bird.conf) in `ns`; ready when birdc answers. */
export async function startBird(ns: TestNamespace, config: string): Promise<Bird> {
  return startDaemonProcess(ns, {
    name: 'bird',
    tempPrefix: 'fw-bird-',
    prepare: (dir) => {
      const conf = join(dir, 'bird.conf');
      writeFileSync(conf, config);
      return ['bird', '-f', '-c', conf, '-s', join(dir, 'bird.ctl'), '-P', join(dir, 'bird.pid')];
    },
    cliCommand: (dir) => ['birdc', '-s', join(dir, 'bird.ctl')],
    ready: async (cli) => {
      let answer: string;
      try {
        answer = await cli(['show', 'status']);
      } catch (error: unknown) {
        answer = String(error);
      }
      return /Daemon is up and running/.test(answer) ? true : answer;
    },
  });
}

/** One route of `birdc show route all`, attributes in fibwire's value types. */
export interface BirdRoute {
  readonly prefix: string;
  readonly protocol: string;
  readonly origin: number | undefined;
  /** BGP.as_path as one AS_SEQUENCE (the tests send only sequences). */
  readonly asPath: readonly number[] | undefined;
  readonly nextHop: string | undefined;
  readonly med: number | undefined;
  readonly communities: readonly number[] | undefined;
  readonly largeCommunities: readonly (readonly [number, number, number])[] | undefined;
}

const ORIGIN: Readonly<Record<string, number>> = { IGP: 0, EGP: 1, Incomplete: 2 };

/**
 * Parses `show route all` text: a route line starts in column 0 with the
 * prefix (or with blanks for another path of the same prefix), attribute lines
 * are tab-indented `BGP.name: value`.
 */
export function parseBirdRoutes(text: string): BirdRoute[] {
  const routes: BirdRoute[] = [];
  let current: { -readonly [K in keyof BirdRoute]: BirdRoute[K] } | undefined;
  let lastPrefix = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\d{4}[- ]/, ''); // birdc reply codes, if any
    const head = /^(\S+)?\s+\w+\s+\[(\w+)\s/.exec(line);
    if (head && !line.startsWith('\t') && !/^Table /.test(line)) {
      if (current) routes.push(current);
      const prefix = head[1] ?? lastPrefix;
      lastPrefix = prefix;
      current = { prefix, protocol: head[2]!, origin: undefined, asPath: undefined, nextHop: undefined, med: undefined, communities: undefined, largeCommunities: undefined };
      continue;
    }
    if (!current) continue;
    const attr = /^\s+BGP\.(\w+):\s*(.*)$/.exec(line);
    if (!attr) continue;
    const [, name, value = ''] = attr;
    switch (name) {
      case 'origin':
        current.origin = ORIGIN[value.trim()];
        break;
      case 'as_path':
        current.asPath = value.trim() === '' ? [] : value.trim().split(/\s+/).map(Number);
        break;
      case 'next_hop':
        current.nextHop = value.trim().split(/\s+/)[0];
        break;
      case 'med':
        current.med = Number(value);
        break;
      case 'community':
        current.communities = [...value.matchAll(/\((\d+),\s*(\d+)\)/g)].map((m) => ((Number(m[1]) << 16) | Number(m[2])) >>> 0);
        break;
      case 'large_community':
        current.largeCommunities = [...value.matchAll(/\((\d+),\s*(\d+),\s*(\d+)\)/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number]);
        break;
    }
  }
  if (current) routes.push(current);
  return routes;
}
