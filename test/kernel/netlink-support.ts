/**
 * Shared by the netlink kernel tests: root detection (loud skip), a large-output
 * `ip` runner for 100k-route comparisons, and typed access to `ip -j` output.
 */
import { execFileSync } from 'node:child_process';
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
