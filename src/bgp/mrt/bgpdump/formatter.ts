import type { MrtRawRecord } from '../mrt-framer.js';
import { ipv4Text, ipv6Text } from './address-text.js';
import { BgpdumpAttributes, PrefixList, readPrefixList } from './attributes.js';
import { MStream } from './mstream.js';

/** A peer of the last PEER_INDEX_TABLE, as text. */
interface PeerText {
  readonly ip: string;
  readonly as: number;
}

/** Counters of what the formatter printed and skipped. */
export interface BgpdumpFormatterStats {
  records: number;
  lines: number;
  /** Prefix lines (A, W, B). */
  prefixes: number;
  /** Records bgpdump prints nothing for (unsupported or rejected), counted. */
  skipped: number;
}

const tmp = new Uint8Array(48);

/** Options of {@link BgpdumpFormatter}. */
export interface BgpdumpFormatterOptions {
  /**
   * Clear the bits past the prefix length in UPDATE prefixes, as current
   * bgpdump does (default). `false` prints them as received, like bgpdump
   * 1.6.2 (the Debian/Ubuntu package).
   */
  readonly maskHostBits?: boolean;
  /** Add the large communities field after the communities, as `bgpdump -m -l` does (RFC 8092). */
  readonly largeCommunities?: boolean;
  /**
   * `'dump'` (default): RIB lines carry the record's timestamp; `'change'`: the
   * entry's originated time (bgpdump `-t change`). bgpdump 1.6.2 prints 0 for
   * TABLE_DUMP2 lines here (it formats a pointer to a variable out of scope);
   * fibwire prints the originated time the option documents.
   */
  readonly ribTime?: 'dump' | 'change';
}

/** Subtypes of BGP4MP that carry a BGP message (RFC 6396 §4.4, RFC 8050 §3): [asn4, local, addPath]. */
const MESSAGE_SHAPE: Readonly<Record<number, readonly [boolean, boolean, boolean]>> = {
  1: [false, false, false],
  4: [true, false, false],
  6: [false, true, false],
  7: [true, true, false],
  8: [false, false, true],
  9: [true, false, true],
  10: [false, true, true],
  11: [true, true, true],
};

/**
 * Prints MRT records in the one-line format of `bgpdump -m` (RIPE NCC
 * bgpdump 1.6), byte for byte, so the two can be diffed: `TABLE_DUMP`,
 * `TABLE_DUMP2`(`_AP`), `BGP4MP`(`_ET`, `_LOCAL`, `_AP`) and the 1999/2000
 * `BGP` lines; A/W/B/STATE; the AS path, origin, next hop, local pref, MED,
 * communities, AG/NAG and aggregator fields. It reads record bodies with
 * bgpdump's own forgiving rules (short fields read as zeros), so damaged input
 * prints what bgpdump prints; `bgpdump -v -m` differs only on stderr.
 *
 * @example
 * ```ts
 * const fmt = new BgpdumpFormatter();
 * for await (const batch of new MrtReader(file).rawBatches())
 *   for (const r of batch) if (!(r instanceof MrtError)) process.stdout.write(fmt.format(r));
 * ```
 */
export class BgpdumpFormatter {
  private readonly attrs: BgpdumpAttributes;
  private readonly maskHostBits: boolean;
  private readonly large: boolean;
  private readonly ribTimeChange: boolean;
  private peers: PeerText[] | undefined;
  readonly stats: BgpdumpFormatterStats = { records: 0, lines: 0, prefixes: 0, skipped: 0 };

  constructor(options: BgpdumpFormatterOptions = {}) {
    this.maskHostBits = options.maskHostBits ?? true;
    this.large = options.largeCommunities ?? false;
    this.ribTimeChange = options.ribTime === 'change';
    this.attrs = new BgpdumpAttributes(this.maskHostBits);
  }

  /** The lines (each ending in `\n`) bgpdump -m prints for this record; '' for none. */
  format(r: MrtRawRecord): string {
    this.stats.records++;
    let out: string;
    switch (r.type) {
      case 16:
      case 17:
        out = this.bgp4mp(r);
        break;
      case 13:
        out = this.tableDumpV2(r);
        break;
      case 12:
        out = this.tableDump(r);
        break;
      case 5:
        out = this.legacyBgp(r);
        break;
      default:
        out = '';
    }
    if (out === '') this.stats.skipped++;
    return out;
  }

  // ── BGP4MP / BGP4MP_ET (RFC 6396 §4.4) ────────────────────────────────

