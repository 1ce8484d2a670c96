import { formatIP, parseIP } from '../bgp/ip-address.js';
import { NhgError } from './errors.js';
import type { NexthopSpec, PathSpec, RouteSpec } from './types.js';

/** Highest weight a kernel group member can carry (`struct nexthop_grp.weight` is weight − 1 in a u8). */
export const MAX_NEXTHOP_WEIGHT = 256;

/**
 * Validates a nexthop and returns its canonical form (gateway text re-formatted,
 * so `2001:DB8::1` and `2001:db8:0::1` are one entry). Throws `ERR_NHG_BAD_NEXTHOP`.
 */
export function canonicalNexthop(nh: NexthopSpec): NexthopSpec {
  let gateway: string | undefined;
  if (nh.gateway !== undefined) {
    const bytes = typeof nh.gateway === 'string' ? parseIP(nh.gateway) : undefined;
    if (!bytes) throw new NhgError('ERR_NHG_BAD_NEXTHOP', `not an IP address: ${String(nh.gateway)}`);
    gateway = formatIP(bytes);
  }
  if (nh.ifindex !== undefined && (!Number.isInteger(nh.ifindex) || nh.ifindex < 1 || nh.ifindex > 0x7fffffff)) {
    throw new NhgError('ERR_NHG_BAD_NEXTHOP', `bad ifindex ${String(nh.ifindex)}`);
  }
  if (gateway === undefined && nh.ifindex === undefined) {
    throw new NhgError('ERR_NHG_BAD_NEXTHOP', 'a nexthop needs a gateway, an ifindex or both');
  }
  if (nh.encap !== undefined) {
    if (nh.encap.type !== 'mpls' || !Array.isArray(nh.encap.labels) || nh.encap.labels.length === 0) {
      throw new NhgError('ERR_NHG_BAD_NEXTHOP', 'encap must be { type: "mpls", labels: [..] } with at least one label');
    }
    for (const l of nh.encap.labels) {
      if (!Number.isInteger(l) || l < 0 || l > 0xfffff) throw new NhgError('ERR_NHG_BAD_NEXTHOP', `bad MPLS label ${String(l)}`);
    }
  }
  const out: { gateway?: string; ifindex?: number; encap?: NexthopSpec['encap'] } = {};
  if (gateway !== undefined) out.gateway = gateway;
  if (nh.ifindex !== undefined) out.ifindex = nh.ifindex;
  if (nh.encap !== undefined) out.encap = { type: 'mpls', labels: [...nh.encap.labels] };
  return out;
}

/** Key of a canonical nexthop: (gateway, ifindex, encap). */
export function nexthopKey(nh: NexthopSpec): string {
  const encap = nh.encap ? `mpls:${nh.encap.labels.join('/')}` : '';
  return `${nh.gateway ?? ''}|${nh.ifindex ?? 0}|${encap}`;
}

/** A canonical path: canonical nexthop, its key and an integer weight. */
export interface CanonicalPath {
  readonly key: string;
  readonly nexthop: NexthopSpec;
  readonly weight: number;
}

/**
 * Canonicalises a route's path list: validates weights, merges paths that share a
 * nexthop (the kernel refuses a group listing one nexthop twice; their weights add
 * up, capped at 256) and sorts by key so the member set has one spelling.
 */
export function canonicalPaths(paths: readonly PathSpec[]): CanonicalPath[] {
  if (!Array.isArray(paths) || paths.length === 0) throw new NhgError('ERR_NHG_NO_PATHS', 'a route needs at least one path');
  const byKey = new Map<string, { nexthop: NexthopSpec; weight: number }>();
  for (const p of paths) {
    const weight = p.weight ?? 1;
    if (!Number.isInteger(weight) || weight < 1 || weight > MAX_NEXTHOP_WEIGHT) {
      throw new NhgError('ERR_NHG_BAD_WEIGHT', `weight must be an integer 1..${MAX_NEXTHOP_WEIGHT}, got ${String(weight)}`);
    }
    const nexthop = canonicalNexthop(p.nexthop);
    const key = nexthopKey(nexthop);
    const seen = byKey.get(key);
    if (seen) seen.weight = Math.min(MAX_NEXTHOP_WEIGHT, seen.weight + weight);
    else byKey.set(key, { nexthop, weight });
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, v]) => ({ key, nexthop: v.nexthop, weight: v.weight }));
}

/** Key of a group: its sorted member set with weights. */
export function groupKey(paths: readonly CanonicalPath[]): string {
  return paths.map((p) => `${p.key}*${p.weight}`).join(',');
}

/**
 * The kernel's spelling of a prefix (`2001:DB8:0::/32` → `2001:db8::/32`, RFC 5952 text
 * as route dumps print it), or undefined when it does not parse.
 */
export function canonicalPrefix(prefix: string): string | undefined {
  const slash = prefix.indexOf('/');
  if (slash < 0) return undefined;
  const bytes = parseIP(prefix.slice(0, slash));
  return bytes ? `${formatIP(bytes)}${prefix.slice(slash)}` : undefined;
}

/** Validates a route identity and returns its key `table|prefix|metric`. Throws `ERR_NHG_BAD_ROUTE`. */
export function routeKey(r: RouteSpec): string {
  if (typeof r.prefix !== 'string' || !/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(r.prefix)) {
    throw new NhgError('ERR_NHG_BAD_ROUTE', `bad prefix ${String(r.prefix)}`);
  }
  if (!Number.isInteger(r.table) || r.table < 1 || r.table > 0xffffffff) throw new NhgError('ERR_NHG_BAD_ROUTE', `bad table ${String(r.table)}`);
  if (!Number.isInteger(r.metric) || r.metric < 0 || r.metric > 0xffffffff) throw new NhgError('ERR_NHG_BAD_ROUTE', `bad metric ${String(r.metric)}`);
  return `${r.table}|${r.prefix}|${r.metric}`;
}
