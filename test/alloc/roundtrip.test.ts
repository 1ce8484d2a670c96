// parse(derive(id)) == id for ALL 61,440 network-resource ids: every derived
// name and address parses back to the id it came from, and nothing derived
// for two different ids is equal.
import { describe, expect, it } from 'vitest';
import { Allocation } from '../../src/alloc/allocation.js';
import {
  epPubIP4R,
  epPubLL,
  gwToEpLL,
  hasIPv4Network,
  matchAddress,
  nrLocalIP4,
  nrLocalIP6,
  wgIP4RT,
  wgLL,
} from '../../src/alloc/addresses.js';
import { FIRST_RESOURCE_ID, LAST_RESOURCE_ID, RESOURCE_ID_COUNT, exitNodeOf } from '../../src/alloc/ids.js';
import { formatPrefix, hostBitsClear } from '../../src/alloc/ip.js';
import { epPubName, exitPointNamespaceName, gwToEpName, matchLinkName, matchNamespaceName, nrLocalName, nrPeerName, wgName } from '../../src/alloc/names.js';
import { matchRouteDestination } from '../../src/alloc/routes.js';

const A = Allocation.parse('2001:db8:7::/48');

describe('alloc round trip over every resource id', () => {
  it(`covers ${RESOURCE_ID_COUNT} ids`, () => {
    expect(RESOURCE_ID_COUNT).toBe(61_440);
    const seen = new Set<string>();
    let checked = 0;
    for (let id = FIRST_RESOURCE_ID; id <= LAST_RESOURCE_ID; id++) {
      const n = exitNodeOf(id);
      if (n !== id >>> 12) throw new Error(`exitNodeOf(${id})`);
      for (const alloc of [1, 65535]) {
        for (const name of [gwToEpName(id, alloc), epPubName(id, alloc), wgName(id, alloc), nrLocalName(id, alloc), nrPeerName(id, alloc)]) {
          const parsed = matchLinkName(name);
          if (!parsed || parsed.role === 'GWPubName' || parsed.id !== id || parsed.allocationNumber !== alloc) {
            throw new Error(`name ${name} did not parse back to ${id}`);
          }
          if (seen.has(name)) throw new Error(`name ${name} derived twice`);
          seen.add(name);
        }
        const ns = matchNamespaceName(exitPointNamespaceName(id, alloc));
        if (ns?.role !== 'exitPoint' || ns.id !== id || ns.allocationNumber !== alloc) throw new Error(`namespace of ${id}`);
      }
      const addresses = [gwToEpLL(id), epPubLL(id), epPubIP4R(id), wgLL(id), wgIP4RT(id), nrLocalIP6(A, id)];
      if (hasIPv4Network(id)) addresses.push(nrLocalIP4(id));
      for (const address of addresses) {
        const parsed = matchAddress(address, A);
        if (!parsed || !('id' in parsed) || parsed.id !== id || parsed.exitNode !== n) {
          throw new Error(`address ${formatPrefix(address)} did not parse back to ${id}`);
        }
        const key = formatPrefix(address);
        if (seen.has(key)) throw new Error(`address ${key} derived twice`);
        seen.add(key);
      }
      const destination = A.resourcePrefix(id);
      if (!hostBitsClear(destination)) throw new Error(`host bits in the /64 of ${id}`);
      const route = matchRouteDestination(destination, A);
      if (route?.role !== 'ResourcePrefix' || route.id !== id) throw new Error(`route destination of ${id}`);
      checked++;
    }
    expect(checked).toBe(61_440);
    // 2 allocation numbers x 5 names + 6 or 7 addresses per id, all distinct
    expect(seen.size).toBe(61_440 * 10 + 61_440 * 6 + (61_440 - 256));
  });
});
