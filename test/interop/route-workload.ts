import type { UpdateAttributes } from '../../src/bgp/update/path-attributes.js';

/** A standard community from its two halves (RFC 1997: high 16 bits AS, low 16 bits value). */
export const community = (high: number, low: number): number => ((high << 16) | low) >>> 0;

/** The route set both daemons receive in test (a): 1,000 IPv4 /26s and 200 IPv6 /48s, three attribute sets. */
export interface RouteWorkload {
  readonly v4: string[];
  readonly v6: string[];
  /** 4-octet ASNs in the path, two communities, two large communities (one with a 0xffffffff local part). */
  readonly attrsA: UpdateAttributes;
  /** INCOMPLETE origin, a MED past 2^31, a large community whose global admin is a 4-octet ASN. */
  readonly attrsB: UpdateAttributes;
  /** IPv6 routes (the next hop goes in MP_REACH_NLRI, given per test). */
  readonly attrsV6: UpdateAttributes;
}

/** The workload for a speaker with this ASN and IPv4 address (the first AS and the next hop are the speaker's). */
export function routeWorkload(peer: { readonly asn: number; readonly address: string }): RouteWorkload {
  return {
    v4: Array.from({ length: 1000 }, (_, i) => `198.18.${i >> 2}.${(i & 3) * 64}/26`),
    v6: Array.from({ length: 200 }, (_, i) => `2001:db8:${(0x100 + i).toString(16)}::/48`),
    attrsA: {
      origin: 0,
      asPath: [{ type: 2, asns: [peer.asn, 4200000100, 65010] }],
      nextHop: peer.address,
      med: 50,
      communities: [community(65000, 100), community(65000, 200)],
      largeCommunities: [[peer.asn, 1, 2], [peer.asn, 4294967295, 7]],
    },
    attrsB: {
      origin: 2,
      asPath: [{ type: 2, asns: [peer.asn, 64512, 4200000101, 4200000102] }],
      nextHop: peer.address,
      med: 4000000000,
      communities: [community(64999, 1)],
      largeCommunities: [[4200000999, 0, 123456789]],
    },
    attrsV6: {
      origin: 1,
      asPath: [{ type: 2, asns: [peer.asn, 4200000200] }],
      med: 7,
      communities: [community(65001, 6)],
      largeCommunities: [[peer.asn, 6, 6]],
    },
  };
}
