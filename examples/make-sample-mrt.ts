/**
 * Generates examples/data/sample.mrt.gz: a small, deterministic MRT file made
 * with fibwire's own encoders (UpdateBuilder, the attribute codecs, MrtWriter).
 *
 *   npx tsx examples/make-sample-mrt.ts [OUT]
 *
 * Contents (fixed timestamps, a seeded generator, so every run writes the same
 * bytes): a TABLE_DUMP_V2 PEER_INDEX_TABLE with four peers (IPv4/IPv6, 2- and
 * 4-octet ASNs), RIB_IPV4_UNICAST and RIB_IPV6_UNICAST records for 240
 * prefixes with communities, large communities, MED, atomic aggregate and
 * aggregator on some routes, then a BGP4MP section: state changes to
 * Established and UPDATEs announcing and withdrawing IPv4 and IPv6 prefixes.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createCodecContext } from '../src/bgp/context.js';
import { Prefix } from '../src/bgp/prefix.js';
import { UpdateBuilder } from '../src/bgp/update/update-builder.js';
import { encodeAttributeBlocks, type UpdateAttributes } from '../src/bgp/update/path-attributes.js';
import { abbreviatedMpReach, MrtWriter } from '../src/bgp/mrt/mrt-writer.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? join(here, 'data', 'sample.mrt.gz');

/** Park–Miller minimal standard generator: deterministic across runs and platforms. */
let seed = 20260101;
function rand(n: number): number {
  seed = (seed * 48271) % 0x7fffffff;
  return seed % n;
}

const DUMP_TIME = 1767225600; // 2026-01-01T00:00:00Z
const ctx = createCodecContext({ asn4: true });

const peers = [
  { bgpId: '192.0.2.1', ip: '192.0.2.1', asn: 64496, nextHop4: '192.0.2.1', nextHop6: '2001:db8:ffff::1' },
  { bgpId: '192.0.2.2', ip: '192.0.2.2', asn: 4200000001, nextHop4: '192.0.2.2', nextHop6: '2001:db8:ffff::2' },
  { bgpId: '192.0.2.3', ip: '2001:db8:ffff::3', asn: 64511, nextHop4: '192.0.2.3', nextHop6: '2001:db8:ffff::3' },
  { bgpId: '192.0.2.4', ip: '2001:db8:ffff::4', asn: 4200000002, nextHop4: '192.0.2.4', nextHop6: '2001:db8:ffff::4' },
] as const;

const ORIGIN_ASNS = [64500, 64501, 64502, 65010, 65020, 4200000100, 4200000200];
const TRANSIT_ASNS = [174, 1299, 2914, 3356, 6939, 3257];

function attributesFor(peerAsn: number, i: number): UpdateAttributes {
  const hops = 1 + rand(3);
  const asns = [peerAsn];
  for (let h = 0; h < hops; h++) asns.push(TRANSIT_ASNS[rand(TRANSIT_ASNS.length)]!);
  asns.push(ORIGIN_ASNS[i % ORIGIN_ASNS.length]!);
  const communities: number[] = [];
  for (let c = rand(4); c > 0; c--) communities.push((((peerAsn & 0xffff) << 16) | (100 + rand(900))) >>> 0);
  if (i % 17 === 0) communities.push(0xffffff01); // NO_EXPORT
  const large = i % 3 === 0 ? [[peerAsn, 1, i] as const, [peerAsn, 2, rand(1000)] as const] : [];
  return {
    origin: i % 11 === 0 ? 2 : 0,
    asPath: [{ type: 2, asns }],
    ...(i % 5 === 0 ? { med: rand(200) } : {}),
    ...(i % 13 === 0 ? { atomicAggregate: true, aggregator: { asn: asns[asns.length - 1]!, address: '198.51.100.1' } } : {}),
    ...(communities.length ? { communities } : {}),
    ...(large.length ? { typed: [{ type: 32, value: large }] } : {}),
  };
}

