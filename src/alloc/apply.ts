/**
 * `apply()`: reads the kernel, diffs against the desired state, and carries
 * the operations out through fibwire's netlink client, in order. Namespace
 * creation and removal go through a {@link NamespaceHost} (not rtnetlink, see
 * host.ts; default: the addon's, netns-host.ts); everything else is rtnetlink, and sysctls go
 * through the client's in-namespace /proc/sys access.
 */
import { diff, type Diff, type DiffConflict } from './diff.js';
import { AllocError } from './errors.js';
import type { NamespaceHost } from './host.js';
import { NetnsNamespaceHost } from './netns-host.js';
import { formatAddress, formatPrefix } from './ip.js';
import { formatOperation, type Operation } from './operations.js';
import type { AllocRtnl, RtnlOpener } from './netlink-port.js';
import { openRtnl, readActualState } from './read-actual.js';
import type { DesiredState, RouteState } from './state.js';
import { createWireguardLink } from './wireguard-link.js';
import { NetlinkError } from '../netlink/errors.js';
import type { RouteSpec } from '../netlink/ops/route-codec.js';

/**
 * A failed apply: which operation, what had been done before it, and the
 * kernel's error (`cause`). Applying again resumes from the kernel's state.
 *
 * @example
 * ```ts
 * try { await apply(plan.desired, { host }); }
 * catch (e) { if (e instanceof AllocApplyError) console.log(e.code, formatOperation(e.operation), e.completed.length); }
 * ```
 */
export class AllocApplyError extends AllocError {
  /** The operation that failed. */
  readonly operation: Operation;
  /** Operations that completed before it. */
  readonly completed: readonly Operation[];

  constructor(code: 'ERR_ALLOC_APPLY_FAILED' | 'ERR_ALLOC_APPLY_UNSUPPORTED', operation: Operation, completed: readonly Operation[], cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(code, `${formatOperation(operation)}: ${reason}`, operation);
    this.operation = operation;
    this.completed = completed;
    this.cause = cause;
  }
}

/** Options of {@link apply}. */
export interface ApplyOptions {
  /** Creates and removes named namespaces (not rtnetlink). Default: {@link NetnsNamespaceHost} under /var/run/netns. */
  readonly host?: NamespaceHost;
  /** Default: `Rtnl.open`. */
  readonly open?: RtnlOpener;
  /** Compute and return the operations without running them. */
  readonly dryRun?: boolean;
}

/** Result of {@link apply}. */
export interface ApplyResult {
  /** The operations run (or, in a dry run, that would run), in order. */
  readonly operations: readonly Operation[];
  readonly conflicts: readonly DiffConflict[];
  readonly untouched: Diff['untouched'];
}

/** Per-namespace clients and ifindex caches for one apply. */
class Clients {
  private readonly clients = new Map<string, AllocRtnl>();
  private readonly indexes = new Map<string, Map<string, number>>();

  constructor(private readonly open: RtnlOpener) {}

  private key(netns: string | null): string {
    return netns === null ? '' : `ns:${netns}`;
  }

  async get(netns: string | null): Promise<AllocRtnl> {
    const key = this.key(netns);
    let client = this.clients.get(key);
    if (!client) {
      client = await this.open(netns);
      this.clients.set(key, client);
    }
    return client;
  }

  async indexOf(netns: string | null, name: string): Promise<number> {
    const key = this.key(netns);
    let cache = this.indexes.get(key);
    if (!cache) {
      cache = new Map();
      this.indexes.set(key, cache);
    }
    const known = cache.get(name);
    if (known !== undefined) return known;
    const index = await (await this.get(netns)).links.indexOf(name);
    cache.set(name, index);
    return index;
  }

  /** Forget ifindexes in a namespace after its links changed. */
  linksChanged(netns: string | null): void {
    this.indexes.delete(this.key(netns));
  }

  forgetAllIndexes(): void {
    this.indexes.clear();
  }

  drop(netns: string): void {
    const key = this.key(netns);
    this.clients.get(key)?.close();
    this.clients.delete(key);
    this.indexes.delete(key);
  }

  closeAll(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
    this.indexes.clear();
  }
}

/** The key part of a route request: destination (bytes, no text round trip), family, table, protocol. */
function routeKeySpec(route: RouteState): RouteSpec {
  const dst = route.destination.length === 0 ? ('default' as const) : { bytes: route.destination.bytes, length: route.destination.length };
  return { dst, family: route.destination.family, table: route.table, protocol: route.protocol };
}

/** The full route request: key plus output interface and gateway. */
async function routeSpec(clients: Clients, namespace: string, route: RouteState): Promise<RouteSpec> {
  const oif = await clients.indexOf(namespace, route.link);
  return { ...routeKeySpec(route), oif, ...(route.gateway ? { gateway: formatAddress(route.gateway) } : {}) };
}

/**
 * A removal whose object vanished between the read and the request (a veth
 * end that went with its namespace, whose teardown the kernel finishes
 * asynchronously) has reached its goal.
 */
async function alreadyGoneIsDone(request: () => Promise<void>, codes: readonly string[]): Promise<void> {
  try {
    await request();
  } catch (error: unknown) {
    if (error instanceof NetlinkError && codes.includes(error.code)) return;
    throw error;
  }
}

