/**
 * RouteView: one pass over struct rtmsg and its rtattrs, text formatted only
 * on demand. Vectors are RTM_NEWROUTE bodies as the kernel sends them in
 * dumps (little-endian host order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from '../../support/hex.js';
import { HOST_LITTLE_ENDIAN } from '../../../src/netlink/codec/host-endian.js';
import { NetlinkDecodeError } from '../../../src/netlink/errors.js';
import { RouteView } from '../../../src/netlink/ops/route-view.js';
import { decodeRoute } from '../../../src/netlink/ops/route-codec.js';

if (!HOST_LITTLE_ENDIAN) console.warn('route view vectors are little-endian; skipped on this big-endian host');
const suite = HOST_LITTLE_ENDIAN ? describe : describe.skip;

/** A dump entry with nexthop_compat_mode=1: the nexthop id and the resolved gateway/oif. */
const COMPAT_ROUTE = Buffer.from(
  hex(`
    02 20 00 00   # AF_INET, dst_len 32, src_len 0, tos 0
    fc ba 00 01   # rtm_table RT_TABLE_COMPAT, protocol bgp (186), scope universe, type unicast
    00 00 00 00   # rtm_flags
    08 00 0f 00 e8 03 00 00  # RTA_TABLE 1000
    08 00 01 00 10 01 02 03  # RTA_DST 16.1.2.3
    08 00 1e 00 07 00 00 00  # RTA_NH_ID 7
    08 00 05 00 0a 00 00 02  # RTA_GATEWAY 10.0.0.2
    08 00 04 00 03 00 00 00  # RTA_OIF 3`),
);

/** Multipath with RTA_VIA (an IPv4 route through an IPv6 gateway) and a metric. */
const MULTIPATH_ROUTE = Buffer.from(
  hex(`
    02 18 00 00 fe 03 00 01 00 00 00 00  # AF_INET /24, table main, protocol boot, universe, unicast
    08 00 06 00 0a 00 00 00  # RTA_PRIORITY 10
    08 00 01 00 0a 02 00 00  # RTA_DST 10.2.0.0
    34 00 09 00              # RTA_MULTIPATH, 52 bytes
      10 00 00 02 03 00 00 00  # rtnexthop len 16, flags 0, hops 2 (weight 3), ifindex 3
      08 00 05 00 0a 00 00 02  #   RTA_GATEWAY 10.0.0.2
      20 00 04 00 04 00 00 00  # rtnexthop len 32, flags RTNH_F_ONLINK (4), weight 1, ifindex 4
      16 00 12 00 0a 00        #   RTA_VIA, 22 bytes: family AF_INET6
      fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02  # fd00::2
      00 00                    #   padding to 4`),
);