  private bgp4mp(r: MrtRawRecord): string {
    const et = r.type === 17;
    const time = et ? `${r.timestamp}.${String(r.microseconds ?? 0).padStart(6, '0')}` : `${r.timestamp}`;
    const s = new MStream(r.buf, r.start, r.end);
    const st = r.subtype;
    if (st === 0 || st === 5) return this.stateChange(s, r, st === 5 ? 4 : 2, et ? 'BGP4MP_ET' : 'BGP4MP', time);
    const shape = MESSAGE_SHAPE[st];
    if (!shape) return '';
    const [asn4, local, addPath] = shape;
    // bgpdump reads the _LOCAL subtypes' first pair as the destination and
    // prints the destination only for MESSAGE_LOCAL and MESSAGE_AS4_LOCAL; the
    // _LOCAL_ADDPATH subtypes count as received, so their *second* pair is
    // printed and their lines are named without _LOCAL.
    const second = st === 10 || st === 11;
    const named = `${et ? 'BGP4MP_ET' : 'BGP4MP'}${local && !second ? '_LOCAL' : ''}${addPath ? '_AP' : ''}`;
    const firstAs = asn4 ? s.u32() : s.u16();
    const secondAs = asn4 ? s.u32() : s.u16();
    const peerAs = second ? secondAs : firstAs;
    const ifIndex = s.u16();
    const afi = s.u16();
    let peer: string;
    if (afi === 1) {
      if (second) s.skip(4);
      s.read(tmp, 4);
      peer = ipv4Text(tmp, 0);
      if (!second) s.skip(4);
    } else if (afi === 2) {
      if (second) s.skip(16);
      s.read(tmp, 16);
      peer = ipv6Text(tmp, 0);
      if (!second) s.skip(16);
    } else if (afi === 0xffff && ifIndex === 0xffff) {
      // Old Zebra OPENs: no interface index or addresses; these were 4 marker octets.
      s.pos -= 4;
      peer = '0.0.0.0';
    } else return '';
    for (let i = 0; i < 16; i++) if (s.u8() !== 0xff) return '';
    const size = s.u16();
    // bgpdump passes `size - 18` as an unsigned length: a Length field under 18
    // wraps around and the rest of the record is read as the message.
    const m = s.sub(size < 18 ? Number.MAX_SAFE_INTEGER : size - 18);
    if (m.u8() !== 2) return ''; // only UPDATEs print in -m
    return this.update(m, asn4 ? 4 : 2, addPath, `${named}|${time}|`, `${peer}|${peerAs}|`);
  }

  private stateChange(s: MStream, r: MrtRawRecord, asnLen: 2 | 4, format: string, time: string): string {
    const length = r.end - r.start;
    const peerAs = asnLen === 4 ? s.u32() : s.u16();
    s.skip(asnLen);
    let peer = '0.0.0.0';
    if (length !== 8) {
      s.skip(2);
      const afi = s.u16();
      if (afi === 1) {
        if (length !== 20 && length !== 24) return '';
        s.read(tmp, 4);
        peer = ipv4Text(tmp, 0);
        s.skip(4);
      } else if (afi === 2) {
        if (length !== 44 && length !== 48) return '';
        s.read(tmp, 16);
        peer = ipv6Text(tmp, 0);
        s.skip(16);
      } else return '';
    }
    const oldState = s.u16();
    const newState = s.u16();
    this.stats.lines++;
    return `${format}|${time}|STATE|${peer}|${peerAs}|${oldState}|${newState}\n`;
  }

  /** One UPDATE (from the Withdrawn Routes Length on): W lines, then A lines, in bgpdump's family order. */
  private update(m: MStream, asnLen: 2 | 4, addPath: boolean, head: string, peer: string): string {
    const withdrawn = this.withdrawnList;
    withdrawn.clear();
    readPrefixList(m.subInto(m.u16(), this.scratch), 1, addPath, withdrawn, this.maskHostBits);
    const a = this.attrs;
    a.parse(m, asnLen, addPath);
    const announced = this.announcedList;
    announced.clear();
    readPrefixList(m, 1, addPath, announced, this.maskHostBits);
    let out = '';
    if (withdrawn.count > 0 || a.has(15)) {
      const w = `${head}W|${peer}`;
      out += this.withdrawLines(w, withdrawn, addPath);
      for (const [afi, safi] of FAMILY_ORDER) {
        const slot = a.withdrawn(afi, safi);
        if (slot) out += this.withdrawLines(w, slot.prefixes, addPath);
      }
    }
    if (announced.count > 0 || a.has(14)) {
      const h = `${head}A|${peer}`;
      if (announced.count > 0) {
        const tail = a.tail(ipv4TextOf(a.nextHop), false, this.large);
        out += this.announceLines(h, announced, addPath, tail);
      }
      for (const [afi, safi] of FAMILY_ORDER) {
        const slot = a.announced(afi, safi);
        if (!slot || slot.prefixes.count === 0) continue;
        out += this.announceLines(h, slot.prefixes, addPath, a.tail(slot.nextHop, afi === 1, this.large));
      }
    }
    return out;
  }

