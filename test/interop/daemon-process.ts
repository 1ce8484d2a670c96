/**
 * The life cycle both interop daemons (BIRD, GoBGP) share: a temp dir for
 * their config and sockets, the daemon spawned in the foreground inside a test
 * namespace with its output kept for failure messages, a CLI run in the same
 * namespace, a bounded wait until the CLI says the daemon is up, and a stop
 * that always ends the process and removes the temp dir.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestNamespace } from '../support/netns.js';

const run = promisify(execFile);

/** How long a daemon may take to answer its CLI before the start fails. */
const START_TIMEOUT_MS = 15_000;
/** SIGTERM first; SIGKILL when the daemon has not exited after this long. */
const STOP_GRACE_MS = 2000;

/** Are all these commands on PATH? */
export function commandsOnPath(commands: readonly string[]): boolean {
  return commands.every((bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0);
}

/** How to run one daemon. */
export interface DaemonSpec {
  /** Name in error messages (`bird`, `gobgpd`). */
  readonly name: string;
  /** Prefix of the temp dir (`fw-bird-`). */
  readonly tempPrefix: string;
  /** Writes the daemon's files into `dir`; returns the daemon's command line (foreground). */
  prepare(dir: string): readonly [command: string, ...args: string[]];
  /** The CLI command line (before the caller's arguments), given the temp dir. */
  cliCommand(dir: string): readonly [command: string, ...args: string[]];
  /** Asks the CLI whether the daemon is up: `true`, or why not yet (kept for the failure message). */
  ready(cli: (args: readonly string[]) => Promise<string>): Promise<true | string>;
}

/** A running daemon. */
export interface DaemonProcess {
  /** The CLI with `args`, run in the namespace; its stdout. */
  cli(args: readonly string[]): Promise<string>;
  /** Daemon output so far (for failure messages). */
  log(): string;
  /** Stop the daemon (SIGTERM, then SIGKILL) and remove its temp dir. */
  stop(): Promise<void>;
}

/** Start the daemon `spec` describes in `ns`; resolves once `spec.ready` says so (bounded). */
export async function startDaemonProcess(ns: TestNamespace, spec: DaemonSpec): Promise<DaemonProcess> {
  const dir = mkdtempSync(join(tmpdir(), spec.tempPrefix));
  const [command, ...args] = spec.prepare(dir);
  const child = ns.spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const cliCommand = spec.cliCommand(dir);
  // Own execFile rather than ns.exec: a 1,200-route listing is past the default 1 MB maxBuffer.
  const cli = async (cliArgs: readonly string[]): Promise<string> => {
    const { stdout } = await run('ip', ['netns', 'exec', ns.name, ...cliCommand, ...cliArgs], {
      timeout: 30_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const answer = await spec.ready(cli);
    if (answer === true) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${spec.name} did not come up: ${answer}\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { cli, log: () => log, stop };
}
