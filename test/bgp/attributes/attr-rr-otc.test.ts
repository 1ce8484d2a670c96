import { describe, expect, it } from 'vitest';
import { originatorIdCodec } from '../../../src/bgp/attributes/attr-09-originator-id.js';
import { clusterListCodec } from '../../../src/bgp/attributes/attr-10-cluster-list.js';
import { otcCodec } from '../../../src/bgp/attributes/attr-35-otc.js';
import { getAttributeCodec, registeredAttributeCodecs } from '../../../src/bgp/attributes/attribute-registry.js';
import { decodeValue, encodeValue, toHex } from './helpers.js';

describe('ORIGINATOR_ID, CLUSTER_LIST, OTC', () => {
  it.each([
    // ORIGINATOR_ID: 0a000001
    ['ORIGINATOR_ID', originatorIdCodec, '0a000001', '10.0.0.1'],
    // CLUSTER_LIST: 0a000001 0a000002
    ['CLUSTER_LIST', clusterListCodec, '0a000001 0a000002', ['10.0.0.1', '10.0.0.2']],
    // OTC: 0000fde8 (65000)
    ['OTC', otcCodec, '0000fde8', 65000],
  ] as const)('%s', (_n, codec, h, value) => {
    const c = codec as typeof originatorIdCodec | typeof clusterListCodec | typeof otcCodec;
    const v = decodeValue(c as never, h) as unknown;
    expect(v).toEqual(value);
    expect(toHex(encodeValue(c as never, v as never))).toBe(h.replace(/\s/g, ''));
  });

  it('flags: RR attributes are optional non-transitive, OTC optional transitive', () => {
    expect([originatorIdCodec.expectedFlags, clusterListCodec.expectedFlags, otcCodec.expectedFlags]).toEqual([0x80, 0x80, 0xc0]);
  });

  it('the registry lists every typed attribute', () => {
    expect(registeredAttributeCodecs().map((c) => c.type)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 25, 32, 35]);
    expect(getAttributeCodec(35)?.name).toBe('OTC');
  });
});
