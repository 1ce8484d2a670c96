import { describe, expect, it } from 'vitest';
import { mergeAs4Aggregator, mergeAs4Path, reconcileAs4 } from '../../../src/bgp/attributes/as4-merge.js';
import { splitAs4Aggregator, splitAs4Path } from '../../../src/bgp/attributes/as4-split.js';
import type { AsPath } from '../../../src/bgp/attributes/as-path.js';
import { formatAsPath } from '../../../src/bgp/attributes/as-path.js';

const seq = (...asns: number[]) => ({ type: 2 as const, asns });
const set = (...asns: number[]) => ({ type: 1 as const, asns });
const cseq = (...asns: number[]) => ({ type: 3 as const, asns });
const cset = (...asns: number[]) => ({ type: 4 as const, asns });
const T = 23456; // AS_TRANS

describe('mergeAs4Path (RFC 6793 §4.2.3)', () => {
  it.each<[string, AsPath, AsPath | undefined, string]>([
    ['no AS4_PATH: AS_PATH as is', [seq(100, 200)], undefined, '100 200'],
    ['same length: AS4_PATH replaces it', [seq(T, T)], [seq(4200000000, 4200000001)], '4200000000 4200000001'],
    ['leading ASNs of AS_PATH are kept', [seq(100, T, T, 300)], [seq(200000, 200001, 300)], '100 200000 200001 300'],
    ['AS4_PATH longer than AS_PATH: AS4_PATH ignored', [seq(100, T)], [seq(1, 2, 3)], `100 ${T}`],
    ['a set counts as one', [seq(100), set(T, 5)], [set(200000, 5)], '100 {200000,5}'],
    ['a set taken whole from AS_PATH', [set(1, 2), seq(T)], [seq(200000)], '{1,2} 200000'],
    ['leading confederation segment kept (counts zero)', [cseq(65001), seq(T, 300)], [seq(200000, 300)], '(65001) 200000 300'],
    ['confederation segment adjacent to a taken segment kept', [seq(100), cset(65001, 65002), seq(T)], [seq(200000)], '100 [65001,65002] 200000'],
    ['confederation segments in AS4_PATH dropped (RFC 6793 §6)', [seq(100, T)], [cseq(65001), seq(200000)], '100 200000'],
  ])('%s', (_name, asPath, as4Path, text) => {
    expect(formatAsPath(mergeAs4Path(asPath, as4Path))).toBe(text);
  });

  it('joins the kept AS_SEQUENCE and AS4_PATH into one segment', () => {
    expect(mergeAs4Path([seq(100, T)], [seq(200000)])).toEqual([seq(100, 200000)]);
  });

  it('does not change its inputs', () => {
    const a: AsPath = [seq(100, T, T)];
    const b: AsPath = [seq(1, 2)];
    mergeAs4Path(a, b);
    expect(a).toEqual([seq(100, T, T)]);
    expect(b).toEqual([seq(1, 2)]);
  });
});

describe('AS4_AGGREGATOR rule (RFC 6793 §4.2.3)', () => {
  const agg4 = { asn: 4200000000, address: '192.0.2.1' };
  it('AGGREGATOR with AS_TRANS: AS4_AGGREGATOR is used', () => {
    expect(mergeAs4Aggregator({ asn: T, address: '192.0.2.1' }, agg4)).toEqual({ aggregator: agg4, ignoreAs4Path: false });
  });
  it('AGGREGATOR not AS_TRANS: AS4_AGGREGATOR and AS4_PATH are ignored', () => {
    const agg = { asn: 65000, address: '192.0.2.9' };
    expect(mergeAs4Aggregator(agg, agg4)).toEqual({ aggregator: agg, ignoreAs4Path: true });
    const r = reconcileAs4({ asPath: [seq(100, T)], as4Path: [seq(200000)], aggregator: agg, as4Aggregator: agg4 });
    expect(r).toEqual({ asPath: [seq(100, T)], aggregator: agg });
  });
  it('no AGGREGATOR: nothing', () => {
    expect(mergeAs4Aggregator(undefined, agg4).aggregator).toBeUndefined();
  });
  it('reconcile applies both rules', () => {
    const r = reconcileAs4({ asPath: [seq(100, T)], as4Path: [seq(200000)], aggregator: { asn: T, address: '10.0.0.1' }, as4Aggregator: agg4 });
    expect(r).toEqual({ asPath: [seq(100, 200000)], aggregator: agg4 });
  });
});

describe('splitting for an OLD speaker (RFC 6793 §4.2.2)', () => {
  it('AS_TRANS in AS_PATH, real ASNs in AS4_PATH, without confederation segments', () => {
    const path: AsPath = [cseq(65001), seq(100, 4200000000)];
    const { asPath, as4Path } = splitAs4Path(path);
    expect(asPath).toEqual([cseq(65001), seq(100, T)]);
    expect(as4Path).toEqual([seq(100, 4200000000)]);
    // and merging back gives the original path
    expect(mergeAs4Path(asPath, as4Path)).toEqual(path);
  });
  it('no AS4_PATH when every ASN is mappable', () => {
    expect(splitAs4Path([seq(1, 2)]).as4Path).toBeUndefined();
    expect(splitAs4Aggregator({ asn: 65000, address: '10.0.0.1' }).as4Aggregator).toBeUndefined();
    expect(splitAs4Aggregator({ asn: 70000, address: '10.0.0.1' })).toEqual({
      aggregator: { asn: T, address: '10.0.0.1' },
      as4Aggregator: { asn: 70000, address: '10.0.0.1' },
    });
  });
});
