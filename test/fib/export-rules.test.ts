import { describe, expect, it } from 'vitest';
import { parseExportRules } from '../../src/fib/config.js';
import { diffRules, ruleMatches, rulesEqual } from '../../src/fib/export-rules.js';
import type { BestRoute } from '../../src/fib/route-source.js';

const route = (communities: number[], large: [number, number, number][] = []): BestRoute => ({ prefix: '203.0.113.0/24', nexthop: '192.0.2.1', communities, largeCommunities: large });

describe('ruleMatches', () => {
  const [all, std, lrg] = parseExportRules([
    { name: 'all', table: 1 },
    { name: 'std', table: 2, communities: ['65000:100', '65000:200'] },
    { name: 'lrg', table: 3, largeCommunities: ['65000:1:2'] },
  ]);
  it.each([
    ['empty list matches everything', all!, route([]), true],
    ['OR: one of two communities is enough', std!, route([0xfde800c8]), true],
    ['no listed community', std!, route([0xfde8012c]), false],
    ['large community', lrg!, route([], [[65000, 1, 2]]), true],
    ['large community differs in one part', lrg!, route([], [[65000, 1, 3]]), false],
    ['a standard community does not match a large rule', lrg!, route([0xfde80064]), false],
  ])('%s', (_name, rule, r, expected) => {
    expect(ruleMatches(rule, r)).toBe(expected);
  });
});

describe('rulesEqual / diffRules', () => {
  const base = [{ name: 'a', table: 1, communities: ['65000:1'] }, { name: 'b', table: 2 }];
  it('is a deep comparison', () => {
    expect(rulesEqual(parseExportRules(base), parseExportRules(structuredClone(base)))).toBe(true);
    expect(rulesEqual(parseExportRules(base), parseExportRules([{ ...base[0]!, metric: 21 }, base[1]!]))).toBe(false);
    expect(rulesEqual(parseExportRules(base), parseExportRules([{ ...base[0]!, communities: ['65000:2'] }, base[1]!]))).toBe(false);
    expect(rulesEqual(parseExportRules(base), parseExportRules([base[1]!, base[0]!]))).toBe(false);
  });
  it('names added, removed and changed rules', () => {
    const d = diffRules(parseExportRules(base), parseExportRules([{ ...base[0]!, table: 5 }, { name: 'c', table: 3 }]));
    expect(d).toEqual({ added: ['c'], removed: ['b'], changed: ['a'] });
  });
});
