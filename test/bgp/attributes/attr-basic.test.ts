import { describe, expect, it } from 'vitest';
import type { AttributeCodec } from '../../../src/bgp/attributes/attribute-codec.js';
import { originCodec, formatOrigin } from '../../../src/bgp/attributes/attr-01-origin.js';
import { nextHopCodec, checkNextHop } from '../../../src/bgp/attributes/attr-03-next-hop.js';
import { multiExitDiscCodec } from '../../../src/bgp/attributes/attr-04-multi-exit-disc.js';
import { localPrefCodec } from '../../../src/bgp/attributes/attr-05-local-pref.js';
import { atomicAggregateCodec } from '../../../src/bgp/attributes/attr-06-atomic-aggregate.js';
import { aggregatorCodec } from '../../../src/bgp/attributes/attr-07-aggregator.js';
import { as4AggregatorCodec } from '../../../src/bgp/attributes/attr-18-as4-aggregator.js';
import { formatAggregator } from '../../../src/bgp/attributes/aggregator.js';
import { attributeCodec, getAttributeCodec } from '../../../src/bgp/attributes/attribute-registry.js';
import { EncodeError } from '../../../src/bgp/errors.js';
import type { CodecContext } from '../../../src/bgp/context.js';
import { CTX2, CTX4, decodeValue, encodeValue, toHex } from './helpers.js';

interface Vector {
  name: string;
  codec: AttributeCodec<unknown>;
  ctx: CodecContext;
  hex: string;
  value: unknown;
  json: unknown;
}

const vectors: Vector[] = [
  // ORIGIN: 1 octet
  { name: 'ORIGIN IGP', codec: originCodec, ctx: CTX4, hex: '00', value: 0, json: 'igp' },
  { name: 'ORIGIN EGP', codec: originCodec, ctx: CTX4, hex: '01', value: 1, json: 'egp' },
  { name: 'ORIGIN INCOMPLETE', codec: originCodec, ctx: CTX4, hex: '02', value: 2, json: 'incomplete' },
  // NEXT_HOP: 4-octet address
  { name: 'NEXT_HOP', codec: nextHopCodec, ctx: CTX4, hex: 'c0000201', value: '192.0.2.1', json: '192.0.2.1' },
  // MULTI_EXIT_DISC: uint32
  { name: 'MED 0', codec: multiExitDiscCodec, ctx: CTX4, hex: '00000000', value: 0, json: 0 },
  { name: 'MED max', codec: multiExitDiscCodec, ctx: CTX4, hex: 'ffffffff', value: 0xffffffff, json: 0xffffffff },
  // LOCAL_PREF: uint32
  { name: 'LOCAL_PREF 100', codec: localPrefCodec, ctx: CTX4, hex: '00000064', value: 100, json: 100 },
  // ATOMIC_AGGREGATE: empty value
  { name: 'ATOMIC_AGGREGATE', codec: atomicAggregateCodec, ctx: CTX4, hex: '', value: true, json: true },
  // AGGREGATOR 4-octet: asn 0001fbd0 (130000), id 0a000001
  { name: 'AGGREGATOR asn4', codec: aggregatorCodec, ctx: CTX4, hex: '0001fbd0 0a000001', value: { asn: 130000, address: '10.0.0.1' }, json: { asn: 130000, address: '10.0.0.1' } },
  // AGGREGATOR 2-octet: asn 5ba0 (23456 = AS_TRANS), id c0000201
  { name: 'AGGREGATOR asn2', codec: aggregatorCodec, ctx: CTX2, hex: '5ba0 c0000201', value: { asn: 23456, address: '192.0.2.1' }, json: { asn: 23456, address: '192.0.2.1' } },
  // AS4_AGGREGATOR: always 4-octet, even on a 2-octet session
  { name: 'AS4_AGGREGATOR', codec: as4AggregatorCodec, ctx: CTX2, hex: 'fa56ea00 c0000201', value: { asn: 4200000000, address: '192.0.2.1' }, json: { asn: 4200000000, address: '192.0.2.1' } },
];

describe('simple attributes: hex vectors', () => {
  it.each(vectors)('$name decodes, encodes back byte-identical, and has its JSON form', ({ codec, ctx, hex: h, value, json }) => {
    const decoded = decodeValue(codec, h, ctx);
    expect(decoded).toEqual(value);
    expect(toHex(encodeValue(codec, decoded, ctx))).toBe(h.replace(/\s/g, ''));
    expect(decodeValue(codec, encodeValue(codec, value, ctx), ctx)).toEqual(value);
    expect(codec.toJSON(decoded)).toEqual(json);
  });
});

describe('registry', () => {
  it('finds every codec by type code, typed', () => {
    for (const t of [1, 2, 3, 4, 5, 6, 7, 8, 17, 18]) expect(getAttributeCodec(t)?.type).toBe(t);
    const lp = attributeCodec(5);
    const v: number = lp.decode({ buf: Uint8Array.of(0, 0, 1, 0), start: 0, end: 4, flags: 0x40, ctx: CTX4 });
    expect(v).toBe(256);
    expect(getAttributeCodec(1)?.expectedFlags).toBe(0x40);
    expect(getAttributeCodec(4)?.expectedFlags).toBe(0x80);
    expect(getAttributeCodec(8)?.expectedFlags).toBe(0xc0);
  });
});

describe('display', () => {
  it('prints ORIGIN and AGGREGATOR as bgpdump does', () => {
    expect([0, 1, 2].map((o) => formatOrigin(o as 0 | 1 | 2))).toEqual(['IGP', 'EGP', 'INCOMPLETE']);
    expect(formatAggregator({ asn: 9835, address: '164.115.26.130' })).toBe('9835 164.115.26.130');
  });
});

describe('encode refuses what does not fit', () => {
  it.each([
    ['ORIGIN 3', () => encodeValue(originCodec, 3 as never)],
    ['NEXT_HOP text', () => encodeValue(nextHopCodec, 'not-an-ip')],
    ['MED > uint32', () => encodeValue(multiExitDiscCodec, 2 ** 32)],
    ['AGGREGATOR 4-octet ASN on a 2-octet session', () => encodeValue(aggregatorCodec, { asn: 70000, address: '10.0.0.1' }, CTX2)],
  ])('%s', (_name, fn) => {
    expect(fn).toThrow(EncodeError);
  });
});

describe('NEXT_HOP address check (RFC 4271 §6.3)', () => {
  it.each([
    ['192.0.2.1', undefined],
    ['0.0.0.0', 8],
    ['127.0.0.1', 8],
    ['224.0.0.5', 8],
    ['255.255.255.255', 8],
  ])('%s', (addr, subcode) => {
    const e = checkNextHop(addr);
    expect(e?.notifySubcode).toBe(subcode);
    if (e) expect(e.action).toBe('treat-as-withdraw');
  });
});
