import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../../support/hex.js';
import { singleRoute } from '../../support/single-route.js';
import { thrown } from '../../support/thrown.js';
import { MessageWriter } from '../../../src/netlink/codec/writer.js';
import { HOST_LITTLE_ENDIAN } from '../../../src/netlink/codec/host-endian.js';
import { NLM_F, RTM } from '../../../src/netlink/constants.js';
import { NetlinkArgumentError } from '../../../src/netlink/errors.js';
import type { RouteSpec } from '../../../src/netlink/ops/route-codec.js';
import { RouteSetEncoder, type RouteSetAttributes, type RouteSetOp, type RouteSetPrefix } from '../../../src/netlink/ops/route-set.js';

/** The request a single routes.add/replace/append/delete would send: the reference. */
function single(op: RouteSetOp, attributes: RouteSetAttributes, dst: RouteSetPrefix, seq: number, ack: number): Buffer {
  return singleRoute(op, { ...attributes, dst } as RouteSpec, seq, ack);
}

function fromSet(set: RouteSetEncoder, dst: RouteSetPrefix, seq: number, ack: number): Buffer {
  const w = new MessageWriter(64);
  set.encode(w, seq, dst, ack);
  return Buffer.from(w.bytes());
}

/** Same bytes as the single-route encoder, or the same NetlinkArgumentError field. */
function expectSameAsSingle(op: RouteSetOp, attributes: RouteSetAttributes, dst: RouteSetPrefix, seq = 7, ack = 0): void {
  const set = new RouteSetEncoder(op, attributes);
  let expected: Buffer | NetlinkArgumentError;
  try {
    expected = single(op, attributes, dst, seq, ack);
  } catch (error) {
    if (!(error instanceof NetlinkArgumentError)) throw error;
    expected = error;
  }
  if (expected instanceof NetlinkArgumentError) {
    const w = new MessageWriter(64);
    let thrown: unknown;
    try {
      set.encode(w, seq, dst, ack);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NetlinkArgumentError);
    expect((thrown as NetlinkArgumentError).field).toBe(expected.field);
    expect(w.offset).toBe(0); // nothing half-written
    return;
  }
  expect(toHex(fromSet(set, dst, seq, ack))).toBe(toHex(expected));
}

// Netlink is host byte order: the hex vectors below are written for a
// little-endian host. Everything else here compares with the single-route
// encoder on the same host and runs everywhere.
if (!HOST_LITTLE_ENDIAN) console.warn('route set golden vectors are little-endian; skipped on this big-endian host');
const goldenSuite = HOST_LITTLE_ENDIAN ? describe : describe.skip;

goldenSuite('RouteSetEncoder golden vectors (little-endian host)', () => {
  it('encodes the golden IPv4 gateway route: header, rtmsg with dst_len patched, RTA_DST between the shared attributes', () => {
    const set = new RouteSetEncoder('add', { gateway: '10.0.0.2', oif: 3, table: 1000, protocol: 'bgp', metric: 10 });
    expect(toHex(fromSet(set, '16.1.2.0/24', 9, 0))).toBe(
      toHex(
        hex(`
          44 00 00 00 18 00 01 06 09 00 00 00 00 00 00 00  # 68 bytes, RTM_NEWROUTE, REQUEST|EXCL|CREATE (no ACK), seq 9
          02 18 00 00   # AF_INET, dst_len 24 (patched per route), src_len 0, tos 0
          00            # rtm_table: 0, 1000 does not fit 8 bits
          ba 00 01      # protocol bgp, scope universe, type unicast
          00 00 00 00   # rtm_flags
          08 00 0f 00 e8 03 00 00  # RTA_TABLE 1000
          08 00 01 00 10 01 02 00  # RTA_DST 16.1.2.0 (the per-route part)
          08 00 06 00 0a 00 00 00  # RTA_PRIORITY 10
          08 00 05 00 0a 00 00 02  # RTA_GATEWAY 10.0.0.2
          08 00 04 00 03 00 00 00  # RTA_OIF 3`),
      ),
    );
  });

  it('encodes the golden IPv6 delete: table only, scope nowhere, type unspec', () => {
    const set = new RouteSetEncoder('delete', { table: 1000 });
    expect(toHex(fromSet(set, '2001:db8:0:1::/64', 3, NLM_F.ACK))).toBe(
      toHex(
        hex(`
          38 00 00 00 19 00 05 00 03 00 00 00 00 00 00 00  # 56 bytes, RTM_DELROUTE, REQUEST|ACK, seq 3
          0a 40 00 00   # AF_INET6, dst_len 64
          00 00 ff 00   # table in RTA_TABLE, protocol unspec, scope nowhere, type unspec
          00 00 00 00   # rtm_flags
          08 00 0f 00 e8 03 00 00  # RTA_TABLE 1000
          14 00 01 00 20 01 0d b8 00 00 00 01 00 00 00 00 00 00 00 00  # RTA_DST 2001:db8:0:1::`),
      ),
    );
  });

});