/** Runs one operation. */
async function runOperation(op: Operation, clients: Clients, host: NamespaceHost): Promise<void> {
  switch (op.op) {
    case 'createNamespace':
      await host.create(op.namespace);
      return;
    case 'removeNamespace':
      clients.drop(op.namespace);
      await host.remove(op.namespace);
      return;
    case 'setSysctl':
      await (await clients.get(op.namespace)).sysctl.set(op.key, op.value);
      return;
    case 'createVethPair': {
      const rtnl = await clients.get(op.namespace);
      const peer = op.peerNamespace === op.namespace ? { name: op.peerName } : { name: op.peerName, netns: op.peerNamespace };
      await rtnl.links.create({ kind: 'veth', name: op.name, peer });
      clients.linksChanged(op.namespace);
      clients.linksChanged(op.peerNamespace);
      return;
    }
    case 'createMacvlan': {
      const rtnl = await clients.get(op.parentNamespace);
      const parent = await clients.indexOf(op.parentNamespace, op.parent);
      await rtnl.links.create({ kind: 'macvlan', name: op.name, link: parent, mode: 'bridge' });
      try {
        await rtnl.links.moveToNetns(op.name, op.namespace);
      } catch (error: unknown) {
        await rtnl.links.delete(op.name).catch(() => undefined); // do not leave it behind in the parent's namespace
        throw error;
      }
      clients.linksChanged(op.parentNamespace);
      clients.linksChanged(op.namespace);
      return;
    }
    case 'createWireguard': {
      // Created in the public namespace (its UDP socket stays there), then moved into the ExitPoint.
      // Keys and listen port are generic netlink (WG_CMD_SET_DEVICE), not done here: see wireguard-link.ts.
      const rtnl = await clients.get(op.createIn);
      try {
        await createWireguardLink(rtnl, op.name);
      } catch (error: unknown) {
        if (error instanceof NetlinkError && (error.code === 'EOPNOTSUPP' || error.code === 'ENOTSUP')) {
          // rtnl_newlink: no such link kind ("Unknown device type"); EOPNOTSUPP and ENOTSUP are both 95 on Linux
          throw new AllocError('ERR_ALLOC_APPLY_UNSUPPORTED', `this kernel has no wireguard link type: ${error.message}`, op);
        }
        throw error;
      }
      try {
        await rtnl.links.moveToNetns(op.name, op.namespace);
      } catch (error: unknown) {
        await rtnl.links.delete(op.name).catch(() => undefined);
        throw error;
      }
      clients.linksChanged(op.createIn);
      clients.linksChanged(op.namespace);
      return;
    }
    case 'removeLink':
      await alreadyGoneIsDone(async () => (await clients.get(op.namespace)).links.delete(op.name), ['ENODEV']);
      clients.forgetAllIndexes(); // a veth takes its peer along, in whichever namespace it is

      return;
    case 'setLinkUp':
      await (await clients.get(op.namespace)).links.setUp(op.name);
      return;
    case 'addAddress': {
      const index = await clients.indexOf(op.namespace, op.link);
      // IPv6 addresses skip DAD: they are derived and unique by construction, and usable at once.
      await (await clients.get(op.namespace)).addresses.add({ address: formatPrefix(op.address), index, nodad: op.address.family === 6 });
      return;
    }
    case 'removeAddress':
      await alreadyGoneIsDone(async () => {
        const index = await clients.indexOf(op.namespace, op.link);
        await (await clients.get(op.namespace)).addresses.delete({ address: formatPrefix(op.address), index });
      }, ['ENODEV', 'EADDRNOTAVAIL']);
      return;
    case 'addRoute':
      await (await clients.get(op.namespace)).routes.add(await routeSpec(clients, op.namespace, op.route));
      return;
    case 'replaceRoute':
      await (await clients.get(op.namespace)).routes.replace(await routeSpec(clients, op.namespace, op.route));
      return;
    case 'removeRoute': {
      // A multipath route goes as a whole: a delete without a nexthop removes every sibling (ip6_route_del).
      const route = op.route;
      await alreadyGoneIsDone(
        async () => (await clients.get(op.namespace)).routes.delete(route.multipath ? routeKeySpec(route) : await routeSpec(clients, op.namespace, route)),
        ['ENODEV', 'ESRCH'],
      );
      return;
    }
  }
}

/**
 * Brings the kernel to `desired`: read, diff, run the operations in order.
 * Stops at the first failure with an {@link AllocApplyError} (later
 * operations depend on earlier ones); running apply again resumes, because it
 * diffs afresh. A second run after a successful one runs nothing.
 *
 * @example
 * ```ts
 * const plan = planExitNode({ allocation: '2001:db8:1::/48', exitNode: 1, resources: [0x1abc], gatewayIPv4: '192.0.2.10/24' });
 * const result = await apply(plan.desired); // namespaces made by fibwire's addon; or { host: myNamespaceHost }
 * console.log(result.operations.length, result.conflicts);
 * ```
 */
export async function apply(desired: DesiredState, options: ApplyOptions = {}): Promise<ApplyResult> {
  const open = options.open ?? openRtnl;
  const host = options.host ?? new NetnsNamespaceHost();
  const actual = await readActualState(desired, { namespaces: await host.list(), open });
  const planned = diff(desired, actual);
  if (options.dryRun === true) return { operations: planned.operations, conflicts: planned.conflicts, untouched: planned.untouched };
  const clients = new Clients(open);
  const completed: Operation[] = [];
  try {
    for (const op of planned.operations) {
      try {
        await runOperation(op, clients, host);
      } catch (error: unknown) {
        const code = error instanceof AllocError && error.code === 'ERR_ALLOC_APPLY_UNSUPPORTED' ? 'ERR_ALLOC_APPLY_UNSUPPORTED' : 'ERR_ALLOC_APPLY_FAILED';
        throw new AllocApplyError(code, op, [...completed], error);
      }
      completed.push(op);
    }
  } finally {
    clients.closeAll();
  }
  return { operations: completed, conflicts: planned.conflicts, untouched: planned.untouched };
}
