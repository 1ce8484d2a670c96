/**
 * One test per RFC 7606 rule (and RFC 6793 §6 for the AS4 attributes): the codec
 * throws a BgpError with the UPDATE Message Error subcode of RFC 4271 §6.3 and the
 * action the section prescribes. NOTIFICATION data is the whole attribute (flags,
 * type, length, value) for the subcodes RFC 4271 §6.3 says so, when the header is
 * in the buffer (decodeWithHeader); a bare value leaves data empty for the UPDATE
 * view to fill with withAttributeData().
 */
import { describe, expect, it } from 'vitest';
import { originCodec } from '../../../src/bgp/attributes/attr-01-origin.js';
import { asPathCodec } from '../../../src/bgp/attributes/attr-02-as-path.js';
import { nextHopCodec, checkNextHop } from '../../../src/bgp/attributes/attr-03-next-hop.js';
import { multiExitDiscCodec } from '../../../src/bgp/attributes/attr-04-multi-exit-disc.js';
import { localPrefCodec } from '../../../src/bgp/attributes/attr-05-local-pref.js';
import { atomicAggregateCodec } from '../../../src/bgp/attributes/attr-06-atomic-aggregate.js';
import { aggregatorCodec } from '../../../src/bgp/attributes/attr-07-aggregator.js';
import { communitiesCodec } from '../../../src/bgp/attributes/attr-08-communities.js';
import { as4PathCodec } from '../../../src/bgp/attributes/attr-17-as4-path.js';
import { as4AggregatorCodec } from '../../../src/bgp/attributes/attr-18-as4-aggregator.js';
import { withAttributeData } from '../../../src/bgp/attributes/attribute-error.js';
import { originatorIdCodec } from '../../../src/bgp/attributes/attr-09-originator-id.js';
import { clusterListCodec } from '../../../src/bgp/attributes/attr-10-cluster-list.js';
import { mpReachNlriCodec } from '../../../src/bgp/attributes/attr-14-mp-reach-nlri.js';
import { mpUnreachNlriCodec } from '../../../src/bgp/attributes/attr-15-mp-unreach-nlri.js';
import { extendedCommunitiesCodec } from '../../../src/bgp/attributes/attr-16-extended-communities.js';
import { ipv6ExtendedCommunitiesCodec } from '../../../src/bgp/attributes/attr-25-ipv6-extended-communities.js';
import { largeCommunityCodec } from '../../../src/bgp/attributes/attr-32-large-community.js';
import { otcCodec } from '../../../src/bgp/attributes/attr-35-otc.js';
import { MpAttributeError } from '../../../src/bgp/attributes/mp-attribute-error.js';
import { checkAsZero, malformedAttributeAction } from '../../../src/bgp/attributes/malformed-action.js';
import { CTX2, CTX4, catchBgpError, decodeValue, decodeWithHeader, hex, toHex } from './helpers.js';

describe('RFC 7606 §7.1 ORIGIN', () => {
  it('length != 1 -> Attribute Length Error, treat-as-withdraw, data = the attribute', () => {
    const e = catchBgpError(() => decodeWithHeader(originCodec, '0000'));
    expect([e.notifyCode, e.notifySubcode, e.action, e.attrType]).toEqual([3, 5, 'treat-as-withdraw', 1]);
    // flags 40, type 01, length 02, value 0000
    expect(toHex(e.data)).toBe('4001020000');
  });
  it('undefined value -> Invalid ORIGIN Attribute, treat-as-withdraw', () => {
    const e = catchBgpError(() => decodeWithHeader(originCodec, '03'));
    expect([e.notifySubcode, e.action, e.code]).toEqual([6, 'treat-as-withdraw', 'ERR_BGP_UPDATE_INVALID_ORIGIN_ATTRIBUTE']);
    expect(toHex(e.data)).toBe('40010103');
  });
});

describe('RFC 7606 §7.2 AS_PATH', () => {
  it.each([
    ['unrecognised segment type', '05 01 0000fde8'],
    ['zero segment length', '02 00'],
    ['overrun: segment longer than the attribute', '02 03 0000fde8'],
    ['underrun: octets left that do not form a segment', '02 01 0000fde8 02'],
    ['2-octet path read as 4-octet does not fit', '02 01 fde8'],
  ])('%s -> Malformed AS_PATH, treat-as-withdraw', (_name, h) => {
    const e = catchBgpError(() => decodeValue(asPathCodec, h, CTX4));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([11, 'treat-as-withdraw', 2]);
    // RFC 4271 §6.3: Malformed AS_PATH carries no data
    expect(e.data.length).toBe(0);
  });
});