suite('RouteView', () => {
  it('reads numbers in place and formats text only when asked', () => {
    const view = new RouteView().load(COMPAT_ROUTE, 0, COMPAT_ROUTE.length);
    expect(view.family).toBe(4);
    expect(view.dstLength).toBe(32);
    expect(view.table).toBe(1000); // RTA_TABLE wins over rtm_table
    expect(view.protocol).toBe(186);
    expect(view.typeNumber).toBe(1);
    expect(view.type).toBe('unicast');
    expect(view.nhid).toBe(7);
    expect(view.oif).toBe(3);
    expect(view.metric).toBeUndefined();
    expect(view.dstIpv4).toBe(0x10010203);
    expect(view.dstOffset).toBe(12 + 8 + 4);
    expect(view.dst).toBe('16.1.2.3/32');
    expect(view.gateway).toBe('10.0.0.2');
    expect(view.prefsrc).toBeUndefined();
    const out = new Uint8Array(16);
    expect(view.copyDst(out)).toBe(4);
    expect([...out.subarray(0, 4)]).toEqual([16, 1, 2, 3]);
    expect(view.usesOif(3)).toBe(true);
    expect(view.usesOif(4)).toBe(false);
  });

  it('toEntry equals decodeRoute, with every field present (one hidden class)', () => {
    const entry = new RouteView().load(COMPAT_ROUTE, 0, COMPAT_ROUTE.length).toEntry();
    expect(entry).toEqual(decodeRoute(COMPAT_ROUTE, 0, COMPAT_ROUTE.length));
    expect(Object.keys(entry)).toEqual([
      'family', 'dst', 'dstLength', 'table', 'protocol', 'scope', 'type', 'tos', 'flags',
      'metric', 'gateway', 'oif', 'prefsrc', 'nhid', 'multipath',
    ]);
    expect(entry).toMatchObject({ dst: '16.1.2.3/32', gateway: '10.0.0.2', oif: 3, nhid: 7, table: 1000 });
  });

  it('multipath paths, RTA_VIA gateways and usesOif over the paths', () => {
    const view = new RouteView().load(MULTIPATH_ROUTE, 0, MULTIPATH_ROUTE.length);
    expect(view.dst).toBe('10.2.0.0/24');
    expect(view.table).toBe(254);
    expect(view.metric).toBe(10);
    expect(view.oif).toBeUndefined();
    expect(view.usesOif(4)).toBe(true);
    expect(view.usesOif(5)).toBe(false);
    expect(view.multipath).toEqual([
      { weight: 3, oif: 3, gateway: '10.0.0.2' },
      { weight: 1, oif: 4, onlink: true, gateway: 'fd00::2' },
    ]);
  });

  it('a default route has no RTA_DST and formats as 0.0.0.0/0 or ::/0', () => {
    const v4 = Buffer.from(hex('02 00 00 00 fe 03 00 01 00 00 00 00  08 00 05 00 0a 00 00 01'));
    const view = new RouteView().load(v4, 0, v4.length);
    expect(view.dst).toBe('0.0.0.0/0');
    expect(view.dstIpv4).toBe(0);
    expect(view.gateway).toBe('10.0.0.1');
    const v6 = Buffer.from(hex('0a 00 00 00 fe 03 00 01 00 00 00 00'));
    const view6 = new RouteView().load(v6, 0, v6.length);
    expect(view6.dst).toBe('::/0');
    expect(view6.dstIpv4).toBeUndefined();
  });

  it('one view reused: a second load forgets the first route', () => {
    const view = new RouteView().load(COMPAT_ROUTE, 0, COMPAT_ROUTE.length);
    view.load(MULTIPATH_ROUTE, 0, MULTIPATH_ROUTE.length);
    expect(view.nhid).toBeUndefined();
    expect(view.gateway).toBeUndefined();
    expect(view.table).toBe(254);
  });

  it.each([
    ['short rtmsg', '02 20 00 00 fe'],
    ['family AF_BRIDGE', '07 00 00 00 fe 03 00 01 00 00 00 00'],
    ['attribute longer than the message', '02 20 00 00 fe 03 00 01 00 00 00 00  10 00 01 00 0a 00 00 01'],
    ['attribute length below 4', '02 20 00 00 fe 03 00 01 00 00 00 00  02 00 01 00'],
    ['RTA_DST of 3 bytes', '02 20 00 00 fe 03 00 01 00 00 00 00  07 00 01 00 0a 00 00 00'],
    ['RTA_GATEWAY of 5 bytes', '02 20 00 00 fe 03 00 01 00 00 00 00  09 00 05 00 0a 00 00 01 01 00 00 00'],
    ['RTA_TABLE of 2 bytes', '02 20 00 00 fe 03 00 01 00 00 00 00  06 00 0f 00 01 00 00 00'],
  ])('%s is a NetlinkDecodeError', (_name, bytes) => {
    const buf = Buffer.from(hex(bytes));
    expect(() => new RouteView().load(buf, 0, buf.length)).toThrow(NetlinkDecodeError);
  });

  it('property: arbitrary bytes load or throw NetlinkDecodeError, and every getter then works', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 160 }), (bytes) => {
        const buf = Buffer.from(bytes);
        const view = new RouteView();
        try {
          view.load(buf, 0, buf.length);
        } catch (error) {
          expect(error).toBeInstanceOf(NetlinkDecodeError);
          return;
        }
        try {
          view.toEntry();
          view.usesOif(1);
        } catch (error) {
          expect(error).toBeInstanceOf(NetlinkDecodeError); // a malformed RTA_MULTIPATH is found when read
        }
      }),
      { numRuns: 3000 },
    );
  });
});
