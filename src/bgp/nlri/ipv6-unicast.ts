import { Afi, Safi } from '../constants.js';
import { IpPrefixNlriCodec } from './ip-prefix-nlri.js';

/** NLRI codec of IPv6 unicast (RFC 4760 §5, RFC 2545). */
export const ipv6UnicastNlri = new IpPrefixNlriCodec(Afi.IPV6, Safi.UNICAST);
