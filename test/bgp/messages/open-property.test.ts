import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Capability } from '../../../src/bgp/messages/capabilities/capability-registry.js';
import { KNOWN_CAPABILITY_CODES } from '../../../src/bgp/messages/capabilities/capability-registry.js';
import { decodeOpen } from '../../../src/bgp/messages/open-decode.js';
import { encodeOpen } from '../../../src/bgp/messages/open-encode.js';
import { OpenMessage } from '../../../src/bgp/messages/open-message.js';

const afi = fc.integer({ min: 0, max: 0xffff });
const safi = fc.integer({ min: 0, max: 0xff });
const shortText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 12 }));

const capability: fc.Arbitrary<Capability> = fc.oneof(
  fc.record({ kind: fc.constant('multiprotocol' as const), afi, safi }),
  fc.constant({ kind: 'route-refresh' as const }),
  fc.record({
    kind: fc.constant('extended-next-hop' as const),
    entries: fc.array(fc.record({ afi, safi: fc.integer({ min: 0, max: 0xffff }), nextHopAfi: afi }), { maxLength: 5 }),
  }),
  fc.constant({ kind: 'extended-message' as const }),
  fc.record({ kind: fc.constant('bgp-role' as const), role: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('graceful-restart' as const),
    restartFlags: fc.integer({ min: 0, max: 15 }),
    restartTime: fc.integer({ min: 0, max: 4095 }),
    families: fc.array(fc.record({ afi, safi, flags: fc.integer({ min: 0, max: 255 }) }), { maxLength: 5 }),
  }),
  fc.record({ kind: fc.constant('four-octet-as' as const), asn: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({
    kind: fc.constant('add-path' as const),
    families: fc.array(fc.record({ afi, safi, sendReceive: fc.integer({ min: 0, max: 255 }) }), { maxLength: 5 }),
  }),
  fc.constant({ kind: 'enhanced-route-refresh' as const }),
  fc.record({
    kind: fc.constant('long-lived-graceful-restart' as const),
    families: fc.array(
      fc.record({ afi, safi, flags: fc.integer({ min: 0, max: 255 }), staleTime: fc.integer({ min: 0, max: 0xffffff }) }),
      { maxLength: 5 },
    ),
  }),
  fc.record({ kind: fc.constant('fqdn' as const), hostname: shortText, domainName: shortText }),
  fc.record({ kind: fc.constant('software-version' as const), version: shortText }),
  fc.record({
    kind: fc.constant('unknown' as const),
    code: fc.integer({ min: 0, max: 255 }).filter((c) => !KNOWN_CAPABILITY_CODES.includes(c)),
    value: fc.uint8Array({ maxLength: 30 }),
  }),
);

const ipv4 = fc.tuple(fc.integer({ min: 1, max: 255 }), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));

const openMessage = fc
  .record({
    asn: fc.integer({ min: 0, max: 0xffffffff }),
    holdTime: fc.oneof(fc.constant(0), fc.integer({ min: 3, max: 0xffff })),
    bgpIdentifier: ipv4,
    capabilities: fc.array(capability, { maxLength: 40 }),
    parameterLayout: fc.constantFrom('single' as const, 'per-capability' as const),
    forceExtendedParameters: fc.boolean(),
  })
  .map((init) => OpenMessage.create(init))
  .filter((open) => {
    // Keep messages inside the 4096-octet OPEN limit (the limit itself is tested elsewhere).
    try {
      encodeOpen(open);
      return true;
    } catch {
      return false;
    }
  });

describe('OPEN round trips (property)', () => {
  it('decode(encode(x)) equals x for random capability sets', () => {
    fc.assert(
      fc.property(openMessage, (open) => {
        expect(decodeOpen(encodeOpen(open))).toEqual(open);
      }),
      { numRuns: 500, seed: 5492 },
    );
  });

  it('encode(decode(bytes)) equals bytes', () => {
    fc.assert(
      fc.property(openMessage, (open) => {
        const bytes = encodeOpen(open);
        expect(Buffer.from(encodeOpen(decodeOpen(bytes))).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 500, seed: 9072 },
    );
  });
});
