import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hex, toHex } from '../../support/hex.js';
import { EncodeError } from '../../../src/bgp/errors.js';
import { createCodecContext, type CodecContext } from '../../../src/bgp/context.js';
import { Family, familyKey } from '../../../src/bgp/family.js';
import { Prefix } from '../../../src/bgp/prefix.js';
import { UpdateBuilder } from '../../../src/bgp/update/update-builder.js';
import type { UpdateAttributes } from '../../../src/bgp/update/path-attributes.js';
import { UpdateView } from '../../../src/bgp/update/update-view.js';

const ctx = createCodecContext();
const ATTRS: UpdateAttributes = {
  origin: 0,
  asPath: [{ type: 2, asns: [65001] }],
  nextHop: '192.0.2.1',
};

describe('UpdateBuilder: exact bytes', () => {
  it('classic IPv4 unicast announce', () => {
    const [frame, ...rest] = new UpdateBuilder(ctx).attributes(ATTRS).announce([Prefix.parse('198.51.100.0/24')]).build();
    expect(rest).toEqual([]);
    expect(toHex(frame!)).toBe(
      toHex(
        hex(`ffffffffffffffffffffffffffffffff 002f 02  # marker, length 47, UPDATE
             0000                                 # no withdrawn routes
             0014                                 # 20 octets of attributes
             40 01 01 00                          # ORIGIN IGP
             40 02 06 02 01 0000fde9              # AS_PATH [65001]
             40 03 04 c0000201                    # NEXT_HOP 192.0.2.1
             18 c63364                            # 198.51.100.0/24`),
      ),
    );
  });

  it('IPv6 announce in MP_REACH_NLRI (placed first, RFC 7606 §5.1), no NEXT_HOP (RFC 4760 §3)', () => {
    const [frame] = new UpdateBuilder(ctx).attributes(ATTRS).announce([Prefix.parse('2001:db8::/32')], { nextHop: '2001:db8::1' }).build();
    expect(toHex(frame!)).toBe(
      toHex(
        hex(`ffffffffffffffffffffffffffffffff 0041 02  # length 65
             0000 002a                            # 42 octets of attributes
             80 0e 1a 0002 01                     # MP_REACH_NLRI, 26 octets: IPv6 unicast
             10 20010db8000000000000000000000001  # next hop
             00                                   # reserved
             20 20010db8                          # 2001:db8::/32
             40 01 01 00 40 02 06 02 01 0000fde9  # ORIGIN, AS_PATH`),
      ),
    );
  });

  it('withdrawals: classic Withdrawn Routes and MP_UNREACH_NLRI; End-of-RIB markers (RFC 4724 §2)', () => {
    const frames = new UpdateBuilder(ctx)
      .withdraw([Prefix.parse('10.0.0.0/8')])
      .withdraw([Prefix.parse('2001:db8::/32')])
      .endOfRib(Family.IPV4_UNICAST)
      .endOfRib(Family.IPV6_UNICAST)
      .build();
    expect(frames.map(toHex)).toEqual([
      'ffffffffffffffffffffffffffffffff001902' + '0002080a' + '0000',
      'ffffffffffffffffffffffffffffffff002202' + '0000' + '000b' + '800f08000201' + '2020010db8',
      'ffffffffffffffffffffffffffffffff001702' + '00000000',
      'ffffffffffffffffffffffffffffffff001d02' + '0000' + '0006' + '800f03000201',
    ]);
    expect(frames.map((f) => UpdateView.fromMessage(f, ctx).endOfRibFamily)).toEqual([undefined, undefined, Family.IPV4_UNICAST, Family.IPV6_UNICAST]);
  });

  it('ADD-PATH path ids per ctx.addPathSend (RFC 7911)', () => {
    const send = createCodecContext({ addPathSend: ['ipv4-unicast'] });
    const [frame] = new UpdateBuilder(send).attributes(ATTRS).announce([Prefix.parse('10.0.0.0/8', 42)]).build();
    expect(toHex(frame!).endsWith('0000002a080a')).toBe(true);
    const recv = createCodecContext({ addPathReceive: ['ipv4-unicast'] });
    expect([...UpdateView.fromMessage(frame!, recv).announced()].map((p) => p.pathId)).toEqual([42]);
  });

  it('sets Extended Length on an attribute value over 255 octets', () => {
    const communities = Array.from({ length: 70 }, (_, i) => 0xfde90000 + i); // 280 octets
    const [frame] = new UpdateBuilder(ctx).attributes({ ...ATTRS, communities }).announce([Prefix.parse('10.0.0.0/8')]).build();
    const view = UpdateView.fromMessage(frame!, ctx);
    const attr = view.attribute(8)!;
    expect(attr.flags).toBe(0xd0); // optional, transitive, extended length
    expect(attr.value.length).toBe(280);
    expect(view.communities).toEqual(communities);
    const [small] = new UpdateBuilder(ctx).attributes({ ...ATTRS, communities: [1] }).announce([Prefix.parse('10.0.0.0/8')]).build();
    expect(UpdateView.fromMessage(small!, ctx).attribute(8)!.flags).toBe(0xc0);
  });
});

