import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv6Text } from '../../../src/bgp/mrt/bgpdump/address-text.js';
import { asPathText, mergeAs4PathBytes } from '../../../src/bgp/mrt/bgpdump/as-path-text.js';
import { communitiesText } from '../../../src/bgp/mrt/bgpdump/attributes.js';
import { BgpdumpFormatter } from '../../../src/bgp/mrt/bgpdump/formatter.js';
import { MrtError } from '../../../src/bgp/mrt/mrt-error.js';
import { MrtFramer } from '../../../src/bgp/mrt/mrt-framer.js';
import { parseIPv6 } from '../../../src/bgp/ip-address.js';
import { concatBytes, hex } from '../../support/hex.js';
import * as V from './mrt-vectors.js';

function lines(fmt: BgpdumpFormatter, ...records: Uint8Array[]): string {
  const f = new MrtFramer();
  f.push(concatBytes(records));
  f.end();
  let out = '';
  for (let r = f.next(); r; r = f.next()) if (!(r instanceof MrtError)) out += fmt.format(r);
  return out;
}

// Expected lines were checked against the bgpdump 1.6.2 binary on the same vectors.
const CASES: [string, Uint8Array[], string][] = [
  ['TABLE_DUMP', [V.TABLE_DUMP_V4], 'TABLE_DUMP|1600000000|B|198.51.100.1|65000|192.0.2.0/24|65000 65001|IGP|198.51.100.1|0|0||NAG||\n'],
  ['TABLE_DUMP2 IPv4, 4-octet AS, no-export', [V.PEER_INDEX, V.RIB_V4], 'TABLE_DUMP2|1600000000|B|192.0.2.1|65000|198.51.100.0/24|65000 4200000001|INCOMPLETE|192.0.2.1|0|0|no-export|NAG||\n'],
  ['TABLE_DUMP2 IPv6, abbreviated MP_REACH next hop', [V.PEER_INDEX, V.RIB_V6], 'TABLE_DUMP2|1600000000|B|2001:db8::2|4200000001|2001:db8::/32|4200000001 65001|IGP|2001:db8::2|0|0||NAG||\n'],
  ['TABLE_DUMP2_AP: path id, no NEXT_HOP prints 255.255.255.255', [V.PEER_INDEX, V.RIB_V4_ADDPATH], 'TABLE_DUMP2_AP|1600000000|B|192.0.2.1|65000|10.0.0.0/16|42||IGP|255.255.255.255|0|0||NAG||\n'],
  ['RIB_GENERIC prints nothing (bgpdump reads unicast RIBs only)', [V.PEER_INDEX, V.RIB_GENERIC], ''],
  [
    'BGP4MP W then A, MED, AG, aggregator',
    [V.BGP4MP_AS4],
    'BGP4MP|1600000000|W|192.0.2.1|65000|192.0.2.0/25\nBGP4MP|1600000000|A|192.0.2.1|65000|198.51.100.0/24|65000 65001|IGP|192.0.2.1|0|100||AG|65001 192.0.2.9|\n',
  ],
  [
    'BGP4MP_ET time with microseconds',
    [V.BGP4MP_ET_AS4],
    'BGP4MP_ET|1600000000.001234|W|192.0.2.1|65000|192.0.2.0/25\nBGP4MP_ET|1600000000.001234|A|192.0.2.1|65000|198.51.100.0/24|65000 65001|IGP|192.0.2.1|0|100||AG|65001 192.0.2.9|\n',
  ],
  ['BGP4MP_AP path id', [V.BGP4MP_AS4_ADDPATH], 'BGP4MP_AP|1600000000|A|192.0.2.1|65000|203.0.113.0/24|7|65000|IGP|192.0.2.1|0|0||NAG||\n'],
  [
    'BGP4MP_LOCAL (MESSAGE_AS4_LOCAL): the first pair is printed',
    [V.withSubtype(V.BGP4MP_AS4, 7)],
    'BGP4MP_LOCAL|1600000000|W|192.0.2.1|65000|192.0.2.0/25\nBGP4MP_LOCAL|1600000000|A|192.0.2.1|65000|198.51.100.0/24|65000 65001|IGP|192.0.2.1|0|100||AG|65001 192.0.2.9|\n',
  ],
  [
    'MESSAGE_AS4_LOCAL_ADDPATH: bgpdump names it BGP4MP_AP and prints the second pair',
    [V.withSubtype(V.BGP4MP_AS4_ADDPATH, 11)],
    'BGP4MP_AP|1600000000|A|192.0.2.2|65001|203.0.113.0/24|7|65000|IGP|192.0.2.1|0|0||NAG||\n',
  ],
  ['STATE IPv6', [V.STATE_CHANGE_V6], 'BGP4MP|1600000000|STATE|2001:db8::1|65000|1|2\n'],
  ['STATE AS4', [V.STATE_CHANGE_AS4], 'BGP4MP|1600000000|STATE|192.0.2.1|4200000001|5|6\n'],
  ['STATE old Zebra 8 octets', [V.STATE_CHANGE_ZEBRA8], 'BGP4MP|1600000000|STATE|0.0.0.0|65000|6|7\n'],
  ['type 5 BGP UPDATE (no | between MED and communities, as bgpdump)', [V.LEGACY_UPDATE], 'BGP|1600000000|A|192.0.2.1|65000|198.51.101.0/24|65000 65001|IGP|198.51.100.1|0|0|NAG||\n'],
  ['type 5 BGP STATE', [V.LEGACY_STATE], 'BGP|1600000000|STATE|192.0.2.1|65000|3|4\n'],
  ['PEER_INDEX_TABLE prints nothing', [V.PEER_INDEX], ''],
];

