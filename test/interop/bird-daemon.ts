/**
 * BIRD 2 (`bird` + `birdc`) run inside a test namespace: a generated config,
 * the control socket in a temp dir, `show route all` parsed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestNamespace } from '../support/netns.js';

const run = promisify(execFile);

/** Both binaries on PATH? (CI installs the Debian `bird2` package.) */
export function birdAvailable(): boolean {
  return ['bird', 'birdc'].every((bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0);
}

/** A running bird. */
export interface Bird {
  /** `birdc -s SOCK ARGS` (run in the namespace; the socket is a file, but keep it all there). */
  cli(args: readonly string[]): Promise<string>;
  /** Daemon output so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** Start bird with `config` (text of bird.conf) in `ns`; ready when birdc answers. */
export async function startBird(ns: TestNamespace, config: string): Promise<Bird> {
  const dir = mkdtempSync(join(tmpdir(), 'fw-bird-'));
  const conf = join(dir, 'bird.conf');
  const sock = join(dir, 'bird.ctl');
  writeFileSync(conf, config);
  const child = ns.spawn('bird', ['-f', '-c', conf, '-s', sock, '-P', join(dir, 'bird.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const cli = async (args: readonly string[]): Promise<string> => {
    const { stdout } = await run('ip', ['netns', 'exec', ns.name, 'birdc', '-s', sock, ...args], {
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
  const deadline = Date.now() + 15_000;
  for (;;) {
    let answer = '';
    try {
      answer = await cli(['show', 'status']);
    } catch (error: unknown) {
      answer = String(error);
    }
    if (/Daemon is up and running/.test(answer)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`bird did not come up: ${answer}\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { cli, log: () => log, stop };
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
