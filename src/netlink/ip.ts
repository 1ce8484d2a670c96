import { NetlinkArgumentError } from './errors.js';

/** An address family as fibwire's netlink API names it. */
export type IpFamily = 4 | 6;

/** A prefix kept as bytes (4 or 16) and a length: no string round trip needed. */
export interface IpPrefixBytes {
  readonly bytes: Uint8Array;
  readonly length: number;
}

/**
 * A prefix as `address` bytes (4 or 16) and a length: the shape of the bgp
 * module's Prefix, accepted structurally so netlink imports nothing above it.
 */
export interface IpPrefixAddress {
  readonly address: Uint8Array;
  readonly length: number;
}

/**
 * A prefix as text ('10.0.0.0/24', '2001:db8::/64', a bare address = host
 * prefix) or bytes. Bytes skip text parsing entirely: the fastest input.
 */
export type PrefixInput = string | IpPrefixBytes | IpPrefixAddress;

/** The address bytes of a byte-form prefix. */
export function prefixBytesOf(input: IpPrefixBytes | IpPrefixAddress): Uint8Array {
  return 'bytes' in input ? input.bytes : input.address;
}

/** A parsed prefix. `bytes` may be a shared scratch buffer: copy before keeping it. */
export interface ParsedPrefix {
  family: IpFamily;
  bytes: Uint8Array;
  length: number;
}

function parseIpv4Into(text: string, start: number, end: number, out: Uint8Array, at: number): boolean {
  let octet = 0;
  let digits = 0;
  let part = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || part === 3) return false;
      out[at + part++] = octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      // no leading zeros beyond a single 0 (inet_pton rejects them too)
      if (digits > 0 && octet === 0) return false;
      octet = octet * 10 + (c - 48);
      if (octet > 255 || ++digits > 3) return false;
    } else {
      return false;
    }
  }
  if (digits === 0 || part !== 3) return false;
  out[at + 3] = octet;
  return true;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Groups of the IPv6 address being parsed (module scratch: the parser allocates nothing). */
const v6Words = new Uint16Array(8);
const v4Tail = new Uint8Array(4);

function parseIpv6Into(text: string, start: number, end: number, out: Uint8Array): boolean {
  // RFC 4291 §2.2 text forms: up to 8 groups, one '::', optional dotted tail.
  const words = v6Words;
  let count = 0;
  let gap = -1;
  let i = start;
  if (end - start < 2) return false;
  if (text.charCodeAt(i) === 58 /* : */) {
    if (text.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
  }
  while (i < end) {
    if (count >= 8) return false;
    let value = 0;
    let digits = 0;
    let j = i;
    while (j < end) {
      const h = hexValue(text.charCodeAt(j));
      if (h < 0) break;
      value = value * 16 + h;
      if (++digits > 4) return false;
      j++;
    }
    if (j < end && text.charCodeAt(j) === 46 /* . */) {
      // embedded IPv4 in the last 32 bits
      if (count > 6) return false;
      if (!parseIpv4Into(text, i, end, v4Tail, 0)) return false;
      words[count++] = ((v4Tail[0] ?? 0) << 8) | (v4Tail[1] ?? 0);
      words[count++] = ((v4Tail[2] ?? 0) << 8) | (v4Tail[3] ?? 0);
      i = end;
      break;
    }
    if (digits === 0) return false;
    words[count++] = value;
    i = j;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
    } else if (i === end) {
      return false; // trailing single ':'
    }
  }
  if (gap < 0 && count !== 8) return false;
  if (gap >= 0 && count > 7) return false;
  const fill = 8 - count;
  let w = 0;
  for (let k = 0; k < 8; k++) {
    const value = gap >= 0 && k >= gap && k < gap + fill ? 0 : (words[w++] ?? 0);
    out[k * 2] = value >> 8;
    out[k * 2 + 1] = value & 0xff;
  }
  return true;
}

/**
 * Parses an address into out (16 bytes of room) and returns its family, or 0
 * when the text is not an address. No allocation on the IPv4 path.
 */
export function parseIpInto(text: string, out: Uint8Array, start = 0, end = text.length): IpFamily | 0 {
  const colon = text.indexOf(':', start);
  if (colon >= 0 && colon < end) return parseIpv6Into(text, start, end, out) ? 6 : 0;
  return parseIpv4Into(text, start, end, out, 0) ? 4 : 0;
}

