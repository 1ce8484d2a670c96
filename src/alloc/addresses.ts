/**
 * Interface addresses, derived from numbers and parsed back.
 *
 * For ExitNode N (1..15) and resource id 0xHHLL (>= 0x1000), exactly as in
 * seed 002's drawing for N = 1, id = 0x1abc:
 *
 * | role        | where                  | value                          |
 * |-------------|------------------------|--------------------------------|
 * | GWPubLL     | Gateway, pub-N-A       | fe80::N000:0:0:1/64            |
 * | GWPubIP6    | Gateway, pub-N-A       | $prefix:0:N000:0:0:1/64        |
 * | GWPubIP4    | Gateway, pub-N-A       | given by the operator (SNAT)   |
 * | GWtoEPLL    | Gateway, to-XXXX-A     | fe80::1:XXXX/64                |
 * | GWtoEPIP4   | Gateway, to-XXXX-A     | 10.1.0.1/32                    |
 * | EPPubLL     | ExitPoint, pub-XXXX-A  | fe80::XXXX:1/64                |
 * | EPPubIP4R   | ExitPoint, pub-XXXX-A  | 10.255.HH.LL/32                |
 * | WGLL        | ExitPoint, wg-XXXX-A   | fe80::XXXX/64                  |
 * | WGIP4RT     | ExitPoint, wg-XXXX-A   | 10.255.HH.LL/24                |
 * | NRLocalIP6  | ExitPoint, veth-XXXX-A | $prefix:XXXX::1/64             |
 * | NRLocalIP4  | ExitPoint, veth-XXXX-A | 10.HH.LL.1/24                  |
 *
 * Gaps and disagreements in the seed, decided here (each has a test):
 * - The drawing writes `fe80::1:1abc` and `10.1.0.1/32` for the Gateway side of
 *   every ExitPoint link in ExitNode 1. We read the `1` as a constant, not as
 *   the ExitNode number: these addresses are link-scoped (one link per
 *   ExitPoint), so they need no ExitNode to be unique, and an ExitPoint then
 *   looks the same whichever ExitNode hosts it.
 * - EPPubIP4R's label says "on lo" while the drawing lists it under
 *   `pub-1abc-1`. We put it on EPPubName: then every object of a resource sits
 *   on interfaces named after it and goes away with them (the seed's removal
 *   TODO), and a namespace's `lo`, which is not ours, carries nothing.
 * - NRLocalIP4 for ids 0xff00-0xffff would be 10.255.LL.1/24, inside the
 *   10.255.0.0/16 routing space of EPPubIP4R/WGIP4RT: `10.255.240.1/24` would
 *   be both NRLocalIP4 of 0xfff0 and WGIP4RT of 0xf001, in the same ExitNode's
 *   Gateway. Those 256 resources therefore get no NR-local IPv4 network
 *   (`ERR_ALLOC_NO_IPV4`; they stay IPv6-only), and every 10.255.x.y address
 *   parses back to exactly one id.
 */
import type { Allocation } from './allocation.js';
import { AllocError } from './errors.js';
import { assertExitNode, assertResourceId } from './ids.js';
import { ipv6FromGroups, ipv6Groups, parsePrefixText, v4, v6, type IpPrefix } from './ip.js';

/** The roles of derived addresses (the seed's function names). */
export type AddressRole =
  | 'UpstreamLL'
  | 'UpstreamIP6'
  | 'GWPubLL'
  | 'GWPubIP6'
  | 'GWtoEPLL'
  | 'GWtoEPIP4'
  | 'EPPubLL'
  | 'EPPubIP4R'
  | 'WGLL'
  | 'WGIP4RT'
  | 'NRLocalIP6'
  | 'NRLocalIP4';

/** A parsed address: its role and the numbers it was derived from. */
export type ParsedAddress =
  | { readonly role: 'UpstreamLL' | 'UpstreamIP6' | 'GWtoEPIP4' }
  | { readonly role: 'GWPubLL' | 'GWPubIP6'; readonly exitNode: number }
  | {
      readonly role: 'GWtoEPLL' | 'EPPubLL' | 'EPPubIP4R' | 'WGLL' | 'WGIP4RT' | 'NRLocalIP6' | 'NRLocalIP4';
      readonly id: number;
      readonly exitNode: number;
    };

const LL = 0xfe80;

/** The upstream router's link-local address, the Gateway's IPv6 default gateway: fe80::1/64. */
export function upstreamLL(): IpPrefix {
  return v6(ipv6FromGroups([LL, 0, 0, 0, 0, 0, 0, 1]), 64);
}

/** The upstream router's address in PrefixZero, `$prefix::1/64` (the drawing's `$prefixzero::1/64`). */
export function upstreamIP6(allocation: Allocation): IpPrefix {
  return v6(allocation.address(0, 0, 0, 0, 1), 64);
}

