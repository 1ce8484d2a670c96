import { createCodecContext, type CodecContext } from '../context.js';

/** Families an MRT ADD-PATH subtype (RFC 8050) covers: every unicast and multicast NLRI carries a path id. */
const ADD_PATH_FAMILIES = ['ipv4-unicast', 'ipv4-multicast', 'ipv6-unicast', 'ipv6-multicast'];

const cache = new Map<number, CodecContext>();

/**
 * The codec context a BGP message inside an MRT record is read with: 4-octet
 * ASNs per the subtype (RFC 6396 §4.4), path ids for the RFC 8050 _ADDPATH
 * subtypes, and Extended Message on (RFC 8654: collectors record messages up to
 * 65535 octets; a longer-than-4096 message in an archive is not an error).
 */
export function mrtCodecContext(asn4: boolean, addPath: boolean): CodecContext {
  const key = (asn4 ? 1 : 0) | (addPath ? 2 : 0);
  let ctx = cache.get(key);
  if (!ctx) {
    ctx = createCodecContext({ asn4, extendedMessage: true, addPath: addPath ? ADD_PATH_FAMILIES : [] });
    cache.set(key, ctx);
  }
  return ctx;
}
