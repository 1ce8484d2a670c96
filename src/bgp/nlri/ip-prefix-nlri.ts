import { BgpError, EncodeError } from '../errors.js';
import { familyKey, familyName, type FamilyKey } from '../family.js';
import type { Prefix } from '../prefix.js';
import type { NlriCodec, NlriFault } from './nlri-codec.js';
import type { PrefixCursor } from './prefix-cursor.js';

/** Throws the RFC 7606 §5.3 error for a malformed NLRI item at `offset`. */
export function throwNlriFault(fault: NlriFault, offset: number, detail: string): never {
  throw BgpError.update(fault.notifySubcode, `${fault.field}: ${detail}`, {
    action: fault.action,
    attrType: fault.attrType,
    offset,
  });
}

/**
 * The `<length, prefix>` encoding shared by the plain IP families: RFC 4271 §4.3
 * (Withdrawn Routes and NLRI), RFC 4760 §5 (the same in MP_REACH/MP_UNREACH),
 * with the 4-octet Path Identifier in front when ADD-PATH is on (RFC 7911 §3).
 * The address is `ceil(length/8)` octets; trailing bits are kept as received.
 *
 * @example
 * ```ts
 * const ipv4Multicast = new IpPrefixNlriCodec(1, 2);
 * ```
 */
export class IpPrefixNlriCodec implements NlriCodec {
  readonly afi: 1 | 2;
  readonly safi: number;
  readonly family: FamilyKey;
  readonly name: string;
  readonly maxLength: number;

  constructor(afi: 1 | 2, safi: number) {
    this.afi = afi;
    this.safi = safi;
    this.family = familyKey(afi, safi);
    this.name = familyName(afi, safi);
    this.maxLength = afi === 1 ? 32 : 128;
  }

  step(buf: Uint8Array, pos: number, end: number, addPath: boolean, c: PrefixCursor, fault: NlriFault): number {
    let p = pos;
    if (addPath) {
      // RFC 7911 §3: Path Identifier (4 octets) precedes the length octet.
      if (p + 5 > end) throwNlriFault(fault, p, `path id and prefix length need 5 octets, ${end - p} left`);
      c.pathId = buf[p]! * 0x1000000 + ((buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!);
      p += 4;
    } else {
      c.pathId = undefined;
      if (p >= end) throwNlriFault(fault, p, 'prefix length octet missing');
    }
    const length = buf[p]!;
    if (length > this.maxLength) {
      throwNlriFault(fault, p, `${this.name} prefix length ${length} exceeds ${this.maxLength}`);
    }
    p++;
    const n = (length + 7) >>> 3;
    if (p + n > end) throwNlriFault(fault, p, `prefix /${length} needs ${n} octets, ${end - p} left`);
    c.buf = buf;
    c.afi = this.afi;
    c.safi = this.safi;
    c.length = length;
    c.addressOffset = p;
    c.addressLength = n;
    c.itemStart = pos;
    c.itemEnd = p + n;
    return p + n;
  }

  encodedLength(prefix: Prefix, addPath: boolean): number {
    return (addPath ? 5 : 1) + ((prefix.length + 7) >>> 3);
  }

  encodeInto(prefix: Prefix, out: Uint8Array, off: number, addPath: boolean): number {
    if (prefix.afi !== this.afi) {
      throw EncodeError.invalid('prefix', `${prefix.toString()} is not an ${this.name} prefix`);
    }
    let p = off;
    if (addPath) {
      // A prefix without a path id is sent with path id 0 (RFC 7911 leaves the value to the sender).
      const id = prefix.pathId ?? 0;
      if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new EncodeError('pathId', id, 0xffffffff);
      out[p++] = id >>> 24;
      out[p++] = (id >>> 16) & 0xff;
      out[p++] = (id >>> 8) & 0xff;
      out[p++] = id & 0xff;
    }
    out[p++] = prefix.length;
    const n = (prefix.length + 7) >>> 3;
    const a = prefix.address;
    for (let i = 0; i < n; i++) out[p++] = a[i]!;
    return p;
  }
}
