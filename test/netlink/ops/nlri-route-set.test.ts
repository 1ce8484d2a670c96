import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../../support/hex.js';
import { MessageWriter } from '../../../src/netlink/codec/writer.js';
import { NetlinkArgumentError } from '../../../src/netlink/errors.js';
import { NlriRouteEncoder, type NlriBlock } from '../../../src/netlink/ops/nlri-route-set.js';
import { RouteSetEncoder, type RouteSetAttributes, type RouteSetOp } from '../../../src/netlink/ops/route-set.js';
import { createCodecContext } from '../../../src/bgp/context.js';
import { Prefix } from '../../../src/bgp/prefix.js';
import { UpdateBuilder } from '../../../src/bgp/update/update-builder.js';
import { UpdateView } from '../../../src/bgp/update/update-view.js';

/** Every request of the block, one after another, as NlriRouteEncoder writes them (seq = 100 + position). */
function encodeBlock(enc: NlriRouteEncoder, ack = 0): string {
  const w = new MessageWriter(64);
  enc.offsets.forEach((at, i) => enc.encode(w, 100 + i, at, ack));
  return toHex(w.bytes());
}

/** The same requests through the route-set encoder with each prefix given as bytes: the reference. */
function encodeReference(op: RouteSetOp, attributes: RouteSetAttributes, prefixes: readonly { bytes: Uint8Array; length: number }[], ack = 0): string {
  const set = new RouteSetEncoder(op, attributes);
  const w = new MessageWriter(64);
  prefixes.forEach((p, i) => set.encode(w, 100 + i, p, ack));
  return toHex(w.bytes());
}

const v4 = (...octets: number[]): Uint8Array => Uint8Array.from(octets);
const v6 = (...words: number[]): Uint8Array => {
  const out = new Uint8Array(16);
  words.forEach((x, i) => {
    out[2 * i] = x >> 8;
    out[2 * i + 1] = x & 255;
  });
  return out;
};

const GW4: RouteSetAttributes = { gateway: '10.0.0.2', oif: 3, table: 1000, protocol: 'bgp' };
const GW6: RouteSetAttributes = { gateway: 'fd00::2', oif: 3, table: 1000, protocol: 'bgp' };

