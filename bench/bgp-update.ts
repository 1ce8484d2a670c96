/**
 * UPDATE codec throughput on one core: messages/s and prefixes/s for
 * (a) the lazy walk of every prefix and attribute (UpdateView + UpdatePrefixCursor,
 *     no per-prefix allocation), (b) full materialisation (Prefix objects and every
 *     typed attribute), (c) encoding with UpdateBuilder: `encode` encodes each
 *     message's attribute set from its values, `encode-shared-attributes` reuses a
 *     set already encoded once (the builder caches per set object).
 *
 * Workloads are realistic UPDATEs built with UpdateBuilder: 30 IPv4 prefixes with a
 * 5-hop AS path, MED, LOCAL_PREF and 4 communities; 20 IPv6 prefixes in MP_REACH_NLRI.
 * Prints one JSON line per figure (and a table on stderr).
 * Run: `npx tsx bench/bgp-update.ts` (goal: >= 3 million prefixes/s for the lazy walk).
 */
import { availableParallelism, loadavg } from 'node:os';
import { createCodecContext } from '../src/bgp/context.js';
import { Prefix } from '../src/bgp/prefix.js';
import { UpdateBuilder } from '../src/bgp/update/update-builder.js';
import type { UpdateAttributes } from '../src/bgp/update/path-attributes.js';
import { UpdatePrefixCursor } from '../src/bgp/update/update-prefix-cursor.js';
import { UpdateView } from '../src/bgp/update/update-view.js';

const ctx = createCodecContext();
const MESSAGES = 4000;
const ROUNDS = 5;
const MIN_MS = 400;

let seed = 0x9e3779b9;
function rand(): number {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed;
}

function v4Prefix(): Prefix {
  const length = 16 + (rand() % 9); // /16../24, the bulk of a real table
  const r = rand();
  return new Prefix(1, Uint8Array.of(1 + (r % 223), (r >>> 8) & 0xff, (r >>> 16) & 0xff, 0), length).canonical();
}

function v6Prefix(): Prefix {
  const a = new Uint8Array(16);
  a[0] = 0x20;
  a[1] = 0x01;
  for (let i = 2; i < 8; i++) a[i] = rand() & 0xff;
  return new Prefix(2, a, 32 + (rand() % 33)).canonical();
}

function attrsFor(i: number): UpdateAttributes {
  return {
    origin: 0,
    asPath: [{ type: 2, asns: [64500 + (i % 7), 3356, 1299, 174 + (i % 3), 65000 + (i % 1000)] }],
    nextHop: `192.0.2.${1 + (i % 250)}`,
    med: i % 100,
    localPref: 100,
    communities: [0xfde90001, 0xfde90002 + (i % 5), 0x0d1c0064, 0xffffff01],
  };
}

interface Workload {
  readonly name: string;
  readonly frames: Uint8Array[];
  readonly prefixesPerMessage: number;
  readonly build: (i: number, sharedAttributes?: boolean) => Uint8Array[];
}

function makeWorkload(name: string, perMessage: number, v6: boolean): Workload {
  const sets: Prefix[][] = [];
  for (let i = 0; i < MESSAGES; i++) sets.push(Array.from({ length: perMessage }, v6 ? v6Prefix : v4Prefix));
  const attrSets = sets.map((_, i) => attrsFor(i));
  const build = (i: number, sharedAttributes = false): Uint8Array[] => {
    // sharedAttributes: the set object was encoded before (a route server sending one set in many batches).
    const b = new UpdateBuilder(ctx).attributes(sharedAttributes ? attrSets[i]! : attrsFor(i));
    return v6 ? b.announce(sets[i]!, { nextHop: '2001:db8::1' }).build() : b.announce(sets[i]!).build();
  };
  const frames = sets.map((_, i) => {
    const out = build(i);
    if (out.length !== 1) throw new Error('workload message did not fit in one UPDATE');
    return out[0]!;
  });
  return { name, frames, prefixesPerMessage: perMessage, build };
}