/** GWPubLL `fe80::N000:0:0:1/64`. */
export function gwPubLL(exitNode: number): IpPrefix {
  assertExitNode(exitNode);
  return v6(ipv6FromGroups([LL, 0, 0, 0, exitNode << 12, 0, 0, 1]), 64);
}

/** GWPubIP6 `$prefix:0:N000:0:0:1/64`, in PrefixZero. */
export function gwPubIP6(allocation: Allocation, exitNode: number): IpPrefix {
  assertExitNode(exitNode);
  return v6(allocation.address(0, exitNode << 12, 0, 0, 1), 64);
}

/**
 * GWPubIP4: the operator's public IPv4 address for the Gateway (SNAT source),
 * `a.b.c.d/len`. Refused (`ERR_ALLOC_BAD_IPV4`) unless it is a host address
 * with a length 1..32.
 */
export function gwPubIP4(text: string): IpPrefix {
  const prefix = typeof text === 'string' ? parsePrefixText(text.trim()) : undefined;
  if (!prefix || prefix.family !== 4 || prefix.length < 1) {
    throw new AllocError('ERR_ALLOC_BAD_IPV4', `gateway IPv4 must look like '185.69.166.123/24', got '${String(text)}'`, text);
  }
  const host = ((prefix.bytes[0] ?? 0) << 24) | ((prefix.bytes[1] ?? 0) << 16) | ((prefix.bytes[2] ?? 0) << 8) | (prefix.bytes[3] ?? 0);
  const hostMask = prefix.length >= 32 ? 0 : (0xffffffff >>> prefix.length);
  if (prefix.length < 31 && ((host & hostMask) === 0 || (host & hostMask) >>> 0 === hostMask >>> 0)) {
    throw new AllocError('ERR_ALLOC_BAD_IPV4', `gateway IPv4 '${text}' is a network or broadcast address`, text);
  }
  return prefix;
}

/** GWtoEPLL `fe80::1:XXXX/64` (the `1` is a constant, see module docs). */
export function gwToEpLL(id: number): IpPrefix {
  assertResourceId(id);
  return v6(ipv6FromGroups([LL, 0, 0, 0, 0, 0, 1, id]), 64);
}

/** GWtoEPIP4 `10.1.0.1/32`, on every Gateway-to-ExitPoint link (the drawing's value, constant). */
export function gwToEpIP4(): IpPrefix {
  return v4(10, 1, 0, 1, 32);
}

/** EPPubLL `fe80::XXXX:1/64`. */
export function epPubLL(id: number): IpPrefix {
  assertResourceId(id);
  return v6(ipv6FromGroups([LL, 0, 0, 0, 0, 0, id, 1]), 64);
}

/** EPPubIP4R `10.255.HH.LL/32`: the ExitPoint's IPv4 routing address. */
export function epPubIP4R(id: number): IpPrefix {
  assertResourceId(id);
  return v4(10, 255, id >>> 8, id & 0xff, 32);
}

/** WGLL `fe80::XXXX/64`. */
export function wgLL(id: number): IpPrefix {
  assertResourceId(id);
  return v6(ipv6FromGroups([LL, 0, 0, 0, 0, 0, 0, id]), 64);
}

/**
 * WGIP4RT `10.255.HH.LL/24`: the WireGuard interface's IPv4 routing address.
 * Kept exactly as the seed draws it, quirks included: for LL = 0x00 it is the
 * /24's network address and for LL = 0xff its broadcast address (Linux
 * accepts both as host addresses when no IFA_BROADCAST is given), and
 * 0xffff gives 10.255.255.255.
 */
export function wgIP4RT(id: number): IpPrefix {
  assertResourceId(id);
  return v4(10, 255, id >>> 8, id & 0xff, 24);
}

/** NRLocalIP6 `$prefix:XXXX::1/64`. */
export function nrLocalIP6(allocation: Allocation, id: number): IpPrefix {
  assertResourceId(id);
  return v6(allocation.address(id, 0, 0, 0, 1), 64);
}

/** True when resource `id` has an NR-local IPv4 network (every id but 0xff00-0xffff, see module docs). */
export function hasIPv4Network(id: number): boolean {
  assertResourceId(id);
  return id >>> 8 !== 0xff;
}

/** NRLocalIP4 `10.HH.LL.1/24`; throws `ERR_ALLOC_NO_IPV4` for ids 0xff00-0xffff. */
export function nrLocalIP4(id: number): IpPrefix {
  if (!hasIPv4Network(id)) {
    throw new AllocError(
      'ERR_ALLOC_NO_IPV4',
      `id 0x${id.toString(16)} has no NR-local IPv4 network: 10.255.0.0/16 is the routing space`,
      id,
    );
  }
  return v4(10, id >>> 8, id & 0xff, 1, 24);
}

/** The NR-local IPv4 network `10.HH.LL.0/24` (a route destination). */
export function nrLocalIP4Network(id: number): IpPrefix {
  const address = nrLocalIP4(id);
  const bytes = Uint8Array.from(address.bytes);
  bytes[3] = 0;
  return { family: 4, bytes, length: 24 };
}