function v4Prefix(i: number): Prefix {
  // 10.x.y.0/24 and a few shorter ones
  const len = i % 10 === 0 ? 20 : 24;
  return Prefix.parse(`10.${(i >> 4) & 255}.${(i & 15) << 4}.0/${len}`).canonical();
}

function v6Prefix(i: number): Prefix {
  const len = i % 8 === 0 ? 40 : 48;
  return Prefix.parse(`2001:db8:${(0x100 + i).toString(16)}::/${len}`).canonical();
}

const w = new MrtWriter();
w.peerIndexTable(DUMP_TIME, { collectorBgpId: '192.0.2.254', viewName: 'fibwire-sample', peers });

let seq = 0;
const ribFor = (prefix: Prefix, i: number): void => {
  const entries = [];
  const count = 1 + rand(3);
  for (let k = 0; k < count; k++) {
    const peerIndex = (i + k) % peers.length;
    const peer = peers[peerIndex]!;
    const attrs = attributesFor(peer.asn, i + k);
    let attributes: Uint8Array;
    if (prefix.afi === 1) {
      attributes = encodeAttributeBlocks({ ...attrs, nextHop: peer.nextHop4 }, ctx).classic;
    } else {
      // RFC 6396 §4.3.4: IPv6 routes carry the abbreviated MP_REACH_NLRI (next hop only).
      const rest = encodeAttributeBlocks(attrs, ctx).mpOnly;
      const mp = abbreviatedMpReach(peer.nextHop6);
      attributes = new Uint8Array(mp.length + rest.length);
      attributes.set(mp, 0);
      attributes.set(rest, mp.length);
    }
    entries.push({ peerIndex, originatedTime: DUMP_TIME - 3600 * (1 + rand(48)), attributes });
  }
  w.ribEntry(DUMP_TIME, seq++, prefix, entries);
};
for (let i = 0; i < 160; i++) ribFor(v4Prefix(i), i);
for (let i = 0; i < 80; i++) ribFor(v6Prefix(i), i);

// BGP4MP: the collector (AS 64512) hears each peer come up, then UPDATEs.
const UPDATE_TIME = DUMP_TIME + 300;
const local4 = '192.0.2.254';
const local6 = '2001:db8:ffff::fe';
let t = UPDATE_TIME;
for (const p of peers) {
  const fields = { peerAs: p.asn, localAs: 64512, peerIp: p.ip, localIp: p.ip.includes(':') ? local6 : local4 };
  for (const [from, to] of [[1, 2], [2, 4], [4, 5], [5, 6]] as const) w.bgp4mpStateChangeAs4(t, fields, from, to);
  t += 1;
}
for (let round = 0; round < 12; round++) {
  const p = peers[round % peers.length]!;
  const fields = { peerAs: p.asn, localAs: 64512, peerIp: p.ip, localIp: p.ip.includes(':') ? local6 : local4 };
  const base = 200 + round * 6;
  const v4 = [0, 1, 2, 3].map((k) => v4Prefix(base + k));
  const v6 = [0, 1].map((k) => v6Prefix(base + k));
  const frames = new UpdateBuilder(ctx)
    .attributes({ ...attributesFor(p.asn, base), nextHop: p.nextHop4 })
    .announce(v4)
    .announce(v6, { nextHop: p.nextHop6 })
    .build();
  for (const f of frames) w.bgp4mpMessageAs4(t, fields, f);
  t += 7;
  if (round % 3 === 2) {
    const gone = new UpdateBuilder(ctx).withdraw([v4[0]!, v6[0]!]).build();
    for (const f of gone) w.bgp4mpMessageAs4(t, fields, f);
    t += 3;
  }
}
const p0 = peers[0]!;
w.bgp4mpStateChangeAs4(t, { peerAs: p0.asn, localAs: 64512, peerIp: p0.ip, localIp: local4 }, 6, 1);

const bytes = w.finish();
writeFileSync(out, gzipSync(bytes, { level: 9 }));
console.log(`wrote ${out}: ${w.records} records, ${bytes.length} bytes before gzip`);
