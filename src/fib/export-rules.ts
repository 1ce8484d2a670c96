import type { ExportRule } from './config.js';
import type { BestRoute } from './route-source.js';

/**
 * True when the route carries ANY of the rule's communities or large communities
 * (OR logic, as the seed settled after an AND bug); a rule listing none matches
 * every route.
 */
export function ruleMatches(rule: ExportRule, route: BestRoute): boolean {
  if (rule.communities.length === 0 && rule.largeCommunities.length === 0) return true;
  for (const c of route.communities) if (rule.communities.includes(c)) return true;
  for (const l of route.largeCommunities) {
    for (const r of rule.largeCommunities) if (r[0] === l[0] && r[1] === l[1] && r[2] === l[2]) return true;
  }
  return false;
}

/** Deep equality of two rule lists, order included (order decides which rule wins a table). */
export function rulesEqual(a: readonly ExportRule[], b: readonly ExportRule[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name || x.table !== y.table || x.vrf !== y.vrf || x.metric !== y.metric || x.validateNexthop !== y.validateNexthop) return false;
    if (x.communities.length !== y.communities.length || x.communities.some((c, j) => c !== y.communities[j])) return false;
    if (x.largeCommunities.length !== y.largeCommunities.length) return false;
    for (let j = 0; j < x.largeCommunities.length; j++) {
      const p = x.largeCommunities[j]!;
      const q = y.largeCommunities[j]!;
      if (p[0] !== q[0] || p[1] !== q[1] || p[2] !== q[2]) return false;
    }
  }
  return true;
}

/** Names of rules added, removed and changed between two lists (for the `reconfigured` event). */
export function diffRules(before: readonly ExportRule[], after: readonly ExportRule[]): { added: string[]; removed: string[]; changed: string[] } {
  const old = new Map(before.map((r) => [r.name, r]));
  const neu = new Map(after.map((r) => [r.name, r]));
  const added = [...neu.keys()].filter((n) => !old.has(n));
  const removed = [...old.keys()].filter((n) => !neu.has(n));
  const changed = [...neu.keys()].filter((n) => old.has(n) && !rulesEqual([old.get(n)!], [neu.get(n)!]));
  return { added, removed, changed };
}