describe('BgpdumpFormatter: the bgpdump -m line format', () => {
  it.each(CASES)('%s', (_name, records, expected) => {
    expect(lines(new BgpdumpFormatter(), ...records)).toBe(expected);
  });

  it('counts lines and prefixes', () => {
    const f = new BgpdumpFormatter();
    lines(f, V.PEER_INDEX, V.RIB_V4, V.BGP4MP_AS4, V.STATE_CHANGE_V6);
    expect([f.stats.records, f.stats.lines, f.stats.prefixes, f.stats.skipped]).toEqual([4, 4, 3, 1]);
  });

  it('clears host bits by default, keeps them with maskHostBits: false (bgpdump 1.6.2)', () => {
    const rec = V.record(V.T, 16, 4, hex(`
      0000fde8 0000fde9 0000 0001 c0000201 c0000202   # peer/local, AFI 1
      ffffffffffffffffffffffffffffffff 0024 02        # marker, length 36, UPDATE
      0000 0004 40010100                              # no withdrawals; ORIGIN IGP
      0d 0b 0d 00                                     # 11.13.0.0/13: bits past /13 set
    `));
    expect(lines(new BgpdumpFormatter(), rec)).toContain('|11.8.0.0/13|');
    expect(lines(new BgpdumpFormatter({ maskHostBits: false }), rec)).toContain('|11.13.0.0/13|');
  });

  it('largeCommunities adds the field of bgpdump -l after the communities (not on type 5 lines, as bgpdump)', () => {
    const LC = hex('c0 20 18 0000fde8 00000001 00000002 fa56ea01 00000003 00000004'); // LARGE_COMMUNITY, 2 values
    const attrs = concatBytes([V.ATTRS_AS2, LC]);
    const td = V.record(V.T, 12, 1, concatBytes([hex('0000 0005 c0000200 18 01 5f5e0f00 c6336401 fde8'), Uint8Array.of(0, attrs.length), attrs]));
    const legacy = V.record(V.T, 5, 1, concatBytes([hex('fde8 c0000201 fde9 c0000202 0000'), Uint8Array.of(0, attrs.length), attrs, hex('18 c6 33 65')]));
    const fmt = new BgpdumpFormatter({ largeCommunities: true });
    expect(lines(fmt, td)).toBe('TABLE_DUMP|1600000000|B|198.51.100.1|65000|192.0.2.0/24|65000 65001|IGP|198.51.100.1|0|0||65000:1:2 4200000001:3:4|NAG||\n');
    expect(lines(fmt, legacy)).toBe('BGP|1600000000|A|192.0.2.1|65000|198.51.101.0/24|65000 65001|IGP|198.51.100.1|0|0|NAG||\n');
    expect(lines(new BgpdumpFormatter({ largeCommunities: true }), V.BGP4MP_AS4)).toContain('|100|||AG|65001 192.0.2.9|');
  });

  it('ribTime change: RIB lines carry the originated time (bgpdump -t change)', () => {
    const fmt = new BgpdumpFormatter({ ribTime: 'change' });
    expect(lines(fmt, V.PEER_INDEX, V.RIB_V4)).toMatch(/^TABLE_DUMP2\|1599999744\|B\|/);
    expect(lines(fmt, V.TABLE_DUMP_V4)).toMatch(/^TABLE_DUMP\|1599999744\|B\|/);
    expect(lines(fmt, V.BGP4MP_AS4)).toMatch(/^BGP4MP\|1600000000\|W\|/); // updates keep the record time
  });

  it('a BGP Length field under 18 reads the rest of the record, as bgpdump (unsigned wrap-around)', () => {
    const rec = V.BGP4MP_AS4.slice();
    rec[12 + 20 + 16] = 0x00; // Length 4 (header 12, peer fields 20, marker 16)
    rec[12 + 20 + 17] = 0x04;
    expect(lines(new BgpdumpFormatter(), rec)).toBe(lines(new BgpdumpFormatter(), V.BGP4MP_AS4));
  });

  it('a bad marker or a non-UPDATE message prints nothing', () => {
    const badMarker = V.BGP4MP_AS4.slice();
    badMarker[12 + 20] = 0;
    expect(lines(new BgpdumpFormatter(), badMarker)).toBe('');
    const keepalive = V.record(V.T, 16, 4, hex('0000fde8 0000fde9 0000 0001 c0000201 c0000202 ffffffffffffffffffffffffffffffff 0013 04'));
    expect(lines(new BgpdumpFormatter(), keepalive)).toBe('');
  });
});

