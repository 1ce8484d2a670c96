import type { Prefix } from '../prefix.js';
import type { NlriCodec, NlriFault } from './nlri-codec.js';
import { PrefixCursor } from './prefix-cursor.js';

/**
 * Walks one NLRI field `buf[start..end)` of one family without allocating per
 * prefix: `visit` sees the same cursor each time. Returns the number of items.
 * Throws the `BgpError` of `fault` on a malformed item (RFC 7606 §5.3).
 *
 * @example
 * ```ts
 * walkNlriField(body, s, e, ipv4UnicastNlri, false, CLASSIC_NLRI_FAULT, (c) => console.log(c.format()));
 * ```
 */
export function walkNlriField(
  buf: Uint8Array,
  start: number,
  end: number,
  codec: NlriCodec,
  addPath: boolean,
  fault: NlriFault,
  visit?: (cursor: PrefixCursor) => void,
  cursor: PrefixCursor = new PrefixCursor(),
): number {
  let pos = start;
  let count = 0;
  while (pos < end) {
    pos = codec.step(buf, pos, end, addPath, cursor, fault);
    count++;
    if (visit) visit(cursor);
  }
  return count;
}

/** Materialises every prefix of one NLRI field (each {@link Prefix} owns its bytes). */
export function* nlriFieldPrefixes(
  buf: Uint8Array,
  start: number,
  end: number,
  codec: NlriCodec,
  addPath: boolean,
  fault: NlriFault,
): Generator<Prefix, void, undefined> {
  const cursor = new PrefixCursor();
  let pos = start;
  while (pos < end) {
    pos = codec.step(buf, pos, end, addPath, cursor, fault);
    yield cursor.toPrefix();
  }
}
