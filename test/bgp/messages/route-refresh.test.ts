import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RouteRefreshSubtype } from '../../../src/bgp/constants.js';
import { BgpError } from '../../../src/bgp/errors.js';
import { decodeRouteRefresh, encodeRouteRefresh, RouteRefreshMessage } from '../../../src/bgp/messages/route-refresh.js';
import { frame, hex, MARKER, toHex } from './hex.js';

function refreshError(bytes: Uint8Array): BgpError {
  try {
    decodeRouteRefresh(bytes);
  } catch (e) {
    if (e instanceof BgpError) return e;
    throw e;
  }
  throw new Error('expected a BgpError');
}

describe('ROUTE-REFRESH (RFC 2918, RFC 7313)', () => {
  it.each([
    ['normal request ipv4-unicast', '0001 00 01', 1, 1, 0, 'refresh'],
    ['BoRR ipv6-unicast (RFC 7313 §4)', '0002 01 01', 2, 1, 1, 'borr'],
    ['EoRR ipv4-mpls-vpn', '0001 02 80', 1, 128, 2, 'eorr'],
    ['unknown subtype is kept for the session to ignore (RFC 7313 §5)', '0001 07 01', 1, 1, 7, 'unknown'],
  ])('%s', (_name, body, afi, safi, subtype, subtypeName) => {
    const bytes = hex(`${MARKER} 0017 05 # header, length 23, ROUTE-REFRESH
      ${body} # AFI (2), subtype (1), SAFI (1)`);
    const rr = decodeRouteRefresh(bytes);
    expect(rr).toEqual(new RouteRefreshMessage(afi, safi, subtype));
    expect(rr.toJSON()).toMatchObject({ type: 'route-refresh', afi, safi, subtype, subtypeName });
    expect(toHex(encodeRouteRefresh(rr))).toBe(toHex(bytes));
  });

  it('7/1: BoRR/EoRR of the wrong length, the data being the whole message (RFC 7313 §5)', () => {
    for (const body of ['0001 01 01 00', '0001 02 01 0000']) {
      const bytes = frame(5, body);
      const e = refreshError(bytes);
      expect([e.notifyCode, e.notifySubcode, e.code]).toEqual([7, 1, 'ERR_BGP_ROUTE_REFRESH_INVALID_MESSAGE_LENGTH']);
      expect(toHex(e.data)).toBe(toHex(bytes));
    }
  });

  it('1/2: a normal request of the wrong length, or too short to hold a subtype', () => {
    for (const body of ['0001 00 01 00', '0001', '']) {
      const bytes = frame(5, body);
      const e = refreshError(bytes);
      expect([e.notifyCode, e.notifySubcode]).toEqual([1, 2]);
      expect(toHex(e.data)).toBe(toHex(bytes.subarray(16, 18)));
    }
  });

  it('round trips any AFI, SAFI and subtype (property)', () => {
    fc.assert(
      fc.property(fc.nat(0xffff), fc.nat(255), fc.nat(255), (afi, safi, subtype) => {
        const rr = new RouteRefreshMessage(afi, safi, subtype);
        const bytes = encodeRouteRefresh(rr);
        expect(bytes.length).toBe(23);
        expect(decodeRouteRefresh(bytes)).toEqual(rr);
      }),
      { numRuns: 300, seed: 2918 },
    );
  });

  it('encodes subtype constants', () => {
    expect(toHex(encodeRouteRefresh(new RouteRefreshMessage(2, 1, RouteRefreshSubtype.EORR))).slice(-8)).toBe('00020201');
  });
});
