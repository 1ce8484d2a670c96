/**
 * Address text exactly as bgpdump prints it: `inet_ntoa` for IPv4 and
 * bgpdump's own IPv6 formatter (see {@link ipv6Text}).
 */

/** Dotted quad of `b[o..o+4)`. */
export function ipv4Text(b: Uint8Array, o: number): string {
  return `${b[o]!}.${b[o + 1]!}.${b[o + 2]!}.${b[o + 3]!}`;
}

/** Dotted quad of a big-endian 32-bit value. */
export function ipv4TextU32(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

const zeroRun = new Array<number>(8).fill(0);

/**
 * bgpdump's own `fmt_ipv6` (its inet_ntop.c; system inet_ntop differ):
 * IPv4-mapped as `::ffff:a.b.c.d`, IPv4-compatible (96 zero bits, last word > 1)
 * as `::a.b.c.d`; otherwise lower-case groups with the first longest run of
 * zero groups, even a single one, written `::`.
 */
export function ipv6Text(b: Uint8Array, o: number): string {
  let head = 0;
  for (let i = 0; i < 10; i++) head |= b[o + i]!;
  if (head === 0) {
    const w5 = (b[o + 10]! << 8) | b[o + 11]!;
    if (w5 === 0xffff) return `::ffff:${b[o + 12]!}.${b[o + 13]!}.${b[o + 14]!}.${b[o + 15]!}`;
    if (w5 === 0) {
      const last = ((b[o + 12]! << 24) >>> 0) + ((b[o + 13]! << 16) | (b[o + 14]! << 8) | b[o + 15]!);
      if (last > 1) return `::${b[o + 12]!}.${b[o + 13]!}.${b[o + 14]!}.${b[o + 15]!}`;
    }
  }
  let run = 0;
  for (let i = 7; i >= 0; i--) {
    run = b[o + 2 * i] === 0 && b[o + 2 * i + 1] === 0 ? run + 1 : 0;
    zeroRun[i] = run;
  }
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; i++) {
    if (zeroRun[i]! > bestLen) {
      best = i;
      bestLen = zeroRun[i]!;
    }
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === best) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += ((b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!).toString(16);
    if (i !== 7) s += ':';
  }
  return s;
}
