import { Afi, Safi } from '../constants.js';
import { IpPrefixNlriCodec } from './ip-prefix-nlri.js';

/** NLRI codec of IPv4 multicast (RFC 4760 §5, SAFI 2). */
export const ipv4MulticastNlri = new IpPrefixNlriCodec(Afi.IPV4, Safi.MULTICAST);
