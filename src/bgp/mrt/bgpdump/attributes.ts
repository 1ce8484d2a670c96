import { ipv4Text, ipv4TextU32, ipv6Text } from './address-text.js';
import { asPathText, mergeAs4PathBytes } from './as-path-text.js';
import { MStream } from './mstream.js';

/**
 * A list of prefixes read the way bgpdump reads them (`read_prefix_list`):
 * an optional RFC 7911 path id, a length in bits, ceil(len/8) address bytes;
 * a prefix cut short by the end of its field ends the list. Bits past the
 * prefix length are cleared, as current bgpdump prints them (`maskHostBits`;
 * bgpdump 1.6.2 and older print them as received).
 *
 * @example
 * ```ts
 * const list = new PrefixList();
 * readPrefixList(new MStream(Uint8Array.of(24, 192, 0, 2), 0, 4), 1, false, list);
 * list.texts[0]; // '192.0.2.0/24'
 * ```
 */
export class PrefixList {
  /** Prefix texts (`addr/len`); only the first `count` entries are valid (the arrays are reused). */
  readonly texts: string[] = [];
  readonly pathIds: number[] = [];
  count = 0;

  clear(): void {
    this.count = 0;
  }

  push(text: string, pathId: number): void {
    this.texts[this.count] = text;
    this.pathIds[this.count] = pathId;
    this.count++;
  }
}

const addr = new Uint8Array(32);

/** Reads prefixes of `afi` (1 → dotted quad of the first 4 bytes, else IPv6 text) until `s` is exhausted. */
export function readPrefixList(s: MStream, afi: number, addPath: boolean, out: PrefixList, maskHostBits = true): void {
  const b = s.buf;
  while (s.pos < s.end) {
    const pathId = addPath ? s.u32() : 0;
    const bits = s.u8();
    const bytes = (bits + 7) >>> 3;
    if (s.end - s.pos < bytes) break;
    const p = s.pos;
    s.pos = p + bytes;
    const width = afi === 1 ? 4 : 16;
    const n = bytes < width ? bytes : width;
    for (let i = 0; i < n; i++) addr[i] = b[p + i]!;
    for (let i = n; i < width; i++) addr[i] = 0;
    if (maskHostBits && bits < width * 8) {
      const full = bits >>> 3;
      const rem = bits & 7;
      if (rem) addr[full] = addr[full]! & (0xff << (8 - rem));
    }
    // bgpdump copies the address into a 16-octet field followed by the length
    // octet and the path id: a longer "prefix" overwrites them.
    const shownBits = bytes > 16 ? b[p + 16]! : bits;
    const shownPathId = bytes > 23 ? b[p + 20]! + b[p + 21]! * 256 + b[p + 22]! * 65536 + b[p + 23]! * 16777216 : pathId;
    out.push(`${afi === 1 ? ipv4Text(addr, 0) : ipv6Text(addr, 0)}/${shownBits}`, shownPathId);
  }
}

/** One MP_REACH_NLRI / MP_UNREACH_NLRI family slot (bgpdump's `mp_nlri`). */
export interface MpSlot {
  /** Next hop text (IPv4 for AFI 1, IPv6 otherwise); '' for withdrawals. */
  nextHop: string;
  readonly prefixes: PrefixList;
}

/** bgpdump knows AFI 1..2 and SAFI 1..3 (3 = the old "unicast+multicast"). */
function slot(afi: number, safi: number): number {
  return afi * 4 + safi;
}

const ORIGIN_TEXT = ['IGP', 'EGP', 'INCOMPLETE'];
const tmp = new Uint8Array(16);

/**
 * The path attributes of one UPDATE or RIB entry as bgpdump understands them
 * (RIPE NCC bgpdump, `process_attributes`), reduced to what its one-line
 * output shows. Reused from record to record (`parse` resets it).
 *
 * @example
 * ```ts
 * const attrs = new BgpdumpAttributes();
 * attrs.parse(stream, 4, false);           // stream at the Total Path Attribute Length
 * attrs.tail('192.0.2.1');                // 'as path|IGP|192.0.2.1|0|0||NAG||\n'
 * ```
 */
export class BgpdumpAttributes {
  /** Bit (type − 1) set for each attribute type 1..32 seen with a whole value. */
  present = 0;
  origin = -1;
  nextHop = 0xffffffff;
  med = 0;
  localPref = 0;
  aggregatorAs = 0;
  aggregatorAddr = 0xffffffff;
  private newAggregatorAs = -1;
  private newAggregatorAddr = 0xffffffff;
  private asPath: Uint8Array | undefined;
  private asPathText = '';
  private asPathCount = 0;
  private as4Path: Uint8Array | undefined;
  private as4PathCount = 0;
  /** Communities text with its leading space (bgpdump prints it from the second character). */
  communities = '';
  /** LARGE_COMMUNITY text (RFC 8092) with its leading space, for bgpdump's `-l` field. */
  largeCommunities = '';
  readonly announce: (MpSlot | undefined)[] = new Array<MpSlot | undefined>(12).fill(undefined);
  readonly withdraw: (MpSlot | undefined)[] = new Array<MpSlot | undefined>(12).fill(undefined);
  private readonly maskHostBits: boolean;
  /** Reused cursors over the attribute block and the current attribute value. */
  private readonly block = new MStream(new Uint8Array(0), 0, 0);
  private readonly value = new MStream(new Uint8Array(0), 0, 0);