/** Parses an address; throws NetlinkArgumentError naming field when it is not one. */
export function parseIp(text: string, field: string): { family: IpFamily; bytes: Buffer } {
  const out = Buffer.alloc(16);
  const family = parseIpInto(text, out);
  if (family === 0) throw new NetlinkArgumentError(field, `not an IP address: ${JSON.stringify(text)}`);
  return { family, bytes: family === 4 ? out.subarray(0, 4) : out };
}

const scratch = new Uint8Array(16);

/**
 * The route hot path's parser for dotted-quad IPv4 prefixes ('10.1.2.3/32',
 * or a bare address meaning /32): one pass over the characters, the address
 * accumulated as a number and stored in out[0..3], no indexOf, split, regex
 * or Number(). Returns the prefix length, or -1 for anything else (IPv6,
 * malformed text, length > 32): the general parser then decides and
 * explains. Leading zeros are refused as inet_pton refuses them.
 */
export function parseIpv4PrefixInto(text: string, out: Uint8Array): number {
  const n = text.length;
  let address = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  let i = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      if (digits !== 0 && octet === 0) return -1;
      octet = octet * 10 + d;
      if (octet > 255) return -1;
      digits++;
    } else if (c === 46 /* . */) {
      if (digits === 0 || dots === 3) return -1;
      address = (address << 8) | octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c === 47 /* / */) {
      break;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  out[0] = address >>> 16;
  out[1] = (address >>> 8) & 255;
  out[2] = address & 255;
  out[3] = octet;
  if (i === n) return 32;
  const first = text.charCodeAt(i + 1) - 48;
  if (i + 2 === n) return first >= 0 && first <= 9 ? first : -1;
  if (i + 3 !== n) return -1;
  const second = text.charCodeAt(i + 2) - 48;
  if (first < 1 || first > 3 || second < 0 || second > 9) return -1;
  const length = first * 10 + second;
  return length > 32 ? -1 : length;
}

/**
 * Allocation-free prefix parsing for the route hot path: the address goes into
 * `out`, and the result is family * 256 + length (0 when the text is not a
 * prefix; -1 when the length is out of range for the family).
 */
export function parsePrefixInto(text: string, out: Uint8Array): number {
  const slash = text.indexOf('/');
  const addressEnd = slash < 0 ? text.length : slash;
  const family = parseIpInto(text, out, 0, addressEnd);
  if (family === 0) return 0;
  const max = family === 4 ? 32 : 128;
  if (slash < 0) return family * 256 + max;
  const digits = text.length - slash - 1;
  if (digits < 1 || digits > 3) return 0;
  let length = 0;
  for (let i = slash + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return 0;
    length = length * 10 + (c - 48);
  }
  return length > max ? -1 : family * 256 + length;
}

/**
 * Parses a prefix. With `shared` the result's bytes live in a module scratch
 * buffer (valid until the next call): the route encoder copies them at once.
 */
export function parsePrefix(input: PrefixInput, field: string, shared = false): ParsedPrefix {
  if (typeof input !== 'string') {
    const bytes = prefixBytesOf(input);
    const size = bytes.length;
    if (size !== 4 && size !== 16) throw new NetlinkArgumentError(field, `prefix bytes must be 4 or 16 long, got ${size}`);
    const max = size * 8;
    if (!Number.isInteger(input.length) || input.length < 0 || input.length > max) {
      throw new NetlinkArgumentError(field, `prefix length ${input.length} outside 0..${max}`);
    }
    return { family: size === 4 ? 4 : 6, bytes, length: input.length };
  }
  const out = shared ? scratch : new Uint8Array(16);
  const slash = input.indexOf('/');
  const addressEnd = slash < 0 ? input.length : slash;
  const family = parseIpInto(input, out, 0, addressEnd);
  if (family === 0) throw new NetlinkArgumentError(field, `not an IP prefix: ${JSON.stringify(input)}`);
  const max = family === 4 ? 32 : 128;
  let length = max;
  if (slash >= 0) {
    length = 0;
    const digits = input.length - slash - 1;
    if (digits < 1 || digits > 3) throw new NetlinkArgumentError(field, `bad prefix length in ${JSON.stringify(input)}`);
    for (let i = slash + 1; i < input.length; i++) {
      const c = input.charCodeAt(i);
      if (c < 48 || c > 57) throw new NetlinkArgumentError(field, `bad prefix length in ${JSON.stringify(input)}`);
      length = length * 10 + (c - 48);
    }
    if (length > max) throw new NetlinkArgumentError(field, `prefix length ${length} is more than ${max}`);
  }
  return { family, bytes: family === 4 ? out.subarray(0, 4) : out, length };
}