describe('RFC 7606 §7.3 NEXT_HOP', () => {
  it('length != 4 -> Attribute Length Error, treat-as-withdraw', () => {
    const e = catchBgpError(() => decodeWithHeader(nextHopCodec, 'c00002'));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'treat-as-withdraw', 3]);
    expect(toHex(e.data)).toBe('400303c00002');
  });
  it('invalid address (RFC 4271 §6.3) -> Invalid NEXT_HOP Attribute, treat-as-withdraw', () => {
    const e = checkNextHop('0.0.0.0');
    expect([e?.notifySubcode, e?.action]).toEqual([8, 'treat-as-withdraw']);
  });
});

describe('RFC 7606 §7.4 MULTI_EXIT_DISC', () => {
  it('length != 4 -> treat-as-withdraw', () => {
    const e = catchBgpError(() => decodeWithHeader(multiExitDiscCodec, '000000'));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'treat-as-withdraw', 4]);
    expect(toHex(e.data)).toBe('800403000000');
  });
});

describe('RFC 7606 §7.5 LOCAL_PREF', () => {
  it('length != 4 -> treat-as-withdraw', () => {
    const e = catchBgpError(() => decodeValue(localPrefCodec, '0000006400'));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'treat-as-withdraw', 5]);
  });
});

describe('RFC 7606 §7.6 ATOMIC_AGGREGATE', () => {
  it('length != 0 -> attribute-discard', () => {
    const e = catchBgpError(() => decodeValue(atomicAggregateCodec, '00'));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'attribute-discard', 6]);
  });
});

describe('RFC 7606 §7.7 AGGREGATOR', () => {
  it('length 6 on a 4-octet session -> attribute-discard', () => {
    const e = catchBgpError(() => decodeValue(aggregatorCodec, 'fde8 c0000201', CTX4));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'attribute-discard', 7]);
  });
  it('length 8 on a 2-octet session -> attribute-discard', () => {
    const e = catchBgpError(() => decodeValue(aggregatorCodec, '0000fde8 c0000201', CTX2));
    expect(e.action).toBe('attribute-discard');
  });
});

describe('RFC 7606 §7.8 COMMUNITIES', () => {
  it.each([
    ['not a multiple of 4', 'fde800'],
    ['zero length', ''],
  ])('%s -> treat-as-withdraw', (_n, h) => {
    const e = catchBgpError(() => decodeValue(communitiesCodec, h));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'treat-as-withdraw', 8]);
  });
});

describe('RFC 7606 §7.9 ORIGINATOR_ID', () => {
  it('length != 4 -> treat-as-withdraw', () => {
    const e = catchBgpError(() => decodeValue(originatorIdCodec, '0a0000'));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'treat-as-withdraw', 9]);
  });
});

describe('RFC 7606 §7.10 CLUSTER_LIST', () => {
  it.each([
    ['not a multiple of 4', '0a000001 0a'],
    ['zero length', ''],
  ])('%s -> treat-as-withdraw', (_n, h) => {
    const e = catchBgpError(() => decodeValue(clusterListCodec, h));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'treat-as-withdraw', 10]);
  });
});

describe('RFC 7606 §7.11 MP_REACH_NLRI (and RFC 4760 §7)', () => {
  it('too short to hold AFI/SAFI -> session reset (the family cannot be determined, §5.3)', () => {
    const e = catchBgpError(() => decodeValue(mpReachNlriCodec, '0002'));
    expect(e).toBeInstanceOf(MpAttributeError);
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([9, 'session-reset', 14]);
    expect((e as MpAttributeError).afi).toBeUndefined();
  });
  it.each([
    // afi 0002 safi 01, nothing else
    ['no next hop length / reserved octet', '0002 01'],
    // nh len 10 but only 4 octets follow
    ['next hop length overruns the attribute', '0002 01 10 20010db8'],
    // IPv6 unicast with a 5-octet next hop (neither IPv4 nor IPv6)
    ['next hop length inconsistent with the family', '0002 01 05 c000020101 00'],
    // VPN-IPv4 with a bare 4-octet next hop (needs RD + address)
    ['VPN next hop without its RD', '0001 80 04 c0000201 00'],
    // VPN-IPv6 with a bare 16-octet next hop
    ['VPN-IPv6 next hop without its RD', '0002 80 10 20010db8000000000000000000000001 00'],
  ])('%s -> AFI/SAFI disable with the family named', (_n, h) => {
    const e = catchBgpError(() => decodeValue(mpReachNlriCodec, h));
    expect(e).toBeInstanceOf(MpAttributeError);
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([9, 'afi-safi-disable', 14]);
    const mp = e as MpAttributeError;
    expect([mp.afi, mp.safi]).toEqual([h.startsWith('0002') ? 2 : 1, h.includes(' 80 ') ? 128 : 1]);
  });
  it('NOTIFICATION data is the attribute when the header is in the buffer', () => {
    const e = catchBgpError(() => decodeWithHeader(mpReachNlriCodec, '0002 01 05 c000020101 00'));
    // flags 80, type 0e, length 0a, value
    expect(toHex(e.data)).toBe('800e0a000201' + '05c00002010100');
  });
});

