import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../../support/hex.js';
import { BgpError } from '../../../src/bgp/errors.js';
import { createCodecContext } from '../../../src/bgp/context.js';
import { Family, familyKey } from '../../../src/bgp/family.js';
import { UpdateView } from '../../../src/bgp/update/update-view.js';
import { UpdatePrefixCursor } from '../../../src/bgp/update/update-prefix-cursor.js';
import { MANDATORY, ORIGIN_ASPATH, updateFrame } from './update-fixtures.js';

const ctx = createCodecContext();

function prefixes(view: UpdateView, announced: boolean): string[] {
  return [...(announced ? view.announced() : view.withdrawn())].map((p) => (p.pathId === undefined ? p.toString() : `${p.toString()}#${p.pathId}`));
}

describe('UpdateView framing and NLRI (table of hex vectors)', () => {
  it.each<[string, string, string[], string[]]>([
    [
      'classic announce',
      `0000                            # withdrawn routes length 0
       0014                            # total path attribute length 20
       ${MANDATORY}
       18 c63364                       # NLRI 198.51.100.0/24
       10 0a01                         # NLRI 10.1.0.0/16`,
      [],
      ['198.51.100.0/24', '10.1.0.0/16'],
    ],
    [
      'classic withdraw only',
      `0005                            # withdrawn routes length 5
       08 0a                           # 10.0.0.0/8
       10 ac10                         # 172.16.0.0/16
       0000                            # no attributes`,
      ['10.0.0.0/8', '172.16.0.0/16'],
      [],
    ],
    [
      'MP_REACH IPv6 announce + classic withdraw',
      `0002 08 0b                        # withdrawn 11.0.0.0/8
       0039                            # total path attribute length 57
       80 0e 1c                        # MP_REACH_NLRI (optional), length 28
         0002 01                       # AFI IPv6, SAFI unicast
         10 20010db8000000000000000000000001  # next hop length 16, 2001:db8::1
         00                            # reserved
         30 20010db80001               # 2001:db8:1::/48
       ${ORIGIN_ASPATH}
       80 0f 0a                        # MP_UNREACH_NLRI, length 10
         0002 01                       # AFI IPv6, SAFI unicast
         30 20010db80002               # 2001:db8:2::/48`,
      ['11.0.0.0/8', '2001:db8:2::/48'],
      ['2001:db8:1::/48'],
    ],
  ])('%s', (_name, body, withdrawn, announced) => {
    const view = UpdateView.fromMessage(updateFrame(body), ctx);
    expect(prefixes(view, false)).toEqual(withdrawn);
    expect(prefixes(view, true)).toEqual(announced);
    expect(view.validate()).toEqual({ action: 'ok', errors: [] });
  });

  it('fromBody reads a window inside a larger buffer', () => {
    const frame = updateFrame(`0000 0014 ${MANDATORY} 18 c63364`);
    const padded = new Uint8Array(frame.length + 10);
    padded.set(frame, 5);
    const view = UpdateView.fromBody(padded, 5 + 19, 5 + frame.length, ctx);
    expect(prefixes(view, true)).toEqual(['198.51.100.0/24']);
    expect(view.nextHop).toBe('192.0.2.1');
  });

  it('fromMessage checks the header (RFC 4271 §6.1)', () => {
    const frame = updateFrame('0000 0000');
    frame[18] = 4;
    expect(() => UpdateView.fromMessage(frame, ctx)).toThrowError(BgpError);
    const bad = updateFrame('0000 0000');
    bad[3] = 0;
    try {
      UpdateView.fromMessage(bad, ctx);
    } catch (e) {
      expect([(e as BgpError).notifyCode, (e as BgpError).notifySubcode]).toEqual([1, 1]);
    }
  });

  it('ADD-PATH ids are read for the families in ctx.addPathReceive only (RFC 7911)', () => {
    const addPath = createCodecContext({ addPathReceive: ['ipv4-unicast'] });
    const body = `0000 0014 ${MANDATORY}
      00000005 18 c63364               # path id 5, 198.51.100.0/24`;
    const view = UpdateView.fromMessage(updateFrame(body), addPath);
    expect(prefixes(view, true)).toEqual(['198.51.100.0/24#5']);
    // Without ADD-PATH the same bytes are a different (malformed) NLRI field.
    expect(UpdateView.fromMessage(updateFrame(body), ctx).validate().action).toBe('session-reset');
  });
});

