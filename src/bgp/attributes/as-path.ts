import { AsPathSegmentType } from '../constants.js';
import { EncodeError } from '../errors.js';
import type { WireWriter } from '../wire-writer.js';

/** One AS_PATH segment (RFC 4271 §4.3 (b), RFC 5065 §3). ASNs are plain numbers (uint32). */
export interface AsPathSegment {
  readonly type: AsPathSegmentType;
  readonly asns: readonly number[];
}

/** An AS_PATH or AS4_PATH value: its segments in wire order. */
export type AsPath = readonly AsPathSegment[];

/** Why a segment list is malformed (RFC 7606 §7.2), or `undefined` when it is well formed. */
export type AsPathFault = 'unknown-segment-type' | 'zero-length-segment' | 'segment-overrun' | 'trailing-octets';

/** The result of {@link parseAsPathSegments}. */
export type AsPathParse = { readonly ok: true; readonly path: AsPath } | { readonly ok: false; readonly fault: AsPathFault; readonly detail: string };

/**
 * Parses AS_PATH segments with `asnSize` octets per ASN (2, or 4 with RFC 6793).
 * Follows RFC 7606 §7.2: an unrecognised segment type, a zero Path Segment Length,
 * a segment running past the attribute (overrun), or octets left over that do not
 * form a segment (underrun) make the whole path malformed.
 */
