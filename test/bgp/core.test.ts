import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WireReader } from '../../src/bgp/wire-reader.js';
import { WireWriter } from '../../src/bgp/wire-writer.js';
import { BgpError, EncodeError, notificationErrorCode, strongerAction } from '../../src/bgp/errors.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../../src/bgp/ip-address.js';
import { Prefix } from '../../src/bgp/prefix.js';
import { familyKey, familyName, parseFamilyName, Family } from '../../src/bgp/family.js';
import { createCodecContext } from '../../src/bgp/context.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/[\s_]/g, ''), 'hex'));
const overrun = { notifyCode: 3, notifySubcode: 1, action: 'session-reset' as const };

describe('WireReader', () => {
  it('reads big-endian fields and views without copying', () => {
    const buf = hex('01 0203 fffffffe aabb');
    const r = new WireReader(buf, 0, buf.length, overrun);
    expect(r.u8()).toBe(1);
    expect(r.u16()).toBe(0x0203);
    expect(r.u32()).toBe(0xfffffffe);
    const v = r.bytes(2);
    expect(v.buffer).toBe(buf.buffer);
    expect(r.remaining).toBe(0);
  });

  it('throws the configured BgpError on overrun, never a RangeError', () => {
    const buf = hex('0001');
    const r = new WireReader(buf, 0, 1, overrun);
    expect(() => r.u16('withdrawn length')).toThrowError(BgpError);
    try {
      new WireReader(buf, 0, 1, overrun).u32();
    } catch (e) {
      expect(e).toBeInstanceOf(BgpError);
      const b = e as BgpError;
      expect([b.notifyCode, b.notifySubcode, b.code]).toEqual([3, 1, 'ERR_BGP_UPDATE_MALFORMED_ATTRIBUTE_LIST']);
    }
  });

  it('respects a window end inside a larger buffer', () => {
    const buf = hex('00112233');
    const r = new WireReader(buf, 1, 3, overrun);
    expect(r.u16()).toBe(0x1122);
    expect(() => r.u8()).toThrow(BgpError);
  });
});

describe('WireWriter', () => {
  it('reserves and patches length fields', () => {
    const w = new WireWriter(16);
    const at = w.reserveU16();
    w.u8(4).u32(0xc0000201).bytes(hex('ff'));
    w.patchU16(at, w.length - 2);
    expect(Buffer.from(w.finish()).toString('hex')).toBe('0006' + '04' + 'c0000201' + 'ff');
  });

  it('grows past its initial capacity', () => {
    const w = new WireWriter(16);
    for (let i = 0; i < 1000; i++) w.u16(i);
    const out = w.finish();
    expect(out.length).toBe(2000);
    expect((out[1998]! << 8) | out[1999]!).toBe(999);
  });

  it('refuses out-of-range values with an EncodeError naming the field', () => {
    const w = new WireWriter();
    expect(() => w.u16(70000, 'hold time')).toThrowError(EncodeError);
    try {
      w.u8(256, 'version');
    } catch (e) {
      expect((e as EncodeError).field).toBe('version');
      expect((e as EncodeError).limit).toBe(255);
    }
  });
});

describe('errors', () => {
  it.each([
    [1, 1, 'ERR_BGP_HEADER_CONNECTION_NOT_SYNCHRONIZED'],
    [1, 2, 'ERR_BGP_HEADER_BAD_MESSAGE_LENGTH'],
    [2, 2, 'ERR_BGP_OPEN_BAD_PEER_AS'],
    [3, 11, 'ERR_BGP_UPDATE_MALFORMED_AS_PATH'],
    [6, 2, 'ERR_BGP_CEASE_SUBCODE_2'],
    [9, 9, 'ERR_BGP_CODE_9_SUBCODE_9'],
  ])('code %i/%i is %s', (c, s, name) => expect(notificationErrorCode(c, s)).toBe(name));

  it('orders RFC 7606 actions', () => {
    expect(strongerAction('attribute-discard', 'treat-as-withdraw')).toBe('treat-as-withdraw');
    expect(strongerAction('session-reset', 'treat-as-withdraw')).toBe('session-reset');
  });

  it('copies data so a reused pooled buffer cannot change it', () => {
    const data = hex('1000');
    const e = BgpError.header(2, 'bad length', data);
    data[0] = 0;
    expect(e.toJSON().data).toBe('1000');
  });
});

describe('ip-address', () => {
  it.each([
    ['::', '00000000000000000000000000000000'],
    ['2001:db8::1', '20010db8000000000000000000000001'],
    ['2001:db8:0:1:1:1:1:1', '20010db8000000010001000100010001'], // RFC 5952 §4.2.2: a single zero word is not compressed
    ['2001:0:0:1::1', '20010000000000010000000000000001'], // longest run wins
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201'],
    ['fe80::1000:0:0:1', 'fe800000000000001000000000000001'],
  ])('IPv6 %s', (text, bytes) => {
    expect(formatIPv6(hex(bytes))).toBe(text);
    expect(Buffer.from(parseIPv6(text)!).toString('hex')).toBe(bytes);
  });

  it('round-trips any IPv6 address through text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        expect(Array.from(parseIPv6(formatIPv6(b))!)).toEqual(Array.from(b));
      }),
    );
  });

  it('refuses garbage', () => {
    for (const bad of ['1.2.3', '1.2.3.256', 'a.b.c.d', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9']) {
      expect(bad.includes(':') ? parseIPv6(bad) : parseIPv4(bad)).toBeUndefined();
    }
    expect(formatIPv4(hex('c0000201'))).toBe('192.0.2.1');
  });
});

describe('Prefix', () => {
  it('parses, formats and detects non-canonical bits', () => {
    const p = Prefix.parse('10.1.2.3/8');
    expect(p.toString()).toBe('10.1.2.3/8');
    expect(p.isCanonical).toBe(false);
    expect(p.canonical().toString()).toBe('10.0.0.0/8');
    expect(Prefix.parse('2001:db8::/32', 9).toJSON()).toEqual({ prefix: '2001:db8::/32', pathId: 9 });
    expect(() => Prefix.parse('10.0.0.0/33')).toThrow(RangeError);
  });

  it('copies wire bytes (ceil(len/8) octets)', () => {
    const wire = hex('c0 00 02 ff'); // 3 octets of a /23 then an unrelated byte
    const p = Prefix.fromWire(1, wire, 0, 23);
    wire[0] = 0;
    expect(p.toString()).toBe('192.0.2.0/23');
  });
});

describe('family and context', () => {
  it('names families', () => {
    expect(familyName(1, 1)).toBe('ipv4-unicast');
    expect(familyName(2, 2)).toBe('ipv6-multicast');
    expect(parseFamilyName('ipv6-unicast')).toBe(Family.IPV6_UNICAST);
    expect(parseFamilyName('afi-3-safi-9')).toBe(familyKey(3, 9));
    expect(parseFamilyName('nope')).toBeUndefined();
  });

  it('builds contexts', () => {
    const ctx = createCodecContext({ addPath: ['ipv4-unicast'], extendedMessage: true });
    expect(ctx.addPathReceive.has(Family.IPV4_UNICAST)).toBe(true);
    expect(ctx.addPathSend.has(Family.IPV4_UNICAST)).toBe(true);
    expect(ctx.maxMessageLength).toBe(65535);
    expect(() => createCodecContext({ addPath: ['bogus'] })).toThrow(TypeError);
  });
});
