/**
 * Route destinations the plan installs, parsed back so that a reconcile can
 * tell its own routes from everyone else's.
 */
import type { Allocation } from './allocation.js';
import { type IpPrefix, hostBitsClear, ipv6Groups } from './ip.js';

/**
 * Route protocol (rtm_protocol, include/uapi/linux/rtnetlink.h) the plan marks
 * its routes with. 0-4 are the kernel's own; the values named in
 * rtnetlink.h (8-18, 42, 99, 186-192) belong to other daemons. 196 is none of
 * them. A reconcile only ever removes routes carrying this protocol.
 */
export const ALLOC_ROUTE_PROTOCOL = 196;

/** The main routing table (RT_TABLE_MAIN). */
export const MAIN_TABLE = 254;

/** A parsed route destination. */
export type ParsedRouteDestination =
  | { readonly role: 'Default' }
  | { readonly role: 'GWtoEPIP4' }
  | { readonly role: 'ExitNodePrefix'; readonly exitNode: number }
  | { readonly role: 'ResourcePrefix' | 'NRLocalIP4Network' | 'EPPubIP4R'; readonly id: number; readonly exitNode: number };

/**
 * Parses a route destination back: `::/0` and `0.0.0.0/0`, a resource's /64
 * (inside `allocation`), an ExitNode's /52, an NR-local IPv4 /24, an
 * ExitPoint's routing /32, or the Gateway's 10.1.0.1/32; `undefined` otherwise.
 */
export function matchRouteDestination(destination: IpPrefix, allocation: Allocation): ParsedRouteDestination | undefined {
  if (!hostBitsClear(destination)) return undefined;
  if (destination.length === 0) return { role: 'Default' };
  const b = destination.bytes;
  if (destination.family === 4) {
    if (b[0] !== 10) return undefined;
    if (destination.length === 32 && b[1] === 1 && b[2] === 0 && b[3] === 1) return { role: 'GWtoEPIP4' };
    if (destination.length === 32 && b[1] === 255) {
      const id = ((b[2] ?? 0) << 8) | (b[3] ?? 0);
      return id >= 0x1000 ? { role: 'EPPubIP4R', id, exitNode: id >>> 12 } : undefined;
    }
    if (destination.length === 24 && b[1] !== 255) {
      const id = ((b[1] ?? 0) << 8) | (b[2] ?? 0);
      return id >= 0x1000 ? { role: 'NRLocalIP4Network', id, exitNode: id >>> 12 } : undefined;
    }
    return undefined;
  }
  if (!allocation.contains(b)) return undefined;
  const g3 = ipv6Groups(b)[3] ?? 0;
  if (destination.length === 64 && g3 >= 0x1000) return { role: 'ResourcePrefix', id: g3, exitNode: g3 >>> 12 };
  if (destination.length === 52 && g3 >= 0x1000) return { role: 'ExitNodePrefix', exitNode: g3 >>> 12 };
  return undefined;
}
