import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../../support/hex.js';
import { MessageWriter } from '../../../src/netlink/codec/writer.js';
import { HOST_LITTLE_ENDIAN } from '../../../src/netlink/codec/host-endian.js';
import { NLM_F, RTM } from '../../../src/netlink/constants.js';
import { decodeRoute, encodeRouteBody, type RouteSpec } from '../../../src/netlink/ops/route-codec.js';
import { NetlinkArgumentError, NetlinkDecodeError } from '../../../src/netlink/errors.js';
import { Prefix } from '../../../src/bgp/prefix.js';

function message(spec: RouteSpec, del = false): Buffer {
  const w = new MessageWriter(32);
  const start = w.beginMessage(del ? RTM.DELROUTE : RTM.NEWROUTE, NLM_F.REQUEST | NLM_F.ACK | (del ? 0 : NLM_F.CREATE | NLM_F.EXCL), 1);
  encodeRouteBody(w, spec, del);
  w.endMessage(start);
  return Buffer.from(w.bytes());
}

if (!HOST_LITTLE_ENDIAN) console.warn('route golden vectors are little-endian; skipped on this big-endian host');
const suite = HOST_LITTLE_ENDIAN ? describe : describe.skip;

suite('route codec', () => {
  it('IPv4 route with gateway, oif, 32-bit table, protocol and metric', () => {
    const spec: RouteSpec = { dst: '10.1.0.0/24', gateway: '10.0.0.2', oif: 3, table: 100000, protocol: 'bgp', metric: 10 };
    expect(toHex(message(spec))).toBe(
      toHex(
        hex(`
          44 00 00 00 18 00 05 06 01 00 00 00 00 00 00 00  # 68 bytes, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE, seq 1
          02 18 00 00   # AF_INET, dst_len 24, src_len 0, tos 0
          00            # rtm_table: 0, the id does not fit 8 bits
          ba 00 01      # protocol bgp, scope universe, type unicast
          00 00 00 00   # rtm_flags
          08 00 0f 00 a0 86 01 00  # RTA_TABLE 100000
          08 00 01 00 0a 01 00 00  # RTA_DST 10.1.0.0
          08 00 06 00 0a 00 00 00  # RTA_PRIORITY 10
          08 00 05 00 0a 00 00 02  # RTA_GATEWAY 10.0.0.2
          08 00 04 00 03 00 00 00  # RTA_OIF 3`),
      ),
    );
  });

  it('multipath with weights (RTA_MULTIPATH of struct rtnexthop)', () => {
    const spec: RouteSpec = {
      dst: '10.2.0.0/24',
      multipath: [
        { gateway: '10.0.0.2', oif: 3, weight: 3 },
        { gateway: '10.0.0.3', oif: 4 },
      ],
    };
    const bytes = message(spec);
    expect(toHex(bytes)).toBe(
      toHex(
        hex(`
          50 00 00 00 18 00 05 06 01 00 00 00 00 00 00 00  # 80 bytes
          02 18 00 00 fe 03 00 01 00 00 00 00  # AF_INET /24, table main, protocol boot, universe, unicast
          08 00 0f 00 fe 00 00 00  # RTA_TABLE 254
          08 00 01 00 0a 02 00 00  # RTA_DST 10.2.0.0
          24 00 09 00              # RTA_MULTIPATH, 36 bytes
            10 00 00 02 03 00 00 00  # rtnexthop len 16, flags 0, hops 2 (weight 3), ifindex 3
            08 00 05 00 0a 00 00 02  #   RTA_GATEWAY 10.0.0.2
            10 00 00 00 04 00 00 00  # rtnexthop len 16, weight 1, ifindex 4
            08 00 05 00 0a 00 00 03  #   RTA_GATEWAY 10.0.0.3`),
      ),
    );
    const decoded = decodeRoute(bytes, 16, bytes.length);
    expect(decoded.multipath).toEqual([
      { gateway: '10.0.0.2', oif: 3, weight: 3 },
      { gateway: '10.0.0.3', oif: 4, weight: 1 },
    ]);
  });

  it('IPv6 /64 naming only a nexthop id', () => {
    const bytes = message({ dst: '2001:db8:1::/64', nhid: 7, table: 10 });
    expect(toHex(bytes)).toBe(
      toHex(
        hex(`
          40 00 00 00 18 00 05 06 01 00 00 00 00 00 00 00  # 64 bytes
          0a 40 00 00 0a 03 00 01 00 00 00 00  # AF_INET6 /64, table 10, boot, universe, unicast
          08 00 0f 00 0a 00 00 00              # RTA_TABLE 10
          14 00 01 00 20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 00  # RTA_DST 2001:db8:1::
          08 00 1e 00 07 00 00 00              # RTA_NH_ID 7`),
      ),
    );
    expect(decodeRoute(bytes, 16, bytes.length)).toMatchObject({ family: 6, dst: '2001:db8:1::/64', table: 10, nhid: 7 });
  });

  it('byte-form prefixes ({ bytes } or the bgp Prefix shape { address }) encode exactly like text', () => {
    const text = message({ dst: '10.1.0.0/24', nhid: 5 });
    expect(toHex(message({ dst: { bytes: Uint8Array.from([10, 1, 0, 0]), length: 24 }, nhid: 5 }))).toBe(toHex(text));
    expect(toHex(message({ dst: Prefix.parse('10.1.0.0/24'), nhid: 5 }))).toBe(toHex(text));
    const v6 = message({ dst: Prefix.parse('2001:db8:1::/64'), nhid: 7, table: 10 });
    expect(decodeRoute(v6, 16, v6.length)).toMatchObject({ family: 6, dst: '2001:db8:1::/64' });
    expect(() => message({ dst: { bytes: new Uint8Array(5), length: 8 } })).toThrow(NetlinkArgumentError);
    expect(() => message({ dst: { address: new Uint8Array(4), length: 33 } })).toThrow(NetlinkArgumentError);
  });

  it('delete leaves protocol, type and scope as wildcards', () => {
    const bytes = message({ dst: '10.9.0.0/16', table: 5 }, true);
    // rtmsg: protocol 0 (any), scope 255 (RT_SCOPE_NOWHERE), type 0 (any)
    expect(toHex(bytes.subarray(16, 28))).toBe(toHex(hex('02 10 00 00 05 00 ff 00 00 00 00 00')));
  });

  it.each<[string, RouteSpec, string]>([
    ['prefix length 33', { dst: '10.0.0.0/33' }, 'dst'],
    ['table 0', { dst: '10.0.0.0/24', table: 0 }, 'table'],
    ['table above 2^32-1', { dst: '10.0.0.0/24', table: 2 ** 32 }, 'table'],
    ['not an address', { dst: '10.0.0/24' }, 'dst'],
    ['bad gateway', { dst: '10.0.0.0/24', gateway: '10.0.0.256' }, 'gateway'],
    ['weight 0', { dst: '10.0.0.0/24', multipath: [{ gateway: '10.0.0.1', weight: 0 }] }, 'multipath[0].weight'],
    ['default without family', { dst: 'default' }, 'dst'],
    ['prefsrc of the other family', { dst: '10.0.0.0/24', prefsrc: '::1' }, 'prefsrc'],
  ])('%s is a NetlinkArgumentError naming the field', (_name, spec, field) => {
    const w = new MessageWriter();
    let caught: unknown;
    try {
      encodeRouteBody(w, spec, false);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NetlinkArgumentError);
    expect((caught as NetlinkArgumentError).field).toBe(field);
  });

  it('property: any IPv4/IPv6 route encodes and decodes back to itself', () => {
    const v4 = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 })).map(([n, len]) => {
      const masked = len === 0 ? 0 : (n & ~(2 ** (32 - len) - 1)) >>> 0;
      return { family: 4 as const, text: `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}`, len };
    });
    fc.assert(
      fc.property(
        v4,
        fc.integer({ min: 1, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.option(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { nil: undefined }),
        (dst, table, protocol, metric, nhid) => {
          const spec: RouteSpec = { dst: `${dst.text}/${dst.len}`, table, protocol, ...(metric !== undefined ? { metric } : {}), ...(nhid !== undefined ? { nhid } : {}) };
          const bytes = message(spec);
          const decoded = decodeRoute(bytes, 16, bytes.length);
          expect(decoded.dst).toBe(`${dst.len === 0 ? '0.0.0.0' : dst.text}/${dst.len}`);
          expect(decoded.table).toBe(table);
          expect(decoded.protocol).toBe(protocol);
          expect(decoded.metric).toBe(metric);
          expect(decoded.nhid).toBe(nhid);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gateways that repeat, change, fail and come back all encode their own bytes (last-gateway cache)', () => {
    const gatewayOf = (spec: RouteSpec): string | undefined => {
      const bytes = message(spec);
      return decodeRoute(bytes, 16, bytes.length).gateway;
    };
    expect(gatewayOf({ dst: '10.1.0.0/24', gateway: '10.0.0.2' })).toBe('10.0.0.2');
    expect(gatewayOf({ dst: '10.1.1.0/24', gateway: '10.0.0.2' })).toBe('10.0.0.2');
    expect(gatewayOf({ dst: '10.1.2.0/24', gateway: '10.0.0.3' })).toBe('10.0.0.3');
    expect(() => message({ dst: '10.1.3.0/24', gateway: '10.0.0.300' })).toThrow(NetlinkArgumentError);
    expect(gatewayOf({ dst: '10.1.4.0/24', gateway: '10.0.0.3' })).toBe('10.0.0.3');
    expect(gatewayOf({ dst: '2001:db8::/64', gateway: 'fd00::2' })).toBe('fd00::2');
    expect(gatewayOf({ dst: '10.1.5.0/24', gateway: 'fd00::2' })).toBe('fd00::2'); // RTA_VIA
    expect(gatewayOf({ dst: '10.1.6.0/24', gateway: '10.0.0.2' })).toBe('10.0.0.2');
  });

  it('property: decodeRoute on arbitrary bytes returns or throws NetlinkDecodeError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const buf = Buffer.from(bytes);
        try {
          decodeRoute(buf, 0, buf.length);
        } catch (error) {
          expect(error).toBeInstanceOf(NetlinkDecodeError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
