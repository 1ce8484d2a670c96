/**
 * Interface and namespace names, derived from numbers and parsed back.
 *
 * Interface names follow the seed's drawing exactly; each is at most 15 bytes
 * (IFNAMSIZ 16 with the NUL, include/uapi/linux/if.h). Ids are written as
 * four lower-case hex digits (ids are >= 0x1000, so always four), allocation
 * numbers in decimal without leading zeros. The longest name is
 * `veth-ffff-65535`: exactly 15.
 *
 * Gaps in the seed, decided here:
 * - GWPubName writes the ExitNode as ONE hex digit (`pub-a-1` for ExitNode 10),
 *   the same digit as in its /52 (`$prefix:a000::/52`) and in its ids
 *   (`0xa123`), so an operator reads one symbol everywhere. A one-digit middle
 *   part can never be confused with EPPubName's four-digit one.
 * - The allocation number (the drawing's trailing `-1`) is a uint16 in decimal.
 * - NRLocalName (`veth-1abc-1`) is a veth, and a veth has two ends; the drawing
 *   names only one. The other end is NRPeerName `nr-1abc-1`, planned in the
 *   ExitPoint's namespace (where the resource's workload picks it up).
 * - The seed names no namespaces. Ours: `gw-N-A` (the Gateway Container),
 *   `ep-XXXX-A` (one ExitPoint), `public-N-A` (where WireGuard links are
 *   created, so their UDP sockets live there, before moving into the ExitPoint),
 *   optionally behind a caller's prefix (tests use `fwal<random>-`).
 * - Only canonical text parses: `pub-1ABC-1`, `to-1abc-01` or `pub-01-1` are
 *   refused, so derive(parse(name)) === name for everything that parses.
 */
import { AllocError } from './errors.js';
import { assertAllocationNumber, assertExitNode, assertResourceId, idHex } from './ids.js';

/** IFNAMSIZ - 1: the longest interface name the kernel accepts (include/uapi/linux/if.h). */
export const MAX_INTERFACE_NAME_LENGTH = 15;

/** The roles of the interfaces the plan creates. */
export type LinkRole = 'GWPubName' | 'GWtoEPName' | 'EPPubName' | 'WGName' | 'NRLocalName' | 'NRPeerName';

/** A parsed interface name. */
export type ParsedLinkName =
  | { readonly role: 'GWPubName'; readonly exitNode: number; readonly allocationNumber: number }
  | {
      readonly role: Exclude<LinkRole, 'GWPubName'>;
      readonly id: number;
      readonly exitNode: number;
      readonly allocationNumber: number;
    };

/** The roles of the namespaces the plan creates. */
export type NamespaceRole = 'gateway' | 'exitPoint' | 'public';

/** A parsed namespace name. */
export type ParsedNamespaceName =
  | { readonly role: 'gateway' | 'public'; readonly exitNode: number; readonly allocationNumber: number }
  | { readonly role: 'exitPoint'; readonly id: number; readonly exitNode: number; readonly allocationNumber: number };

const ID_ROLE_BY_TAG: Readonly<Record<string, Exclude<LinkRole, 'GWPubName'>>> = {
  to: 'GWtoEPName',
  pub: 'EPPubName',
  wg: 'WGName',
  veth: 'NRLocalName',
  nr: 'NRPeerName',
};

const TAG_BY_ID_ROLE: Readonly<Record<Exclude<LinkRole, 'GWPubName'>, string>> = {
  GWtoEPName: 'to',
  EPPubName: 'pub',
  WGName: 'wg',
  NRLocalName: 'veth',
  NRPeerName: 'nr',
};

function idName(role: Exclude<LinkRole, 'GWPubName'>, id: number, allocationNumber: number): string {
  assertResourceId(id);
  assertAllocationNumber(allocationNumber);
  return `${TAG_BY_ID_ROLE[role]}-${idHex(id)}-${allocationNumber}`;
}

/** GWPubName `pub-N-A`: the Gateway's routing interface towards the upstream router. */
export function gwPubName(exitNode: number, allocationNumber: number): string {
  assertExitNode(exitNode);
  assertAllocationNumber(allocationNumber);
  return `pub-${exitNode.toString(16)}-${allocationNumber}`;
}

/** GWtoEPName `to-XXXX-A`: the Gateway's end of the veth pair to ExitPoint `id`. */
export function gwToEpName(id: number, allocationNumber: number): string {
  return idName('GWtoEPName', id, allocationNumber);
}

/** EPPubName `pub-XXXX-A`: the ExitPoint's end of that veth pair. */
export function epPubName(id: number, allocationNumber: number): string {
  return idName('EPPubName', id, allocationNumber);
}

/** WGName `wg-XXXX-A`: the ExitPoint's WireGuard interface. */
export function wgName(id: number, allocationNumber: number): string {
  return idName('WGName', id, allocationNumber);
}

/** NRLocalName `veth-XXXX-A`: the network resource's local interface in the ExitPoint. */
export function nrLocalName(id: number, allocationNumber: number): string {
  return idName('NRLocalName', id, allocationNumber);
}

