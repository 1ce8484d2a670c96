/**
 * Test-only walkers that find path-attribute blocks in real data (BGP UPDATE
 * messages, MRT BGP4MP records and TABLE_DUMP_V2 RIB entries), so the attribute
 * codecs can be checked on every attribute the corpus holds. Only the framing
 * the codecs need (RFC 4271 §4.3, RFC 6396 §4.3, §4.4), nothing more; anything
 * that does not frame is skipped and counted by the caller.
 */

/** One path attribute as framed in its block. */
export interface FramedAttribute {
  readonly flags: number;
  readonly type: number;
  /** The whole attribute (header + value). */
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

/** Splits `buf[start..end)` into attributes; `undefined` when the framing is broken. */
export function frameAttributes(buf: Uint8Array, start: number, end: number): FramedAttribute[] | undefined {
  const out: FramedAttribute[] = [];
  let p = start;
  while (p < end) {
    if (p + 3 > end) return undefined;
    const flags = buf[p]!;
    const type = buf[p + 1]!;
    const ext = (flags & 0x10) !== 0;
    if (ext && p + 4 > end) return undefined;
    const len = ext ? (buf[p + 2]! << 8) | buf[p + 3]! : buf[p + 2]!;
    const valueStart = p + (ext ? 4 : 3);
    if (valueStart + len > end) return undefined;
    out.push({ flags, type, start: p, valueStart, end: valueStart + len });
    p = valueStart + len;
  }
  return out;
}

/** The attribute block of an UPDATE (full message with header); `undefined` when it is not a well-framed UPDATE. */
export function updateAttributeBlock(msg: Uint8Array): { start: number; end: number; nlriLength: number } | undefined {
  if (msg.length < 23 || msg[18] !== 2) return undefined;
  const total = (msg[16]! << 8) | msg[17]!;
  if (total > msg.length) return undefined;
  const wl = (msg[19]! << 8) | msg[20]!;
  const at = 21 + wl;
  if (at + 2 > total) return undefined;
  const al = (msg[at]! << 8) | msg[at + 1]!;
  if (at + 2 + al > total) return undefined;
  return { start: at + 2, end: at + 2 + al, nlriLength: total - (at + 2 + al) };
}

/** What {@link walkMrt} yields. */
export type MrtItem =
  | { readonly kind: 'bgp4mp'; readonly asn4: boolean; readonly message: Uint8Array }
  | { readonly kind: 'rib'; readonly asn4: boolean; readonly buf: Uint8Array; readonly start: number; readonly end: number };

const u16 = (b: Uint8Array, p: number): number => (b[p]! << 8) | b[p + 1]!;
const u32 = (b: Uint8Array, p: number): number => b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);

/**
 * Walks MRT records (RFC 6396 §2): BGP4MP / BGP4MP_ET MESSAGE (2-octet AS
 * paths) and MESSAGE_AS4 (+ _LOCAL, + ADDPATH variants of RFC 8050), and
 * TABLE_DUMP_V2 RIB_IPV4/IPV6 UNICAST/MULTICAST entries (+ ADDPATH), and
 * TABLE_DUMP (v1) entries, whose AS_PATH has 2-octet ASNs (RFC 6396 §4.2).
 */
export function* walkMrt(data: Uint8Array): Generator<MrtItem> {
  let p = 0;
  while (p + 12 <= data.length) {
    const type = u16(data, p + 4);
    const subtype = u16(data, p + 6);
    const len = u32(data, p + 8);
    let body = p + 12;
    const end = body + len;
    if (end > data.length) return;
    p = end;
    if (type === 17) body += 4; // BGP4MP_ET microseconds (RFC 6396 §3)
    if (type === 16 || type === 17) {
      // MESSAGE 1, MESSAGE_AS4 4, MESSAGE_LOCAL 6, MESSAGE_AS4_LOCAL 7, ADDPATH 8..11 (RFC 8050)
      const as4 = subtype === 4 || subtype === 7 || subtype === 9 || subtype === 11;
      const isMessage = [1, 4, 6, 7, 8, 9, 10, 11].includes(subtype);
      if (!isMessage) continue;
      const asLen = as4 ? 4 : 2;
      let q = body + 2 * asLen + 2; // peer AS, local AS, interface index
      if (q + 2 > end) continue;
      const afi = u16(data, q);
      q += 2 + 2 * (afi === 2 ? 16 : 4);
      if (q + 19 > end) continue;
      yield { kind: 'bgp4mp', asn4: as4, message: data.subarray(q, end) };
    } else if (type === 12) {
      // TABLE_DUMP: view, sequence, prefix (4 or 16), length, status, originated, peer IP, peer AS, attribute length
      const ipLen = subtype === 2 ? 16 : 4;
      const q = body + 4 + ipLen + 1 + 1 + 4 + ipLen + 2;
      if (q + 2 > end) continue;
      const al = u16(data, q);
      if (q + 2 + al > end) continue;
      yield { kind: 'rib', asn4: false, buf: data, start: q + 2, end: q + 2 + al };
    } else if (type === 13) {
      // RIB_IPV4_UNICAST 2, _MULTICAST 3, RIB_IPV6_UNICAST 4, _MULTICAST 5; ADDPATH 8..11
      if (![2, 3, 4, 5, 8, 9, 10, 11].includes(subtype)) continue;
      const addPath = subtype >= 8;
      let q = body + 4; // sequence number
      if (q + 1 > end) continue;
      const plen = data[q]!;
      q += 1 + Math.ceil(plen / 8);
      if (q + 2 > end) continue;
      const count = u16(data, q);
      q += 2;
      for (let i = 0; i < count; i++) {
        q += 2 + 4 + (addPath ? 4 : 0); // peer index, originated time, path id
        if (q + 2 > end) break;
        const al = u16(data, q);
        q += 2;
        if (q + al > end) break;
        yield { kind: 'rib', asn4: true, buf: data, start: q, end: q + al };
        q += al;
      }
    }
  }
}