describe('allocation-free cursor', () => {
  it('walks classic then MP prefixes, reusable across messages', () => {
    const a = UpdateView.fromMessage(updateFrame(`0000 0014 ${MANDATORY} 18 c63364 08 0a`), ctx);
    const b = UpdateView.fromMessage(
      updateFrame(`0000 002a 80 0e 1a 0002 01 10 20010db8000000000000000000000001 00 20 20010db8 ${ORIGIN_ASPATH}`),
      ctx,
    );
    const c = new UpdatePrefixCursor();
    const seen: string[] = [];
    for (const v of [a, b]) {
      v.announcedCursor(c);
      while (c.next()) seen.push(`${c.afi}/${c.safi} ${c.format()} @${c.addressOffset}`);
    }
    expect(seen).toEqual(['1/1 198.51.100.0/24 @44', '1/1 10.0.0.0/8 @48', '2/1 2001:db8::/32 @48']);
    const tmp = new Uint8Array(16);
    b.announcedCursor(c);
    expect(c.next()).toBe(true);
    c.copyAddress(tmp);
    expect(toHex(tmp)).toBe('20010db8000000000000000000000000');
    expect(c.segment?.codec.name).toBe('ipv6-unicast');
    expect(c.next()).toBe(false);
  });
});

describe('forEachPrefix', () => {
  it('visits announced and withdrawn prefixes with one cursor and counts them', () => {
    const v = UpdateView.fromMessage(updateFrame(`0002 08 0b 0014 ${MANDATORY} 18 c63364 08 0a`), ctx);
    const seen: string[] = [];
    let cursor: unknown;
    expect(v.forEachPrefix(true, (c) => {
      cursor ??= c;
      expect(c).toBe(cursor);
      seen.push(c.format());
    })).toBe(2);
    expect(v.forEachPrefix(false, (c) => seen.push(`-${c.format()}`))).toBe(1);
    expect(seen).toEqual(['198.51.100.0/24', '10.0.0.0/8', '-11.0.0.0/8']);
  });
});

describe('attributes', () => {
  const body = `0000 003a
    40 01 01 02                      # ORIGIN INCOMPLETE
    40 02 0a 02 02 0000fde9 0000fdea # AS_PATH [65001 65002]
    40 03 04 c0000201                # NEXT_HOP 192.0.2.1
    80 04 04 00000064                # MED 100
    40 05 04 000000c8                # LOCAL_PREF 200
    40 06 00                         # ATOMIC_AGGREGATE
    c0 08 08 fde90001 ffffff01       # COMMUNITIES 65001:1 NO_EXPORT
    c0 63 03 010203                  # unknown optional transitive type 99
    18 c63364`;

  it('typed getters decode on first use and cache', () => {
    const view = UpdateView.fromMessage(updateFrame(body), ctx);
    expect(view.origin).toBe(2);
    expect(view.asPath).toEqual([{ type: 2, asns: [65001, 65002] }]);
    expect(view.asPath).toBe(view.asPath);
    expect(view.nextHop).toBe('192.0.2.1');
    expect(view.med).toBe(100);
    expect(view.localPref).toBe(200);
    expect(view.atomicAggregate).toBe(true);
    expect(view.communities).toEqual([0xfde90001, 0xffffff01]);
    expect(view.aggregator).toBeUndefined();
    expect(view.unknownAttributes.map((a) => [a.flags, a.type, toHex(a.value)])).toEqual([[0xc0, 99, '010203']]);
    expect(view.attribute(99)?.value.buffer).toBe(view.buf.buffer); // a view, not a copy
    expect([...view.attributes()].map((a) => a.type)).toEqual([1, 2, 3, 4, 5, 6, 8, 99]);
  });

  it('unknown optional transitive attributes are passed on with the Partial bit (RFC 4271 §5)', () => {
    const view = UpdateView.fromMessage(
      updateFrame(`0000 0021 ${MANDATORY}
        c0 63 03 010203                # optional transitive 99: pass on, Partial set
        80 64 01 ff                    # optional non-transitive 100: dropped
        e0 65 00                       # already Partial: kept as is`),
      ctx,
    );
    expect(toHex(view.unknownAttributesToPassOn())).toBe('e06303010203' + 'e06500');
  });

  it('toJSON: families with next hops, attributes by name, unknown ones as hex', () => {
    const view = UpdateView.fromMessage(updateFrame(body), ctx);
    expect(JSON.parse(JSON.stringify(view))).toEqual({
      withdrawn: {},
      announced: { 'ipv4-unicast': { nextHop: '192.0.2.1', prefixes: [{ prefix: '198.51.100.0/24' }] } },
      attributes: {
        origin: view.toJSON().attributes['origin'],
        asPath: view.toJSON().attributes['asPath'],
        nextHop: '192.0.2.1',
        multiExitDisc: 100,
        localPref: 200,
        atomicAggregate: view.toJSON().attributes['atomicAggregate'],
        communities: view.toJSON().attributes['communities'],
      },
      unknownAttributes: [{ flags: 192, type: 99, hex: '010203' }],
    });
    expect(Object.keys(view.toJSON().attributes)).toEqual(['origin', 'asPath', 'nextHop', 'multiExitDisc', 'localPref', 'atomicAggregate', 'communities']);
  });

  it('toJSON: IPv4 unicast both classic and in MP_REACH_NLRI keeps both next hops', () => {
    const view = UpdateView.fromMessage(
      updateFrame(`0000 0024
        80 0e 0d 0001 01 04 c0000263 00 18 c00002   # MP_REACH_NLRI IPv4 unicast via 192.0.2.99: 192.0.2.0/24
        ${MANDATORY}
        08 0a                                     # classic 10.0.0.0/8 via NEXT_HOP 192.0.2.1`),
      ctx,
    );
    expect(view.toJSON().announced).toEqual({
      'ipv4-unicast': { nextHop: '192.0.2.1', prefixes: [{ prefix: '10.0.0.0/8' }] },
      'ipv4-unicast:mp': { nextHop: '192.0.2.99', prefixes: [{ prefix: '192.0.2.0/24' }] },
    });
  });

  it('AS4 merge on a 2-octet session (RFC 6793 §4.2.3)', () => {
    const asn2 = createCodecContext({ asn4: false });
    const view = UpdateView.fromMessage(
      updateFrame(`0000 0021
        40 01 01 00                    # ORIGIN IGP
        40 02 06 02 02 fde9 5ba0       # AS_PATH [65001 AS_TRANS] (2-octet)
        40 03 04 c0000201              # NEXT_HOP
        c0 11 0a 02 02 0000fde9 fa56ea00 # AS4_PATH [65001 4200000000]
        18 c63364`),
      asn2,
    );
    expect(view.rawAsPath).toEqual([{ type: 2, asns: [65001, 23456] }]);
    expect(view.asPath).toEqual([{ type: 2, asns: [65001, 4200000000] }]);
    // On a 4-octet session AS4_PATH is ignored (RFC 6793 §4.1) - and this AS_PATH would not parse as 4-octet.
    expect(UpdateView.fromMessage(updateFrame('0000 000d 40 01 01 00 40 02 06 02 01 0000fde9'), ctx).asPath).toEqual([{ type: 2, asns: [65001] }]);
  });
});

