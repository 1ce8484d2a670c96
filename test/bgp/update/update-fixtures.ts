import { hex } from '../../support/hex.js';

/** Wraps an UPDATE body (hex, commented) in a 19-octet header: marker, length, type 2. */
export function updateFrame(bodyHex: string): Uint8Array {
  const body = hex(bodyHex);
  const out = new Uint8Array(19 + body.length);
  out.fill(0xff, 0, 16);
  out[16] = out.length >>> 8;
  out[17] = out.length & 0xff;
  out[18] = 2;
  out.set(body, 19);
  return out;
}

/** ORIGIN IGP, AS_PATH [65001], NEXT_HOP 192.0.2.1: the well-known mandatory trio. */
export const MANDATORY = `
  40 01 01 00                    # ORIGIN (well-known transitive) IGP
  40 02 06 02 01 0000fde9        # AS_PATH: AS_SEQUENCE of 1, AS 65001 (4-octet)
  40 03 04 c0000201              # NEXT_HOP 192.0.2.1
`;
/** ORIGIN and AS_PATH only (for MP-only UPDATEs). */
export const ORIGIN_ASPATH = `
  40 01 01 00                    # ORIGIN IGP
  40 02 06 02 01 0000fde9        # AS_PATH [65001]
`;
