import type { CodecContext } from '../../src/bgp/context.js';
import { Prefix } from '../../src/bgp/prefix.js';
import { UpdateBuilder } from '../../src/bgp/update/update-builder.js';
import type { UpdateAttributes } from '../../src/bgp/update/path-attributes.js';
import type { ReceivedRoute } from '../support/bgp-peer.js';
import type { GobgpRoute, RouteAttributes } from './gobgp-routes.js';

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

/**
 * The workload's UPDATEs: the first 500 IPv4 prefixes with `attrsA`, the other
 * 500 with `attrsB`, the IPv6 prefixes with `attrsV6` and `v6NextHop` (MP_REACH_NLRI).
 */
export function workloadUpdates(context: CodecContext, workload: RouteWorkload, v6NextHop: string): Uint8Array[] {
  const { v4, v6, attrsA, attrsB, attrsV6 } = workload;
  return [
    ...new UpdateBuilder(context).attributes(attrsA).announce(v4.slice(0, 500).map((p) => Prefix.parse(p))).build(),
    ...new UpdateBuilder(context).attributes(attrsB).announce(v4.slice(500).map((p) => Prefix.parse(p))).build(),
    ...new UpdateBuilder(context).attributes(attrsV6).announce(v6.map((p) => Prefix.parse(p)), { nextHop: v6NextHop }).build(),
  ];
}

/** Every other prefix of the workload (IPv4 and IPv6), the set the tests withdraw. */
export function everyOtherPrefix(workload: RouteWorkload): Set<string> {
  return new Set([...workload.v4.filter((_, i) => i % 2 === 0), ...workload.v6.filter((_, i) => i % 2 === 0)]);
}

/**
 * Two ADD-PATH paths (RFC 7911 path ids 1 and 2) of `prefix` from `peer`,
 * told apart by MED 11 and 22.
 */
export function twoPathUpdates(context: CodecContext, peer: { readonly asn: number; readonly address: string }, prefix: string): Uint8Array[] {
  const base: UpdateAttributes = { origin: 0, asPath: [{ type: 2, asns: [peer.asn] }], nextHop: peer.address };
  return [
    ...new UpdateBuilder(context).attributes({ ...base, med: 11 }).announce([Prefix.parse(prefix, 1)]).build(),
    ...new UpdateBuilder(context).attributes({ ...base, med: 22 }).announce([Prefix.parse(prefix, 2)]).build(),
  ];
}

/**
 * The attributes the interop tests compare, as a plain copy: of a route a
 * daemon or the speaker holds, or of an attribute set we sent (with its next hop).
 */
export function comparableAttributes(route: GobgpRoute | ReceivedRoute | UpdateAttributes): RouteAttributes {
  return {
    origin: route.origin,
    asPath: route.asPath?.map((s) => ({ type: s.type, asns: [...s.asns] })),
    nextHop: route.nextHop,
    med: route.med,
    communities: route.communities ? [...route.communities] : undefined,
    largeCommunities: route.largeCommunities?.map((lc) => [lc[0], lc[1], lc[2]] as [number, number, number]),
  };
}