describe('NlriRouteEncoder: RFC 4271 §4.3 prefixes into route requests', () => {
  const cases: { name: string; block: NlriBlock; attributes: RouteSetAttributes; want: { bytes: Uint8Array; length: number }[]; pathIds?: number[] }[] = [
    {
      name: 'IPv4: a /24, a /32, a /9 and the default route',
      block: {
        family: 4,
        bytes: hex(`
          18 10 01 02        # /24 16.1.2.0: three octets
          20 10 01 02 03     # /32 16.1.2.3: four
          09 0a 80           # /9 10.128.0.0: two
          00                 # /0 default: no octet`),
      },
      attributes: GW4,
      want: [
        { bytes: v4(16, 1, 2, 0), length: 24 },
        { bytes: v4(16, 1, 2, 3), length: 32 },
        { bytes: v4(10, 128, 0, 0), length: 9 },
        { bytes: v4(0, 0, 0, 0), length: 0 },
      ],
    },
    {
      name: 'IPv4: trailing bits after the length are cleared (their value is irrelevant, RFC 4271 §4.3)',
      block: {
        family: 4,
        bytes: hex(`
          0c 0a ff           # /12 with the low nibble set: 10.240.0.0/12
          1f 10 01 02 ff     # /31 with the last bit set: 16.1.2.254/31`),
      },
      attributes: { nhid: 7, table: 1000 },
      want: [
        { bytes: v4(10, 240, 0, 0), length: 12 },
        { bytes: v4(16, 1, 2, 254), length: 31 },
      ],
    },
    {
      name: 'IPv6 (the NLRI of MP_REACH_NLRI, RFC 4760 §5): a /64, a /48, a /128',
      block: {
        family: 6,
        bytes: hex(`
          40 20 01 0d b8 00 01 00 02                          # /64 2001:db8:1:2::
          30 20 01 0d b8 00 07                                # /48 2001:db8:7::
          80 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 09  # /128 2001:db8::9`),
      },
      attributes: GW6,
      want: [
        { bytes: v6(0x2001, 0xdb8, 1, 2), length: 64 },
        { bytes: v6(0x2001, 0xdb8, 7), length: 48 },
        { bytes: v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9), length: 128 },
      ],
    },
    {
      name: 'ADD-PATH (RFC 7911 §3): a path identifier before each prefix',
      block: {
        family: 4,
        addPath: true,
        bytes: hex(`
          00 00 00 01  18 10 01 02     # path 1, /24 16.1.2.0
          00 00 01 00  18 10 01 03     # path 256, /24 16.1.3.0`),
      },
      attributes: GW4,
      want: [
        { bytes: v4(16, 1, 2, 0), length: 24 },
        { bytes: v4(16, 1, 3, 0), length: 24 },
      ],
      pathIds: [1, 256],
    },
    {
      name: 'a window inside a larger buffer (start, end)',
      block: {
        family: 4,
        start: 2,
        end: 7,
        bytes: hex(`
          ff ff              # not part of the block
          10 0a 01           # /16 10.1.0.0
          08 0b              # /8 11.0.0.0
          ff ff ff           # not part of the block`),
      },
      attributes: GW4,
      want: [
        { bytes: v4(10, 1, 0, 0), length: 16 },
        { bytes: v4(11, 0, 0, 0), length: 8 },
      ],
    },
  ];

  for (const op of ['add', 'replace', 'append', 'delete'] as const) {
    for (const c of cases) {
      it(`${op}: ${c.name} — same bytes as the route set with byte prefixes`, () => {
        const attributes = op === 'delete' ? { table: 1000 } : c.attributes;
        const enc = new NlriRouteEncoder(op, attributes, c.block);
        expect(enc.offsets.length).toBe(c.want.length);
        expect(encodeBlock(enc)).toBe(encodeReference(op, attributes, c.want));
        // with per-operation ACKs as well
        expect(encodeBlock(enc, 4)).toBe(encodeReference(op, attributes, c.want, 4));
        // prefixAt: the prefix as it went to the kernel, its offset, and the path id
        const named = Array.from(enc.offsets, (at) => enc.prefixAt(at));
        expect(named.map((p) => ({ bytes: p.bytes, length: p.length }))).toEqual(c.want);
        expect(named.map((p) => p.offset)).toEqual(Array.from(enc.offsets));
        expect(named.map((p) => p.pathId)).toEqual(c.pathIds ?? c.want.map(() => undefined));
        expect(enc.requestOf()).toEqual(new RouteSetEncoder(op, attributes).requestOf());
      });
    }
  }

  it('an empty block has no prefixes', () => {
    expect(new NlriRouteEncoder('add', GW4, { family: 4, bytes: new Uint8Array(0) }).offsets.length).toBe(0);
  });

  const bad: { name: string; block: NlriBlock; message: RegExp }[] = [
    { name: 'IPv4 length 33', block: { family: 4, bytes: hex('18 0a 01 02  21 0a 01 02 03 04  # /24 then /33 at offset 4') }, message: /offset 4: length 33 is longer than 32/ },
    { name: 'IPv6 length 129', block: { family: 6, bytes: hex('81 20 01') }, message: /offset 0: length 129 is longer than 128/ },
    { name: 'a prefix cut off by the end', block: { family: 4, bytes: hex('18 0a 01  # /24 with two octets') }, message: /offset 0: \/24 needs 3 octets/ },
    { name: 'a prefix cut off by `end`', block: { family: 4, end: 3, bytes: hex('18 0a 01 02') }, message: /offset 0: \/24 needs 3 octets/ },
    { name: 'a path identifier cut off', block: { family: 4, addPath: true, bytes: hex('00 00 00 01 08 0a  00 00') }, message: /offset 6: cut off inside its path identifier/ },
    { name: 'a range outside the bytes', block: { family: 4, start: 2, end: 9, bytes: hex('08 0a 08 0b') }, message: /range 2\.\.9/ },
    { name: 'start after end', block: { family: 4, start: 3, end: 1, bytes: hex('08 0a 08 0b') }, message: /range 3\.\.1/ },
    { name: 'family 5', block: { family: 5 as 4, bytes: hex('08 0a') }, message: /family must be 4 or 6/ },
  ];
  for (const c of bad) {
    it(`refuses the whole block before anything is encoded: ${c.name}`, () => {
      let thrown: unknown;
      try {
        new NlriRouteEncoder('add', GW4, c.block);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(NetlinkArgumentError);
      expect((thrown as NetlinkArgumentError).field).toBe('nlri');
      expect((thrown as Error).message).toMatch(c.message);
    });
  }

  it('attributes wrong for the block family throw per prefix, as the route set does', () => {
    const enc = new NlriRouteEncoder('add', { ...GW6, family: 6 }, { family: 4, bytes: hex('18 0a 01 02') });
    const w = new MessageWriter(64);
    expect(() => enc.encode(w, 1, enc.offsets[0]!, 0)).toThrow(NetlinkArgumentError);
    expect(w.offset).toBe(0);
  });

  it('property: any list of prefixes, written as NLRI (trailing bits random), encodes like the route set with the masked bytes', () => {
    const prefixArb = fc.oneof(
      fc.record({ family: fc.constant(4 as const), length: fc.integer({ min: 0, max: 32 }), raw: fc.uint8Array({ minLength: 4, maxLength: 4 }), pathId: fc.nat() }),
      fc.record({ family: fc.constant(6 as const), length: fc.integer({ min: 0, max: 128 }), raw: fc.uint8Array({ minLength: 16, maxLength: 16 }), pathId: fc.nat() }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(4 as const, 6 as const),
        fc.array(prefixArb, { maxLength: 20 }),
        fc.boolean(),
        fc.constantFrom<RouteSetOp>('add', 'replace', 'delete'),
        (family, all, addPath, op) => {
          const items = all.filter((p) => p.family === family);
          const parts: number[] = [];
          const want: { bytes: Uint8Array; length: number }[] = [];
          for (const p of items) {
            if (addPath) parts.push(p.pathId >>> 24, (p.pathId >>> 16) & 255, (p.pathId >>> 8) & 255, p.pathId & 255);
            const octets = (p.length + 7) >> 3;
            parts.push(p.length, ...p.raw.subarray(0, octets));
            const masked = new Uint8Array(family === 4 ? 4 : 16);
            for (let bit = 0; bit < p.length; bit++) if ((p.raw[bit >> 3]! >> (7 - (bit & 7))) & 1) masked[bit >> 3]! |= 0x80 >> (bit & 7);
            want.push({ bytes: masked, length: p.length });
          }
          const attributes = op === 'delete' ? { table: 1000 } : family === 4 ? GW4 : GW6;
          const enc = new NlriRouteEncoder(op, attributes, { family, bytes: Uint8Array.from(parts), addPath });
          expect(encodeBlock(enc)).toBe(encodeReference(op, attributes, want));
          expect(Array.from(enc.offsets, (at) => enc.prefixAt(at).pathId)).toEqual(items.map((p) => (addPath ? p.pathId : undefined)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('property: any bytes are a block (every request then encodes) or a NetlinkArgumentError, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(4 as const, 6 as const), fc.boolean(), fc.nat(70), fc.nat(70), (bytes, family, addPath, a, b) => {
        const block: NlriBlock = { family, bytes, addPath, ...(a % 3 === 0 ? { start: a } : {}), ...(b % 3 === 0 ? { end: b } : {}) };
        let enc: NlriRouteEncoder;
        try {
          enc = new NlriRouteEncoder('add', { nhid: 1 }, block);
        } catch (error) {
          expect(error).toBeInstanceOf(NetlinkArgumentError);
          return;
        }
        const w = new MessageWriter(64);
        for (const at of enc.offsets) {
          enc.encode(w, 1, at, 0);
          expect(enc.prefixAt(at).length).toBe(bytes[at]);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the NLRI fields of UPDATEs made by the bgp module (classic IPv4, MP_REACH IPv6, ADD-PATH)', () => {
    const ctx = createCodecContext({ asn4: true, addPath: ['ipv4-unicast'] });
    const texts4 = ['16.1.0.0/16', '16.2.3.0/24', '16.4.5.6/32', '0.0.0.0/0'];
    const texts6 = ['2001:db8:1::/48', '2001:db8:2:3::/64'];
    const frames = new UpdateBuilder(ctx)
      .attributes({ origin: 0, asPath: [{ type: 2, asns: [65001] }], nextHop: '10.0.0.2' })
      .announce(texts4.map((t, i) => Prefix.parse(t, i + 1)))
      .announce(texts6.map((t) => Prefix.parse(t)), { nextHop: 'fd00::2' })
      .build();
    const seen: string[] = [];
    for (const frame of frames) {
      const view = UpdateView.fromMessage(frame, ctx);
      for (const seg of view.nlriSegments(true)) {
        const family = seg.codec.afi === 2 ? 6 : 4;
        const enc = new NlriRouteEncoder('add', family === 4 ? GW4 : GW6, { family, bytes: view.buf, start: seg.start, end: seg.end, addPath: seg.addPath });
        for (const at of enc.offsets) {
          const p = enc.prefixAt(at);
          seen.push(`${new Prefix(family === 4 ? 1 : 2, p.bytes, p.length).toString()}${p.pathId !== undefined ? ` path ${p.pathId}` : ''}`);
        }
      }
    }
    expect(seen.sort()).toEqual([...texts4.map((t, i) => `${t} path ${i + 1}`), ...texts6].sort());
  });
});