describe('RouteSetEncoder', () => {
  const attributeCases: { name: string; attributes: RouteSetAttributes }[] = [
    { name: 'gateway + oif + table > 255 + protocol', attributes: { gateway: '10.0.0.2', oif: 3, table: 100000, protocol: 186 } },
    { name: 'nexthop id in the main table', attributes: { nhid: 17 } },
    { name: 'metric, scope name, type name, tos', attributes: { metric: 20, scope: 'universe', type: 'unicast', tos: 0, table: 7 } },
    { name: 'blackhole', attributes: { type: 'blackhole', table: 1000 } },
    { name: 'IPv6 gateway (RTA_VIA for IPv4 prefixes)', attributes: { gateway: 'fd00::2', oif: 3, table: 1000 } },
    { name: 'preferred source', attributes: { gateway: '10.0.0.2', prefsrc: '10.0.0.1', table: 1000 } },
    { name: 'multipath with weights', attributes: { multipath: [{ gateway: '10.0.0.2', oif: 3, weight: 3 }, { gateway: '10.0.0.3', oif: 4 }], table: 1000 } },
    { name: 'onlink', attributes: { gateway: '192.0.2.1', oif: 3, onlink: true } },
    { name: 'family 6 named', attributes: { family: 6, nhid: 2 } },
  ];
  const prefixes: { name: string; dst: RouteSetPrefix }[] = [
    { name: 'IPv4 /32 text', dst: '16.0.0.1/32' },
    { name: 'IPv4 /24 text', dst: '10.1.0.0/24' },
    { name: 'bare IPv4 address', dst: '10.1.2.3' },
    { name: 'IPv6 /64 text', dst: '2001:db8:1:2::/64' },
    { name: 'bare IPv6 address', dst: '2001:db8::9' },
    { name: 'IPv4 bytes', dst: { bytes: new Uint8Array([10, 9, 0, 0]), length: 16 } },
    { name: 'IPv6 bytes', dst: { bytes: new Uint8Array([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0]), length: 64 } },
    { name: 'default', dst: 'default' },
    { name: '0.0.0.0/0', dst: '0.0.0.0/0' },
    { name: 'leading-zero octet (general parser decides)', dst: '010.1.1.1/32' },
    { name: 'bad text', dst: 'ten.one/8' },
    { name: 'IPv4 length 33', dst: '10.0.0.0/33' },
    { name: 'IPv6 length 129', dst: '2001:db8::/129' },
    { name: 'bytes of length 5', dst: { bytes: new Uint8Array(5), length: 8 } },
    { name: 'bytes with length 40', dst: { bytes: new Uint8Array(4), length: 40 } },
  ];
  for (const op of ['add', 'replace', 'append', 'delete'] as const) {
    for (const { name, attributes } of attributeCases) {
      it(`${op}, ${name}: every prefix form gives the single-route bytes or its error`, () => {
        let ok = 0;
        for (const p of prefixes) {
          let constructed = true;
          try {
            new RouteSetEncoder(op, attributes);
          } catch {
            constructed = false;
          }
          if (!constructed) continue;
          expectSameAsSingle(op, attributes, p.dst, 11, 0);
          expectSameAsSingle(op, attributes, p.dst, 12, NLM_F.ACK);
          ok++;
        }
        expect(ok).toBe(prefixes.length);
      });
    }
  }

  it('refuses attributes wrong for every route at construction, with the field', () => {
    const cases: [RouteSetOp, RouteSetAttributes, string][] = [
      ['add', { table: 0 }, 'table'],
      ['add', { protocol: 'no-such-protocol' as 'bgp' }, 'protocol'],
      ['add', { nhid: 0 }, 'nhid'],
      ['add', { oif: -1 }, 'oif'],
      ['add', { gateway: 'not-an-address' }, 'gateway'],
      ['move' as RouteSetOp, { table: 1000 }, 'op'],
      ['add', { dst: '10.0.0.0/8' } as RouteSetAttributes, 'dst'],
    ];
    for (const [op, attributes, field] of cases) {
      let thrown: unknown;
      try {
        new RouteSetEncoder(op, attributes);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `${op} ${JSON.stringify(attributes)}`).toBeInstanceOf(NetlinkArgumentError);
      expect((thrown as NetlinkArgumentError).field).toBe(field);
    }
  });

  it('accepts attributes valid for one family only and fails each prefix of the other alone', () => {
    // A named family rules the other out: IPv6 prefixes work, IPv4 ones fail per prefix.
    const set = new RouteSetEncoder('add', { family: 6, nhid: 2, table: 1000 });
    expect(fromSet(set, '2001:db8::/64', 1, 0).length).toBeGreaterThan(0);
    const w = new MessageWriter(64);
    expect(() => set.encode(w, 2, '10.0.0.0/8', 0)).toThrow(NetlinkArgumentError);
    expect(w.offset).toBe(0);
    // An IPv6 preferred source: IPv4 prefixes cannot use it.
    const v6src = new RouteSetEncoder('add', { prefsrc: 'fd00::1', table: 1000 });
    expect(() => v6src.encode(w, 3, '10.0.0.0/8', 0)).toThrow(NetlinkArgumentError);
    expect(toHex(fromSet(v6src, 'fd01::/64', 4, 0))).toBe(toHex(single('add', { prefsrc: 'fd00::1', table: 1000 }, 'fd01::/64', 4, 0)));
  });

  it("builds the other family's template on its first prefix: same bytes, same error as the single-route encoder", () => {
    // The gateway's family is built first; the other one on demand, once.
    const cases: [RouteSetAttributes, string, string][] = [
      [{ gateway: '192.0.2.1', table: 1000 }, '10.1.0.0/16', '2001:db8::/64'],
      [{ gateway: 'fe80::1', oif: 2, table: 1000 }, '2001:db8::/64', '10.1.0.0/16'],
      [{ table: 1000, nhid: 7 }, '10.1.0.0/16', '2001:db8::/64'],
    ];
    for (const [attributes, works, other] of cases) {
      const set = new RouteSetEncoder('replace', attributes);
      expect(toHex(fromSet(set, works, 1, 0))).toBe(toHex(single('replace', attributes, works, 1, 0)));
      const w = new MessageWriter(64);
      let singleOther: string | NetlinkArgumentError;
      try {
        singleOther = toHex(single('replace', attributes, other, 2, 0));
      } catch (error) {
        singleOther = error as NetlinkArgumentError;
      }
      for (let round = 0; round < 2; round++) {
        if (typeof singleOther === 'string') expect(toHex(fromSet(set, other, 2, 0))).toBe(singleOther);
        else {
          const e = thrown(() => set.encode(w, 2, other, 0), NetlinkArgumentError);
          expect(e.field).toBe(singleOther.field);
          expect(e.message).toBe(singleOther.message);
          expect(w.offset).toBe(0);
        }
      }
    }
  });

  it('takes a snapshot of the attributes: later changes to the caller object do not leak in', () => {
    const attributes: RouteSetAttributes = { table: 1000, nhid: 1 };
    const set = new RouteSetEncoder('add', attributes);
    attributes.nhid = 99;
    expect(toHex(fromSet(set, '10.0.0.0/8', 1, 0))).toBe(toHex(single('add', { table: 1000, nhid: 1 }, '10.0.0.0/8', 1, 0)));
  });

  it('writes the same bytes through a writer that grows mid-stream and through one without a word view', () => {
    const attributes: RouteSetAttributes = { gateway: 'fd00::2', oif: 3, table: 1000, protocol: 'bgp' };
    const set = new RouteSetEncoder('replace', attributes);
    const dsts: RouteSetPrefix[] = ['16.0.0.1/32', '2001:db8:1:2::/64', { bytes: new Uint8Array([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0]), length: 64 }, '10.1.0.0/24', 'default', '2001:db8::9'];
    const want = toHex(Buffer.concat(dsts.map((d, i) => single('replace', attributes, d, 40 + i, i === 2 ? NLM_F.ACK : 0))));
    const growing = new MessageWriter(16); // reallocated several times: the word view must follow the buffer
    const unaligned = new MessageWriter(1024);
    unaligned.words = null; // what a buffer that does not start on a 4-byte boundary gets
    for (const w of [growing, unaligned]) {
      dsts.forEach((d, i) => set.encode(w, 40 + i, d, i === 2 ? NLM_F.ACK : 0));
      expect(toHex(w.bytes())).toBe(want);
    }
  });

  it('names the request of a failure (type and flags)', () => {
    expect(new RouteSetEncoder('replace', { nhid: 1 }).requestOf()).toEqual({ type: RTM.NEWROUTE, flags: NLM_F.CREATE | NLM_F.REPLACE });
    expect(new RouteSetEncoder('delete', {}).requestOf()).toEqual({ type: RTM.DELROUTE, flags: 0 });
  });

  it('property: any prefix (text or bytes, either family, any length) encodes as the single-route encoder does', () => {
    const v4 = fc.tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 34 }));
    const v6 = fc.tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 130 }));
    const asText = ([bytes, length]: [Uint8Array, number]): string =>
      bytes.length === 4
        ? `${[...bytes].join('.')}/${length}`
        : `${Array.from({ length: 8 }, (_, i) => (((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0)).toString(16)).join(':')}/${length}`;
    const prefix: fc.Arbitrary<RouteSetPrefix> = fc.oneof(
      v4.map(asText),
      v6.map(asText),
      v4.map(([bytes, length]) => ({ bytes, length })),
      v6.map(([bytes, length]) => ({ bytes, length })),
      fc.constantFrom('default', '1.2.3', '::/0', '10.0.0.1/', '256.0.0.0/8'),
    );
    const attributes: fc.Arbitrary<RouteSetAttributes> = fc.record(
      {
        table: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
        protocol: fc.integer({ min: 0, max: 255 }),
        metric: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        gateway: fc.constantFrom('10.0.0.2', 'fd00::2'),
        oif: fc.integer({ min: 1, max: 1000 }),
        nhid: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
        type: fc.constantFrom('unicast' as const, 'blackhole' as const, 'local' as const),
      },
      { requiredKeys: [] },
    );
    const op = fc.constantFrom<RouteSetOp>('add', 'replace', 'append', 'delete');
    fc.assert(
      fc.property(op, attributes, prefix, fc.integer({ min: 1, max: 2 ** 32 - 1 }), (o, a, p, seq) => {
        let constructed = true;
        try {
          new RouteSetEncoder(o, a);
        } catch (error) {
          if (!(error instanceof NetlinkArgumentError)) throw error;
          constructed = false;
        }
        if (!constructed) return; // wrong for both families: the single encoder refuses too (checked below)
        expectSameAsSingle(o, a, p, seq, 0);
      }),
      { numRuns: 2000, seed: 0x5e7 },
    );
  });

  it('property: attributes the constructor refuses are refused by the single-route encoder for both families', () => {
    fc.assert(
      fc.property(fc.constantFrom<RouteSetOp>('add', 'delete'), fc.integer({ min: -2, max: 2 }), fc.constantFrom('bgp', 'nope'), (o, table, protocol) => {
        const a = { table, protocol: protocol as 'bgp' };
        let refused = false;
        try {
          new RouteSetEncoder(o, a);
        } catch {
          refused = true;
        }
        const singleRefuses = (dst: string): boolean => {
          try {
            single(o, a, dst, 1, 0);
            return false;
          } catch {
            return true;
          }
        };
        expect(refused).toBe(singleRefuses('10.0.0.0/8') && singleRefuses('2001:db8::/64'));
      }),
      { numRuns: 200, seed: 0x5e8 },
    );
  });
});
