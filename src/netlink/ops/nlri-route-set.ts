import type { BulkEncoder } from '../bulk.js';
import type { MessageWriter } from '../codec/writer.js';
import { NetlinkArgumentError } from '../errors.js';
import type { IpFamily, IpPrefixBytes } from '../ip.js';
import type { RouteSetAttributes, RouteSetOp } from './route-set.js';
import { RouteSetEncoder, routeSetAddressScratch } from './route-set.js';

/**
 * Prefixes of one address family in the BGP NLRI encoding (RFC 4271 §4.3):
 * each is a Length octet (in bits) followed by the fewest octets that hold
 * the prefix. This is the form of an UPDATE's NLRI and Withdrawn Routes fields
 * and of the NLRI in MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760 §5), so a
 * received UPDATE's prefixes reach the kernel without an object per prefix.
 */
export interface NlriBlock {
  /** 4 or 6: how wide each address is (AFI 1 or 2). */
  readonly family: IpFamily;
  readonly bytes: Uint8Array;
  /** First byte of the block in `bytes` (default 0). */
  readonly start?: number;
  /** Byte after the block (default `bytes.length`). */
  readonly end?: number;
  /** RFC 7911 §3: each prefix is preceded by a 4-octet Path Identifier (ADD-PATH). */
  readonly addPath?: boolean;
}

/** One prefix of an {@link NlriBlock}, copied out (how a failure names its route). */
export interface NlriPrefix extends IpPrefixBytes {
  /** Byte offset of the prefix's Length octet in the block's `bytes`. */
  readonly offset: number;
  /** RFC 7911 Path Identifier, when the block has them. */
  readonly pathId?: number;
}

const ZERO4 = new Uint8Array(4);
const ZERO16 = new Uint8Array(16);

/**
 * Encodes a route request for every prefix of an {@link NlriBlock}, all with
 * one set of attributes (a {@link RouteSetEncoder} underneath, so the bytes
 * are those of `routes.add()` for each prefix). The items handed to
 * `rtnl.bulkWith()` are the byte offsets of the prefixes' Length octets
 * ({@link NlriRouteEncoder.offsets}): nothing is allocated per prefix.
 *
 * The block is checked whole before anything is sent (the constructor throws
 * a NetlinkArgumentError naming the offset of the first bad prefix: a length
 * beyond the family's width, or a prefix cut off by the end of the block), so
 * a malformed block changes nothing in the kernel. Trailing bits after the
 * prefix length are cleared, as RFC 4271 §4.3 says their value is irrelevant
 * (the kernel would refuse them as host bits).
 *
 * @example
 * ```ts
 * // 10.1.0.0/16 and 10.2.3.0/24, through one gateway
 * const nlri = Uint8Array.from([16, 10, 1, 24, 10, 2, 3]);
 * const set = new NlriRouteEncoder('add', { table: 1000, gateway: '10.0.0.2', oif }, { family: 4, bytes: nlri });
 * const r = await rtnl.bulkWith(set.offsets, set);
 * for (const f of r.failures) console.log(set.prefixAt(f.operation), f.error.message);
 * ```
 */
export class NlriRouteEncoder implements BulkEncoder<number> {
  /** Byte offsets (in the block's `bytes`) of each prefix's Length octet, in block order. */
  readonly offsets: Int32Array;
  private readonly set: RouteSetEncoder;
  private readonly bytes: Uint8Array;
  private readonly family: IpFamily;
  private readonly size: number;
  private readonly addPath: boolean;

  constructor(op: RouteSetOp, attributes: RouteSetAttributes, block: NlriBlock) {
    if (block.family !== 4 && block.family !== 6) {
      throw new NetlinkArgumentError('nlri', `NLRI block family must be 4 or 6, got ${JSON.stringify(block.family)}`);
    }
    if (!(block.bytes instanceof Uint8Array)) throw new NetlinkArgumentError('nlri', 'NLRI block bytes must be a Uint8Array');
    this.set = new RouteSetEncoder(op, attributes);
    this.bytes = block.bytes;
    this.family = block.family;
    this.size = block.family === 4 ? 4 : 16;
    this.addPath = block.addPath === true;
    this.offsets = walkNlriBlock(block, this.size * 8);
  }

