import { NhgError } from './errors.js';
import { nexthopKey } from './keys.js';
import type { GroupMemberRef, NexthopSpec, NhgOperation, NhgSink, RouteSpec } from './types.js';

/** One object of the model kernel: a nexthop or a group of member ids. */
export type ModelObject = { readonly kind: 'nexthop'; readonly nexthop: NexthopSpec } | { kind: 'group'; members: GroupMemberRef[] };

/**
 * An in-memory model of the kernel's nexthop objects and routes, with the kernel's
 * rules (linux/net/ipv4/nexthop.c): a group may only list existing plain nexthops,
 * is never empty, a route may only point at an existing object, an id is created
 * once, and deleting a nexthop drops it from groups, deletes groups left empty and
 * flushes every route that used a deleted object. A rule broken throws
 * `ERR_NHG_MODEL_KERNEL`. Used to replay recorded operations in tests, and as a
 * sink for harnesses without a kernel.
 *
 * @example
 * ```ts
 * const kernel = new ModelKernel();
 * const cache = new NexthopGroupCache({ sink: kernel });
 * cache.setRoute(route, paths);
 * kernel.lookup(route); // { id, members: [...] }
 * ```
 */
export class ModelKernel implements NhgSink {
  readonly objects = new Map<number, ModelObject>();
  readonly routes = new Map<string, { route: RouteSpec; nexthopId: number }>();

  apply(ops: readonly NhgOperation[]): void {
    for (const op of ops) this.applyOne(op);
  }

  /** Simulates the kernel deleting a nexthop (link down) with its cascade; returns the deleted ids. */
  kernelDelete(id: number): number[] {
    const deleted: number[] = [];
    this.cascadeDelete(id, deleted);
    return deleted;
  }

  /** Ids of plain nexthops on an interface (what a link-down flushes). */
  nexthopsOn(ifindex: number): number[] {
    const out: number[] = [];
    for (const [id, o] of this.objects) if (o.kind === 'nexthop' && o.nexthop.ifindex === ifindex) out.push(id);
    return out;
  }

  /** The usable nexthops a route forwards through, or undefined if the route is absent. */
  lookup(route: RouteSpec): NexthopSpec[] | undefined {
    const r = this.routes.get(key(route));
    if (!r) return undefined;
    const o = this.objects.get(r.nexthopId);
    if (!o) return undefined;
    if (o.kind === 'nexthop') return [o.nexthop];
    return o.members.map((m) => {
      const n = this.objects.get(m.id);
      if (!n || n.kind !== 'nexthop') throw new NhgError('ERR_NHG_MODEL_KERNEL', `group member ${m.id} missing`);
      return n.nexthop;
    });
  }

  /** Every route points at an existing object, every group member exists: empty when consistent. */
  violations(): string[] {
    const bad: string[] = [];
    for (const [k, r] of this.routes) if (!this.objects.has(r.nexthopId)) bad.push(`route ${k} -> missing ${r.nexthopId}`);
    for (const [id, o] of this.objects) {
      if (o.kind !== 'group') continue;
      if (o.members.length === 0) bad.push(`group ${id} empty`);
      for (const m of o.members) if (this.objects.get(m.id)?.kind !== 'nexthop') bad.push(`group ${id} -> missing ${m.id}`);
    }
    return bad;
  }

  private fail(msg: string): never {
    throw new NhgError('ERR_NHG_MODEL_KERNEL', msg);
  }

  private applyOne(op: NhgOperation): void {
    switch (op.op) {
      case 'nexthop-add':
        if (this.objects.has(op.id)) this.fail(`nexthop ${op.id} exists (EEXIST)`);
        if (op.nexthop.gateway !== undefined && op.nexthop.ifindex === undefined) this.fail(`nexthop ${op.id} without device`);
        nexthopKey(op.nexthop);
        this.objects.set(op.id, { kind: 'nexthop', nexthop: op.nexthop });
        return;
      case 'group-add':
      case 'group-replace': {
        const cur = this.objects.get(op.id);
        if (op.op === 'group-add' && cur) this.fail(`group ${op.id} exists (EEXIST)`);
        if (op.op === 'group-replace' && cur?.kind !== 'group') this.fail(`group ${op.id} to replace is missing`);
        if (op.members.length === 0) this.fail(`group ${op.id} empty`);
        const seen = new Set<number>();
        for (const m of op.members) {
          if (this.objects.get(m.id)?.kind !== 'nexthop') this.fail(`group ${op.id} member ${m.id} is not a nexthop`);
          if (seen.has(m.id)) this.fail(`group ${op.id} lists ${m.id} twice`);
          if (!Number.isInteger(m.weight) || m.weight < 1 || m.weight > 256) this.fail(`group ${op.id} weight ${m.weight}`);
          seen.add(m.id);
        }
        this.objects.set(op.id, { kind: 'group', members: [...op.members] });
        return;
      }
      case 'route-add':
      case 'route-replace': {
        if (!this.objects.has(op.nexthopId)) this.fail(`route ${key(op.route)} -> missing ${op.nexthopId}`);
        const exists = this.routes.has(key(op.route));
        if (op.op === 'route-add' && exists) this.fail(`route ${key(op.route)} exists (EEXIST)`);
        if (op.op === 'route-replace' && !exists) this.fail(`route ${key(op.route)} to replace is missing`);
        this.routes.set(key(op.route), { route: op.route, nexthopId: op.nexthopId });
        return;
      }
      case 'route-delete':
        if (!this.routes.delete(key(op.route))) this.fail(`route ${key(op.route)} to delete is missing (ESRCH)`);
        return;
      case 'group-delete':
      case 'nexthop-delete': {
        const o = this.objects.get(op.id);
        if (!o || (o.kind === 'group') !== (op.op === 'group-delete')) this.fail(`${op.op} ${op.id}: no such object`);
        for (const [k, r] of this.routes) if (r.nexthopId === op.id) this.fail(`${op.op} ${op.id} while route ${k} uses it`);
        for (const [gid, g] of this.objects) {
          if (g.kind === 'group' && g.members.some((m) => m.id === op.id)) this.fail(`${op.op} ${op.id} while group ${gid} lists it`);
        }
        this.objects.delete(op.id);
        return;
      }
    }
  }

  private cascadeDelete(id: number, deleted: number[]): void {
    const o = this.objects.get(id);
    if (!o) return;
    this.objects.delete(id);
    deleted.push(id);
    for (const [k, r] of this.routes) if (r.nexthopId === id) this.routes.delete(k);
    if (o.kind !== 'nexthop') return;
    for (const [gid, g] of [...this.objects]) {
      if (g.kind !== 'group') continue;
      const left = g.members.filter((m) => m.id !== id);
      if (left.length === g.members.length) continue;
      if (left.length === 0) this.cascadeDelete(gid, deleted);
      else g.members = left;
    }
  }
}

function key(r: RouteSpec): string {
  return `${r.table}|${r.prefix}|${r.metric}`;
}
