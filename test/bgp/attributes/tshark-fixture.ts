import { WireWriter } from '../../../src/bgp/wire-writer.js';
import { encodeAttribute } from '../../../src/bgp/attributes/attribute-writer.js';
import { originCodec } from '../../../src/bgp/attributes/attr-01-origin.js';
import { asPathCodec } from '../../../src/bgp/attributes/attr-02-as-path.js';
import { nextHopCodec } from '../../../src/bgp/attributes/attr-03-next-hop.js';
import { multiExitDiscCodec } from '../../../src/bgp/attributes/attr-04-multi-exit-disc.js';
import { localPrefCodec } from '../../../src/bgp/attributes/attr-05-local-pref.js';
import { atomicAggregateCodec } from '../../../src/bgp/attributes/attr-06-atomic-aggregate.js';
import { aggregatorCodec } from '../../../src/bgp/attributes/attr-07-aggregator.js';
import { communitiesCodec } from '../../../src/bgp/attributes/attr-08-communities.js';
import { originatorIdCodec } from '../../../src/bgp/attributes/attr-09-originator-id.js';
import { clusterListCodec } from '../../../src/bgp/attributes/attr-10-cluster-list.js';
import { mpReachNlriCodec } from '../../../src/bgp/attributes/attr-14-mp-reach-nlri.js';
import { extendedCommunitiesCodec } from '../../../src/bgp/attributes/attr-16-extended-communities.js';
import { largeCommunityCodec } from '../../../src/bgp/attributes/attr-32-large-community.js';
import { otcCodec } from '../../../src/bgp/attributes/attr-35-otc.js';
import { CTX4, hex } from './helpers.js';

/** The attribute values the fixture UPDATE carries (what tshark must read back). */
export const FIXTURE = {
  origin: 2 as const,
  asPath: [
    { type: 2 as const, asns: [65001, 4200000000] },
    { type: 1 as const, asns: [64512, 64513] },
  ],
  nextHop: '192.0.2.1',
  med: 1234,
  localPref: 250,
  aggregator: { asn: 4200000001, address: '198.51.100.7' },
  communities: [0xffffff01, 65000 * 0x10000 + 100],
  originatorId: '10.1.2.3',
  clusterList: ['10.0.0.1', '10.0.0.2'],
  extendedCommunities: [
    { kind: 'route-target' as const, format: 'as2' as const, asn: 65000, local: 100 },
    { kind: 'route-origin' as const, format: 'ipv4' as const, address: '192.0.2.9', local: 7 },
    { kind: 'route-target' as const, format: 'as4' as const, asn: 4200000000, local: 9 },
  ],
  largeCommunities: [[4200000000, 1, 2] as const],
  otc: 65002,
  mpNextHop: { type: 'ipv6' as const, address: '2001:db8::1', linkLocal: 'fe80::1' },
};

/** One UPDATE (marker included) with every attribute above, an MP_REACH for 2001:db8:1::/48 and classic NLRI 10.0.0.0/8. */
export function buildAllAttributesUpdate(): Uint8Array {
  const a = new WireWriter();
  const f = FIXTURE;
  encodeAttribute(a, originCodec, f.origin, CTX4);
  encodeAttribute(a, asPathCodec, f.asPath, CTX4);
  encodeAttribute(a, nextHopCodec, f.nextHop, CTX4);
  encodeAttribute(a, multiExitDiscCodec, f.med, CTX4);
  encodeAttribute(a, localPrefCodec, f.localPref, CTX4);
  encodeAttribute(a, atomicAggregateCodec, true, CTX4);
  encodeAttribute(a, aggregatorCodec, f.aggregator, CTX4);
  encodeAttribute(a, communitiesCodec, f.communities, CTX4);
  encodeAttribute(a, originatorIdCodec, f.originatorId, CTX4);
  encodeAttribute(a, clusterListCodec, f.clusterList, CTX4);
  encodeAttribute(a, mpReachNlriCodec, { afi: 2, safi: 1, nextHop: f.mpNextHop, reserved: 0, nlri: hex('30 20010db80001') }, CTX4);
  encodeAttribute(a, extendedCommunitiesCodec, f.extendedCommunities, CTX4);
  encodeAttribute(a, largeCommunityCodec, f.largeCommunities, CTX4);
  encodeAttribute(a, otcCodec, f.otc, CTX4);
  const attrs = a.finish();
  const nlri = hex('08 0a');
  const w = new WireWriter();
  for (let i = 0; i < 16; i++) w.u8(0xff);
  const lenAt = w.reserveU16();
  w.u8(2).u16(0).u16(attrs.length).bytes(attrs).bytes(nlri);
  w.patchU16(lenAt, w.length);
  return w.finish();
}