  constructor(maskHostBits = true) {
    this.maskHostBits = maskHostBits;
  }

  has(type: number): boolean {
    return (this.present & (1 << (type - 1))) !== 0;
  }

  /** The AS path text ('' without AS_PATH). */
  get asPathString(): string {
    return this.has(2) && this.asPath ? this.asPathText : '';
  }

  get originText(): string {
    return ORIGIN_TEXT[this.origin] ?? 'INCOMPLETE';
  }

  /** Reads the 2-octet total length and the attributes after it from `s` (bgpdump `process_attributes`). */
  parse(s: MStream, asnLen: 2 | 4, addPath: boolean): void {
    this.present = 0;
    this.origin = -1;
    this.nextHop = 0xffffffff;
    this.med = 0;
    this.localPref = 0;
    this.aggregatorAs = 0;
    this.aggregatorAddr = 0xffffffff;
    this.newAggregatorAs = -1;
    this.newAggregatorAddr = 0xffffffff;
    this.asPath = undefined;
    this.asPathText = '';
    this.asPathCount = 0;
    this.as4Path = undefined;
    this.as4PathCount = 0;
    this.communities = '';
    this.largeCommunities = '';
    this.announce.fill(undefined);
    this.withdraw.fill(undefined);
    const total = s.u16();
    const a = s.subInto(total, this.block);
    while (a.pos < a.end) this.parseOne(a, asnLen, addPath);
    if (asnLen === 2) this.as4Transition();
  }

  private parseOne(outer: MStream, asnLen: 2 | 4, addPath: boolean): void {
    const flags = outer.u8();
    const type = outer.u8();
    const len = flags & 0x10 ? outer.u16() : outer.u8();
    const v = outer.subInto(len, this.value);
    if (v.end - v.pos !== len) return; // truncated attribute: bgpdump warns and skips it
    if (type >= 1 && type <= 32) this.present |= 1 << (type - 1);
    const b = v.buf;
    switch (type) {
      case 1:
        this.origin = v.u8();
        break;
      case 2:
        this.asPath = b.subarray(v.pos, v.end);
        this.setAsPath(asnLen);
        break;
      case 3:
        this.nextHop = v.u32();
        break;
      case 4:
        this.med = v.u32();
        break;
      case 5:
        this.localPref = v.u32();
        break;
      case 7:
        this.aggregatorAs = asnLen === 4 ? v.u32() : v.u16();
        this.aggregatorAddr = v.u32();
        break;
      case 8:
        this.communities = communitiesText(b, v.pos, v.pos + (len >>> 2) * 4);
        break;
      case 14:
        this.mpReach(v, addPath);
        break;
      case 32:
        this.largeCommunities = largeCommunitiesText(b, v.pos, v.pos + Math.floor(len / 12) * 12);
        break;
      case 15:
        this.mpUnreach(v, addPath);
        break;
      case 17: {
        this.as4Path = b.subarray(v.pos, v.end);
        this.as4PathCount = asPathText(this.as4Path, 0, this.as4Path.length, 4).count;
        break;
      }
      case 18:
        this.newAggregatorAs = v.u32();
        this.newAggregatorAddr = v.u32();
        break;
      default:
        break;
    }
  }

  private setAsPath(asnLen: 2 | 4): void {
    const p = this.asPath!;
    const t = asPathText(p, 0, p.length, asnLen);
    this.asPathText = t.text;
    this.asPathCount = t.count;
  }

  /** bgpdump `process_asn32_trans` for 2-octet sessions (RFC 6793 §4.2.3). */
  private as4Transition(): void {
    if (this.has(7) && this.has(18)) {
      if (this.aggregatorAs !== 23456) return; // bgpdump returns here, AS4_PATH unmerged
      this.aggregatorAs = this.newAggregatorAs;
      this.aggregatorAddr = this.newAggregatorAddr;
    }
    if (!this.has(17) || !this.as4Path || !this.asPath) return;
    if (this.asPathCount < this.as4PathCount) return;
    const merged = mergeAs4PathBytes(this.asPath, this.asPathCount, this.as4Path, this.as4PathCount);
    const t = asPathText(merged, 0, merged.length, 4);
    this.asPathText = t.text;
    this.asPathCount = t.count;
  }

