import { Afi, Safi } from '../constants.js';
import { IpPrefixNlriCodec } from './ip-prefix-nlri.js';

/** NLRI codec of IPv4 unicast (RFC 4271 §4.3; in MP attributes RFC 4760 §5). */
export const ipv4UnicastNlri = new IpPrefixNlriCodec(Afi.IPV4, Safi.UNICAST);
