/**
 * Shared by the netlink kernel tests: root detection (loud skip), a large-output
 * `ip` runner for 100k-route comparisons, and typed access to `ip -j` output.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { Rtnl } from '../../src/netlink/rtnl.js';
import { createNamespace, type NamespaceOptions, type TestNamespace } from '../support/netns.js';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from '../support/json.js';

export const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('netlink kernel tests need root (network namespaces): skipped');

/** `ip -n ns ...args` with room for very large output (100k routes). */
export function ipLarge(ns: string, args: readonly string[]): string {
  return execFileSync('ip', ['-n', ns, ...args], { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
}

/** `ip -j -n ns ...args` as an array of objects. */
export function ipJsonObjects(ns: string, args: readonly string[]): JsonObject[] {
  const text = execFileSync('ip', ['-j', '-n', ns, ...args], { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
  const value: JsonValue = text.trim() === '' ? [] : parseJson(text);
  if (!Array.isArray(value)) throw new Error('ip -j did not print an array');
  return value.filter((v): v is JsonObject => isJsonObject(v));
}

/** Number of lines `ip ... show` prints (one per route/nexthop). */
export function countLines(text: string): number {
  return text.split('\n').filter((line) => line.trim() !== '').length;
}

export function str(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

export function num(o: JsonObject, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' ? v : undefined;
}

/** Fisher–Yates with a fixed seed (deterministic, no Math.random). */
export function shuffled<T>(items: readonly T[], seed = 12345): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

/** What {@link useRtnlNamespace} gives a test file. */
export interface RtnlNamespace {
  /** The client opened inside the namespace. */
  client(): Rtnl;
  /** The namespace's name (for `ip -n`). */
  nsName(): string;
  /** The namespace itself (to run commands inside it). */
  ns(): TestNamespace;
}

/**
 * One throwaway `fwnl-…` namespace for the whole test file (with the veth pairs
 * `options` asks for) and an Rtnl client inside it; `setup` then runs with that
 * client. Client closed and namespace deleted after the file, also when a test fails.
 */
export function useRtnlNamespace(options: NamespaceOptions = {}, setup?: (rtnl: Rtnl) => Promise<void>): RtnlNamespace {
  let ns: TestNamespace | undefined;
  let rtnl: Rtnl | undefined;
  beforeAll(async () => {
    ns = await createNamespace('fwnl', options);
    rtnl = await Rtnl.open({ netns: ns.name });
    await setup?.(rtnl);
  });
  afterAll(async () => {
    rtnl?.close();
    await ns?.dispose();
  });
  const namespace = (): TestNamespace => {
    if (ns === undefined) throw new Error('namespace not created');
    return ns;
  };
  return {
    client: () => {
      if (rtnl === undefined) throw new Error('client not open');
      return rtnl;
    },
    nsName: () => namespace().name,
    ns: namespace,
  };
}

/** What {@link useVethNamespace} gives a test file. */
export interface VethNamespace extends RtnlNamespace {
  /** ifindex of `va` (10.0.0.1/24, fd00::1/64); its peer `vb` holds 10.0.0.2/24. */
  va(): number;
}

/**
 * One throwaway namespace for the whole test file, with a veth pair va ↔ vb and
 * an Rtnl client inside it; deleted after the file, also when a test fails.
 */
export function useVethNamespace(): VethNamespace {
  let va = 0;
  const namespace = useRtnlNamespace(
    { veths: [{ name: 'va', peer: 'vb', addresses: ['10.0.0.1/24'], peerAddresses: ['10.0.0.2/24'] }] },
    async (rtnl) => {
      va = await rtnl.links.indexOf('va');
      await rtnl.addresses.add({ address: 'fd00::1/64', index: va, nodad: true });
    },
  );
  return { ...namespace, va: () => va };
}
