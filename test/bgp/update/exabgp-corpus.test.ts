import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusAvailable, loadExabgpDecodingCases, loadExabgpEncodingFiles } from '../../support/corpus.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../support/json.js';
import { BgpError } from '../../../src/bgp/errors.js';
import { createCodecContext, type CodecContext } from '../../../src/bgp/context.js';
import { UpdateView } from '../../../src/bgp/update/update-view.js';
import { formatAsPath } from '../../../src/bgp/attributes/as-path.js';
import { rebuildUpdate } from './rebuild.js';
import { toHex } from '../../support/hex.js';

/** ExaBGP family names of the families fibwire decodes. */
const SUPPORTED: Readonly<Record<string, string>> = {
  'ipv4 unicast': 'ipv4-unicast',
  'ipv6 unicast': 'ipv6-unicast',
  'ipv4 multicast': 'ipv4-multicast',
  'ipv6 multicast': 'ipv6-multicast',
};

interface Case {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly hasHeader: boolean;
  readonly ctx: CodecContext;
  /** ExaBGP's `message.update` object. */
  readonly update: JsonObject;
}

function obj(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}

/** The session a .conf describes, as far as decoding is concerned: ADD-PATH families and asn4. */
function contextFromConf(confPath: string | undefined): CodecContext {
  if (!confPath) return createCodecContext();
  const conf = readFileSync(confPath, 'utf8');
  const families = [...(/family\s*\{([^}]*)\}/.exec(conf)?.[1] ?? '').matchAll(/(ipv4|ipv6)\s+(unicast|multicast)/g)].map((m) => `${m[1]}-${m[2]}`);
  const addPathBlock = /add-path\s*\{([^}]*)\}/.exec(conf)?.[1];
  const addPath = /add-path\s+(send\/receive|receive|send)/.test(conf)
    ? addPathBlock
      ? [...addPathBlock.matchAll(/(ipv4|ipv6)\s+(unicast|multicast)/g)].map((m) => `${m[1]}-${m[2]}`)
      : families
    : [];
  return createCodecContext({ asn4: !/asn4\s+disable/.test(conf), addPath });
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const c of loadExabgpDecodingCases()) {
    if (c.kind !== 'update') continue;
    const update = obj(obj(obj(obj(c.expected)['neighbor'])['message'])['update']);
    out.push({ name: `decoding/${c.name}`, bytes: c.bytes, hasHeader: c.hasHeader, ctx: createCodecContext(), update });
  }
  for (const f of loadExabgpEncodingFiles()) {
    const ctx = contextFromConf(f.confPath);
    for (const m of f.messages) {
      if (m.bytes.length < 19 || m.bytes[18] !== 2 || m.json === undefined) continue;
      const update = obj(obj(obj(obj(m.json)['neighbor'])['message'])['update']);
      out.push({ name: `${f.name}:${m.line}`, bytes: m.bytes, hasHeader: true, ctx, update });
    }
  }
  return out;
}

function pathIdOf(v: JsonValue | undefined): number | undefined {
  if (typeof v !== 'string') return undefined;
  const parts = v.split('.').map(Number);
  return parts.length === 4 ? ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]! : Number(v);
}

