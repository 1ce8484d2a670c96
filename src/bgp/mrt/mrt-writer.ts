import { Afi, AttrFlag, AttrType } from '../constants.js';
import { EncodeError } from '../errors.js';
import { parseIP, parseIPv4 } from '../ip-address.js';
import type { Prefix } from '../prefix.js';
import { Bgp4mpSubtype, MrtType, PeerTypeFlag, TableDumpV2Subtype } from './mrt-constants.js';

/** A peer of a PEER_INDEX_TABLE to write (RFC 6396 §4.3.1). */
export interface MrtPeerInit {
  /** BGP identifier, dotted quad. */
  readonly bgpId: string;
  /** Peer address, IPv4 or IPv6 text. */
  readonly ip: string;
  readonly asn: number;
}

/** One RIB entry to write (RFC 6396 §4.3.4; `pathId` for the RFC 8050 ADD-PATH subtypes). */
export interface MrtRibEntryInit {
  readonly peerIndex: number;
  readonly originatedTime: number;
  readonly pathId?: number;
  /**
   * The encoded path attributes (4-octet ASNs). For IPv6 prefixes, include
   * the abbreviated MP_REACH_NLRI of RFC 6396 §4.3.4 (see {@link abbreviatedMpReach}).
   */
  readonly attributes: Uint8Array;
}

/** The BGP4MP peer/local fields (RFC 6396 §4.4). */
export interface Bgp4mpPeerInit {
  readonly peerAs: number;
  readonly localAs: number;
  readonly interfaceIndex?: number;
  /** Peer and local address: both IPv4 or both IPv6 text. */
  readonly peerIp: string;
  readonly localIp: string;
}

