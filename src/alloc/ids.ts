/**
 * The numbers everything is derived from: ExitNode numbers, network-resource
 * ids (uint16) and allocation numbers.
 *
 * A /48 has 65536 /64 subnets, one per uint16 id. The top nibble of an id is
 * its ExitNode: the /48 is cut into 16 /52s, index 0 ("PrefixZero") is
 * internal, indexes 1..15 are ExitNodes 1..15. So ids 0x0000-0x0fff are never
 * network resources, and ExitNode N owns ids N*0x1000 .. N*0x1000+0x0fff.
 */
import { AllocError } from './errors.js';

/** Smallest network-resource id (first id of ExitNode 1). */
export const FIRST_RESOURCE_ID = 0x1000;
/** Largest network-resource id. */
export const LAST_RESOURCE_ID = 0xffff;
/** Number of network-resource ids in an allocation (15 * 4096). */
export const RESOURCE_ID_COUNT = LAST_RESOURCE_ID - FIRST_RESOURCE_ID + 1;
/** ExitNodes are numbered 1..15 (index 0 of the 16 /52s is PrefixZero). */
export const FIRST_EXIT_NODE = 1;
/** Last ExitNode number. */
export const LAST_EXIT_NODE = 15;
/** Allocation numbers are uint16, written in decimal in names (`pub-1-1`). */
export const MAX_ALLOCATION_NUMBER = 0xffff;

function isUint16(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffff;
}

/** Throws unless `exitNode` is 1..15. */
export function assertExitNode(exitNode: unknown): asserts exitNode is number {
  if (typeof exitNode !== 'number' || !Number.isInteger(exitNode) || exitNode < FIRST_EXIT_NODE || exitNode > LAST_EXIT_NODE) {
    throw new AllocError('ERR_ALLOC_EXIT_NODE', `ExitNode must be an integer 1..15 (index 0 is PrefixZero), got ${String(exitNode)}`, exitNode);
  }
}

/** Throws unless `id` is a network-resource id: a uint16 not in PrefixZero (>= 0x1000). */
export function assertResourceId(id: unknown): asserts id is number {
  if (!isUint16(id)) {
    throw new AllocError('ERR_ALLOC_ID_RANGE', `network-resource id must be a uint16, got ${String(id)}`, id);
  }
  if (id < FIRST_RESOURCE_ID) {
    throw new AllocError(
      'ERR_ALLOC_PREFIX_ZERO_ID',
      `id 0x${id.toString(16).padStart(4, '0')} is in PrefixZero (ids < 0x1000 are internal, never network resources)`,
      id,
    );
  }
}

/** Throws unless `n` is a uint16 allocation number. */
export function assertAllocationNumber(n: unknown): asserts n is number {
  if (!isUint16(n)) {
    throw new AllocError('ERR_ALLOC_NUMBER', `allocation number must be a uint16, got ${String(n)}`, n);
  }
}

/**
 * The ExitNode (1..15) that routes network resource `id`: its top nibble.
 *
 * @example
 * ```ts
 * exitNodeOf(0x1abc); // 1
 * exitNodeOf(0xa123); // 10
 * exitNodeOf(0x0fff); // throws AllocError ERR_ALLOC_PREFIX_ZERO_ID
 * ```
 */
export function exitNodeOf(id: number): number {
  assertResourceId(id);
  return id >>> 12;
}

/** First and last resource id of ExitNode `exitNode`. */
export function resourceIdRange(exitNode: number): { readonly first: number; readonly last: number } {
  assertExitNode(exitNode);
  return { first: exitNode << 12, last: (exitNode << 12) | 0x0fff };
}

/** Four lower-case hex digits: the form ids take in names (`to-1abc-1`). */
export function idHex(id: number): string {
  return id.toString(16).padStart(4, '0');
}
