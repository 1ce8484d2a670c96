import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BgpError, EncodeError } from '../../../src/bgp/errors.js';
import { createCodecContext } from '../../../src/bgp/context.js';
import { decodeNotification, encodeNotification, NotificationMessage } from '../../../src/bgp/messages/notification.js';
import { notificationCodeName, notificationSubcodeName } from '../../../src/bgp/messages/notification-names.js';
import { frame, hex, MARKER, toHex } from './hex.js';

describe('NOTIFICATION (RFC 4271 §4.5)', () => {
  it('decodes code, subcode and data, and re-encodes the same bytes', () => {
    const bytes = hex(`${MARKER} 0017 03 # header, length 23, NOTIFICATION
      01     # error code 1, Message Header Error
      02     # subcode 2, Bad Message Length
      0012   # data: the bad length field (18)`);
    const n = decodeNotification(bytes);
    expect([n.code, n.subcode, toHex(n.data)]).toEqual([1, 2, '0012']);
    expect(n.toJSON()).toEqual({
      type: 'notification',
      code: 1,
      subcode: 2,
      codeName: 'Message Header Error',
      subcodeName: 'Bad Message Length',
      data: '0012',
    });
    expect(toHex(encodeNotification(n))).toBe(toHex(bytes));
    expect(decodeNotification(encodeNotification(n))).toEqual(n);
  });

  it('names every code and subcode of the IANA registry', () => {
    const expected: [number, number, string, string][] = [
      [1, 1, 'Message Header Error', 'Connection Not Synchronized'],
      [1, 3, 'Message Header Error', 'Bad Message Type'],
      [2, 0, 'OPEN Message Error', 'Unspecific'],
      [2, 7, 'OPEN Message Error', 'Unsupported Capability'],
      [2, 11, 'OPEN Message Error', 'Role Mismatch'],
      [3, 1, 'UPDATE Message Error', 'Malformed Attribute List'],
      [3, 11, 'UPDATE Message Error', 'Malformed AS_PATH'],
      [4, 0, 'Hold Timer Expired', 'Unspecific'],
      [5, 3, 'Finite State Machine Error', 'Receive Unexpected Message in Established State'],
      [6, 1, 'Cease', 'Maximum Number of Prefixes Reached'],
      [6, 9, 'Cease', 'Hard Reset'],
      [6, 10, 'Cease', 'BFD Down'],
      [7, 1, 'ROUTE-REFRESH Message Error', 'Invalid Message Length'],
      [8, 0, 'Send Hold Timer Expired', 'Unspecific'],
      [9, 9, 'Unknown (9)', 'Unknown (9)'],
    ];
    for (const [c, s, cn, sn] of expected) expect([notificationCodeName(c), notificationSubcodeName(c, s)]).toEqual([cn, sn]);
    for (let s = 1; s <= 11; s++) if (s !== 7) expect(notificationSubcodeName(3, s)).not.toMatch(/^Unknown/);
    for (let s = 0; s <= 10; s++) expect(notificationSubcodeName(6, s)).not.toMatch(/^Unknown/);
  });

  describe('RFC 9003 shutdown communication', () => {
    it('Cease / Administrative Shutdown with text', () => {
      const bytes = hex(`${MARKER} 0026 03 # header, length 38
        06 02                     # Cease, Administrative Shutdown
        10                        # length 16
        6d61696e74656e616e636520f09f94a7 # "maintenance 🔧" (UTF-8, multibyte)`);
      const n = decodeNotification(bytes);
      expect(n.shutdownCommunication).toEqual({ valid: true, text: 'maintenance 🔧' });
      expect(n.toJSON().shutdownCommunication).toEqual({ valid: true, text: 'maintenance 🔧' });
      expect(toHex(encodeNotification(NotificationMessage.shutdown('maintenance 🔧')))).toBe(toHex(bytes));
    });

    it('Administrative Reset (subcode 4) with an empty communication', () => {
      const n = decodeNotification(frame(3, '06 04 00'));
      expect(n.shutdownCommunication).toEqual({ valid: true, text: '' });
    });

    it('255 octets is the limit: accepted on decode, 256 refused on encode', () => {
      const text = 'é'.repeat(127) + 'x'; // 255 octets
      const n = NotificationMessage.shutdown(text, 4);
      expect(decodeNotification(encodeNotification(n)).shutdownCommunication).toEqual({ valid: true, text });
      expect(() => NotificationMessage.shutdown(text + 'y')).toThrow(EncodeError);
    });

    it.each([
      ['length overruns the data', '06 02 05 616263', 'length-mismatch'],
      ['data longer than the length', '06 02 01 616263', 'length-mismatch'],
      ['invalid UTF-8', '06 02 02 c328', 'invalid-utf8'],
      ['overlong UTF-8 encoding', '06 04 02 c0af', 'invalid-utf8'],
    ])('%s decodes to raw data with a flag, never throws', (_name, body, reason) => {
      const n = decodeNotification(frame(3, body));
      const sc = n.shutdownCommunication;
      expect(sc).toMatchObject({ valid: false, reason });
      if (sc && !sc.valid) expect(toHex(sc.raw)).toBe(toHex(hex(body).subarray(2)));
      expect(n.toJSON().shutdownCommunication).toEqual({ valid: false, reason });
    });

    it('no data, or another Cease subcode: no shutdown communication', () => {
      expect(decodeNotification(frame(3, '06 02')).shutdownCommunication).toBeUndefined();
      expect(decodeNotification(frame(3, '06 03 0161')).shutdownCommunication).toBeUndefined();
      expect(decodeNotification(frame(3, '06 02')).toJSON()).not.toHaveProperty('shutdownCommunication');
    });
  });

  it('Cease / Maximum Number of Prefixes Reached data (RFC 4486 §4)', () => {
    const n = decodeNotification(frame(3, `06 01 # Cease, Maximum Number of Prefixes Reached
      0002 01    # AFI 2, SAFI 1
      000186a0   # upper bound 100000`));
    expect(n.toJSON().maximumPrefixes).toEqual({ family: 'ipv6-unicast', afi: 2, safi: 1, upperBound: 100000 });
    expect(decodeNotification(frame(3, '06 01')).maximumPrefixes).toBeUndefined();
    expect(decodeNotification(frame(3, '06 01 000201')).maximumPrefixes).toBeUndefined();
  });

  it('Cease / Hard Reset carries the NOTIFICATION that would have been sent (RFC 8538 §3)', () => {
    const n = decodeNotification(frame(3, `06 09 # Cease, Hard Reset
      04 00  # inner: Hold Timer Expired
      `));
    expect(n.toJSON().hardReset).toEqual({ code: 4, subcode: 0, codeName: 'Hold Timer Expired', subcodeName: 'Unspecific', data: '' });
    const inner = decodeNotification(frame(3, '06 09 06 02 03 627965'));
    expect(inner.hardReset).toMatchObject({ code: 6, subcode: 2, data: '03627965' });
    expect(decodeNotification(frame(3, '06 09 04')).hardReset).toBeUndefined();
  });

  it('round trips any code, subcode and data (property)', () => {
    fc.assert(
      fc.property(fc.nat(255), fc.nat(255), fc.uint8Array({ maxLength: 300 }), (code, subcode, data) => {
        const n = new NotificationMessage(code, subcode, data);
        const bytes = encodeNotification(n);
        expect(decodeNotification(bytes)).toEqual(n);
        expect(toHex(encodeNotification(decodeNotification(bytes)))).toBe(toHex(bytes));
        // The JSON form never throws, whatever the data.
        expect(n.toJSON().code).toBe(code);
      }),
      { numRuns: 300, seed: 8203 },
    );
  });

  it('builds the NOTIFICATION for a BgpError', () => {
    const err = BgpError.open(1, 'bad version', Uint8Array.of(0, 4));
    expect(toHex(encodeNotification(NotificationMessage.fromError(err)))).toBe(toHex(frame(3, '02 01 0004')));
  });

  it('a Data field that does not fit is an EncodeError, unless Extended Message allows it', () => {
    const big = new NotificationMessage(6, 0, new Uint8Array(5000));
    expect(() => encodeNotification(big)).toThrow(EncodeError);
    expect(encodeNotification(big, createCodecContext({ extendedMessage: true })).length).toBe(5021);
  });

  it('1/2: NOTIFICATION shorter than 21 octets', () => {
    expect(() => decodeNotification(frame(3, '06'))).toThrow(BgpError);
  });
});
