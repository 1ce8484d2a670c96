/**
 * Prints the plan of one ExitNode (seed 002) for an allocation and a list of
 * resource ids: a human table, then JSON. With --apply (root), applies it into
 * throwaway namespaces named fwalex<random>-..., shows what ran, checks that
 * a second apply has nothing left to do, and deletes every namespace again.
 *
 *   npx tsx examples/exitnode-plan.ts                                   # the seed's drawing
 *   npx tsx examples/exitnode-plan.ts --allocation 2001:db8:5::/48 --exit-node 3 --ids 3000,3abc,3fff --gateway-ipv4 192.0.2.10/24
 *   npx tsx examples/exitnode-plan.ts --json                            # JSON only
 *   sudo npx tsx examples/exitnode-plan.ts --apply                      # into throwaway namespaces
 *
 * Namespaces are created with `ip netns add` here: that is unshare(2) plus a
 * bind mount, not rtnetlink, so apply() takes it from a NamespaceHost. Every
 * link, address, route and sysctl goes through fibwire's netlink client.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs, promisify } from 'node:util';
import {
  AllocError,
  apply,
  diff,
  formatOperation,
  formatPlanTable,
  listNamedNamespaces,
  planExitNode,
  planToJSON,
  readActualState,
  type NamespaceHost,
} from '../src/index.js';

const run = promisify(execFile);

async function ip(args: string[]): Promise<void> {
  await run('ip', args, { timeout: 30_000 });
}

function parseIds(text: string): number[] {
  return text
    .split(',')
    .map((s) => s.trim().replace(/^0x/i, ''))
    .filter((s) => s !== '')
    .map((s) => {
      if (!/^[0-9a-fA-F]{1,4}$/.test(s)) throw new Error(`not a hex uint16 id: ${s}`);
      return Number.parseInt(s, 16);
    });
}

async function applyIntoThrowawayNamespaces(options: { allocation: string; exitNode: number; ids: number[]; gatewayIPv4: string; allocationNumber: number }): Promise<void> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) throw new Error('--apply needs root (it creates network namespaces)');
  const prefix = `fwalex${randomBytes(2).toString('hex')}-`;
  const upstream = `${prefix}up`;
  const host: NamespaceHost = {
    list: () => listNamedNamespaces(),
    create: (name) => ip(['netns', 'add', name]),
    remove: (name) => ip(['netns', 'delete', name]),
  };
  try {
    // A stand-in upstream router: rtr0 (fe80::1) and upl0, the parent of the Gateway's macvlan uplink.
    await ip(['netns', 'add', upstream]);
    await ip(['-n', upstream, 'link', 'add', 'rtr0', 'type', 'veth', 'peer', 'name', 'upl0']);
    await ip(['-n', upstream, 'address', 'add', 'fe80::1/64', 'dev', 'rtr0', 'nodad']);
    await ip(['-n', upstream, 'link', 'set', 'rtr0', 'up']);
    await ip(['-n', upstream, 'link', 'set', 'upl0', 'up']);
    const plan = planExitNode({
      ...options,
      resources: options.ids,
      namespacePrefix: prefix,
      uplink: { kind: 'macvlan', parent: 'upl0', parentNamespace: upstream },
      wireguard: false, // most test kernels lack the wireguard link type
    });
    const first = await apply(plan.desired, { host });
    console.log(`\n# apply into ${prefix}*: ${first.operations.length} operations`);
    for (const op of first.operations) console.log(formatOperation(op));
    for (const c of first.conflicts) console.log(`# conflict: ${c.reason}: ${c.detail}`);
    const actual = await readActualState(plan.desired, { namespaces: await host.list() });
    const left = diff(plan.desired, actual);
    console.log(`\n# read back: ${left.operations.length} operations left; objects not ours left alone: ${JSON.stringify(left.untouched)}`);
  } finally {
    for (const name of await listNamedNamespaces()) {
      if (name.startsWith(prefix)) await ip(['netns', 'delete', name]).catch(() => undefined);
    }
    console.log(`# deleted ${prefix}*`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      allocation: { type: 'string', default: '2a02:1802:5e::/48' },
      'exit-node': { type: 'string', default: '1' },
      ids: { type: 'string', default: '1abc,1123' },
      'gateway-ipv4': { type: 'string', default: '185.69.166.123/24' },
      'allocation-number': { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      apply: { type: 'boolean', default: false },
    },
  });
  const input = {
    allocation: values.allocation,
    exitNode: Number(values['exit-node']),
    ids: parseIds(values.ids),
    gatewayIPv4: values['gateway-ipv4'],
    allocationNumber: Number(values['allocation-number']),
  };
  const plan = planExitNode({ ...input, resources: input.ids });
  if (!values.json) {
    console.log(formatPlanTable(plan));
    console.log('');
  }
  console.log(JSON.stringify(planToJSON(plan), null, 2));
  if (values.apply) await applyIntoThrowawayNamespaces(input);
}

main().catch((error: unknown) => {
  if (error instanceof AllocError) console.error(`${error.code}: ${error.message}`);
  else console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
