/**
 * AS_PATH text as bgpdump writes it (RIPE NCC bgpdump,
 * `process_attr_aspath_string`): AS_SEQUENCE numbers separated by spaces,
 * AS_SET as `{a,b}`, AS_CONFED_SET as `[a,b]`, AS_CONFED_SEQUENCE as `(a b)`
 * (RFC 4271 §4.3 (b), RFC 5065 §3). A bad segment type or a segment running
 * past the attribute makes the whole path `! Error !`; a text longer than
 * 7900 characters ends in `...`. `count` is the path length used by the
 * RFC 6793 AS4_PATH merge (a set counts 1).
 */
export interface AsPathText {
  readonly text: string;
  readonly count: number;
}

export const AS_PATH_ERROR_TEXT = '! Error !';
const MAX_TEXT = 8000 - 100;

const OPEN: Readonly<Record<number, string>> = { 1: '{', 3: '(', 4: '[' };
const CLOSE: Readonly<Record<number, string>> = { 1: '}', 3: ')', 4: ']' };

export function asPathText(b: Uint8Array, start: number, end: number, asnLen: 2 | 4): AsPathText {
  let s = '';
  let count = 0;
  let prevType = 2;
  let lastType = 0;
  let space = false;
  let p = start;
  while (p < end) {
    const type = b[p]!;
    const len = p + 1 < end ? b[p + 1]! : 0;
    if (type < 1 || type > 4) return { text: AS_PATH_ERROR_TEXT, count: 0 };
    if (p + 2 + len * asnLen > end) return { text: AS_PATH_ERROR_TEXT, count: 0 };
    if (prevType !== 2) s += CLOSE[prevType]!;
    if (space) s += ' ';
    if (type !== 2) s += OPEN[type]!;
    space = false;
    count += type === 2 || type === 3 ? len : 1;
    const sep = type === 1 || type === 4 ? ',' : ' ';
    let q = p + 2;
    for (let i = 0; i < len; i++) {
      if (space) s += sep;
      else space = true;
      const asn = asnLen === 4 ? ((b[q]! << 24) >>> 0) + ((b[q + 1]! << 16) | (b[q + 2]! << 8) | b[q + 3]!) : (b[q]! << 8) | b[q + 1]!;
      q += asnLen;
      s += asn;
      if (s.length > MAX_TEXT) return { text: `${s}...`, count };
    }
    prevType = type;
    lastType = type;
    p += 2 + len * asnLen;
  }
  if (lastType !== 0 && lastType !== 2) s += CLOSE[lastType]!;
  return { text: s, count };
}

/**
 * bgpdump's AS4_PATH merge (`asn32_merge_paths`, after RFC 6793 §4.2.3): copy
 * leading ASNs of the 2-octet AS_PATH until the path is as long as
 * AS_PATH − AS4_PATH, then append AS4_PATH. Like bgpdump it copies the *first*
 * segment each round (a path whose first segment is a set or longer than one
 * segment merges as bgpdump merges it); a first segment that adds nothing
 * stops the copy instead of looping forever. Returns 4-octet segment bytes.
 */
export function mergeAs4PathBytes(asPath: Uint8Array, asPathCount: number, as4Path: Uint8Array, as4PathCount: number): Uint8Array {
  const want = asPathCount - as4PathCount;
  const parts: number[] = [];
  let merged = 0;
  const type = asPath[0] ?? 2;
  const len = asPath[1] ?? 0;
  while (merged < want) {
    const isSet = type === 1 || type === 4;
    let segLen = len;
    if (isSet) merged += 1;
    else {
      if (len === 0) break;
      merged += len;
      if (merged > want) {
        segLen -= merged - want;
      }
    }
    parts.push(type, segLen);
    for (let i = 0; i < segLen; i++) {
      const asn = ((asPath[2 + 2 * i] ?? 0) << 8) | (asPath[3 + 2 * i] ?? 0);
      parts.push(0, 0, asn >>> 8, asn & 255);
    }
  }
  const out = new Uint8Array(parts.length + as4Path.length);
  out.set(parts, 0);
  out.set(as4Path, parts.length);
  return out;
}
