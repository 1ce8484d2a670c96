import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { communitiesCodec } from '../../../src/bgp/attributes/attr-08-communities.js';
import {
  community,
  communityName,
  formatCommunitiesBgpdump,
  formatCommunity,
  formatCommunityBgpdump,
  parseCommunity,
} from '../../../src/bgp/attributes/community-format.js';
import { WellKnownCommunity } from '../../../src/bgp/constants.js';
import { EncodeError } from '../../../src/bgp/errors.js';
import { decodeValue, encodeValue, toHex } from './helpers.js';

describe('COMMUNITIES hex vectors', () => {
  it.each([
    // fde8 0064 = 65000:100
    ['fde80064', [community(65000, 100)], ['65000:100']],
    // ffffff01 NO_EXPORT, ffff029a BLACKHOLE, 00000000 = 0:0
    ['ffffff01 ffff029a 00000000', [0xffffff01, 0xffff029a, 0], ['NO_EXPORT', 'BLACKHOLE', '0:0']],
  ])('%s', (h, value, text) => {
    const decoded = decodeValue(communitiesCodec, h);
    expect(decoded).toEqual(value);
    expect(toHex(encodeValue(communitiesCodec, decoded))).toBe(h.replace(/\s/g, ''));
    expect(decoded.map(formatCommunity)).toEqual(text);
    expect(communitiesCodec.toJSON(decoded)).toEqual(value);
  });

  it('refuses to encode an empty list (it would be malformed, RFC 7606 §7.8)', () => {
    expect(() => encodeValue(communitiesCodec, [])).toThrow(EncodeError);
  });
});

describe('community names', () => {
  it.each([
    ['NO_EXPORT', WellKnownCommunity.NO_EXPORT],
    ['NO_ADVERTISE', WellKnownCommunity.NO_ADVERTISE],
    ['NO_EXPORT_SUBCONFED', WellKnownCommunity.NO_EXPORT_SUBCONFED],
    ['NOPEER', WellKnownCommunity.NOPEER],
    ['BLACKHOLE', WellKnownCommunity.BLACKHOLE],
    ['GRACEFUL_SHUTDOWN', WellKnownCommunity.GRACEFUL_SHUTDOWN],
    ['LLGR_STALE', WellKnownCommunity.LLGR_STALE],
    ['NO_LLGR', WellKnownCommunity.NO_LLGR],
    ['ACCEPT_OWN', WellKnownCommunity.ACCEPT_OWN],
  ])('%s', (name, value) => {
    expect(communityName(value)).toBe(name);
    expect(formatCommunity(value)).toBe(name);
    expect(parseCommunity(name)).toBe(value);
    expect(parseCommunity(name.toLowerCase().replace(/_/g, '-'))).toBe(value);
  });

  it('bgpdump knows only no-export, no-advertise and local-AS', () => {
    expect(formatCommunitiesBgpdump([0xffffff01, 0xffffff02, 0xffffff03, 0xffff029a, community(3257, 5010)])).toBe(
      'no-export no-advertise local-AS 65535:666 3257:5010',
    );
    expect(formatCommunityBgpdump(0)).toBe('0:0');
  });

  it('parses high:low and refuses garbage', () => {
    expect(parseCommunity('65000:100')).toBe(community(65000, 100));
    expect(parseCommunity('65536:1')).toBeUndefined();
    expect(parseCommunity('x')).toBeUndefined();
  });
});

describe('COMMUNITIES properties', () => {
  it('decode(encode(x)) == x, and text round-trips', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 64 }), (list) => {
        expect(decodeValue(communitiesCodec, encodeValue(communitiesCodec, list))).toEqual(list);
        for (const c of list) expect(parseCommunity(formatCommunity(c))).toBe(c);
      }),
    );
  });
});