export function parseAsPathSegments(buf: Uint8Array, start: number, end: number, asnSize: 2 | 4): AsPathParse {
  const segments: AsPathSegment[] = [];
  let p = start;
  while (p < end) {
    if (end - p < 2) return { ok: false, fault: 'trailing-octets', detail: `${end - p} octet(s) left after the last segment` };
    const type = buf[p]!;
    const count = buf[p + 1]!;
    if (type < AsPathSegmentType.AS_SET || type > AsPathSegmentType.AS_CONFED_SET) {
      return { ok: false, fault: 'unknown-segment-type', detail: `segment type ${type} at offset ${p - start}` };
    }
    if (count === 0) return { ok: false, fault: 'zero-length-segment', detail: `segment at offset ${p - start} has length 0` };
    p += 2;
    const bytes = count * asnSize;
    if (p + bytes > end) return { ok: false, fault: 'segment-overrun', detail: `segment of ${count} ASNs needs ${bytes} octets, ${end - p} left` };
    // push() keeps the array packed (new Array(n) would make it holey and slower to read)
    const asns: number[] = [];
    if (asnSize === 4) {
      for (let i = 0; i < count; i++, p += 4) asns.push(buf[p]! * 0x1000000 + ((buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!));
    } else {
      for (let i = 0; i < count; i++, p += 2) asns.push((buf[p]! << 8) | buf[p + 1]!);
    }
    segments.push({ type: type as AsPathSegmentType, asns });
  }
  return { ok: true, path: segments };
}

/** Largest ASN count of one segment: the Path Segment Length is one octet. */
const MAX_SEGMENT_ASNS = 255;

/**
 * Writes segments with `asnSize` octets per ASN. A sequence longer than 255 ASNs
 * is split into consecutive segments of the same type (same meaning); a set that
 * long cannot be split without changing the path length, so it is an EncodeError,
 * as is an empty segment or an ASN that does not fit.
 */
export function writeAsPathSegments(path: AsPath, w: WireWriter, asnSize: 2 | 4, attrName: string): void {
  const max = asnSize === 4 ? 0xffffffff : 0xffff;
  for (const seg of path) {
    if (seg.type < AsPathSegmentType.AS_SET || seg.type > AsPathSegmentType.AS_CONFED_SET) {
      throw EncodeError.invalid(`${attrName} segment type`, `${String(seg.type)} is not 1..4`);
    }
    const n = seg.asns.length;
    if (n === 0) throw EncodeError.invalid(`${attrName} segment`, 'a segment needs at least one ASN (RFC 7606 §7.2)');
    const isSet = seg.type === AsPathSegmentType.AS_SET || seg.type === AsPathSegmentType.AS_CONFED_SET;
    if (isSet && n > MAX_SEGMENT_ASNS) throw new EncodeError(`${attrName} set size`, n, MAX_SEGMENT_ASNS);
    for (let i = 0; i < n; i += MAX_SEGMENT_ASNS) {
      const chunk = Math.min(MAX_SEGMENT_ASNS, n - i);
      w.u8(seg.type, `${attrName} segment type`);
      w.u8(chunk, `${attrName} segment length`);
      for (let j = i; j < i + chunk; j++) {
        const asn = seg.asns[j]!;
        if (!Number.isInteger(asn) || asn < 0 || asn > max) {
          throw new EncodeError(`${attrName} ASN`, asn, max, `${attrName} ASN ${asn} does not fit in ${asnSize} octets`);
        }
        if (asnSize === 4) w.u32(asn, `${attrName} ASN`);
        else w.u16(asn, `${attrName} ASN`);
      }
    }
  }
}

/** JSON form of a path: `[{ "type": "as-sequence", "asns": [65000, 65001] }, ...]`. */
export function asPathToJSON(path: AsPath): { type: string; asns: number[] }[] {
  return path.map((s) => ({ type: SEGMENT_JSON_NAME[s.type], asns: [...s.asns] }));
}

const SEGMENT_JSON_NAME: Readonly<Record<AsPathSegmentType, string>> = {
  1: 'as-set',
  2: 'as-sequence',
  3: 'as-confed-sequence',
  4: 'as-confed-set',
};

/**
 * The path as bgpdump prints it: sequences space-separated, sets `{a,b}`,
 * confederation sequences `(a b)`, confederation sets `[a,b]`, segments joined
 * by a space. An empty path is the empty string.
 *
 * @example
 * ```ts
 * formatAsPath([{ type: 2, asns: [1, 2] }, { type: 1, asns: [3, 4] }]); // "1 2 {3,4}"
 * ```
 */
export function formatAsPath(path: AsPath): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const s = path[i]!;
    const isSet = s.type === AsPathSegmentType.AS_SET || s.type === AsPathSegmentType.AS_CONFED_SET;
    const open = s.type === AsPathSegmentType.AS_SEQUENCE ? '' : s.type === AsPathSegmentType.AS_SET ? '{' : s.type === AsPathSegmentType.AS_CONFED_SEQUENCE ? '(' : '[';
    const close = s.type === AsPathSegmentType.AS_SEQUENCE ? '' : s.type === AsPathSegmentType.AS_SET ? '}' : s.type === AsPathSegmentType.AS_CONFED_SEQUENCE ? ')' : ']';
    const sep = isSet ? ',' : ' ';
    if (i > 0) out += ' ';
    out += open;
    const asns = s.asns;
    for (let j = 0; j < asns.length; j++) out += j === 0 ? `${asns[j]!}` : sep + asns[j]!;
    out += close;
  }
  return out;
}

/**
 * Path length for the decision process (RFC 4271 §9.1.2.2 (a)): each ASN of a
 * sequence counts 1, each set counts 1, confederation segments count 0 (RFC 5065 §5.3).
 */
export function asPathLength(path: AsPath): number {
  let n = 0;
  for (const s of path) {
    if (s.type === AsPathSegmentType.AS_SEQUENCE) n += s.asns.length;
    else if (s.type === AsPathSegmentType.AS_SET) n += 1;
  }
  return n;
}

/**
 * True when the path holds AS_CONFED_SEQUENCE or AS_CONFED_SET segments. RFC 7606
 * §7.2 (updating RFC 5065): such a path from an external peer that is not a
 * confederation member is malformed (treat-as-withdraw); the session, which
 * knows the peer, applies that rule with this test.
 */
export function hasConfedSegments(path: AsPath): boolean {
  for (const s of path) if (s.type === AsPathSegmentType.AS_CONFED_SEQUENCE || s.type === AsPathSegmentType.AS_CONFED_SET) return true;
  return false;
}
