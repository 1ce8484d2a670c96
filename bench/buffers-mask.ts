/**
 * Micro-benchmark: how should PooledMessage keep its 64-bit "required
 * capabilities" mask — one bigint, or two uint32 numbers (low/high word)?
 *
 * It times the operation the passthrough layer does per message and peer (seed
 * 003 CanPassThrough: exclusive bits must match, additive bits must be present)
 * and the per-message store into a reused object. Prints one JSON line per
 * figure (and a small table on stderr). Run: `npx tsx bench/buffers-mask.ts`.
 */

const ITERATIONS = 5_000_000;
const ROUNDS = 5;
const PEERS = 64;

// Bit layout from seed 003: EBGP (0) and ASN4 (1) are exclusive; the rest additive.
const EXCLUSIVE_BIG = 0b11n;
const ADDITIVE_BIG = ((1n << 34n) - 1n) & ~EXCLUSIVE_BIG;
const EXCLUSIVE_LO = 0b11;
const ADDITIVE_LO = ~EXCLUSIVE_LO >>> 0;
const ADDITIVE_HI = 0b11; // bits 32, 33 (FlowSpec v6, BGP-LS)

interface BigMeta {
  requiredCaps: bigint;
}
interface PairMeta {
  requiredCapsLow: number;
  requiredCapsHigh: number;
}

/** Deterministic pseudo-random masks (xorshift32) so both variants see the same data. */
function masks(count: number, seed: number): Array<[number, number]> {
  let state = seed >>> 0;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const out: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) out.push([next(), next() & 0b11]);
  return out;
}

function benchBigint(peerMasks: bigint[], messages: BigMeta[]): { ns: number; hits: number } {
  let hits = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    const required = (messages[i & (messages.length - 1)] as BigMeta).requiredCaps;
    const peer = peerMasks[i & (PEERS - 1)] as bigint;
    const additive = required & ADDITIVE_BIG;
    if ((peer & EXCLUSIVE_BIG) === (required & EXCLUSIVE_BIG) && (peer & additive) === additive) hits++;
  }
  return { ns: Number(process.hrtime.bigint() - start) / ITERATIONS, hits };
}

function benchPair(peerLo: Uint32Array, peerHi: Uint32Array, messages: PairMeta[]): { ns: number; hits: number } {
  let hits = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    const message = messages[i & (messages.length - 1)] as PairMeta;
    const lo = message.requiredCapsLow;
    const hi = message.requiredCapsHigh;
    const p = i & (PEERS - 1);
    const plo = peerLo[p] as number;
    const phi = peerHi[p] as number;
    const addLo = (lo & ADDITIVE_LO) >>> 0;
    const addHi = (hi & ADDITIVE_HI) >>> 0;
    if ((plo & EXCLUSIVE_LO) === (lo & EXCLUSIVE_LO) && ((plo & addLo) >>> 0) === addLo && ((phi & addHi) >>> 0) === addHi) hits++;
  }
  return { ns: Number(process.hrtime.bigint() - start) / ITERATIONS, hits };
}

function benchStoreBigint(messages: BigMeta[], source: bigint[]): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    (messages[i & (messages.length - 1)] as BigMeta).requiredCaps = source[i & (source.length - 1)] as bigint;
  }
  return Number(process.hrtime.bigint() - start) / ITERATIONS;
}

function benchStorePair(messages: PairMeta[], lo: Uint32Array, hi: Uint32Array): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    const message = messages[i & (messages.length - 1)] as PairMeta;
    const j = i & (lo.length - 1);
    message.requiredCapsLow = lo[j] as number;
    message.requiredCapsHigh = hi[j] as number;
  }
  return Number(process.hrtime.bigint() - start) / ITERATIONS;
}

const peerRaw = masks(PEERS, 0x9e3779b9);
// Make a good share of peers compatible: copy exclusive bits from message 0 and set all additive bits.
const messageRaw = masks(1024, 0x1234567);
const peerBig = peerRaw.map(([lo, hi], k) => (k % 2 === 0 ? (BigInt(hi) << 32n) | BigInt(lo >>> 0) : (1n << 34n) - 1n));
const peerLo = Uint32Array.from(peerBig, (m) => Number(m & 0xffffffffn));
const peerHi = Uint32Array.from(peerBig, (m) => Number(m >> 32n));
const bigMessages: BigMeta[] = messageRaw.map(([lo, hi]) => ({ requiredCaps: (BigInt(hi) << 32n) | BigInt(lo >>> 0) }));
const pairMessages: PairMeta[] = messageRaw.map(([lo, hi]) => ({ requiredCapsLow: lo >>> 0, requiredCapsHigh: hi }));
const srcBig = bigMessages.map((m) => m.requiredCaps);
const srcLo = Uint32Array.from(pairMessages, (m) => m.requiredCapsLow);
const srcHi = Uint32Array.from(pairMessages, (m) => m.requiredCapsHigh);

const best = { bigintCheck: Infinity, pairCheck: Infinity, bigintStore: Infinity, pairStore: Infinity };
let hitsBig = 0;
let hitsPair = 0;
for (let round = 0; round < ROUNDS; round++) {
  const b = benchBigint(peerBig, bigMessages);
  const p = benchPair(peerLo, peerHi, pairMessages);
  hitsBig = b.hits;
  hitsPair = p.hits;
  best.bigintCheck = Math.min(best.bigintCheck, b.ns);
  best.pairCheck = Math.min(best.pairCheck, p.ns);
  best.bigintStore = Math.min(best.bigintStore, benchStoreBigint(bigMessages, srcBig));
  best.pairStore = Math.min(best.pairStore, benchStorePair(pairMessages, srcLo, srcHi));
}
if (hitsBig !== hitsPair) {
  throw new Error(`variants disagree: bigint ${hitsBig} hits, uint32 pair ${hitsPair} hits`);
}

const lines = [
  { bench: 'buffers-mask', variant: 'bigint', op: 'canPassThrough', nsPerOp: best.bigintCheck, opsPerSec: 1e9 / best.bigintCheck, hits: hitsBig },
  { bench: 'buffers-mask', variant: 'uint32-pair', op: 'canPassThrough', nsPerOp: best.pairCheck, opsPerSec: 1e9 / best.pairCheck, hits: hitsPair },
  { bench: 'buffers-mask', variant: 'bigint', op: 'store', nsPerOp: best.bigintStore, opsPerSec: 1e9 / best.bigintStore },
  { bench: 'buffers-mask', variant: 'uint32-pair', op: 'store', nsPerOp: best.pairStore, opsPerSec: 1e9 / best.pairStore },
];
for (const line of lines) console.log(JSON.stringify(line));
process.stderr.write('variant       op               ns/op\n');
for (const line of lines) process.stderr.write(`${line.variant.padEnd(13)} ${line.op.padEnd(16)} ${line.nsPerOp.toFixed(2)}\n`);