describe('UpdateBuilder: splitting and limits', () => {
  const many = (n: number): Prefix[] => Array.from({ length: n }, (_, i) => new Prefix(1, Uint8Array.of(10, (i >> 8) & 0xff, i & 0xff, 0), 24));

  it('splits at 4096 and at 65535 with Extended Message (RFC 8654), losing nothing', () => {
    for (const [c, expectMessages] of [
      [ctx, 5], // 4 octets per /24, (4096 - 23 - 20) / 4 = 1013 per message
      [createCodecContext({ extendedMessage: true }), 1],
    ] as const) {
      const prefixes = many(5000);
      const frames = new UpdateBuilder(c).attributes(ATTRS).announce(prefixes).build();
      expect(frames.length).toBe(expectMessages);
      for (const f of frames) expect(f.length).toBeLessThanOrEqual(c.maxMessageLength);
      const back = frames.flatMap((f) => [...UpdateView.fromMessage(f, c).announced()]);
      expect(back.length).toBe(5000);
      back.forEach((p, i) => expect(p.equals(prefixes[i]!)).toBe(true));
    }
  });

  it('fills each message: a 4096-octet split leaves no room for one more prefix', () => {
    const frames = new UpdateBuilder(ctx).attributes(ATTRS).announce(many(2000)).build();
    for (const f of frames.slice(0, -1)) expect(f.length).toBeGreaterThan(4096 - 4);
  });

  it('an attribute set that cannot fit is an EncodeError naming the field, its size and the limit', () => {
    const communities = Array.from({ length: 1100 }, (_, i) => i); // 4400 octets
    const b = new UpdateBuilder(ctx).attributes({ ...ATTRS, communities }).announce([Prefix.parse('10.0.0.0/8')]);
    expect(() => b.build()).toThrowError(EncodeError);
    try {
      b.build();
    } catch (e) {
      const err = e as EncodeError;
      expect(err.field).toBe('path attributes');
      expect(err.size).toBe(4400 + 4 + 20);
      expect(err.limit).toBe(4096 - 23);
    }
    // The same set fits with Extended Message.
    expect(new UpdateBuilder(createCodecContext({ extendedMessage: true })).attributes({ ...ATTRS, communities }).announce([Prefix.parse('10.0.0.0/8')]).build()).toHaveLength(1);
  });

  it('refuses announcements without the well-known mandatory attributes (RFC 4271 §5.1)', () => {
    const p = [Prefix.parse('10.0.0.0/8')];
    expect(() => new UpdateBuilder(ctx).attributes({ asPath: [], nextHop: '192.0.2.1' }).announce(p).build()).toThrowError(/ORIGIN/);
    expect(() => new UpdateBuilder(ctx).attributes({ origin: 0, nextHop: '192.0.2.1' }).announce(p).build()).toThrowError(/AS_PATH/);
    expect(() => new UpdateBuilder(ctx).attributes({ origin: 0, asPath: [] }).announce(p).build()).toThrowError(/NEXT_HOP/);
    // MP families need no NEXT_HOP attribute (RFC 4760 §3).
    expect(new UpdateBuilder(ctx).attributes({ origin: 0, asPath: [] }).announce([Prefix.parse('::/0')], { nextHop: '2001:db8::1' }).build()).toHaveLength(1);
  });

  it('refuses families without an NLRI codec and MP announcements without a next hop', () => {
    expect(() => new UpdateBuilder(ctx).announce([Prefix.parse('10.0.0.0/8')], { safi: 128 })).toThrowError(EncodeError);
    expect(() => new UpdateBuilder(ctx).attributes(ATTRS).announce([Prefix.parse('2001:db8::/32')]).build()).toThrowError(/next hop/);
  });

  it('a 2-octet session gets AS_PATH with AS_TRANS and AS4_PATH (RFC 6793 §4.2.2), merged back on receipt', () => {
    const asn2 = createCodecContext({ asn4: false });
    const asPath = [{ type: 2 as const, asns: [65001, 4200000000] }];
    const [frame] = new UpdateBuilder(asn2).attributes({ ...ATTRS, asPath }).announce([Prefix.parse('10.0.0.0/8')]).build();
    const view = UpdateView.fromMessage(frame!, asn2);
    expect(view.rawAsPath).toEqual([{ type: 2, asns: [65001, 23456] }]);
    expect(view.asPath).toEqual(asPath);
  });
});

