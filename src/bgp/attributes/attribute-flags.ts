import { AttrFlag } from '../constants.js';
import type { UnknownAttribute } from './unknown-attribute.js';

/** True when the Optional bit is set (RFC 4271 §4.3). */
export function isOptional(flags: number): boolean {
  return (flags & AttrFlag.OPTIONAL) !== 0;
}

/** True when the Transitive bit is set (RFC 4271 §4.3). */
export function isTransitive(flags: number): boolean {
  return (flags & AttrFlag.TRANSITIVE) !== 0;
}

/**
 * What happens to an unrecognised attribute when the route is passed on to other
 * peers (RFC 4271 §5 and §9):
 * - optional transitive: passed on with the Partial bit set (§5: "If an optional
 *   transitive attribute is unrecognized, the Partial bit ... is set to 1");
 * - optional non-transitive: quietly ignored and not passed on (§5);
 * - well-known (Optional bit clear): not passed on; RFC 4271 §6.3 makes an
 *   unrecognised well-known attribute an "Unrecognized Well-known Attribute"
 *   error, which the UPDATE view reports.
 *
 * Returns the attribute to send (new flags, same type and value bytes) or `undefined`.
 *
 * @example
 * ```ts
 * const out = passOnUnknownAttribute({ flags: 0xc0, type: 99, value }); // flags 0xe0
 * ```
 */
export function passOnUnknownAttribute(attr: UnknownAttribute): UnknownAttribute | undefined {
  if (!isOptional(attr.flags) || !isTransitive(attr.flags)) return undefined;
  const flags = attr.flags | AttrFlag.PARTIAL;
  return flags === attr.flags ? attr : { flags, type: attr.type, value: attr.value };
}

/**
 * The flags octet to write for a value of `length` octets: Extended Length is
 * set when the length needs two octets (RFC 4271 §4.3), and kept when the caller
 * already had it set (a received attribute re-encodes byte-identical).
 */
export function flagsForLength(flags: number, length: number): number {
  return length > 0xff ? flags | AttrFlag.EXTENDED_LENGTH : flags;
}