function u32ok(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

function address(text: string, field: string): Uint8Array {
  const b = parseIP(text);
  if (!b) throw EncodeError.invalid(field, `not an IP address: ${text}`);
  return b;
}

/** A growable byte buffer with big-endian writers (values are range-checked by the callers). */
class Bytes {
  buf = new Uint8Array(256);
  len = 0;
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v;
  }
  u16(v: number): void {
    this.room(2);
    this.buf[this.len++] = v >>> 8;
    this.buf[this.len++] = v & 0xff;
  }
  u32(v: number): void {
    this.room(4);
    this.buf[this.len++] = v >>> 24;
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/**
 * The abbreviated MP_REACH_NLRI attribute of a TABLE_DUMP_V2 RIB entry
 * (RFC 6396 §4.3.4): only Next Hop Length and Next Hop; AFI, SAFI and NLRI
 * are implied by the record. `nextHop` is 16 octets, or 32 with a link-local.
 */
export function abbreviatedMpReach(nextHop: string, linkLocal?: string): Uint8Array {
  const global = address(nextHop, 'nextHop');
  const ll = linkLocal === undefined ? undefined : address(linkLocal, 'linkLocalNextHop');
  const nhLen = global.length + (ll ? ll.length : 0);
  const out = new Uint8Array(3 + 1 + nhLen);
  out[0] = AttrFlag.OPTIONAL;
  out[1] = AttrType.MP_REACH_NLRI;
  out[2] = 1 + nhLen;
  out[3] = nhLen;
  out.set(global, 4);
  if (ll) out.set(ll, 4 + global.length);
  return out;
}

/**
 * Writes MRT records (RFC 6396, RFC 8050): TABLE_DUMP_V2 PEER_INDEX_TABLE and
 * RIB_IPV4/IPV6_UNICAST (and their ADD-PATH variants), BGP4MP_MESSAGE_AS4 and
 * STATE_CHANGE_AS4. Every record method returns the record's bytes and also
 * appends them to the writer; `finish()` gives the whole file. Timestamps are
 * passed in, so output is deterministic. Values out of range are `EncodeError`s.
 *
 * @example
 * ```ts
 * const w = new MrtWriter();
 * w.peerIndexTable(1700000000, { collectorBgpId: '192.0.2.255', peers: [{ bgpId: '192.0.2.1', ip: '192.0.2.1', asn: 65001 }] });
 * w.ribEntry(1700000000, 0, Prefix.parse('198.51.100.0/24'), [{ peerIndex: 0, originatedTime: 1700000000, attributes }]);
 * const bytes = w.finish();
 * ```
 */
export class MrtWriter {
  private readonly out = new Bytes();
  /** Records written so far. */
  records = 0;

  private record(timestamp: number, type: number, subtype: number, body: Uint8Array): Uint8Array {
    if (!u32ok(timestamp)) throw EncodeError.invalid('timestamp', `${timestamp} is not a 32-bit second count`);
    const rec = new Uint8Array(12 + body.length);
    const dv = new DataView(rec.buffer);
    dv.setUint32(0, timestamp);
    dv.setUint16(4, type);
    dv.setUint16(6, subtype);
    dv.setUint32(8, body.length);
    rec.set(body, 12);
    this.out.bytes(rec);
    this.records++;
    return rec;
  }

  /** TABLE_DUMP_V2 PEER_INDEX_TABLE (RFC 6396 §4.3.1); peers with 4-octet ASNs get the AS4 bit. */
  peerIndexTable(timestamp: number, init: { collectorBgpId: string; viewName?: string; peers: readonly MrtPeerInit[] }): Uint8Array {
    const b = new Bytes();
    const id = parseIPv4(init.collectorBgpId);
    if (!id) throw EncodeError.invalid('collectorBgpId', `not a dotted quad: ${init.collectorBgpId}`);
    b.bytes(id);
    const name = Buffer.from(init.viewName ?? '', 'utf8');
    if (name.length > 0xffff) throw new EncodeError('viewName', name.length, 0xffff);
    b.u16(name.length);
    b.bytes(name);
    if (init.peers.length > 0xffff) throw new EncodeError('peers', init.peers.length, 0xffff);
    b.u16(init.peers.length);
    for (const p of init.peers) {
      const ip = address(p.ip, 'peer ip');
      const bgpId = parseIPv4(p.bgpId);
      if (!bgpId) throw EncodeError.invalid('peer bgpId', `not a dotted quad: ${p.bgpId}`);
      if (!u32ok(p.asn)) throw EncodeError.invalid('peer asn', `${p.asn} is not a 32-bit AS number`);
      const as4 = p.asn > 0xffff;
      b.u8((ip.length === 16 ? PeerTypeFlag.IPV6 : 0) | (as4 ? PeerTypeFlag.AS4 : 0));
      b.bytes(bgpId);
      b.bytes(ip);
      if (as4) b.u32(p.asn);
      else b.u16(p.asn);
    }
    return this.record(timestamp, MrtType.TABLE_DUMP_V2, TableDumpV2Subtype.PEER_INDEX_TABLE, b.view());
  }

  /**
   * A RIB_IPV4_UNICAST or RIB_IPV6_UNICAST record (RFC 6396 §4.3.2), or the
   * RIB_*_UNICAST_ADDPATH variant (RFC 8050 §4) when the entries carry path ids.
   */
  ribEntry(timestamp: number, sequence: number, prefix: Prefix, entries: readonly MrtRibEntryInit[]): Uint8Array {
    if (!u32ok(sequence)) throw EncodeError.invalid('sequence', `${sequence} is not a 32-bit number`);
    const addPath = entries.some((e) => e.pathId !== undefined);
    if (addPath && entries.some((e) => e.pathId === undefined)) throw EncodeError.invalid('pathId', 'either every entry has a path id or none');
    const b = new Bytes();
    b.u32(sequence);
    b.u8(prefix.length);
    b.bytes(prefix.address.subarray(0, prefix.wireLength));
    if (entries.length > 0xffff) throw new EncodeError('entries', entries.length, 0xffff);
    b.u16(entries.length);
    for (const e of entries) {
      if (!Number.isInteger(e.peerIndex) || e.peerIndex < 0 || e.peerIndex > 0xffff) throw EncodeError.invalid('peerIndex', `${e.peerIndex} is not a 16-bit index`);
      if (!u32ok(e.originatedTime)) throw EncodeError.invalid('originatedTime', `${e.originatedTime} is not a 32-bit second count`);
      b.u16(e.peerIndex);
      b.u32(e.originatedTime);
      if (e.pathId !== undefined) {
        if (!u32ok(e.pathId)) throw EncodeError.invalid('pathId', `${e.pathId} is not a 32-bit path id`);
        b.u32(e.pathId);
      }
      if (e.attributes.length > 0xffff) throw new EncodeError('RIB entry attributes', e.attributes.length, 0xffff);
      b.u16(e.attributes.length);
      b.bytes(e.attributes);
    }
    const v6 = prefix.afi === Afi.IPV6;
    const subtype = addPath
      ? v6
        ? TableDumpV2Subtype.RIB_IPV6_UNICAST_ADDPATH
        : TableDumpV2Subtype.RIB_IPV4_UNICAST_ADDPATH
      : v6
        ? TableDumpV2Subtype.RIB_IPV6_UNICAST
        : TableDumpV2Subtype.RIB_IPV4_UNICAST;
    return this.record(timestamp, MrtType.TABLE_DUMP_V2, subtype, b.view());
  }

  private peerFields(b: Bytes, init: Bgp4mpPeerInit): void {
    const peer = address(init.peerIp, 'peerIp');
    const local = address(init.localIp, 'localIp');
    if (peer.length !== local.length) throw EncodeError.invalid('localIp', 'peer and local addresses must be of one family');
    if (!u32ok(init.peerAs)) throw EncodeError.invalid('peerAs', `${init.peerAs} is not a 32-bit AS number`);
    if (!u32ok(init.localAs)) throw EncodeError.invalid('localAs', `${init.localAs} is not a 32-bit AS number`);
    b.u32(init.peerAs);
    b.u32(init.localAs);
    b.u16(init.interfaceIndex ?? 0);
    b.u16(peer.length === 16 ? Afi.IPV6 : Afi.IPV4);
    b.bytes(peer);
    b.bytes(local);
  }

  /** BGP4MP_MESSAGE_AS4 (RFC 6396 §4.4.3): `message` is a whole BGP message (marker, length, type, body). */
  bgp4mpMessageAs4(timestamp: number, init: Bgp4mpPeerInit, message: Uint8Array): Uint8Array {
    if (message.length < 19) throw EncodeError.invalid('message', 'a BGP message has a 19-octet header');
    const b = new Bytes();
    this.peerFields(b, init);
    b.bytes(message);
    return this.record(timestamp, MrtType.BGP4MP, Bgp4mpSubtype.MESSAGE_AS4, b.view());
  }

  /** BGP4MP_STATE_CHANGE_AS4 (RFC 6396 §4.4.4): FSM state numbers 1 (Idle) .. 6 (Established). */
  bgp4mpStateChangeAs4(timestamp: number, init: Bgp4mpPeerInit, oldState: number, newState: number): Uint8Array {
    const b = new Bytes();
    this.peerFields(b, init);
    for (const [field, v] of [['oldState', oldState], ['newState', newState]] as const) {
      if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw EncodeError.invalid(field, `${v} is not a 16-bit state`);
    }
    b.u16(oldState);
    b.u16(newState);
    return this.record(timestamp, MrtType.BGP4MP, Bgp4mpSubtype.STATE_CHANGE_AS4, b.view());
  }

  /** Every record written, back to back: an MRT file. */
  finish(): Uint8Array {
    return this.out.view().slice();
  }
}