describe('UpdateBuilder: route reflection and newer attributes', () => {
  it('ORIGINATOR_ID, CLUSTER_LIST, LARGE_COMMUNITY and OTC go out and come back', () => {
    const attrs: UpdateAttributes = {
      ...ATTRS,
      originatorId: '192.0.2.99',
      clusterList: ['10.0.0.1', '10.0.0.2'],
      largeCommunities: [[4200000000, 1, 2]],
      otc: 65010,
    };
    const [frame] = new UpdateBuilder(ctx).attributes(attrs).announce([Prefix.parse('10.0.0.0/8')]).build();
    const v = UpdateView.fromMessage(frame!, ctx);
    expect(v.validate().action).toBe('ok');
    expect([v.originatorId, v.clusterList, v.largeCommunities, v.otc]).toEqual(['192.0.2.99', ['10.0.0.1', '10.0.0.2'], [[4200000000, 1, 2]], 65010]);
    expect([...v.attributes()].map((a) => a.type)).toEqual([1, 2, 3, 9, 10, 32, 35]);
    expect(v.mpReach).toBeUndefined();
  });

  it('the MP_REACH_NLRI header is also readable through the attribute codec', () => {
    const [frame] = new UpdateBuilder(ctx).attributes(ATTRS).announce([Prefix.parse('2001:db8::/32')], { nextHop: '2001:db8::1' }).build();
    const v = UpdateView.fromMessage(frame!, ctx);
    expect([v.mpReach?.afi, v.mpReach?.safi]).toEqual([2, 1]);
    expect([v.mpReach?.nlriStart, v.mpReach?.nlriEnd]).toEqual([v.mpReachLocation?.nlriStart, v.mpReachLocation?.nlriEnd]);
  });
});