/**
 * Parses an interface address back into its role and numbers; `undefined`
 * when it is not one of ours. The prefix length is part of the address
 * (EPPubIP4R and WGIP4RT differ only by it). Addresses inside an allocation
 * parse only when `allocation` is given and contains them.
 */
export function matchAddress(address: IpPrefix, allocation?: Allocation): ParsedAddress | undefined {
  if (address.family === 4) return matchIPv4(address);
  if (address.family !== 6 || address.bytes.length !== 16 || address.length !== 64) return undefined;
  const g = ipv6Groups(address.bytes);
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  if (g0 === LL && g1 === 0 && g2 === 0 && g3 === 0) {
    if (g5 !== 0) return undefined;
    if (g4 !== 0) {
      // fe80::N000:0:0:1
      if ((g4 & 0x0fff) !== 0 || g4 === 0 || g6 !== 0 || g7 !== 1) return undefined;
      return { role: 'GWPubLL', exitNode: g4 >>> 12 };
    }
    if (g6 === 0 && g7 === 1) return { role: 'UpstreamLL' };
    if (g6 === 1 && g7 >= 0x1000) return { role: 'GWtoEPLL', id: g7, exitNode: g7 >>> 12 };
    if (g6 >= 0x1000 && g7 === 1) return { role: 'EPPubLL', id: g6, exitNode: g6 >>> 12 };
    if (g6 === 0 && g7 >= 0x1000) return { role: 'WGLL', id: g7, exitNode: g7 >>> 12 };
    return undefined;
  }
  if (!allocation || !allocation.contains(address.bytes)) return undefined;
  if (g3 === 0) {
    if (g4 === 0 && g5 === 0 && g6 === 0 && g7 === 1) return { role: 'UpstreamIP6' };
    if (g4 !== 0 && (g4 & 0x0fff) === 0 && g5 === 0 && g6 === 0 && g7 === 1) return { role: 'GWPubIP6', exitNode: g4 >>> 12 };
    return undefined;
  }
  if (g3 >= 0x1000 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 1) return { role: 'NRLocalIP6', id: g3, exitNode: g3 >>> 12 };
  return undefined;
}

function matchIPv4(address: IpPrefix): ParsedAddress | undefined {
  const [a, b, c, d] = address.bytes as unknown as [number, number, number, number];
  if (address.bytes.length !== 4 || a !== 10) return undefined;
  if (b === 1 && c === 0 && d === 1 && address.length === 32) return { role: 'GWtoEPIP4' };
  if (b === 255) {
    const id = (c << 8) | d;
    if (id < 0x1000) return undefined;
    if (address.length === 32) return { role: 'EPPubIP4R', id, exitNode: id >>> 12 };
    if (address.length === 24) return { role: 'WGIP4RT', id, exitNode: id >>> 12 };
    return undefined;
  }
  const id = (b << 8) | c;
  if (id >= 0x1000 && d === 1 && address.length === 24) return { role: 'NRLocalIP4', id, exitNode: id >>> 12 };
  return undefined;
}

/**
 * Parses an interface address back; throws {@link AllocError}
 * `ERR_ALLOC_NOT_OURS` when it is not one of ours.
 *
 * @example
 * ```ts
 * parseAddress(epPubLL(0x1abc)); // { role: 'EPPubLL', id: 0x1abc, exitNode: 1 }
 * ```
 */
export function parseAddress(address: IpPrefix, allocation?: Allocation): ParsedAddress {
  const parsed = matchAddress(address, allocation);
  if (!parsed) throw new AllocError('ERR_ALLOC_NOT_OURS', 'address is not one of fibwire alloc\'s', address);
  return parsed;
}

/** Derives the address a parsed value stands for (inverse of {@link matchAddress}). */
export function deriveAddress(parsed: ParsedAddress, allocation: Allocation): IpPrefix {
  switch (parsed.role) {
    case 'UpstreamLL':
      return upstreamLL();
    case 'UpstreamIP6':
      return upstreamIP6(allocation);
    case 'GWtoEPIP4':
      return gwToEpIP4();
    case 'GWPubLL':
      return gwPubLL(parsed.exitNode);
    case 'GWPubIP6':
      return gwPubIP6(allocation, parsed.exitNode);
    case 'GWtoEPLL':
      return gwToEpLL(parsed.id);
    case 'EPPubLL':
      return epPubLL(parsed.id);
    case 'EPPubIP4R':
      return epPubIP4R(parsed.id);
    case 'WGLL':
      return wgLL(parsed.id);
    case 'WGIP4RT':
      return wgIP4RT(parsed.id);
    case 'NRLocalIP6':
      return nrLocalIP6(allocation, parsed.id);
    case 'NRLocalIP4':
      return nrLocalIP4(parsed.id);
  }
}
