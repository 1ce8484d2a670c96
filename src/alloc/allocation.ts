/**
 * A farmer's IPv6 allocation: always a /48 (seed 002: "We're speaking always
 * about a /48... Period."). The /48 is held as its first 6 bytes.
 */
import { AllocError } from './errors.js';
import { assertExitNode, assertResourceId } from './ids.js';
import { formatIPv6, ipv6FromGroups, parsePrefixText, type IpPrefix } from './ip.js';

/**
 * A /48 allocation and the prefixes cut from it.
 *
 * Parsing decisions (the seed only says "always a /48"):
 * - the text must be `address/48`; a missing length, /47, /49, ... is
 *   `ERR_ALLOC_NOT_A_48`, anything that is not an IPv6 prefix is
 *   `ERR_ALLOC_BAD_PREFIX`;
 * - bits after the 48th must be zero (`ERR_ALLOC_HOST_BITS`): a typo there
 *   would otherwise silently route someone else's space;
 * - the seed needs a routed, announced allocation, so ::/8 (unspecified,
 *   loopback, IPv4-mapped), fe80::/10 (link-local: our own link-local scheme
 *   lives there) and ff00::/8 (multicast) are refused (`ERR_ALLOC_NOT_GLOBAL`).
 *   Documentation (2001:db8::/32) and ULA (fc00::/7) space are accepted for labs.
 *
 * @example
 * ```ts
 * const a = Allocation.parse('2a02:1802:5e::/48');
 * a.exitNodePrefix(1);       // 2a02:1802:5e:1000::/52 (as bytes; format with formatPrefix)
 * a.resourcePrefix(0x1abc);  // 2a02:1802:5e:1abc::/64
 * a.toString();              // '2a02:1802:5e::/48'
 * ```
 */
export class Allocation {
  /** The first 48 bits, 6 bytes. */
  readonly bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** Parses `xxxx:xxxx:xxxx::/48`; throws {@link AllocError} for anything else. */
  static parse(text: unknown): Allocation {
    if (typeof text !== 'string') {
      throw new AllocError('ERR_ALLOC_BAD_PREFIX', `allocation must be a string like '2a02:1802:5e::/48', got ${typeof text}`, text);
    }
    const trimmed = text.trim();
    const prefix = parsePrefixText(trimmed);
    if (!prefix || prefix.family !== 6) {
      // An IPv6 address without /len is a prefix-length problem, not garbage.
      if (parsePrefixText(`${trimmed}/128`)?.family === 6) {
        throw new AllocError('ERR_ALLOC_NOT_A_48', `allocation '${text}' has no prefix length; it must be a /48`, text);
      }
      throw new AllocError('ERR_ALLOC_BAD_PREFIX', `allocation '${text}' is not an IPv6 prefix`, text);
    }
    if (prefix.length !== 48) {
      throw new AllocError('ERR_ALLOC_NOT_A_48', `allocation '${text}' is a /${prefix.length}; fibwire allocations are always a /48`, text);
    }
    for (let i = 6; i < 16; i++) {
      if (prefix.bytes[i] !== 0) {
        throw new AllocError('ERR_ALLOC_HOST_BITS', `allocation '${text}' has bits set after the 48th`, text);
      }
    }
    return Allocation.fromBytes(prefix.bytes.subarray(0, 6), text);
  }

  /** Builds an allocation from its first 6 bytes (further bytes are refused). */
  static fromBytes(bytes: Uint8Array, input: unknown = bytes): Allocation {
    if (bytes.length !== 6) {
      throw new AllocError('ERR_ALLOC_NOT_A_48', `a /48 is 6 bytes, got ${bytes.length}`, input);
    }
    const b0 = bytes[0] ?? 0;
    const b1 = bytes[1] ?? 0;
    if (b0 === 0x00 || b0 === 0xff || (b0 === 0xfe && (b1 & 0xc0) === 0x80)) {
      throw new AllocError('ERR_ALLOC_NOT_GLOBAL', `allocation ${formatIPv6(padTo16(bytes))}/48 is not global unicast space`, input);
    }
    return new Allocation(Uint8Array.from(bytes));
  }

  /** The /48 itself. */
  get prefix(): IpPrefix {
    return { family: 6, bytes: padTo16(this.bytes), length: 48 };
  }

  /** The three 16-bit groups of the /48. */
  get groups(): [number, number, number] {
    const b = this.bytes;
    return [((b[0] ?? 0) << 8) | (b[1] ?? 0), ((b[2] ?? 0) << 8) | (b[3] ?? 0), ((b[4] ?? 0) << 8) | (b[5] ?? 0)];
  }

  /** An IPv6 address inside the allocation from the remaining five groups. */
  address(g3: number, g4: number, g5: number, g6: number, g7: number): Uint8Array {
    return ipv6FromGroups([...this.groups, g3, g4, g5, g6, g7]);
  }

  /** `$prefix:0::/52`: PrefixZero, the internal 16th. */
  get prefixZero(): IpPrefix {
    return { family: 6, bytes: this.address(0, 0, 0, 0, 0), length: 52 };
  }

  /** `$prefix:N000::/52`, the 16th routed by ExitNode `exitNode` (1..15). */
  exitNodePrefix(exitNode: number): IpPrefix {
    assertExitNode(exitNode);
    return { family: 6, bytes: this.address(exitNode << 12, 0, 0, 0, 0), length: 52 };
  }

  /** The 16 /52s in order: index 0 is PrefixZero, index N is ExitNode N. */
  sixteenths(): IpPrefix[] {
    const out: IpPrefix[] = [this.prefixZero];
    for (let n = 1; n <= 15; n++) out.push(this.exitNodePrefix(n));
    return out;
  }

  /** `$prefix:XXXX::/64`, the prefix of network resource `id` (>= 0x1000). */
  resourcePrefix(id: number): IpPrefix {
    assertResourceId(id);
    return { family: 6, bytes: this.address(id, 0, 0, 0, 0), length: 64 };
  }

  /** True when the first 48 bits of `bytes` (16-byte IPv6) are this allocation. */
  contains(bytes: Uint8Array): boolean {
    if (bytes.length !== 16) return false;
    for (let i = 0; i < 6; i++) if (bytes[i] !== this.bytes[i]) return false;
    return true;
  }

  /** Same /48. */
  equals(other: Allocation): boolean {
    return this.contains(padTo16(other.bytes));
  }

  /** RFC 5952 text, e.g. `2a02:1802:5e::/48`. */
  toString(): string {
    return `${formatIPv6(padTo16(this.bytes))}/48`;
  }

  /** JSON form is the text form. */
  toJSON(): string {
    return this.toString();
  }
}

function padTo16(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out.set(bytes.subarray(0, 16));
  return out;
}