  /** bgpdump `process_mp_announce`, including its guess that a non-zero first octet is an abbreviated (RFC 6396 §4.3.4) IPv6 next hop. */
  private mpReach(s: MStream, addPath: boolean): void {
    const first = s.pos < s.end ? s.buf[s.pos]! : 0;
    if (first !== 0) {
      // Abbreviated form: bgpdump 1.6.2 reads the next hop only when its length
      // is 16 or 32 and prints :: otherwise (seen by differential fuzzing).
      const abbreviated = first === 16 || first === 32 ? readNextHop(s, 2) : '::';
      this.announce[slot(2, 1)] = { nextHop: abbreviated, prefixes: new PrefixList() };
      return;
    }
    const afi = s.u16();
    const safi = s.u8();
    if (afi > 2 || safi > 3) return;
    const k = slot(afi, safi);
    if (this.announce[k]) return;
    const entry: MpSlot = { nextHop: readNextHop(s, afi), prefixes: new PrefixList() };
    this.announce[k] = entry;
    let snpa = s.u8();
    for (; snpa > 0; snpa--) s.skip(s.u8());
    readPrefixList(s, afi, addPath, entry.prefixes, this.maskHostBits);
  }

  private mpUnreach(s: MStream, addPath: boolean): void {
    const afi = s.u16();
    const safi = s.u8();
    if (afi > 2 || safi > 3) return;
    const k = slot(afi, safi);
    if (this.withdraw[k]) return;
    const entry: MpSlot = { nextHop: '', prefixes: new PrefixList() };
    this.withdraw[k] = entry;
    readPrefixList(s, afi, addPath, entry.prefixes, this.maskHostBits);
  }

  /** The MP slot of an AFI/SAFI, if the UPDATE had one. */
  announced(afi: number, safi: number): MpSlot | undefined {
    return this.announce[slot(afi, safi)];
  }

  withdrawn(afi: number, safi: number): MpSlot | undefined {
    return this.withdraw[slot(afi, safi)];
  }

  /**
   * The fields after the prefix: `as path|origin|next hop|local pref|med|communities|AG|aggregator|`.
   * `signedPrefMed` reproduces bgpdump printing those two with `%d` for MP IPv4 routes.
   */
  tail(nextHop: string, signedPrefMed = false, largeField = false): string {
    let lp = this.has(5) ? this.localPref : 0;
    let med = this.has(4) ? this.med : 0;
    if (signedPrefMed) {
      lp |= 0;
      med |= 0;
    }
    const comm = this.has(8) ? this.communities.slice(1) : '';
    const ag = this.has(6) ? 'AG' : 'NAG';
    const aggr = this.aggregatorAddr !== 0xffffffff ? `${this.aggregatorAs} ${ipv4TextU32(this.aggregatorAddr)}` : '';
    if (largeField) {
      const large = this.has(32) ? this.largeCommunities.slice(1) : '';
      return `${this.asPathString}|${this.originText}|${nextHop}|${lp}|${med}|${comm}|${large}|${ag}|${aggr}|\n`;
    }
    return `${this.asPathString}|${this.originText}|${nextHop}|${lp}|${med}|${comm}|${ag}|${aggr}|\n`;
  }
}

/** RFC 8092 large communities as bgpdump `-l` prints them: ` global:local1:local2` each. */
export function largeCommunitiesText(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let p = start; p + 12 <= end; p += 12) {
    const g = ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
    const l1 = ((b[p + 4]! << 24) >>> 0) + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!);
    const l2 = ((b[p + 8]! << 24) >>> 0) + ((b[p + 9]! << 16) | (b[p + 10]! << 8) | b[p + 11]!);
    s += ` ${g}:${l1}:${l2}`;
  }
  return s;
}

/** Next hop per bgpdump `get_nexthop`: IPv4 reads 4 octets after the length; IPv6 16 (and a link-local when the length is 32). */
function readNextHop(s: MStream, afi: number): string {
  const nhLen = s.u8();
  if (afi === 1) {
    s.read(tmp, 4);
    return ipv4Text(tmp, 0);
  }
  s.read(tmp, 16);
  if (nhLen === 32) s.skip(16);
  return ipv6Text(tmp, 0);
}

const BUFSIZ = 8192;

/** bgpdump `process_attr_community_string`: ` a:b` per community, three well-known names, 8191 characters at most. */
export function communitiesText(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let p = start; p + 4 <= end; p += 4) {
    const hi = (b[p]! << 8) | b[p + 1]!;
    const lo = (b[p + 2]! << 8) | b[p + 3]!;
    let part: string;
    if (hi === 0xffff && lo === 0xff01) part = ' no-export';
    else if (hi === 0xffff && lo === 0xff02) part = ' no-advertise';
    else if (hi === 0xffff && lo === 0xff03) part = ' local-AS';
    else {
      part = ` ${hi}:${lo}`;
      // snprintf truncates a number that does not fit.
      if (s.length + part.length > BUFSIZ - 1) {
        s += part.slice(0, BUFSIZ - 1 - s.length);
        continue;
      }
      s += part;
      continue;
    }
    // strlcat appends a name only when it fits whole.
    if (s.length + part.length < BUFSIZ) s += part;
  }
  return s;
}