/** NRPeerName `nr-XXXX-A`: the other end of NRLocalName's veth (not in the seed's drawing, see module docs). */
export function nrPeerName(id: number, allocationNumber: number): string {
  return idName('NRPeerName', id, allocationNumber);
}

const LINK_NAME = /^(pub|to|wg|veth|nr)-([0-9a-f]|[0-9a-f]{4})-(0|[1-9][0-9]{0,4})$/;

/** Parses an interface name; `undefined` when it is not one of ours. */
export function matchLinkName(name: string): ParsedLinkName | undefined {
  if (typeof name !== 'string' || name.length > MAX_INTERFACE_NAME_LENGTH) return undefined;
  const m = LINK_NAME.exec(name);
  if (!m) return undefined;
  const tag = m[1] ?? '';
  const middle = m[2] ?? '';
  const allocationNumber = Number(m[3]);
  if (allocationNumber > 0xffff) return undefined;
  const value = parseInt(middle, 16);
  if (middle.length === 1) {
    if (tag !== 'pub' || value < 1) return undefined; // pub-0-A would be PrefixZero
    return { role: 'GWPubName', exitNode: value, allocationNumber };
  }
  if (value < 0x1000) return undefined;
  const role = ID_ROLE_BY_TAG[tag];
  if (!role) return undefined;
  return { role, id: value, exitNode: value >>> 12, allocationNumber };
}

/**
 * Parses an interface name back into its role and numbers.
 *
 * @example
 * ```ts
 * parseLinkName('to-1abc-1'); // { role: 'GWtoEPName', id: 0x1abc, exitNode: 1, allocationNumber: 1 }
 * parseLinkName('eth0');      // throws AllocError ERR_ALLOC_NOT_OURS
 * ```
 */
export function parseLinkName(name: string): ParsedLinkName {
  const parsed = matchLinkName(name);
  if (!parsed) throw new AllocError('ERR_ALLOC_NOT_OURS', `interface name '${String(name)}' is not one of fibwire alloc's`, name);
  return parsed;
}

/** Derives the name of a parsed link back (inverse of {@link matchLinkName}). */
export function formatLinkName(parsed: ParsedLinkName): string {
  if (parsed.role === 'GWPubName') return gwPubName(parsed.exitNode, parsed.allocationNumber);
  return idName(parsed.role, parsed.id, parsed.allocationNumber);
}

/** The Gateway Container's namespace, `[prefix]gw-N-A`. */
export function gatewayNamespaceName(exitNode: number, allocationNumber: number, prefix = ''): string {
  assertExitNode(exitNode);
  assertAllocationNumber(allocationNumber);
  return `${prefix}gw-${exitNode.toString(16)}-${allocationNumber}`;
}

/** ExitPoint `id`'s namespace, `[prefix]ep-XXXX-A`. */
export function exitPointNamespaceName(id: number, allocationNumber: number, prefix = ''): string {
  assertResourceId(id);
  assertAllocationNumber(allocationNumber);
  return `${prefix}ep-${idHex(id)}-${allocationNumber}`;
}

/** The namespace WireGuard links are created in, `[prefix]public-N-A`. */
export function publicNamespaceName(exitNode: number, allocationNumber: number, prefix = ''): string {
  assertExitNode(exitNode);
  assertAllocationNumber(allocationNumber);
  return `${prefix}public-${exitNode.toString(16)}-${allocationNumber}`;
}

const NAMESPACE_NAME = /^(gw|public)-([1-9a-f])-(0|[1-9][0-9]{0,4})$|^ep-([0-9a-f]{4})-(0|[1-9][0-9]{0,4})$/;

/** Parses a namespace name (after stripping `prefix`); `undefined` when it is not one of ours. */
export function matchNamespaceName(name: string, prefix = ''): ParsedNamespaceName | undefined {
  if (typeof name !== 'string' || !name.startsWith(prefix)) return undefined;
  const m = NAMESPACE_NAME.exec(name.slice(prefix.length));
  if (!m) return undefined;
  if (m[1] !== undefined) {
    const allocationNumber = Number(m[3]);
    if (allocationNumber > 0xffff) return undefined;
    return { role: m[1] === 'gw' ? 'gateway' : 'public', exitNode: parseInt(m[2] ?? '', 16), allocationNumber };
  }
  const id = parseInt(m[4] ?? '', 16);
  const allocationNumber = Number(m[5]);
  if (id < 0x1000 || allocationNumber > 0xffff) return undefined;
  return { role: 'exitPoint', id, exitNode: id >>> 12, allocationNumber };
}

/** Parses a namespace name; throws {@link AllocError} `ERR_ALLOC_NOT_OURS` when it is not one of ours. */
export function parseNamespaceName(name: string, prefix = ''): ParsedNamespaceName {
  const parsed = matchNamespaceName(name, prefix);
  if (!parsed) throw new AllocError('ERR_ALLOC_NOT_OURS', `namespace name '${String(name)}' is not one of fibwire alloc's`, name);
  return parsed;
}
