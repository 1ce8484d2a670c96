import type { ErrorAction } from '../errors.js';
import type { FamilyKey } from '../family.js';
import type { Prefix } from '../prefix.js';
import type { PrefixCursor } from './prefix-cursor.js';

/**
 * What a malformed NLRI field maps to, which depends on where the field is
 * (RFC 7606 §5.3):
 * - Withdrawn Routes / classic NLRI field: `session-reset`, NOTIFICATION 3/10
 *   "Invalid Network Field" (RFC 4271 §6.3; the field cannot be re-synchronised).
 * - inside MP_REACH_NLRI / MP_UNREACH_NLRI: `afi-safi-disable` (RFC 7606 §5.3,
 *   §7.11), NOTIFICATION 3/9 "Optional Attribute Error" if the session is reset
 *   instead (RFC 4760 §7).
 */
export interface NlriFault {
  readonly notifySubcode: number;
  readonly action: ErrorAction;
  /** Path attribute type the field sits in (14/15), if any. */
  readonly attrType?: number;
  /** Which field, for the message text (`NLRI`, `Withdrawn Routes`, `MP_REACH_NLRI`). */
  readonly field: string;
}

/**
 * One AFI/SAFI's NLRI encoding. Each family is one file exporting one codec,
 * registered in `nlri-registry.ts`; VPN, EVPN, labeled unicast or FlowSpec slot
 * in as one more file and one registry line.
 *
 * `step` is the allocation-free primitive: it reads the item at `pos`, fills the
 * cursor and returns the offset after it, or throws a `BgpError` built from
 * `fault` (RFC 7606 §5.3). Prefix-valued families also materialise and encode
 * {@link Prefix} values.
 */
export interface NlriCodec {
  readonly afi: number;
  readonly safi: number;
  readonly family: FamilyKey;
  /** `ipv4-unicast` etc. (see `familyName`). */
  readonly name: string;
  /** Longest prefix length the family allows, in bits (32 or 128 for IP). */
  readonly maxLength: number;
  step(buf: Uint8Array, pos: number, end: number, addPath: boolean, cursor: PrefixCursor, fault: NlriFault): number;
  /** Octets one prefix takes on the wire (path id included when `addPath`). */
  encodedLength(prefix: Prefix, addPath: boolean): number;
  /**
   * Writes one prefix at `off` of `out` (the caller reserved
   * {@link NlriCodec.encodedLength} octets); returns the offset after it.
   * Throws `EncodeError` for a prefix of another AFI or a missing path id.
   */
  encodeInto(prefix: Prefix, out: Uint8Array, off: number, addPath: boolean): number;
}
