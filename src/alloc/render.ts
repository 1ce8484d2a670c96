/**
 * Text forms of a plan, for people and for JSON consumers. Formatting happens
 * only here, when asked (DESIGN rule 6).
 */
import { formatAddress, formatPrefix } from './ip.js';
import { formatOperation, formatRoute, type Operation } from './operations.js';
import type { ExitNodePlan } from './plan.js';
import { formatUpstreamRoute } from './upstream.js';

/** JSON value types produced by {@link planToJSON}. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The plan with every address as text, ready for `JSON.stringify`. */
export function planToJSON(plan: ExitNodePlan): Json {
  const { scope } = plan;
  return {
    allocation: scope.allocation.toString(),
    exitNode: scope.exitNode,
    allocationNumber: scope.allocationNumber,
    namespacePrefix: scope.namespacePrefix,
    routeProtocol: scope.routeProtocol,
    gateway: {
      namespace: plan.gateway.namespace,
      uplink: plan.gateway.uplink,
      uplinkKind: plan.gateway.uplinkSpec.kind,
      publicNamespace: plan.gateway.publicNamespace,
    },
    namespaces: plan.desired.namespaces.map((ns) => ({
      name: ns.name,
      links: ns.links.map((l) => ({ name: l.name, ...creationJSON(l.creation) })),
      addresses: ns.addresses.map((a) => ({ link: a.link, address: formatPrefix(a.address) })),
      routes: ns.routes.map((r) => ({
        destination: formatPrefix(r.destination),
        via: r.gateway ? formatAddress(r.gateway) : null,
        dev: r.link,
        table: r.table,
        protocol: r.protocol,
      })),
      sysctls: { ...ns.sysctls },
    })),
    resources: plan.resources.map((r) => ({
      id: r.id,
      idHex: r.id.toString(16),
      namespace: r.namespace,
      prefix: formatPrefix(r.prefix),
      ipv4Network: r.ipv4Network ? formatPrefix(r.ipv4Network) : null,
      links: { ...r.links },
    })),
    vethPairs: plan.vethPairs.map((p) => ({ id: p.id, purpose: p.purpose, a: { ...p.a }, b: { ...p.b } })),
    wireguard: plan.wireguard.map((w) => ({
      id: w.id,
      name: w.name,
      createIn: w.createIn,
      namespace: w.namespace,
      listenPort: w.listenPort,
      addresses: w.addresses.map(formatPrefix),
    })),
    ipv4: {
      nat: plan.ipv4.nat.map((n) => ({ kind: n.kind, namespace: n.namespace, id: n.id, source: formatPrefix(n.source), outInterface: n.outInterface, toAddress: formatAddress(n.toAddress) })),
      firewall: plan.ipv4.firewall.map((f): Json => {
        switch (f.kind) {
          case 'accept-outbound':
            return { kind: f.kind, namespace: f.namespace, family: f.family, id: f.id, inInterface: f.inInterface, outInterface: f.outInterface, source: formatPrefix(f.source) };
          default:
            return { kind: f.kind, namespace: f.namespace, family: f.family };
        }
      }),
    },
    upstreamRoutes: plan.upstreamRoutes.map((r) => formatUpstreamRoute(r)),
  };
}

function creationJSON(c: ExitNodePlan['desired']['namespaces'][number]['links'][number]['creation']): { [key: string]: Json } {
  switch (c.kind) {
    case 'veth':
      return { kind: 'veth', peerNamespace: c.peerNamespace, peerName: c.peerName };
    case 'wireguard':
      return { kind: 'wireguard', createIn: c.createIn, listenPort: c.listenPort };
    case 'macvlan':
      return { kind: 'macvlan', parent: c.parent, parentNamespace: c.parentNamespace };
    default:
      return { kind: c.kind };
  }
}

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** A human-readable report of the plan: one table per namespace, then intents and upstream routes. */
export function formatPlanTable(plan: ExitNodePlan): string {
  const out: string[] = [];
  const { scope } = plan;
  out.push(`allocation ${scope.allocation.toString()}  ExitNode ${scope.exitNode}  (${formatPrefix(scope.allocation.exitNodePrefix(scope.exitNode))})  allocation number ${scope.allocationNumber}`);
  out.push('');
  out.push(table([['id', 'prefix', 'ipv4 network', 'namespace', 'gw end', 'ep end', 'wireguard', 'nr local'], ...plan.resources.map((r) => [
    r.id.toString(16),
    formatPrefix(r.prefix),
    r.ipv4Network ? formatPrefix(r.ipv4Network) : '(none)',
    r.namespace,
    r.links.gwToEp,
    r.links.epPub,
    r.links.wg ?? '-',
    r.links.nrLocal,
  ])]));
  for (const ns of plan.desired.namespaces) {
    out.push('');
    out.push(`namespace ${ns.name}`);
    const rows: string[][] = [['', 'interface', 'kind', 'value']];
    for (const l of ns.links) {
      const c = l.creation;
      const how = c.kind === 'veth' ? `peer ${c.peerName} in ${c.peerNamespace}` : c.kind === 'wireguard' ? `created in ${c.createIn}, port ${c.listenPort}` : c.kind === 'macvlan' ? `on ${c.parent}` : '';
      rows.push(['link', l.name, c.kind, how]);
    }
    for (const a of ns.addresses) rows.push(['addr', a.link, a.address.family === 6 ? 'inet6' : 'inet', formatPrefix(a.address)]);
    for (const r of ns.routes) rows.push(['route', r.link, r.destination.family === 6 ? 'inet6' : 'inet', formatRoute(r)]);
    for (const [k, v] of Object.entries(ns.sysctls)) rows.push(['sysctl', '', '', `${k}=${v}`]);
    out.push(table(rows));
  }
  out.push('');
  out.push('IPv4 intents (Gateway):');
  for (const n of plan.ipv4.nat) out.push(`  snat ${formatPrefix(n.source)} out ${n.outInterface} to ${formatAddress(n.toAddress)}`);
  for (const f of plan.ipv4.firewall) {
    out.push(f.kind === 'accept-outbound' ? `  forward accept ${formatPrefix(f.source)} in ${f.inInterface} out ${f.outInterface}` : `  forward ${f.kind}`);
  }
  out.push('');
  out.push('upstream router:');
  for (const r of plan.upstreamRoutes) out.push(`  ${formatUpstreamRoute(r)}${r.nexthopKind === 'link-local' ? ' dev <router interface>' : ''}`);
  return out.join('\n');
}

/** The operations as ip(8)-style lines. */
export function formatOperations(operations: readonly Operation[]): string {
  return operations.map(formatOperation).join('\n');
}