  private readonly withdrawnList = new PrefixList();
  private readonly announcedList = new PrefixList();
  private readonly scratch = new MStream(new Uint8Array(0), 0, 0);

  private withdrawLines(head: string, list: PrefixList, addPath: boolean): string {
    let out = '';
    const t = list.texts;
    const n = list.count;
    if (addPath) for (let i = 0; i < n; i++) out += `${head}${t[i]!}|${list.pathIds[i]!}\n`;
    else for (let i = 0; i < n; i++) out += `${head}${t[i]!}\n`;
    this.stats.lines += n;
    this.stats.prefixes += n;
    return out;
  }

  private announceLines(head: string, list: PrefixList, addPath: boolean, tail: string): string {
    let out = '';
    const t = list.texts;
    const n = list.count;
    if (addPath) for (let i = 0; i < n; i++) out += `${head}${t[i]!}|${list.pathIds[i]!}|${tail}`;
    else for (let i = 0; i < n; i++) out += `${head}${t[i]!}|${tail}`;
    this.stats.lines += n;
    this.stats.prefixes += n;
    return out;
  }

  // ── TABLE_DUMP_V2 (RFC 6396 §4.3, RFC 8050) ────────────────────────────

  private tableDumpV2(r: MrtRawRecord): string {
    const s = new MStream(r.buf, r.start, r.end);
    const st = r.subtype;
    if (st === 1) {
      this.peerIndexTable(s);
      return '';
    }
    const v6 = st === 4 || st === 10;
    if (!(v6 || st === 2 || st === 8)) return ''; // bgpdump prints unicast RIBs only
    const addPath = st === 8 || st === 10;
    const peers = this.peers;
    if (!peers) return '';
    s.skip(4); // sequence
    const bits = s.u8();
    const bytes = (bits + 7) >>> 3;
    tmp.fill(0, 0, 32);
    s.read(tmp, bytes > 32 ? 32 : bytes);
    if (bytes > 32) s.skip(bytes - 32);
    const prefix = `${v6 ? ipv6Text(tmp, 0) : ipv4Text(tmp, 0)}/${bits}`;
    const count = s.u16();
    const name = addPath ? 'TABLE_DUMP2_AP' : 'TABLE_DUMP2';
    let head = `${name}|${r.timestamp}|B|`;
    const a = this.attrs;
    let out = '';
    for (let i = 0; i < count; i++) {
      const peer = peers[s.u16()];
      const originated = s.u32();
      if (this.ribTimeChange) head = `${name}|${originated}|B|`;
      const pathId = addPath ? s.u32() : 0;
      a.parse(s, 4, addPath);
      if (!peer) continue;
      const mp = a.has(14) ? a.announced(2, 1) : undefined;
      const nextHop = mp ? mp.nextHop : ipv4TextOf(a.nextHop);
      out += addPath ? `${head}${peer.ip}|${peer.as}|${prefix}|${pathId}|${a.tail(nextHop, false, this.large)}` : `${head}${peer.ip}|${peer.as}|${prefix}|${a.tail(nextHop, false, this.large)}`;
      this.stats.lines++;
      this.stats.prefixes++;
    }
    return out;
  }

  private peerIndexTable(s: MStream): void {
    s.skip(4);
    const nameLength = s.u16();
    if (nameLength + 1 <= 256) s.skip(nameLength);
    const count = s.u16();
    const peers: PeerText[] = [];
    for (let i = 0; i < count; i++) {
      const type = s.u8();
      s.skip(4);
      let ip: string;
      if (type & 1) {
        s.read(tmp, 16);
        ip = ipv6Text(tmp, 0);
      } else {
        s.read(tmp, 4);
        ip = ipv4Text(tmp, 0);
      }
      const as = type & 2 ? s.u32() : s.u16();
      peers.push({ ip, as });
    }
    this.peers = peers;
  }