  /** BulkEncoder: appends the request for the prefix whose Length octet is at `at`. */
  encode(w: MessageWriter, seq: number, at: number, ackFlag: number): void {
    const b = this.bytes;
    const length = b[at] as number;
    if (length === 0) {
      // A default route has no RTA_DST: the general encoder writes it.
      this.set.encodeWhole(w, seq, { bytes: this.size === 4 ? ZERO4 : ZERO16, length: 0 }, ackFlag);
      return;
    }
    // Filled where the route set copies it from a word at a time (synchronous: no one else writes it meanwhile).
    const address = routeSetAddressScratch;
    copyPrefixAddress(b, at, length, address, this.size);
    this.set.encodeAddress(w, seq, this.family, address, length, ackFlag);
  }

  /** BulkEncoder: the request every failure of this block was. */
  requestOf(): { type: number; flags: number } {
    return this.set.requestOf();
  }

  /** The prefix at `offset` (one of {@link NlriRouteEncoder.offsets}), copied out as it went to the kernel. */
  prefixAt(offset: number): NlriPrefix {
    const length = this.bytes[offset] ?? 0;
    const bytes = new Uint8Array(this.size);
    copyPrefixAddress(this.bytes, offset, length, bytes, this.size);
    if (!this.addPath) return { bytes, length, offset };
    const b = this.bytes;
    const pathId = (((b[offset - 4] ?? 0) << 24) | ((b[offset - 3] ?? 0) << 16) | ((b[offset - 2] ?? 0) << 8) | (b[offset - 1] ?? 0)) >>> 0;
    return { bytes, length, offset, pathId };
  }
}

/**
 * The address of the prefix whose Length octet is at `at` (a checked block:
 * its octets are there), written full width into `out` with the bits past the
 * length cleared: RFC 4271 §4.3 makes the trailing bits that pad the prefix
 * to an octet irrelevant, and the kernel would refuse them as host bits.
 */
function copyPrefixAddress(block: Uint8Array, at: number, length: number, out: Uint8Array, width: number): void {
  const octets = (length + 7) >> 3;
  const from = at + 1;
  for (let i = 0; i < octets; i++) out[i] = block[from + i] as number;
  const spare = (octets << 3) - length;
  if (spare !== 0) out[octets - 1] = (out[octets - 1] as number) & ((0xff << spare) & 0xff);
  for (let i = octets; i < width; i++) out[i] = 0;
}

/**
 * The offsets of every prefix's Length octet in the block, one reader for the
 * RFC 4271 §4.3 figure (with RFC 7911's Path Identifier in front when asked).
 * Throws on the first malformed prefix, naming its offset.
 */
function walkNlriBlock(block: NlriBlock, maxLength: number): Int32Array {
  const b = block.bytes;
  const start = block.start ?? 0;
  const end = block.end ?? b.length;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > b.length || start > end) {
    throw new NetlinkArgumentError('nlri', `NLRI block range ${start}..${end} is not inside its ${b.length} bytes`);
  }
  const skip = block.addPath === true ? 4 : 0;
  // Each prefix takes at least one octet (five with a path id): the block's size bounds the count.
  const found = new Int32Array(Math.ceil((end - start) / (1 + skip)));
  let count = 0;
  let at = start;
  while (at < end) {
    const item = at;
    at += skip;
    if (at >= end) throw new NetlinkArgumentError('nlri', `NLRI prefix at offset ${item}: cut off inside its path identifier`);
    const length = b[at] as number;
    if (length > maxLength) {
      throw new NetlinkArgumentError('nlri', `NLRI prefix at offset ${item}: length ${length} is longer than ${maxLength} bits`);
    }
    const next = at + 1 + ((length + 7) >> 3);
    if (next > end) throw new NetlinkArgumentError('nlri', `NLRI prefix at offset ${item}: /${length} needs ${(length + 7) >> 3} octets, the block ends first`);
    found[count++] = at;
    at = next;
  }
  return found.slice(0, count);
}