/** Formats 4 or 16 address bytes as text (RFC 5952 form for IPv6). */
export function formatIp(bytes: Uint8Array): string {
  return formatIpAt(bytes, 0, bytes.length);
}

/** '0'..'255', so IPv4 formatting is four lookups and three concatenations. */
const OCTET_TEXT: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

/**
 * IPv4 text by halves: HEAD[hi16] = 'a.b', TAIL[lo16] = '.c.d', so an
 * address is one concatenation of two interned strings instead of seven
 * (route dumps format a million of them). Built on first use (about 10 ms,
 * 131072 short strings), never at import.
 */
let ipv4Head: string[] | undefined;
let ipv4Tail: string[] | undefined;
const SLASH_LENGTH: readonly string[] = Array.from({ length: 33 }, (_, i) => `/${i}`);

function buildIpv4Tables(): void {
  const head = new Array<string>(65536);
  const tail = new Array<string>(65536);
  for (let i = 0; i < 65536; i++) {
    const a = OCTET_TEXT[i >>> 8] ?? '';
    const b = OCTET_TEXT[i & 255] ?? '';
    head[i] = `${a}.${b}`;
    tail[i] = `.${a}.${b}`;
  }
  ipv4Head = head;
  ipv4Tail = tail;
}

let lastIpv4 = -1;
let lastIpv4Text = '';

/**
 * An IPv4 address given as a big-endian u32, as text. The last result is
 * kept: gateways and source addresses repeat from route to route.
 */
export function formatIpv4U32(address: number): string {
  if (address === lastIpv4) return lastIpv4Text;
  if (ipv4Head === undefined) buildIpv4Tables();
  const text = (ipv4Head?.[address >>> 16] ?? '') + (ipv4Tail?.[address & 0xffff] ?? '');
  lastIpv4 = address;
  lastIpv4Text = text;
  return text;
}

/** 'a.b.c.d/len' for a big-endian u32 address and a length 0..32. */
export function formatIpv4Prefix(address: number, length: number): string {
  if (ipv4Head === undefined) buildIpv4Tables();
  return (ipv4Head?.[address >>> 16] ?? '') + (ipv4Tail?.[address & 0xffff] ?? '') + (SLASH_LENGTH[length] ?? `/${length}`);
}

/** Formats the size (4 or 16) address bytes at offset without making a view of them. */
export function formatIpAt(bytes: Uint8Array, offset: number, size: number): string {
  if (size === 4) {
    return formatIpv4U32(
      (((bytes[offset] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0)) >>> 0,
    );
  }
  if (size !== 16) return Buffer.from(bytes.subarray(offset, offset + size)).toString('hex');
  const words = ipv6Words;
  for (let k = 0; k < 8; k++) words[k] = ((bytes[offset + 2 * k] ?? 0) << 8) | (bytes[offset + 2 * k + 1] ?? 0);
  // longest run of zero words (length >= 2, the first on a tie) becomes '::' (RFC 5952 §4.2)
  let bestStart = -1;
  let bestLength = 0;
  for (let k = 0; k < 8; ) {
    if (words[k] !== 0) {
      k++;
      continue;
    }
    let end = k;
    while (end < 8 && words[end] === 0) end++;
    if (end - k > bestLength && end - k >= 2) {
      bestStart = k;
      bestLength = end - k;
    }
    k = end;
  }
  let text = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) {
      text += '::';
      k += bestLength - 1;
      continue;
    }
    if (text.length > 0 && k !== bestStart + bestLength) text += ':';
    text += (words[k] ?? 0).toString(16);
  }
  return text;
}

/** Scratch for formatIpAt's IPv6 words (no array per address). */
const ipv6Words = new Uint16Array(8);

/** Formats a MAC address as aa:bb:cc:dd:ee:ff. */
export function formatMac(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Parses aa:bb:cc:dd:ee:ff (or '-' separated). */
export function parseMac(text: string, field: string): Buffer {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) {
    throw new NetlinkArgumentError(field, `not a MAC address: ${JSON.stringify(text)}`);
  }
  return Buffer.from(parts.map((p) => parseInt(p, 16)));
}
