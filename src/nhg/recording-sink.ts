import type { NhgOperation, NhgSink } from './types.js';

/**
 * A sink that keeps every batch it receives, for tests and harnesses.
 *
 * @example
 * ```ts
 * const sink = new RecordingSink();
 * const cache = new NexthopGroupCache({ sink });
 * cache.setRoute(route, paths);
 * sink.operations.map((o) => o.op); // ['nexthop-add', 'group-add', 'route-add']
 * ```
 */
export class RecordingSink implements NhgSink {
  readonly batches: (readonly NhgOperation[])[] = [];

  apply(ops: readonly NhgOperation[]): void {
    this.batches.push([...ops]);
  }

  /** All operations of all batches, in order. */
  get operations(): NhgOperation[] {
    return this.batches.flat();
  }

  /** Number of operations of each kind. */
  counts(): Record<NhgOperation['op'], number> {
    const c: Record<NhgOperation['op'], number> = {
      'nexthop-add': 0,
      'group-add': 0,
      'group-replace': 0,
      'route-add': 0,
      'route-replace': 0,
      'route-delete': 0,
      'group-delete': 0,
      'nexthop-delete': 0,
    };
    for (const b of this.batches) for (const o of b) c[o.op]++;
    return c;
  }

  clear(): void {
    this.batches.length = 0;
  }
}
