import { Afi } from '../constants.js';
import { formatIPv4, formatIPv6 } from '../ip-address.js';
import { Prefix } from '../prefix.js';

/**
 * A reusable, allocation-free position on one NLRI item inside a message buffer
 * (DESIGN rule 3: views are offsets into the received bytes).
 *
 * An NLRI codec's `step()` fills the fields; nothing is copied until the caller
 * asks ({@link PrefixCursor.copyAddress}, {@link PrefixCursor.toPrefix},
 * {@link PrefixCursor.format}). The cursor is valid only until the next step and
 * only while the message buffer is: keep a {@link Prefix} to hold on to a route.
 *
 * @example
 * ```ts
 * const c = view.announcedCursor();
 * while (c.next()) if (c.length === 24) table.add(c.toPrefix());
 * ```
 */
export class PrefixCursor {
  /** The buffer the fields point into. */
  buf: Uint8Array = EMPTY;
  /** AFI of the current item (1 = IPv4, 2 = IPv6). */
  afi = 0;
  /** SAFI of the current item. */
  safi = 0;
  /** Prefix length in bits (RFC 4271 §4.3 "Length"). */
  length = 0;
  /** RFC 7911 path identifier, `undefined` when ADD-PATH is off for the family. */
  pathId: number | undefined = undefined;
  /** Offset in {@link PrefixCursor.buf} of the first address octet. */
  addressOffset = 0;
  /** Address octets on the wire: `ceil(length / 8)`. */
  addressLength = 0;
  /** Offset of the whole NLRI item (path id included) and the offset just past it. */
  itemStart = 0;
  itemEnd = 0;

  /** Address width in octets for the current AFI (4 or 16). */
  get addressWidth(): number {
    return this.afi === Afi.IPV6 ? 16 : 4;
  }

  /**
   * Copies the full-width address (trailing octets zeroed) into `out` at `off`.
   * Returns the number of octets written (4 or 16). No allocation.
   */
  copyAddress(out: Uint8Array, off = 0): number {
    const width = this.addressWidth;
    const b = this.buf;
    const n = this.addressLength;
    const src = this.addressOffset;
    for (let i = 0; i < n; i++) out[off + i] = b[src + i]!;
    for (let i = n; i < width; i++) out[off + i] = 0;
    return width;
  }

  /** A materialised {@link Prefix} that owns a copy of the bytes. */
  toPrefix(): Prefix {
    const v6 = this.afi === Afi.IPV6;
    // One allocation: copy the octets by hand rather than through a subarray view.
    const address = new Uint8Array(v6 ? 16 : 4);
    this.copyAddress(address, 0);
    return new Prefix(v6 ? Afi.IPV6 : Afi.IPV4, address, this.length, this.pathId);
  }

  /** `addr/len` text (allocates the string; trailing bits printed as received). */
  format(): string {
    const tmp = this.afi === Afi.IPV6 ? SCRATCH16 : SCRATCH4;
    this.copyAddress(tmp, 0);
    return `${this.afi === Afi.IPV6 ? formatIPv6(tmp) : formatIPv4(tmp)}/${this.length}`;
  }
}

const EMPTY = new Uint8Array(0);
const SCRATCH4 = new Uint8Array(4);
const SCRATCH16 = new Uint8Array(16);
