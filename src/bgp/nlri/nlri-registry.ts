import { familyKey, type FamilyKey } from '../family.js';
import { ipv4MulticastNlri } from './ipv4-multicast.js';
import { ipv4UnicastNlri } from './ipv4-unicast.js';
import { ipv6MulticastNlri } from './ipv6-multicast.js';
import { ipv6UnicastNlri } from './ipv6-unicast.js';
import type { NlriCodec } from './nlri-codec.js';

/** One line per supported AFI/SAFI: a new family is one file plus one line here. */
const NLRI_CODECS: ReadonlyMap<FamilyKey, NlriCodec> = new Map<FamilyKey, NlriCodec>([
  [ipv4UnicastNlri.family, ipv4UnicastNlri],
  [ipv4MulticastNlri.family, ipv4MulticastNlri],
  [ipv6UnicastNlri.family, ipv6UnicastNlri],
  [ipv6MulticastNlri.family, ipv6MulticastNlri],
]);

/** The NLRI codec of a family, or `undefined` when fibwire does not support it yet. */
export function getNlriCodec(afi: number, safi: number): NlriCodec | undefined {
  return NLRI_CODECS.get(familyKey(afi, safi));
}

/** The NLRI codec of a family key, or `undefined`. */
export function getNlriCodecByFamily(family: FamilyKey): NlriCodec | undefined {
  return NLRI_CODECS.get(family);
}

/** Keys of every family with an NLRI codec. */
export function supportedNlriFamilies(): FamilyKey[] {
  return [...NLRI_CODECS.keys()];
}
