import { describe, expect, it } from 'vitest';
import { unknownAttributeCodec } from '../../../src/bgp/attributes/unknown-attribute.js';
import { passOnUnknownAttribute, flagsForLength } from '../../../src/bgp/attributes/attribute-flags.js';
import { encodeAttribute } from '../../../src/bgp/attributes/attribute-writer.js';
import { getAttributeCodec, getAttributeCodecOrRaw } from '../../../src/bgp/attributes/attribute-registry.js';
import { WireWriter } from '../../../src/bgp/wire-writer.js';
import { CTX4, decodeValue, encodeValue, hex, toHex } from './helpers.js';

describe('unknown attribute (raw codec)', () => {
  it('keeps flags, type and bytes; re-encodes byte-identical', () => {
    const codec = unknownAttributeCodec(99);
    const v = decodeValue(codec, 'deadbeef', CTX4, 0xe0);
    expect(v.flags).toBe(0xe0);
    expect(v.type).toBe(99);
    expect(toHex(v.value)).toBe('deadbeef');
    expect(toHex(encodeValue(codec, v))).toBe('deadbeef');
    expect(codec.toJSON(v)).toEqual({ flags: 0xe0, type: 99, value: 'deadbeef' });
  });

  it('the value is a view into the message buffer, not a copy', () => {
    const buf = hex('c0 63 02 0102');
    const v = unknownAttributeCodec(99).decode({ buf, start: 3, end: 5, flags: 0xc0, ctx: CTX4 });
    expect(v.value.buffer).toBe(buf.buffer);
  });

  it('an unregistered type has no typed codec but a raw one', () => {
    expect(getAttributeCodec(250)).toBeUndefined();
    expect(getAttributeCodecOrRaw(250).name).toBe('ATTR_250');
    expect(() => unknownAttributeCodec(256)).toThrow(RangeError);
  });
});

describe('passing on unknown attributes (RFC 4271 §5, §9)', () => {
  const value = hex('01');
  it.each([
    // flags in, flags out (undefined = not passed on)
    [0xc0, 0xe0], // optional transitive -> Partial set
    [0xe0, 0xe0], // already partial: unchanged
    [0xd0, 0xf0], // extended length kept
    [0x80, undefined], // optional non-transitive: quietly dropped
    [0x40, undefined], // well-known: never passed on as unknown (RFC 4271 §6.3 error)
  ])('flags 0x%s', (flagsIn, flagsOut) => {
    const out = passOnUnknownAttribute({ flags: flagsIn, type: 99, value });
    expect(out?.flags).toBe(flagsOut);
    if (out) expect(out.value).toBe(value);
  });
});

describe('attribute header writing', () => {
  it('uses a one-octet length up to 255 and Extended Length above (RFC 4271 §4.3)', () => {
    const codec = unknownAttributeCodec(99);
    const w = new WireWriter();
    encodeAttribute(w, codec, { flags: 0xc0, type: 99, value: hex('0a0b') }, CTX4, 0xc0);
    // flags c0, type 63, length 02, value 0a0b
    expect(toHex(w.finish())).toBe('c063020a0b');
    const big = new Uint8Array(300);
    const w2 = new WireWriter();
    encodeAttribute(w2, codec, { flags: 0xc0, type: 99, value: big }, CTX4, 0xc0);
    // flags d0 (Extended Length added), type 63, length 012c
    expect(toHex(w2.finish().subarray(0, 4))).toBe('d063012c');
    // a received Extended Length flag is kept even for a short value
    expect(flagsForLength(0xd0, 1)).toBe(0xd0);
  });

  it('refuses a value over 65535 octets with an EncodeError naming the field', () => {
    const codec = unknownAttributeCodec(99);
    expect(() => encodeAttribute(new WireWriter(), codec, { flags: 0xc0, type: 99, value: new Uint8Array(70000) }, CTX4)).toThrow(
      /ATTR_99 attribute length/,
    );
  });
});
