import type { NhgOperation } from './types.js';

/**
 * Phase of an operation in a batch. Creations go children first (a group can only
 * name existing nexthops, a route can only name an existing object — the kernel
 * answers EINVAL otherwise), removals parents first (deleting a nexthop that a group
 * or route still uses would make the kernel flush those silently).
 */
export function operationPhase(op: NhgOperation): number {
  switch (op.op) {
    case 'nexthop-add':
      return 0;
    case 'group-add':
    case 'group-replace':
      return 1;
    case 'route-add':
    case 'route-replace':
      return 2;
    case 'route-delete':
      return 3;
    case 'group-delete':
      return 4;
    case 'nexthop-delete':
      return 5;
  }
}

/** Stable sort of a batch into install-then-remove order. */
export function orderOperations(ops: NhgOperation[]): NhgOperation[] {
  return ops
    .map((op, i) => ({ op, i, p: operationPhase(op) }))
    .sort((a, b) => a.p - b.p || a.i - b.i)
    .map((x) => x.op);
}