describe('RFC 7606 §7.12 MP_UNREACH_NLRI', () => {
  it('too short to hold AFI/SAFI -> session reset', () => {
    const e = catchBgpError(() => decodeValue(mpUnreachNlriCodec, '00'));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([9, 'session-reset', 15]);
  });
});

describe('RFC 7606 §7.14 EXTENDED_COMMUNITIES', () => {
  it.each([
    ['not a multiple of 8', '0002fde8000000'],
    ['zero length', ''],
  ])('%s -> treat-as-withdraw', (_n, h) => {
    const e = catchBgpError(() => decodeValue(extendedCommunitiesCodec, h));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'treat-as-withdraw', 16]);
  });
});

describe('RFC 7606 §7.15 IPv6 Address Specific Extended Community', () => {
  it('length not a non-zero multiple of 20 -> treat-as-withdraw', () => {
    const e = catchBgpError(() => decodeValue(ipv6ExtendedCommunitiesCodec, '0002 20010db8000000000000000000000001'));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'treat-as-withdraw', 25]);
  });
});

describe('RFC 8092 §6 LARGE_COMMUNITY', () => {
  it.each([
    ['not a multiple of 12', '0000fde8 00000001'],
    ['zero length', ''],
  ])('%s -> treat-as-withdraw', (_n, h) => {
    const e = catchBgpError(() => decodeValue(largeCommunityCodec, h));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'treat-as-withdraw', 32]);
  });
});

describe('RFC 9234 §5 OTC', () => {
  it('length != 4 -> treat-as-withdraw', () => {
    const e = catchBgpError(() => decodeValue(otcCodec, '0000fde8 00'));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'treat-as-withdraw', 35]);
  });
});

describe('RFC 6793 §6 AS4_PATH / AS4_AGGREGATOR', () => {
  it('malformed AS4_PATH -> attribute-discard', () => {
    const e = catchBgpError(() => decodeValue(as4PathCodec, '02 02 0000fde8', CTX2));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([9, 'attribute-discard', 17]);
  });
  it('AS4_AGGREGATOR length != 8 -> attribute-discard', () => {
    const e = catchBgpError(() => decodeValue(as4AggregatorCodec, 'fde8 c0000201', CTX2));
    expect([e.notifySubcode, e.action, e.attrType]).toEqual([5, 'attribute-discard', 18]);
  });
});

describe('NOTIFICATION data filled by the caller (RFC 4271 §6.3)', () => {
  it('withAttributeData adds the attribute when the subcode calls for it', () => {
    const e = catchBgpError(() => decodeValue(originCodec, '07'));
    expect(e.data.length).toBe(0);
    const filled = withAttributeData(e, hex('40 01 01 07'));
    expect(toHex(filled.data)).toBe('40010107');
    expect([filled.notifySubcode, filled.action, filled.attrType]).toEqual([6, 'treat-as-withdraw', 1]);
  });
  it('and leaves Malformed AS_PATH without data', () => {
    const e = catchBgpError(() => decodeValue(asPathCodec, '02 00'));
    expect(withAttributeData(e, hex('40 02 02 0200')).data.length).toBe(0);
  });
});

describe('RFC 7606 §3 (c): a flags conflict is handled as the attribute is when malformed', () => {
  it.each([
    [1, 'treat-as-withdraw'],
    [2, 'treat-as-withdraw'],
    [6, 'attribute-discard'],
    [7, 'attribute-discard'],
    [14, 'afi-safi-disable'],
    [17, 'attribute-discard'],
    [18, 'attribute-discard'],
    [32, 'treat-as-withdraw'],
    [99, 'treat-as-withdraw'],
  ] as const)('type %i -> %s', (type, action) => {
    expect(malformedAttributeAction(type)).toBe(action);
  });
});

describe('RFC 7607 §2: AS 0', () => {
  it('in AS_PATH -> Malformed AS_PATH, treat-as-withdraw', () => {
    const e = checkAsZero([{ type: 2, asns: [65000, 0] }], 2);
    expect([e?.notifySubcode, e?.action]).toEqual([11, 'treat-as-withdraw']);
  });
  it('in AS4_PATH -> attribute-discard', () => {
    const e = checkAsZero([{ type: 1, asns: [0] }], 17);
    expect(e?.action).toBe('attribute-discard');
  });
  it('no AS 0 -> nothing', () => {
    expect(checkAsZero([{ type: 2, asns: [1, 2] }], 2)).toBeUndefined();
  });
});
