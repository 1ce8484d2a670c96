import { Afi } from './constants.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip-address.js';

/**
 * A materialised IP prefix: the address bytes (4 for IPv4, 16 for IPv6, bits past
 * `length` kept as they came on the wire, see {@link Prefix.isCanonical}), the
 * length, and the RFC 7911 path id when ADD-PATH is in use.
 *
 * Unlike the prefix iterators of an UPDATE view, a `Prefix` owns its bytes: it
 * stays valid after the pooled message it came from is released.
 *
 * @example
 * ```ts
 * const p = Prefix.parse('192.0.2.0/24');
 * p.toString();        // '192.0.2.0/24'
 * Prefix.parse('2001:db8::/32', 7).pathId; // 7
 * ```
 */
export class Prefix {
  readonly afi: 1 | 2;
  readonly length: number;
  readonly address: Uint8Array;
  readonly pathId: number | undefined;

  constructor(afi: 1 | 2, address: Uint8Array, length: number, pathId?: number) {
    const width = afi === Afi.IPV4 ? 4 : 16;
    if (address.length !== width) throw new RangeError(`address must be ${width} bytes for AFI ${afi}`);
    if (!Number.isInteger(length) || length < 0 || length > width * 8) throw new RangeError(`bad prefix length ${length}`);
    this.afi = afi;
    this.address = address;
    this.length = length;
    this.pathId = pathId;
  }

  /**
   * Copies a prefix from its RFC 4271 §4.3 wire form: `ceil(length/8)` octets of
   * address at `off` (the caller has already read the length octet and checked bounds).
   */
  static fromWire(afi: 1 | 2, buf: Uint8Array, off: number, length: number, pathId?: number): Prefix {
    const address = new Uint8Array(afi === Afi.IPV4 ? 4 : 16);
    address.set(buf.subarray(off, off + ((length + 7) >>> 3)));
    return new Prefix(afi, address, length, pathId);
  }

  /** Parses `addr/len` (IPv4 or IPv6); throws a `RangeError` on bad text. */
  static parse(text: string, pathId?: number): Prefix {
    const slash = text.indexOf('/');
    const addrText = slash >= 0 ? text.slice(0, slash) : text;
    const v6 = addrText.includes(':');
    const addr = v6 ? parseIPv6(addrText) : parseIPv4(addrText);
    if (!addr) throw new RangeError(`not an IP prefix: ${text}`);
    const lenText = slash >= 0 ? text.slice(slash + 1) : String(addr.length * 8);
    if (!/^\d{1,3}$/.test(lenText)) throw new RangeError(`not an IP prefix: ${text}`);
    return new Prefix(v6 ? Afi.IPV6 : Afi.IPV4, addr, Number(lenText), pathId);
  }

  /** Number of address octets on the wire: `ceil(length / 8)`. */
  get wireLength(): number {
    return (this.length + 7) >>> 3;
  }

  /** True when no bit past `length` is set (RFC 4271 §4.3 calls those bits irrelevant). */
  get isCanonical(): boolean {
    const full = this.length >>> 3;
    const rem = this.length & 7;
    if (rem !== 0 && (this.address[full]! & (0xff >>> rem)) !== 0) return false;
    for (let i = full + (rem ? 1 : 0); i < this.address.length; i++) if (this.address[i] !== 0) return false;
    return true;
  }

  /** The same prefix with every bit past `length` cleared. */
  canonical(): Prefix {
    if (this.isCanonical) return this;
    const a = Uint8Array.from(this.address);
    const full = this.length >>> 3;
    const rem = this.length & 7;
    if (rem !== 0) a[full] = a[full]! & (0xff << (8 - rem));
    a.fill(0, full + (rem ? 1 : 0));
    return new Prefix(this.afi, a, this.length, this.pathId);
  }

  /** `addr/len` (no path id). */
  toString(): string {
    return `${this.afi === Afi.IPV4 ? formatIPv4(this.address) : formatIPv6(this.address)}/${this.length}`;
  }

  /** JSON form: `{ prefix, pathId? }`. */
  toJSON(): { prefix: string; pathId?: number } {
    return this.pathId === undefined ? { prefix: this.toString() } : { prefix: this.toString(), pathId: this.pathId };
  }

  equals(other: Prefix): boolean {
    if (this.afi !== other.afi || this.length !== other.length || this.pathId !== other.pathId) return false;
    for (let i = 0; i < this.address.length; i++) if (this.address[i] !== other.address[i]) return false;
    return true;
  }
}
