import { describe, expect, it } from 'vitest';
import { createCodecContext } from '../../../src/bgp/context.js';
import { BgpError } from '../../../src/bgp/errors.js';
import { decodeHeader } from '../../../src/bgp/messages/header.js';
import { encodeKeepalive, decodeKeepalive } from '../../../src/bgp/messages/keepalive.js';
import { hex, MARKER, toHex } from './hex.js';

const ctx = createCodecContext();
const extended = createCodecContext({ extendedMessage: true });

function headerError(bytes: Uint8Array, c = ctx): BgpError {
  try {
    decodeHeader(bytes, c);
  } catch (e) {
    if (e instanceof BgpError) return e;
    throw e;
  }
  throw new Error('expected a BgpError');
}

/** A frame of `total` octets whose length field says `lengthField` and type is `type`. */
function framed(lengthField: number, type: number, total = lengthField): Uint8Array {
  const b = new Uint8Array(Math.max(total, 19));
  b.fill(0xff, 0, 16);
  b[16] = lengthField >>> 8;
  b[17] = lengthField & 0xff;
  b[18] = type;
  return b.subarray(0, total);
}

describe('message header (RFC 4271 §4.1)', () => {
  it('reads length and type of a KEEPALIVE', () => {
    const k = hex(`${MARKER} # marker
      0013 # length 19
      04   # type KEEPALIVE`);
    expect(decodeHeader(k, ctx)).toEqual({ length: 19, type: 4 });
    expect(toHex(encodeKeepalive())).toBe(toHex(k));
    expect(() => decodeKeepalive(k)).not.toThrow();
  });

  it('1/1: a marker octet that is not 0xff', () => {
    const b = framed(19, 4);
    b[7] = 0xfe;
    const e = headerError(b);
    expect([e.notifyCode, e.notifySubcode, e.code, e.action]).toEqual([1, 1, 'ERR_BGP_HEADER_CONNECTION_NOT_SYNCHRONIZED', 'session-reset']);
  });

  // RFC 4271 §6.1: Bad Message Length carries the erroneous Length field as data.
  it.each([
    ['length < 19', framed(18, 4, 19), '0012'],
    ['length > 4096 without Extended Message', framed(4097, 2), '1001'],
    ['frame shorter than the length field says', framed(40, 2, 30), '0028'],
    ['frame longer than the length field says', framed(23, 2, 30), '0017'],
    ['OPEN shorter than 29', framed(28, 1), '001c'],
    ['UPDATE shorter than 23', framed(22, 2), '0016'],
    ['KEEPALIVE longer than 19', framed(20, 4), '0014'],
    ['NOTIFICATION shorter than 21', framed(20, 3), '0014'],
    ['truncated header', framed(19, 4).subarray(0, 18), '0013'],
  ])('1/2: %s', (_name, bytes, data) => {
    const e = headerError(bytes);
    expect([e.notifyCode, e.notifySubcode]).toEqual([1, 2]);
    expect(toHex(e.data)).toBe(data);
  });

  it('Extended Message raises the limit to 65535 for UPDATE but not for OPEN (RFC 8654 §4)', () => {
    expect(decodeHeader(framed(5000, 2), extended)).toEqual({ length: 5000, type: 2 });
    const e = headerError(framed(5000, 1), extended);
    expect([e.notifyCode, e.notifySubcode, toHex(e.data)]).toEqual([1, 2, '1388']);
  });

  it.each([0, 6, 255])('1/3: message type %i, with the type as data', (type) => {
    const e = headerError(framed(19, type));
    expect([e.notifyCode, e.notifySubcode, toHex(e.data)]).toEqual([1, 3, type.toString(16).padStart(2, '0')]);
  });

  it('never throws anything but BgpError on short or empty input', () => {
    for (let n = 0; n < 19; n++) expect(headerError(framed(19, 4).subarray(0, n))).toBeInstanceOf(BgpError);
  });
});
