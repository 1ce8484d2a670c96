/**
 * Hand-written BGP messages for tests that must not depend on fibwire's own
 * codec (buffers, the tshark harness). Every vector is commented by field
 * (RFC 4271 §4).
 */
import { hex } from './hex.js';

const MARKER = 'ffffffff ffffffff ffffffff ffffffff';

/** KEEPALIVE (RFC 4271 §4.4): header only, 19 bytes. */
export const KEEPALIVE = hex(`
  ${MARKER}   # marker
  0013        # length 19
  04          # type KEEPALIVE
`);

/** OPEN (RFC 4271 §4.2) from AS 65000, hold 180 s, id 192.0.2.1, two capabilities. */
export const OPEN = hex(`
  ${MARKER}   # marker
  002d        # length 45
  01          # type OPEN
  04          # version 4
  fde8        # my AS 65000
  00b4        # hold time 180
  c0000201    # BGP identifier 192.0.2.1
  10          # optional parameters length 16
  02 06       # parameter type 2 (capabilities), length 6
  01 04 0001 00 01      # cap 1 multiprotocol, len 4: AFI 1 (IPv4), reserved, SAFI 1 (unicast)
  02 06       # parameter type 2 (capabilities), length 6
  41 04 0000fde8        # cap 65 four-octet AS, len 4: AS 65000
`);

/** UPDATE (RFC 4271 §4.3) announcing 198.51.100.0/24 via 192.0.2.1, AS_PATH 65000 (4-octet). */
export const UPDATE = hex(`
  ${MARKER}   # marker
  002f        # length 47
  02          # type UPDATE
  0000        # withdrawn routes length 0
  0014        # total path attribute length 20
  40 01 01 00           # ORIGIN (well-known transitive), len 1: IGP
  40 02 06 02 01 0000fde8   # AS_PATH, len 6: AS_SEQUENCE of 1: 65000
  40 03 04 c0000201     # NEXT_HOP, len 4: 192.0.2.1
  18 c63364   # NLRI 198.51.100.0/24
`);

/** NOTIFICATION (RFC 4271 §4.5): Cease (6) / Administrative Shutdown (2, RFC 4486). */
export const NOTIFICATION = hex(`
  ${MARKER}   # marker
  0015        # length 21
  03          # type NOTIFICATION
  06          # error code 6 Cease
  02          # subcode 2 Administrative Shutdown
`);

/** ROUTE-REFRESH (RFC 2918 §3) for IPv4 unicast. */
export const ROUTE_REFRESH = hex(`
  ${MARKER}   # marker
  0017        # length 23
  05          # type ROUTE-REFRESH
  0001        # AFI 1 IPv4
  00          # reserved
  01          # SAFI 1 unicast
`);

/** The five message types above, in session order. */
export const SAMPLE_FRAMES: readonly Uint8Array[] = [OPEN, KEEPALIVE, UPDATE, ROUTE_REFRESH, NOTIFICATION];

/**
 * A syntactically framed message of `length` bytes (header included) with an
 * opaque payload: byte i of the payload is `(seed + i) & 0xff`. For framing
 * tests only; the payload is not a valid body of `type`.
 */
export function opaqueFrame(type: number, length: number, seed = 0): Uint8Array {
  if (length < 19 || length > 0xffff) throw new RangeError(`frame length ${length} outside 19..65535`);
  const frame = new Uint8Array(length);
  frame.fill(0xff, 0, 16);
  frame[16] = length >>> 8;
  frame[17] = length & 0xff;
  frame[18] = type;
  for (let i = 19; i < length; i++) frame[i] = (seed + i) & 0xff;
  return frame;
}
