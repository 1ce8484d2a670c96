/**
 * Addresses and prefixes of the allocation module, held as bytes (DESIGN rule
 * 6: numbers stay numbers; text only when a caller asks for it).
 *
 * The parsers here are strict on purpose: the allocation module derives every
 * address from numbers, so it only ever needs to read back canonical-enough
 * text, and anything odd (zones, leading-zero IPv4 octets that some libcs read
 * as octal, embedded dotted quads) is refused instead of guessed.
 */

/** An IP address: 4 bytes (IPv4) or 16 bytes (IPv6), network byte order. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

/**
 * An address with a prefix length. Used both for interface addresses
 * (`fe80::1abc:1/64`: host bits set) and for route destinations
 * (`2001:db8:0:1abc::/64`: host bits clear).
 */
export interface IpPrefix extends IpAddress {
  readonly length: number;
}

/** Builds an IPv6 address from its eight 16-bit groups. */
export function ipv6FromGroups(groups: readonly number[]): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = groups[i] ?? 0;
    out[2 * i] = (g >>> 8) & 0xff;
    out[2 * i + 1] = g & 0xff;
  }
  return out;
}

/** The eight 16-bit groups of a 16-byte IPv6 address. */
export function ipv6Groups(bytes: Uint8Array): number[] {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  return groups;
}

/** IPv6 prefix value. */
export function v6(bytes: Uint8Array, length: number): IpPrefix {
  return { family: 6, bytes, length };
}

/** IPv4 prefix value from four octets. */
export function v4(a: number, b: number, c: number, d: number, length: number): IpPrefix {
  return { family: 4, bytes: Uint8Array.of(a, b, c, d), length };
}

/** Dotted-quad text of 4 bytes. */
export function formatIPv4(bytes: Uint8Array): string {
  return `${bytes[0] ?? 0}.${bytes[1] ?? 0}.${bytes[2] ?? 0}.${bytes[3] ?? 0}`;
}

/** RFC 5952 text of 16 bytes: lower case, no leading zeros, the longest run (>= 2) of zero groups as `::`, first on a tie. */
export function formatIPv6(bytes: Uint8Array): string {
  const groups = ipv6Groups(bytes);
  let bestStart = -1;
  let bestLength = 1; // RFC 5952 §4.2.2: a single zero group is never compressed
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** Text of an address of either family. */
export function formatAddress(address: IpAddress): string {
  return address.family === 4 ? formatIPv4(address.bytes) : formatIPv6(address.bytes);
}

/** `address/length` text of a prefix. */
export function formatPrefix(prefix: IpPrefix): string {
  return `${formatAddress(prefix)}/${prefix.length}`;
}

/** Parses a dotted quad (no leading zeros); `undefined` when it is not one. */
export function parseIPv4Text(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? '';
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

/** Parses IPv6 text (hex groups and at most one `::`); `undefined` when it is not one. */
export function parseIPv6Text(text: string): Uint8Array | undefined {
  if (text.length > 39 || text.length < 2) return undefined;
  const readGroups = (side: string): number[] | undefined => {
    if (side === '') return [];
    const groups: number[] = [];
    for (const g of side.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  const gap = text.indexOf('::');
  let groups: number[];
  if (gap >= 0) {
    if (text.indexOf('::', gap + 1) >= 0) return undefined;
    const head = readGroups(text.slice(0, gap));
    const tail = readGroups(text.slice(gap + 2));
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = readGroups(text);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  return ipv6FromGroups(groups);
}

/** Parses `address` of either family (IPv6 when it contains a colon). */
export function parseAddressText(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const bytes = parseIPv6Text(text);
    return bytes ? { family: 6, bytes } : undefined;
  }
  const bytes = parseIPv4Text(text);
  return bytes ? { family: 4, bytes } : undefined;
}

/** Parses `address/length` of either family; `undefined` when it is not one. */
export function parsePrefixText(text: string): IpPrefix | undefined {
  const slash = text.indexOf('/');
  if (slash < 0 || slash !== text.lastIndexOf('/')) return undefined;
  const address = parseAddressText(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (!address || !/^(0|[1-9][0-9]{0,2})$/.test(lengthText)) return undefined;
  const length = Number(lengthText);
  if (length > (address.family === 4 ? 32 : 128)) return undefined;
  return { ...address, length };
}

/** Byte-wise equality of two addresses (family included). */
export function sameAddress(a: IpAddress, b: IpAddress): boolean {
  if (a.family !== b.family || a.bytes.length !== b.bytes.length) return false;
  for (let i = 0; i < a.bytes.length; i++) if (a.bytes[i] !== b.bytes[i]) return false;
  return true;
}

/** Equality of address and length. */
export function samePrefix(a: IpPrefix, b: IpPrefix): boolean {
  return a.length === b.length && sameAddress(a, b);
}

/** True when every bit after `length` is zero. */
export function hostBitsClear(prefix: IpPrefix): boolean {
  for (let bit = prefix.length; bit < prefix.bytes.length * 8; bit++) {
    if (((prefix.bytes[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1) return false;
  }
  return true;
}

/** A total order over prefixes (family, bytes, length), for deterministic output. */
export function comparePrefix(a: IpPrefix, b: IpPrefix): number {
  if (a.family !== b.family) return a.family - b.family;
  for (let i = 0; i < a.bytes.length; i++) {
    const d = (a.bytes[i] ?? 0) - (b.bytes[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