  // ── TABLE_DUMP (RFC 6396 §4.2) ─────────────────────────────────────────

  private tableDump(r: MrtRawRecord): string {
    const st = r.subtype;
    if (st < 1 || st > 4) return '';
    const v6 = st === 2 || st === 4;
    const width = v6 ? 16 : 4;
    const s = new MStream(r.buf, r.start, r.end);
    s.skip(4); // view, sequence
    s.read(tmp, width);
    // bgpdump prints IPv6 text only for subtype 2 (AFI_IP6), dotted quads otherwise.
    const text = (o: number): string => (st === 2 ? ipv6Text(tmp, o) : ipv4Text(tmp, o));
    const prefixAddr = text(0);
    const mask = s.u8();
    s.skip(1); // status
    const uptime = s.u32();
    s.read(tmp.subarray(16), width);
    const peer = text(16);
    const asnLen = st >= 3 ? 4 : 2;
    const peerAs = asnLen === 4 ? s.u32() : s.u16();
    const a = this.attrs;
    a.parse(s, asnLen, false);
    const mp = a.has(14) ? a.announced(2, 1) : undefined;
    const nextHop = mp ? mp.nextHop : ipv4TextOf(a.nextHop);
    this.stats.lines++;
    this.stats.prefixes++;
    return `TABLE_DUMP|${this.ribTimeChange ? uptime : r.timestamp}|B|${peer}|${peerAs}|${prefixAddr}/${mask}|${a.tail(nextHop, false, this.large)}`;
  }

  // ── deprecated BGP, type 5 (RFC 6396 §5) ────────────────────────────────

  private legacyBgp(r: MrtRawRecord): string {
    const s = new MStream(r.buf, r.start, r.end);
    const time = `${r.timestamp}`;
    if (r.subtype === 3) {
      const as = s.u16();
      s.read(tmp, 4);
      const ip = ipv4Text(tmp, 0);
      const oldState = s.u16();
      const newState = s.u16();
      this.stats.lines++;
      return `BGP|${time}|STATE|${ip}|${as}|${oldState}|${newState}\n`;
    }
    if (r.subtype !== 1) return '';
    const as = s.u16();
    s.read(tmp, 4);
    const ip = ipv4Text(tmp, 0);
    s.skip(6);
    const withdrawn = this.withdrawnList;
    withdrawn.clear();
    readPrefixList(s.subInto(s.u16(), this.scratch), 1, false, withdrawn, this.maskHostBits);
    const a = this.attrs;
    a.parse(s, 2, false);
    const announced = this.announcedList;
    announced.clear();
    readPrefixList(s, 1, false, announced, this.maskHostBits);
    let out = '';
    // bgpdump's mrtd_table_line_withdraw passes two inet_ntoa() results to one
    // printf; they share a static buffer, so the peer address is printed in
    // place of the prefix address (the length is right).
    for (let i = 0; i < withdrawn.count; i++) {
      const p = withdrawn.texts[i]!;
      out += `BGP|${time}|W|${ip}|${as}|${ip}${p.slice(p.indexOf('/'))}\n`;
    }
    if (announced.count) {
      // bgpdump's mrtd_table_line_announce prints no '|' between MED and the communities.
      const lp = a.has(5) ? a.localPref : 0;
      const med = a.has(4) ? a.med : 0;
      const comm = a.has(8) ? `${a.communities.slice(1)}|` : '|';
      const aggr = a.aggregatorAddr !== 0xffffffff ? `${a.aggregatorAs} ${ipv4TextOf(a.aggregatorAddr)}` : '';
      const tail = `|${a.asPathString}|${a.originText}|${ipv4TextOf(a.nextHop)}|${lp}|${med}${comm}${a.has(6) ? 'AG' : 'NAG'}|${aggr}|\n`;
      for (let i = 0; i < announced.count; i++) out += `BGP|${time}|A|${ip}|${as}|${announced.texts[i]!}${tail}`;
    }
    const n = withdrawn.count + announced.count;
    this.stats.lines += n;
    this.stats.prefixes += n;
    return out;
  }
}

/** The MP families bgpdump prints, in its order: IPv4 unicast, multicast, both; then IPv6. */
const FAMILY_ORDER: readonly (readonly [number, number])[] = [
  [1, 1],
  [1, 2],
  [1, 3],
  [2, 1],
  [2, 2],
  [2, 3],
];

function ipv4TextOf(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}