describe('End-of-RIB (RFC 4724 §2)', () => {
  it.each<[string, string, number | undefined]>([
    ['IPv4 unicast: empty UPDATE', '0000 0000', Family.IPV4_UNICAST],
    ['IPv6 unicast: lone empty MP_UNREACH', '0000 0006 80 0f 03 0002 01', Family.IPV6_UNICAST],
    ['IPv4 multicast', '0000 0006 80 0f 03 0001 02', Family.IPV4_MULTICAST],
    ['VPNv4 (not decodable yet, still an EoR)', '0000 0006 80 0f 03 0001 80', familyKey(1, 128)],
    ['Extended Length flag set on a 3-octet MP_UNREACH (as ExaBGP sends it)', '0000 0007 90 0f 0003 0002 80', familyKey(2, 128)],
    ['MP_UNREACH with a prefix is not EoR', '0000 0008 80 0f 05 0002 01 08 20', undefined],
    ['empty MP_UNREACH plus another attribute is not EoR', `0000 000a 80 0f 03 0002 01 40 01 01 00`, undefined],
    ['withdrawal is not EoR', '0002 08 0a 0000', undefined],
  ])('%s', (_n, body, family) => {
    const view = UpdateView.fromMessage(updateFrame(body), ctx);
    expect(view.endOfRibFamily).toBe(family);
    expect(view.isEndOfRib).toBe(family !== undefined);
  });
});

describe('unsupported families', () => {
  it('VPNv4 MP_REACH comes back as an unsupported family, raw, without an error', () => {
    const view = UpdateView.fromMessage(
      updateFrame(`0000 0030 ${ORIGIN_ASPATH}
        80 0e 20                       # MP_REACH_NLRI length 32
          0001 80                      # AFI IPv4, SAFI 128 (MPLS VPN)
          0c 0000000000000000 c0a80001 # next hop: RD 0 + 192.168.0.1
          00                           # reserved
          70 04e2c1 00000064000000640a0000 # label + RD + 10.0.0.0/24 (opaque to fibwire)`),
      ctx,
    );
    expect(prefixes(view, true)).toEqual([]);
    const u = view.unsupportedNlri();
    const nlriHex = toHex(hex('70 04e2c1 00000064000000640a0000'));
    expect(u.map((x) => [x.family, x.direction, toHex(x.nlri)])).toEqual([[familyKey(1, 128), 'announced', nlriHex]]);
    expect(view.toJSON().unsupported).toEqual([{ family: 'ipv4-mpls-vpn', direction: 'announced', nextHop: '0000000000000000c0a80001', hex: nlriHex }]);
    expect(view.validate().action).toBe('ok');
  });
});
