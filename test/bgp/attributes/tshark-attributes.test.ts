/**
 * tshark as a second opinion on the attribute encoders: one UPDATE carrying every
 * attribute fibwire encodes goes through text2pcap + tshark, and tshark's
 * dissection must show the values we put in. Skipped (loudly) without tshark.
 */
import { describe, expect, it } from 'vitest';
import { decodeWithTshark, tsharkField, tsharkFields, tsharkUnavailableReason } from '../../support/tshark.js';
import { buildAllAttributesUpdate, FIXTURE } from './tshark-fixture.js';

const unavailable = tsharkUnavailableReason();
if (unavailable) console.warn(`tshark attribute test skipped: ${unavailable}`);

describe('tshark reads back the attributes fibwire encodes', () => {
  it.skipIf(unavailable !== undefined)('every attribute of one UPDATE', async () => {
    const [layer] = await decodeWithTshark([buildAllAttributesUpdate()]);
    expect(layer).toBeDefined();
    const l = layer!;
    const f = FIXTURE;
    expect(tsharkFields(l, 'bgp.update.path_attribute.type_code')).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '14', '16', '32', '35']);
    expect(tsharkField(l, 'bgp.update.path_attribute.origin')).toBe(String(f.origin));
    // AS_PATH: segment types 2 (sequence) then 1 (set), 4-octet ASNs
    expect(tsharkFields(l, 'bgp.update.path_attribute.as_path_segment.type')).toEqual(['2', '1']);
    expect(tsharkFields(l, 'bgp.update.path_attribute.as_path_segment.as4')).toEqual(f.asPath.flatMap((s) => s.asns.map(String)));
    expect(tsharkField(l, 'bgp.update.path_attribute.next_hop')).toBe(f.nextHop);
    expect(tsharkField(l, 'bgp.update.path_attribute.multi_exit_disc')).toBe(String(f.med));
    expect(tsharkField(l, 'bgp.update.path_attribute.local_pref')).toBe(String(f.localPref));
    expect(tsharkField(l, 'bgp.update.path_attribute.aggregator_as')).toBe(String(f.aggregator.asn));
    expect(tsharkField(l, 'bgp.update.path_attribute.aggregator_origin')).toBe(f.aggregator.address);
    // COMMUNITIES: NO_EXPORT as a well-known value, then 65000:100
    expect(tsharkField(l, 'bgp.update.path_attribute.community_wellknown')).toBe('0xffffff01');
    expect(tsharkField(l, 'bgp.update.path_attribute.community_as')).toBe('65000');
    expect(tsharkField(l, 'bgp.update.path_attribute.community_value')).toBe('100');
    expect(tsharkField(l, 'bgp.update.path_attribute.originator_id')).toBe(f.originatorId);
    expect(tsharkFields(l, 'bgp.path_attribute.cluster_id')).toEqual(f.clusterList);
    // MP_REACH_NLRI: AFI/SAFI, global + link-local next hop, the NLRI
    expect(tsharkField(l, 'bgp.update.path_attribute.mp_reach_nlri.afi')).toBe('2');
    expect(tsharkField(l, 'bgp.update.path_attribute.mp_reach_nlri.safi')).toBe('1');
    expect(tsharkField(l, 'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6')).toBe(f.mpNextHop.address);
    expect(tsharkField(l, 'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local')).toBe(f.mpNextHop.linkLocal);
    expect(tsharkField(l, 'bgp.mp_reach_nlri_ipv6_prefix')).toBe('2001:db8:1::');
    // EXTENDED_COMMUNITIES: types 0x00, 0x01, 0x02; RT 65000:100, RO 192.0.2.9:7, RT 4200000000:9
    expect(tsharkFields(l, 'bgp.ext_com.type')).toEqual(['0x00', '0x01', '0x02']);
    expect(tsharkField(l, 'bgp.ext_com.value_as2')).toBe('65000');
    expect(tsharkField(l, 'bgp.ext_com.value_an4')).toBe('100');
    expect(tsharkField(l, 'bgp.ext_com.stype_tr_IP4')).toBe('0x03');
    expect(tsharkField(l, 'bgp.ext_com.value_IP4')).toBe('192.0.2.9');
    expect(tsharkField(l, 'bgp.ext_com.value_as4')).toBe('4200000000');
    expect(tsharkFields(l, 'bgp.ext_com.value_an2')).toEqual(['7', '9']);
    // LARGE_COMMUNITY
    expect(tsharkField(l, 'bgp.large_communities.ga')).toBe('4200000000');
    expect(tsharkField(l, 'bgp.large_communities.ldp1')).toBe('1');
    expect(tsharkField(l, 'bgp.large_communities.ldp2')).toBe('2');
    // tshark 4.0 does not know OTC (type 35): it frames it with length 4 and stops there
    expect(tsharkFields(l, 'bgp.update.path_attribute.length').at(-1)).toBe('4');
  });
});
