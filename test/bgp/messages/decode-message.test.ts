import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCodecContext } from '../../../src/bgp/context.js';
import { BgpError } from '../../../src/bgp/errors.js';
import { decodeMessage } from '../../../src/bgp/messages/decode-message.js';
import { encodeKeepalive } from '../../../src/bgp/messages/keepalive.js';
import { encodeNotification, NotificationMessage } from '../../../src/bgp/messages/notification.js';
import { encodeOpen } from '../../../src/bgp/messages/open-encode.js';
import { OpenMessage } from '../../../src/bgp/messages/open-message.js';
import { encodeRouteRefresh, RouteRefreshMessage } from '../../../src/bgp/messages/route-refresh.js';
import { corpusAvailable, loadGobgpBadLenMessages } from '../../support/corpus.js';
import { frame, hex, MARKER } from './hex.js';

const ctx = createCodecContext();

const SAMPLE_OPEN = encodeOpen(
  OpenMessage.create({
    asn: 4200000001,
    holdTime: 90,
    bgpIdentifier: '192.0.2.1',
    capabilities: [
      { kind: 'multiprotocol', afi: 1, safi: 1 },
      { kind: 'graceful-restart', restartFlags: 8, restartTime: 120, families: [{ afi: 1, safi: 1, flags: 0x80 }] },
      { kind: 'add-path', families: [{ afi: 1, safi: 1, sendReceive: 3 }] },
      { kind: 'fqdn', hostname: 'r1', domainName: 'example.net' },
    ],
  }),
);

describe('decodeMessage', () => {
  it('dispatches every message type', () => {
    const open = decodeMessage(SAMPLE_OPEN, ctx);
    expect(open.type === 'open' && open.open.asn).toBe(4200000001);
    expect(decodeMessage(encodeKeepalive(), ctx)).toEqual({ type: 'keepalive' });
    const n = decodeMessage(encodeNotification(NotificationMessage.shutdown('bye')), ctx);
    expect(n.type === 'notification' && n.notification.shutdownCommunication).toEqual({ valid: true, text: 'bye' });
    const rr = decodeMessage(encodeRouteRefresh(new RouteRefreshMessage(2, 1, 1)), ctx);
    expect(rr).toEqual({ type: 'route-refresh', routeRefresh: new RouteRefreshMessage(2, 1, 1) });
    const update = decodeMessage(
      hex(`${MARKER} 0017 02 # header, length 23, UPDATE
        0000 0000           # no withdrawn routes, no attributes: End-of-RIB ipv4-unicast (RFC 4724 §2)`),
      ctx,
    );
    expect(update.type).toBe('update');
    expect(update.type === 'update' && update.update.isEndOfRib).toBe(true);
  });

  it('header errors come first', () => {
    expect(() => decodeMessage(frame(9, ''), ctx)).toThrow(expect.objectContaining({ notifyCode: 1, notifySubcode: 3 }) as unknown as Error);
    expect(() => decodeMessage(frame(4, '00'), ctx)).toThrow(expect.objectContaining({ notifyCode: 1, notifySubcode: 2 }) as unknown as Error);
  });

  it('random bodies under a valid header give a value or a BgpError, for every type', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.uint8Array({ maxLength: 300 }), fc.boolean(), (type, body, openish) => {
        // Half the OPEN bodies start like a real one (version 4, a plausible parameters length) to reach the parameter parser.
        if (openish && type === 1 && body.length >= 10) {
          body[0] = 4;
          body[9] = Math.min(255, body.length - 10);
        }
        try {
          const m = decodeMessage(frame(type, body), ctx);
          if (m.type === 'update') m.update.validate();
          else if (m.type === 'open') m.open.toJSON();
          else if (m.type === 'notification') m.notification.toJSON();
        } catch (e) {
          if (!(e instanceof BgpError)) throw e;
        }
      }),
      { numRuns: Number(process.env['FIBWIRE_FUZZ_RUNS'] ?? 3000), seed: 179 },
    );
  });

  // Seeded mutation fuzz: bit flips, truncation, extension and length edits give only BgpError.
  it('mutated messages of every type give a value or a BgpError, nothing else', () => {
    const seeds = [
      SAMPLE_OPEN,
      encodeKeepalive(),
      encodeNotification(NotificationMessage.shutdown('maintenance')),
      encodeRouteRefresh(new RouteRefreshMessage(1, 1, 2)),
      hex(`${MARKER} 002f 02 0000 0014 40010100 400206020100 00fde8 400304c0000201 18c63364`),
    ];
    const mutation = fc.record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 4 }),
      cut: fc.option(fc.nat()),
      extra: fc.uint8Array({ maxLength: 8 }),
      fixLength: fc.boolean(),
    });
    fc.assert(
      fc.property(mutation, ({ seed, flips, cut, extra, fixLength }) => {
        const base = seeds[seed]!;
        let b = Uint8Array.from([...base, ...extra]);
        for (const [at, bit] of flips) {
          const i = 16 + (at % Math.max(1, b.length - 16)); // keep the marker mostly intact so bodies get exercised
          if (i < b.length) b[i] = b[i]! ^ (1 << bit);
        }
        if (cut !== null) b = b.subarray(0, cut % (b.length + 1));
        if (fixLength && b.length >= 18) {
          b[16] = b.length >>> 8;
          b[17] = b.length & 0xff;
        }
        try {
          const m = decodeMessage(b, ctx);
          if (m.type === 'update') m.update.validate();
          else if (m.type === 'open') m.open.toJSON();
          else if (m.type === 'notification') m.notification.toJSON();
        } catch (e) {
          if (!(e instanceof BgpError)) throw e;
        }
      }),
      { numRuns: Number(process.env['FIBWIRE_FUZZ_RUNS'] ?? 3000), seed: 4271 },
    );
  });
});

// GoBGP's malformed messages (../shared/corpus/gobgp-bad-len): each must be a BgpError.
const gobgpMissing = corpusAvailable('gobgp-bad-len');
if (gobgpMissing) console.warn(`GoBGP bad-len cases skipped: ${gobgpMissing}`);
describe.skipIf(gobgpMissing !== undefined)('GoBGP bad-len corpus', () => {
  const messages = gobgpMissing ? [] : loadGobgpBadLenMessages();

  it('holds the 11 crashers', () => expect(messages).toHaveLength(11));

  it.each(messages.map((m) => [m.name, m.bytes] as const))(
    '%s is rejected with a BgpError (as is, with a valid marker, and cut to its Length)',
    (name, raw) => {
      // As is: GoBGP does not check the marker; we do (1/1) — so also try with a good
      // marker to reach the body checks the fuzzer aimed at.
      const withMarker = Uint8Array.from(raw);
      withMarker.fill(0xff, 0, Math.min(16, withMarker.length));
      // GoBGP reads only the first Length octets of a longer buffer: try that frame too.
      const length = withMarker.length >= 18 ? (withMarker[16]! << 8) | withMarker[17]! : 0;
      const firstFrame = length >= 19 && length < withMarker.length ? [withMarker.subarray(0, length)] : [];
      for (const bytes of [raw, withMarker, ...firstFrame]) {
        let err: unknown;
        try {
          const m = decodeMessage(bytes, ctx);
          if (m.type === 'update') {
            const v = m.update.validate();
            if (v.action !== 'ok') throw v.errors[0]!;
          }
        } catch (e) {
          err = e;
        }
        expect(err, `${name} was accepted`).toBeInstanceOf(BgpError);
      }
    },
  );
});