/** What ExaBGP says, reduced to the facts we compare. */
function expectedFacts(update: JsonObject): { families: Record<string, string[]>; unsupported: string[] } {
  const families: Record<string, string[]> = {};
  const unsupported: string[] = [];
  for (const [dir, block] of [
    ['announce', obj(update['announce'])],
    ['withdraw', obj(update['withdraw'])],
  ] as const) {
    for (const [exaFamily, content] of Object.entries(block)) {
      const fam = SUPPORTED[exaFamily];
      if (!fam) {
        unsupported.push(exaFamily);
        continue;
      }
      const list = (families[`${dir} ${fam}`] ??= []);
      const add = (nextHop: string, routes: JsonValue): void => {
        for (const r of Array.isArray(routes) ? routes : []) {
          const route = obj(r);
          const id = pathIdOf(route['path-information']);
          list.push(`${String(route['nlri'])}${id !== undefined ? `#${id}` : ''}${nextHop ? ` via ${nextHop}` : ''}`);
        }
      };
      if (dir === 'withdraw') add('', content);
      else for (const [nh, routes] of Object.entries(obj(content))) add(nh, routes);
    }
  }
  for (const v of Object.values(families)) v.sort();
  return { families, unsupported };
}

function actualFacts(view: UpdateView): Record<string, string[]> {
  const json = view.toJSON();
  const families: Record<string, string[]> = {};
  for (const [fam, a] of Object.entries(json.announced)) {
    families[`announce ${fam}`] = a.prefixes.map((p) => `${p.prefix}${p.pathId !== undefined ? `#${p.pathId}` : ''} via ${a.nextHop ?? ''}`).sort();
  }
  for (const [fam, list] of Object.entries(json.withdrawn)) {
    families[`withdraw ${fam}`] = list.map((p) => `${p.prefix}${p.pathId !== undefined ? `#${p.pathId}` : ''}`).sort();
  }
  for (const k of Object.keys(families)) if (families[k]!.length === 0) delete families[k];
  return families;
}

/** Attribute facts ExaBGP prints that map one to one onto ours. */
function compareAttributes(view: UpdateView, attrs: JsonObject): string[] {
  const diffs: string[] = [];
  const check = (what: string, ours: unknown, theirs: unknown): void => {
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) diffs.push(`${what}: ours ${JSON.stringify(ours)} theirs ${JSON.stringify(theirs)}`);
  };
  if ('origin' in attrs) check('origin', ['igp', 'egp', 'incomplete'][view.origin ?? -1], attrs['origin']);
  if ('med' in attrs) check('med', view.med, attrs['med']);
  if ('local-preference' in attrs) check('local-preference', view.localPref, attrs['local-preference']);
  if ('atomic-aggregate' in attrs) check('atomic-aggregate', view.atomicAggregate, attrs['atomic-aggregate']);
  if ('community' in attrs) check('community', (view.communities ?? []).map((c) => [c >>> 16, c & 0xffff]), attrs['community']);
  if ('aggregator' in attrs) check('aggregator', view.aggregator ? `${view.aggregator.asn}:${view.aggregator.address}` : undefined, attrs['aggregator']);
  if ('originator-id' in attrs) check('originator-id', view.originatorId, attrs['originator-id']);
  if ('cluster-list' in attrs) check('cluster-list', view.clusterList, attrs['cluster-list']);
  if ('large-community' in attrs) {
    const theirs = attrs['large-community'];
    const ours = (view.largeCommunities ?? []).map((c) => c.join(':'));
    check('large-community', ours, Array.isArray(theirs) ? theirs.map((c) => (Array.isArray(c) ? c.join(':') : String(c))) : theirs);
  }
  const asPath = attrs['as-path'];
  if (isJsonObject(asPath)) {
    const theirs = Object.values(asPath).map((seg) => `${String(obj(seg)['element'])} ${JSON.stringify(obj(seg)['value'])}`);
    const ours = (view.asPath ?? []).map((s) => `${['', 'as-set', 'as-sequence', 'confed-sequence', 'confed-set'][s.type]} ${JSON.stringify(s.asns)}`);
    check('as-path', ours, theirs);
  } else if (Array.isArray(asPath)) {
    check('as-path', formatAsPath(view.asPath ?? []), asPath.join(' '));
  }
  return diffs;
}

const missing = corpusAvailable('exabgp-qa');
if (missing !== undefined) console.warn(`\n!!! ExaBGP corpus tests SKIPPED: ${missing} !!!\n`);

describe.skipIf(missing !== undefined)('ExaBGP corpus: UPDATE decoding (exabgp-qa)', () => {
  it('decodes every UPDATE: unicast/multicast facts match, other families come back as unsupported, never a crash', () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(100);
    const failures: string[] = [];
    let matched = 0;
    let matchedWithPrefixes = 0;
    let unsupportedOnly = 0;
    let typedErrors = 0;
    for (const c of all) {
      let view: UpdateView;
      try {
        view = c.hasHeader ? UpdateView.fromMessage(c.bytes, c.ctx) : UpdateView.fromBody(c.bytes, 0, c.bytes.length, c.ctx);
        view.toJSON();
      } catch (e) {
        if (!(e instanceof BgpError)) throw e;
        typedErrors++;
        failures.push(`${c.name}: ${e.code} ${e.message}`);
        continue;
      }
      const expected = expectedFacts(c.update);
      const actual = actualFacts(view);
      const diffs: string[] = [];
      if (JSON.stringify(actual) !== JSON.stringify(expected.families)) diffs.push(`prefixes: ours ${JSON.stringify(actual)} theirs ${JSON.stringify(expected.families)}`);
      if (expected.unsupported.length > 0 && view.unsupportedNlri().length === 0) diffs.push(`expected unsupported families ${expected.unsupported.join(', ')}`);
      diffs.push(...compareAttributes(view, obj(c.update['attribute'])));
      if (diffs.length > 0) failures.push(`${c.name}: ${diffs.join('; ')}`);
      else if (Object.keys(expected.families).length === 0 && expected.unsupported.length > 0) unsupportedOnly++;
      else {
        matched++;
        if (Object.keys(expected.families).length > 0) matchedWithPrefixes++;
      }
    }
    console.log(
      JSON.stringify({ corpus: 'exabgp-qa', updates: all.length, matched, matchedWithPrefixes, unsupportedFamilyOnly: unsupportedOnly, typedErrors, failures: failures.length }),
    );
    for (const f of failures) console.log(`  mismatch ${f}`);
    expect(failures).toEqual([]);
  });

  it('re-encodes UPDATEs: canonical ones byte-identically, the others to the same attributes and prefixes', () => {
    let identical = 0;
    let sameContent = 0;
    let considered = 0;
    const problems: string[] = [];
    /** Attributes as raw hex, sorted, without a NEXT_HOP that RFC 4760 §3 says to ignore. */
    const attributeSet = (v: UpdateView): string[] =>
      [...v.attributes()].filter((a) => a.type !== 3 || v.hasClassicNlri).map((a) => toHex(a.value) + `/${a.type}`).sort();
    const prefixSet = (v: UpdateView): string[] => [...v.withdrawn()].map((p) => `-${p.toString()}`).concat([...v.announced()].map((p) => p.toString()));
    for (const c of cases()) {
      if (!c.hasHeader) continue;
      let view: UpdateView;
      try {
        view = UpdateView.fromMessage(c.bytes, c.ctx);
        if (view.validate().action !== 'ok' || view.unsupportedNlri().length > 0) continue;
      } catch (e) {
        if (e instanceof BgpError) continue;
        throw e;
      }
      const hasPrefixes = prefixSet(view).length > 0;
      if (!hasPrefixes && !view.isEndOfRib) continue; // attributes without prefixes: nothing for a builder to send
      considered++;
      const again = rebuildUpdate(view, c.ctx);
      // fibwire's canonical form: MP attribute first (RFC 7606 §5.1), no NEXT_HOP in MP-only UPDATEs (RFC 4760 §3).
      const mpFirst = view.layout.mpReachIndex <= 0 && view.layout.mpUnreachIndex <= 0;
      const canonical = mpFirst && (view.hasClassicNlri || !view.has(3));
      if (again.length === 1 && toHex(again[0]!) === toHex(c.bytes)) {
        identical++;
        continue;
      }
      if (canonical) {
        problems.push(`${c.name} (canonical): theirs ${toHex(c.bytes)} ours ${again.map(toHex).join(' + ')}`);
        continue;
      }
      const back = again.map((f) => UpdateView.fromMessage(f, c.ctx));
      const ok =
        back.length === 1 &&
        JSON.stringify(attributeSet(back[0]!)) === JSON.stringify(attributeSet(view)) &&
        JSON.stringify(prefixSet(back[0]!)) === JSON.stringify(prefixSet(view));
      if (ok) sameContent++;
      else problems.push(`${c.name}: content differs`);
    }
    console.log(JSON.stringify({ corpus: 'exabgp-qa', reencoded: considered, byteIdentical: identical, sameContentOtherOrder: sameContent }));
    for (const d of problems) console.log(`  problem ${d}`);
    expect(considered).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  });
});