describe('bgpdump text helpers', () => {
  it.each([
    ['2001:7f8:30:0:2:1:0:8447', '2001:7f8:30::2:1:0:8447'], // the first single zero group is compressed
    ['2001:db8::1', '2001:db8::1'],
    ['fe80::', 'fe80::'],
    ['::', '::'],
    ['::1', '::1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::192.0.2.1', '::192.0.2.1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('ipv6Text(%s) = %s', (input, text) => {
    expect(ipv6Text(parseIPv6(input)!, 0)).toBe(text);
  });

  it.each([
    ['sequence', '02 03 0001 0002 0003', 2, '1 2 3', 3],
    ['set', '02 01 0001 01 02 0005 0004', 2, '1 {5,4}', 2],
    ['confed sequence and set', '03 02 0001 0002 04 01 0003 02 01 0009', 2, '(1 2) [3] 9', 4],
    ['4-octet', '02 02 fa56ea01 0000fde8', 4, '4200000001 65000', 2],
    ['bad segment type', '05 01 0001', 2, '! Error !', 0],
    ['segment past the end', '02 05 0001', 2, '! Error !', 0],
    ['empty', '', 2, '', 0],
  ] as const)('asPathText: %s', (_n, bytes, asnLen, text, count) => {
    const b = hex(bytes);
    expect(asPathText(b, 0, b.length, asnLen)).toEqual({ text, count });
  });

  it('merges AS4_PATH as bgpdump does (RFC 6793 §4.2.3)', () => {
    const asPath = hex('02 04 fde8 5ba0 5ba0 0001'); // 65000 23456 23456 1
    const as4 = hex('02 03 fa56ea01 fa56ea02 00000001'); // 4200000001 4200000002 1
    const merged = mergeAs4PathBytes(asPath, 4, as4, 3);
    expect(asPathText(merged, 0, merged.length, 4).text).toBe('65000 4200000001 4200000002 1');
  });

  it('a first segment that adds nothing stops the merge instead of looping', () => {
    const asPath = hex('02 00 02 02 0001 0002');
    const as4 = hex('02 01 00000002');
    const merged = mergeAs4PathBytes(asPath, 2, as4, 1);
    expect(asPathText(merged, 0, merged.length, 4).text).toBe('2');
  });

  it('communities: a:b and the three names bgpdump knows', () => {
    const b = hex('fde80064 ffffff01 ffffff02 ffffff03 ffff029a');
    expect(communitiesText(b, 0, b.length)).toBe(' 65000:100 no-export no-advertise local-AS 65535:666');
  });
});

describe('BgpdumpFormatter on damaged input', () => {
  const ALL = [V.PEER_INDEX, V.RIB_V4, V.RIB_V6, V.RIB_V4_ADDPATH, V.TABLE_DUMP_V4, V.BGP4MP_AS4, V.BGP4MP_ET_AS4, V.BGP4MP_AS4_ADDPATH, V.STATE_CHANGE_V6, V.LEGACY_UPDATE];
  it('never throws and always ends, whatever the bytes inside a record', () => {
    fc.assert(
      fc.property(
        fc.nat(ALL.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 10 }),
        fc.nat(),
        (which, flips, cut) => {
          const rec = ALL[which]!.slice();
          // Keep the 12-octet header so the record still frames; damage the body and its length.
          const body = rec.subarray(12);
          for (const [at, v] of flips) body[at % body.length] = v;
          const len = 12 + (cut % (body.length + 1));
          const damaged = V.record(V.T, rec[5]!, rec[7]!, rec.subarray(12, len));
          const out = lines(new BgpdumpFormatter(), V.PEER_INDEX, damaged);
          expect(typeof out).toBe('string');
          for (const line of out.split('\n').filter(Boolean)) expect(line).toMatch(/^(TABLE_DUMP2?(_AP)?|BGP4MP\w*|BGP)\|/);
        },
      ),
      { numRuns: 500 },
    );
  });
});
