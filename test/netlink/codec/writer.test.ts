import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../../support/hex.js';
import { MessageWriter } from '../../../src/netlink/codec/writer.js';
import { forEachAttribute, readAttributes, attrString, attrU32 } from '../../../src/netlink/codec/attributes.js';
import { HOST_LITTLE_ENDIAN } from '../../../src/netlink/codec/host-endian.js';
import { NetlinkDecodeError } from '../../../src/netlink/errors.js';

if (!HOST_LITTLE_ENDIAN) console.warn('rtattr golden vectors are little-endian; skipped on this big-endian host');
const suite = HOST_LITTLE_ENDIAN ? describe : describe.skip;

suite('MessageWriter and rtattr', () => {
  it('writes scalar, string, flag and nested attributes with 4-byte alignment', () => {
    const w = new MessageWriter(8); // forces growth
    w.attrU8(1, 0xaa);
    w.attrU16(2, 0x1234);
    w.attrBe16(3, 4789);
    w.attrU32(4, 100000);
    w.attrString(5, 'va');
    w.attrFlag(6);
    const nest = w.beginNested(7);
    w.attrU32(1, 9);
    w.endNested(nest);
    expect(toHex(w.bytes())).toBe(
      toHex(
        hex(`
          05 00 01 00 aa 00 00 00   # u8 0xaa, 3 bytes padding
          06 00 02 00 34 12 00 00   # u16 0x1234 host order
          06 00 03 00 12 b5 00 00   # be16 4789 network order
          08 00 04 00 a0 86 01 00   # u32 100000
          07 00 05 00 76 61 00 00   # "va" NUL, 1 byte padding
          04 00 06 00               # flag: empty payload
          0c 00 07 80               # nested (NLA_F_NESTED), 12 bytes
            08 00 01 00 09 00 00 00 # inner u32 9`),
      ),
    );
    const table = readAttributes(w.bytes(), 0, w.offset);
    expect(table[1]?.[0]).toBe(0xaa);
    expect(attrU32(table[4])).toBe(100000);
    expect(attrString(table[5])).toBe('va');
    expect(table[6]?.length).toBe(0);
    const inner = table[7];
    expect(inner).toBeDefined();
    if (inner !== undefined) expect(attrU32(readAttributes(inner, 0, inner.length)[1])).toBe(9);
  });

  it('endMessage fills nlmsg_len; abandon drops a half-written message', () => {
    const w = new MessageWriter(16);
    const a = w.beginMessage(16, 1, 1);
    w.attrU32(3, 1);
    expect(w.endMessage(a)).toBe(24);
    const b = w.beginMessage(16, 1, 2);
    w.attrU32(3, 2);
    w.abandon(b);
    expect(w.offset).toBe(24);
    expect(w.bytes().readUInt32LE(0)).toBe(24);
  });

  it.each([
    ['length below 4', '02 00 01 00'],
    ['length past the end', '08 00 01 00 00 00'],
    ['length 0 (would loop forever)', '00 00 01 00 00 00 00 00'],
  ])('readAttributes: %s is a NetlinkDecodeError', (_name, bytes) => {
    const buf = Buffer.from(hex(bytes));
    expect(() => readAttributes(buf, 0, buf.length)).toThrow(NetlinkDecodeError);
    expect(() => forEachAttribute(buf, 0, buf.length, () => undefined)).toThrow(NetlinkDecodeError);
  });

  it('message() writes a whole message, and leaves nothing of one whose body throws', () => {
    const w = new MessageWriter(64);
    w.message(24, 0x0605, 7, 0, (x) => x.u32(0x01020304));
    expect(() => w.message(24, 0x0605, 8, 0, (x) => {
      x.u32(0xdeadbeef);
      throw new RangeError('bad body');
    })).toThrow(RangeError);
    expect(toHex(w.bytes())).toBe(
      toHex(
        hex(`
          14 00 00 00   # nlmsg_len 20
          18 00         # nlmsg_type 24 (RTM_NEWROUTE)
          05 06         # nlmsg_flags REQUEST|ACK|CREATE|REPLACE
          07 00 00 00   # nlmsg_seq 7
          00 00 00 00   # nlmsg_pid 0
          04 03 02 01   # body u32
        `),
      ),
    );
  });
});