/** Runs `fn` over every frame until MIN_MS passes; returns the best rate of ROUNDS rounds. */
function measure(frames: readonly Uint8Array[], fn: (frame: Uint8Array, i: number) => number): { messagesPerSec: number; prefixesPerSec: number } {
  let best = { messagesPerSec: 0, prefixesPerSec: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    let messages = 0;
    let prefixes = 0;
    const t0 = process.hrtime.bigint();
    let elapsedMs = 0;
    do {
      for (let i = 0; i < frames.length; i++) prefixes += fn(frames[i]!, i);
      messages += frames.length;
      elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
    } while (elapsedMs < MIN_MS);
    const rate = { messagesPerSec: (messages * 1000) / elapsedMs, prefixesPerSec: (prefixes * 1000) / elapsedMs };
    if (rate.prefixesPerSec > best.prefixesPerSec) best = rate;
  }
  return best;
}

let sink = 0;
const cursor = new UpdatePrefixCursor();
const visitAttribute = (flags: number, type: number, start: number, end: number): void => {
  sink += flags + type + end - start;
};

/** (a) Lazy walk: every prefix through the reused cursor, every attribute header. */
function lazyWalk(frame: Uint8Array): number {
  const view = UpdateView.fromMessage(frame, ctx);
  view.forEachAttribute(visitAttribute);
  let n = 0;
  view.withdrawnCursor(cursor);
  while (cursor.next()) {
    sink += cursor.length + cursor.addressOffset;
    n++;
  }
  view.announcedCursor(cursor);
  while (cursor.next()) {
    sink += cursor.length + cursor.addressOffset;
    n++;
  }
  return n;
}

/** (b) Full materialisation: Prefix objects and every typed attribute. */
function materialise(frame: Uint8Array): number {
  const view = UpdateView.fromMessage(frame, ctx);
  const prefixes = [...view.withdrawn(), ...view.announced()];
  const attrs = [view.origin, view.asPath, view.nextHop, view.med, view.localPref, view.communities, view.aggregator, view.atomicAggregate, view.unknownAttributes];
  sink += prefixes.length + attrs.length;
  return prefixes.length;
}

const workloads = [makeWorkload('ipv4-30-prefixes', 30, false), makeWorkload('ipv6-mp-20-prefixes', 20, true)];
const rows: string[] = [];
for (const w of workloads) {
  const bytes = w.frames.reduce((s, f) => s + f.length, 0);
  for (const [figure, fn] of [
    ['lazy-walk', lazyWalk],
    ['materialise', materialise],
    ['encode', (_f: Uint8Array, i: number): number => {
      const out = w.build(i);
      sink += out.length;
      return w.prefixesPerMessage;
    }],
    ['encode-shared-attributes', (_f: Uint8Array, i: number): number => {
      const out = w.build(i, true);
      sink += out.length;
      return w.prefixesPerMessage;
    }],
  ] as const) {
    const r = measure(w.frames, fn);
    const line = {
      bench: 'bgp-update',
      figure,
      workload: w.name,
      messagesPerSec: Math.round(r.messagesPerSec),
      prefixesPerSec: Math.round(r.prefixesPerSec),
      averageMessageBytes: Math.round(bytes / w.frames.length),
      // Other work on the machine skews every figure: the 1-minute load average and core count say how much.
      loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
      cores: availableParallelism(),
      ...(figure === 'lazy-walk' ? { goalPrefixesPerSec: 3_000_000, goalMet: r.prefixesPerSec >= 3_000_000 } : {}),
    };
    console.log(JSON.stringify(line));
    rows.push(`${figure.padEnd(24)} ${w.name.padEnd(20)} ${String(line.messagesPerSec).padStart(10)} msg/s ${String(line.prefixesPerSec).padStart(12)} prefixes/s`);
  }
}
process.stderr.write(`${rows.join('\n')}\n(sink ${sink & 1})\n`);