describe('round trips', () => {
  const prefixArb = (afi: 1 | 2): fc.Arbitrary<Prefix> =>
    fc
      .tuple(fc.uint8Array({ minLength: afi === 1 ? 4 : 16, maxLength: afi === 1 ? 4 : 16 }), fc.integer({ min: 0, max: afi === 1 ? 32 : 128 }), fc.nat({ max: 0xffffffff }))
      .map(([a, l, id]) => new Prefix(afi, a, l, id).canonical());
  const attrsArb: fc.Arbitrary<UpdateAttributes> = fc.record({
    origin: fc.constantFrom(0 as const, 1 as const, 2 as const),
    asPath: fc.array(fc.record({ type: fc.constantFrom(1 as const, 2 as const), asns: fc.array(fc.integer({ min: 1, max: 0xffffffff }), { minLength: 1, maxLength: 20 }) /* AS 0 is malformed, RFC 7607 */ }), { maxLength: 4 }),
    nextHop: fc.constant('192.0.2.1'),
    med: fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }),
    localPref: fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }),
    communities: fc.option(fc.array(fc.nat({ max: 0xffffffff }), { minLength: 1, maxLength: 200 }), { nil: undefined }),
  });
  const ctxArb: fc.Arbitrary<CodecContext> = fc
    .record({ addPath: fc.boolean(), extendedMessage: fc.boolean() })
    .map(({ addPath, extendedMessage }) => createCodecContext({ extendedMessage, ...(addPath ? { addPath: ['ipv4-unicast', 'ipv6-unicast'] } : {}) }));

  it('property: random prefix and attribute sets -> build -> view -> same prefixes and attributes, every message within the limit', () => {
    fc.assert(
      fc.property(ctxArb, attrsArb, fc.array(prefixArb(1), { maxLength: 1500 }), fc.array(prefixArb(2), { maxLength: 600 }), fc.array(prefixArb(1), { maxLength: 300 }), (c, attrs, v4, v6, gone) => {
        const addPath = c.addPathSend.size > 0;
        const strip = (p: Prefix): Prefix => (addPath ? p : new Prefix(p.afi, p.address, p.length));
        const frames = new UpdateBuilder(c).attributes(attrs).announce(v4).announce(v6, { nextHop: '2001:db8::1' }).withdraw(gone).build();
        const announced: Prefix[] = [];
        const withdrawn: Prefix[] = [];
        for (const f of frames) {
          expect(f.length).toBeLessThanOrEqual(c.maxMessageLength);
          const view = UpdateView.fromMessage(f, c);
          expect(view.validate().action).toBe('ok');
          announced.push(...view.announced());
          withdrawn.push(...view.withdrawn());
          if (view.hasAnnouncements) {
            expect(view.origin).toBe(attrs.origin);
            expect(view.asPath).toEqual(attrs.asPath);
            expect(view.med).toBe(attrs.med);
            expect(view.communities).toEqual(attrs.communities);
          }
        }
        const expected = [...v4, ...v6].map(strip);
        expect(announced.length).toBe(expected.length);
        announced.forEach((p, i) => expect(p.equals(expected[i]!)).toBe(true));
        expect(withdrawn.length).toBe(gone.length);
        withdrawn.forEach((p, i) => expect(p.equals(strip(gone[i]!))).toBe(true));
      }),
      { numRuns: 60 },
    );
  });

  /** Rebuilds a received UPDATE from its decoded form: the canonical re-encoding. */
  function rebuild(view: UpdateView, c: CodecContext): Uint8Array[] {
    const b = new UpdateBuilder(c).attributes({
      origin: view.origin,
      asPath: view.asPath,
      nextHop: view.hasClassicNlri ? view.nextHop : undefined,
      med: view.med,
      localPref: view.localPref,
      atomicAggregate: view.atomicAggregate,
      aggregator: view.aggregator,
      communities: view.communities,
      raw: view.unknownAttributes,
    });
    const reach = view.mpReachLocation;
    for (const p of view.withdrawn()) b.withdraw([p]);
    const c2 = view.announcedCursor();
    while (c2.next()) {
      const seg = c2.segment!;
      const nh = seg.nextHopEnd > seg.nextHopStart ? view.buf.slice(seg.nextHopStart, seg.nextHopEnd) : undefined;
      b.announce([c2.toPrefix()], nh ? { nextHop: nh, safi: reach?.safi ?? 1 } : {});
    }
    return b.build();
  }

  it('encode(decode(bytes)) equals bytes for canonical input', () => {
    const canonical = [
      ...new UpdateBuilder(ctx)
        .attributes({ ...ATTRS, med: 5, localPref: 100, atomicAggregate: true, aggregator: { asn: 65001, address: '192.0.2.9' }, communities: [1, 2], raw: [{ flags: 0xc0, type: 99, value: Uint8Array.of(7) }] })
        .announce([Prefix.parse('10.0.0.0/8'), Prefix.parse('192.0.2.0/24')])
        .build(),
      ...new UpdateBuilder(ctx).attributes({ origin: 2, asPath: [] }).announce([Prefix.parse('2001:db8::/32')], { nextHop: '2001:db8::1', linkLocalNextHop: 'fe80::1' }).build(),
      ...new UpdateBuilder(ctx).withdraw([Prefix.parse('10.0.0.0/8')]).build(),
    ];
    for (const bytes of canonical) {
      const again = rebuild(UpdateView.fromMessage(bytes, ctx), ctx);
      expect(again.map(toHex)).toEqual([toHex(bytes)]);
    }
  });

  it('decode(encode(x)) equals x for the JSON form', () => {
    const [frame] = new UpdateBuilder(ctx).attributes({ ...ATTRS, localPref: 7 }).announce([Prefix.parse('10.0.0.0/8')]).build();
    const json = UpdateView.fromMessage(frame!, ctx).toJSON();
    expect(json.announced).toEqual({ 'ipv4-unicast': { nextHop: '192.0.2.1', prefixes: [{ prefix: '10.0.0.0/8' }] } });
    expect(json.attributes['localPref']).toBe(7);
    expect(familyKey(1, 1)).toBe(Family.IPV4_UNICAST);
  });
});
