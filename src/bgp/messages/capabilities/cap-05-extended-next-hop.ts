import { CapabilityCode } from '../../constants.js';
import { familyName } from '../../family.js';
import { readU16 } from '../../wire-reader.js';
import { type CapabilityCodec, checkValueLength } from './capability-codec.js';

/** One tuple of the Extended Next Hop Encoding capability: NLRI of `afi`/`safi` may carry a next hop of `nextHopAfi`. */
export interface ExtendedNextHopEntry {
  readonly afi: number;
  readonly safi: number;
  readonly nextHopAfi: number;
}

/** Extended Next Hop Encoding capability (code 5), RFC 8950 §4, e.g. IPv4 NLRI over an IPv6 next hop. */
export interface ExtendedNextHopCapability {
  readonly kind: 'extended-next-hop';
  readonly entries: readonly ExtendedNextHopEntry[];
}

/**
 * RFC 8950 §4: tuples of NLRI AFI (2 octets), NLRI SAFI (2 octets), Nexthop AFI (2 octets).
 * JSON: `{ entries: [{ family, afi, safi, nextHopAfi }] }`.
 */
export const extendedNextHopCapability: CapabilityCodec<ExtendedNextHopCapability> = {
  code: CapabilityCode.EXTENDED_NEXT_HOP,
  kind: 'extended-next-hop',
  decode(value) {
    checkValueLength(value, 'extended-next-hop', 6);
    const entries: ExtendedNextHopEntry[] = [];
    for (let p = 0; p < value.length; p += 6) {
      entries.push({ afi: readU16(value, p), safi: readU16(value, p + 2), nextHopAfi: readU16(value, p + 4) });
    }
    return { kind: 'extended-next-hop', entries };
  },
  encode(cap, w) {
    for (const e of cap.entries) {
      w.u16(e.afi, 'extended next hop NLRI AFI').u16(e.safi, 'extended next hop NLRI SAFI').u16(e.nextHopAfi, 'extended next hop AFI');
    }
  },
  toJSON(cap) {
    return {
      entries: cap.entries.map((e) => ({ family: familyName(e.afi, e.safi), afi: e.afi, safi: e.safi, nextHopAfi: e.nextHopAfi })),
    };
  },
};
