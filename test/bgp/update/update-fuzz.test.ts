import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BgpError } from '../../../src/bgp/errors.js';
import { createCodecContext } from '../../../src/bgp/context.js';
import { Family } from '../../../src/bgp/family.js';
import { Prefix } from '../../../src/bgp/prefix.js';
import { UpdateBuilder } from '../../../src/bgp/update/update-builder.js';
import { UpdateView } from '../../../src/bgp/update/update-view.js';

const ctxs = [createCodecContext(), createCodecContext({ asn4: false }), createCodecContext({ addPath: ['ipv4-unicast', 'ipv6-unicast'] })];

const seeds: Uint8Array[] = [
  ...new UpdateBuilder(ctxs[0]!)
    .attributes({
      origin: 0,
      asPath: [{ type: 2, asns: [65001, 4200000000] }, { type: 1, asns: [1, 2] }],
      nextHop: '192.0.2.1',
      med: 1,
      localPref: 2,
      atomicAggregate: true,
      aggregator: { asn: 65001, address: '192.0.2.2' },
      communities: [1, 0xffffff01],
      largeCommunities: [[1, 2, 3]],
      clusterList: ['10.0.0.1'],
      raw: [{ flags: 0xc0, type: 99, value: Uint8Array.of(1, 2, 3) }],
    })
    .withdraw([Prefix.parse('10.0.0.0/8'), Prefix.parse('2001:db8::/32')])
    .announce([Prefix.parse('198.51.100.0/24', 1), Prefix.parse('0.0.0.0/0', 2)])
    .announce([Prefix.parse('2001:db8:1::/48', 3)], { nextHop: '2001:db8::1', linkLocalNextHop: 'fe80::1' })
    .endOfRib(Family.IPV6_UNICAST)
    .build(),
];

/** Everything a consumer may call on a view; must end in a value or a BgpError. */
function exercise(view: UpdateView): void {
  const calls: (() => unknown)[] = [
    () => view.validate(),
    () => view.toJSON(),
    () => [...view.announced()],
    () => [...view.withdrawn()],
    () => view.asPath,
    () => view.aggregator,
    () => view.communities,
    () => view.largeCommunities,
    () => view.mpReach,
    () => view.unknownAttributesToPassOn(),
    () => view.endOfRibFamily,
    () => view.unsupportedNlri(),
  ];
  for (const call of calls) {
    try {
      call();
    } catch (e) {
      if (!(e instanceof BgpError)) throw e;
    }
  }
}

describe('UpdateView mutation fuzz (seeded): only typed errors, never another exception', () => {
  it('bit flips, truncation, edited length fields, random bodies', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    );
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.nat({ max: ctxs.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, ci, mutations) => {
        let frame = Uint8Array.from(seeds[which]!);
        for (const m of mutations) {
          const at = 19 + (m.at % Math.max(1, frame.length - 19));
          if (m.kind === 'flip' && at < frame.length) frame[at] = frame[at]! ^ (1 << m.bit);
          else if (m.kind === 'byte' && at < frame.length) frame[at] = m.value;
          else if (m.kind === 'truncate') frame = frame.slice(0, at);
        }
        // Keep the header length consistent so the body parser, not the header check, sees the damage.
        if (frame.length >= 19) {
          frame[16] = frame.length >>> 8;
          frame[17] = frame.length & 0xff;
        }
        let view: UpdateView;
        try {
          view = UpdateView.fromMessage(frame, ctxs[ci]!);
        } catch (e) {
          expect(e).toBeInstanceOf(BgpError);
          return;
        }
        exercise(view);
      }),
      { seed: 20261121, numRuns: Number(process.env['FIBWIRE_FUZZ_RUNS'] ?? 3000) },
    );
  });

  it('random bodies', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat({ max: ctxs.length - 1 }), (body, ci) => {
        let view: UpdateView;
        try {
          view = UpdateView.fromBody(body, 0, body.length, ctxs[ci]!);
        } catch (e) {
          expect(e).toBeInstanceOf(BgpError);
          return;
        }
        exercise(view);
      }),
      { seed: 7606, numRuns: Number(process.env['FIBWIRE_FUZZ_RUNS'] ?? 3000) },
    );
  });
});
