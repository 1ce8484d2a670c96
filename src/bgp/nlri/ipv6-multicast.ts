import { Afi, Safi } from '../constants.js';
import { IpPrefixNlriCodec } from './ip-prefix-nlri.js';

/** NLRI codec of IPv6 multicast (RFC 4760 §5, SAFI 2). */
export const ipv6MulticastNlri = new IpPrefixNlriCodec(Afi.IPV6, Safi.MULTICAST);
