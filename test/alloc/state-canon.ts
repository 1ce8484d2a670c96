/** Canonical text of a state model, so two states compare with one string equality. */
import type { ActualState } from '../../src/alloc/state.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export function canonState(s: ActualState): string {
  return JSON.stringify(
    [...s.namespaces]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((ns) => ({
        name: ns.name,
        links: [...ns.links].map((l) => `${l.name}:${l.kind}:${l.up}`).sort(),
        addresses: ns.addresses.map((a) => `${a.link} ${hex(a.address.bytes)}/${a.address.length}`).sort(),
        routes: ns.routes
          .map((r) => `${r.link} ${hex(r.destination.bytes)}/${r.destination.length} ${r.gateway ? hex(r.gateway.bytes) : '-'} ${r.protocol} ${r.table}`)
          .sort(),
        sysctls: Object.entries(ns.sysctls).sort(),
      })),
    null,
    1,
  );
}
