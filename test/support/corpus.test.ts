import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CORPUS_ROOT,
  corpusAvailable,
  corpusPath,
  loadBgpkitFixtures,
  loadExabgpDecodingCases,
  loadExabgpEncodingFiles,
  loadGobgpBadLenMessages,
  loadMrtparseSamples,
  loadRipeBgpdumpPairs,
  parseExabgpCi,
  readExabgpSession,
  type CorpusFolder,
} from './corpus.js';
import { isJsonObject } from './json.js';

/** Skip a folder's block only when the folder is absent, and say so loudly. */
function available(folder: CorpusFolder): boolean {
  const reason = corpusAvailable(folder);
  if (reason !== undefined) console.warn(`\n!!! corpus tests for ${folder} SKIPPED: ${reason} !!!\n`);
  return reason === undefined;
}

/** A number the folder's README states, e.g. `(22 cases)`. */
function readmeNumber(folder: CorpusFolder, pattern: RegExp): number {
  const match = pattern.exec(readFileSync(corpusPath(folder, 'README.txt'), 'utf8'));
  if (match?.[1] === undefined) throw new Error(`${folder}/README.txt does not match ${pattern}`);
  return Number(match[1]);
}

/** RFC 6396 §2 common header: type at offset 4 (TABLE_DUMP 12, TABLE_DUMP_V2 13, BGP4MP 16, BGP4MP_ET 17). */
function mrtType(bytes: Uint8Array): number {
  return ((bytes[4] ?? 0) << 8) | (bytes[5] ?? 0);
}

function headerLength(bytes: Uint8Array): number {
  return ((bytes[16] ?? 0) << 8) | (bytes[17] ?? 0);
}

it('locates the corpus next to the repository', () => {
  expect(CORPUS_ROOT.endsWith(`shared/corpus`) || process.env['FIBWIRE_CORPUS'] !== undefined).toBe(true);
  expect(corpusAvailable('no-such-folder' as CorpusFolder)).toMatch(/does not exist/);
});

describe.skipIf(!available('exabgp-qa'))('exabgp-qa', () => {
  it('loads every decoding case the README announces', () => {
    const cases = loadExabgpDecodingCases();
    expect(cases).toHaveLength(readmeNumber('exabgp-qa', /\((\d+) cases\)/)); // 22
    expect(cases.filter((c) => c.hasHeader)).toHaveLength(16);
    for (const c of cases.filter((x) => x.hasHeader)) expect(headerLength(c.bytes), c.name).toBe(c.bytes.length);
    for (const c of cases) expect(isJsonObject(c.expected), c.name).toBe(true);
    const unicast = cases.find((c) => c.name === 'ipv4-unicast-1');
    expect([unicast?.kind, unicast?.afi, unicast?.safi]).toEqual(['update', 'ipv4', 'unicast']);
    const open = cases.find((c) => c.name === 'bgp-open-sofware-version');
    expect([open?.kind, open?.afi, open?.bytes[18]]).toEqual(['open', undefined, 1]);
  });

  it('loads every raw encoding message (README says 168; 2 of those lines are commented out)', () => {
    const files = loadExabgpEncodingFiles();
    const skipConfs = 2; // skip-large.conf, skip-large-mp.conf are not test vectors
    expect(files.length + skipConfs).toBe(readmeNumber('exabgp-qa', /\((\d+) files/)); // 42
    const messages = files.flatMap((f) => f.messages);
    const commentedOut = files
      .map((f) => readFileSync(corpusPath('exabgp-qa', 'encoding', f.name), 'utf8'))
      .join('\n')
      .split('\n')
      .filter((line) => /^#\s*\d+:raw:/.test(line)).length;
    expect(commentedOut).toBe(2);
    expect(messages.length + commentedOut).toBe(readmeNumber('exabgp-qa', /\((\d+) raw messages/)); // 168
    expect(messages).toHaveLength(166);
    for (const m of messages) expect(headerLength(m.bytes), `${m.line}`).toBe(m.bytes.length);
    expect(messages.filter((m) => m.json !== undefined)).toHaveLength(102);
    expect(messages.filter((m) => Object.keys(m.jsonVariants).length === 2)).toHaveLength(3);
    for (const f of files) if (f.confPath !== undefined) expect(existsSync(f.confPath), f.confPath).toBe(true);
    expect(files.filter((f) => f.confPath !== undefined)).toHaveLength(40);
  });

  it('summarises the session a .ci file runs under from its conf', () => {
    const conf = (name: string): string => corpusPath('exabgp-qa', 'conf', name);
    expect(readExabgpSession(conf('conf-addpath.conf'))).toEqual({
      localAs: 1,
      peerAs: 1,
      asn4: true,
      addPath: 'send/receive',
      addPathFamilies: ['ipv4 unicast', 'ipv4 mpls-vpn'],
      families: ['ipv4 unicast', 'ipv4 mpls-vpn', 'ipv6 unicast'],
    });
    expect(readExabgpSession(conf('conf-path-information.conf'))).toMatchObject({
      addPath: 'send/receive',
      addPathFamilies: ['ipv4 unicast'],
    });
    expect(readExabgpSession(conf('conf-no-asn4.conf'))).toMatchObject({ asn4: false, localAs: 65533, addPath: undefined });
    expect(readExabgpSession(conf('conf-ebgp.conf'))).toMatchObject({ localAs: 65533, peerAs: 65000, asn4: true });
    expect(readExabgpSession(conf('conf-group.conf'))).toMatchObject({ localAs: 65533, peerAs: 65533 }); // from the template
  });

  it('parses the .ci triple format, stripping the visual colons', () => {
    const parsed = parseExabgpCi(
      'inline.ci',
      [
        'option:file:x.conf',
        'option:asn:65000',
        '# 1:raw:FFFF (commented out)',
        '1:cmd:announce eor ipv4 unicast',
        '1:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000',
        '1:json:{"type":"update"}',
        '2:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0013:04',
      ].join('\n'),
    );
    expect(parsed.options).toEqual(['asn:65000']);
    expect(parsed.confPath?.endsWith('exabgp-qa/conf/x.conf')).toBe(true);
    expect(parsed.messages.map((m) => [m.index, m.line, m.command, m.bytes.length, m.json])).toEqual([
      [1, 5, 'announce eor ipv4 unicast', 23, { type: 'update' }],
      [2, 7, 'announce eor ipv4 unicast', 19, undefined],
    ]);
    expect(() => parseExabgpCi('bad.ci', '1:json:{}')).toThrow(/without a preceding raw/);
  });
});

describe.skipIf(!available('ripe-bgpdump'))('ripe-bgpdump', () => {
  it('pairs every MRT input with its gunzipped bgpdump -vm output', () => {
    const pairs = loadRipeBgpdumpPairs();
    expect(pairs).toHaveLength(readmeNumber('ripe-bgpdump', /subset, (\d+) of/)); // 10
    const small = pairs.find((p) => p.name === 'updates.nlri_mask_trailing_bits.gz');
    expect(small).toBeDefined();
    const lines = small?.expectedLines() ?? [];
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.split('|').length, line).toBeGreaterThan(5);
    for (const pair of pairs) expect([12, 13, 16, 17], pair.name).toContain(mrtType(pair.inputBytes()));
  });
});

describe.skipIf(!available('gobgp-bad-len'))('gobgp-bad-len', () => {
  it('loads every malformed message', () => {
    const messages = loadGobgpBadLenMessages();
    expect(messages).toHaveLength(readmeNumber('gobgp-bad-len', /\((\d+) files\)/)); // 11
    for (const m of messages) expect(m.bytes.length, m.name).toBeGreaterThan(0);
  });
});

describe.skipIf(!available('mrtparse-samples'))('mrtparse-samples', () => {
  it('lists the MRT dumps (not the configs or READMEs), each starting with an MRT header', () => {
    const samples = loadMrtparseSamples();
    expect(samples).toHaveLength(12);
    for (const sample of samples) {
      expect([12, 13, 16, 17], sample.name).toContain(mrtType(readFileSync(sample.path)));
    }
    expect(samples.find((s) => s.name === 'bird_bgp')?.confPath?.endsWith('bird.conf')).toBe(true);
    expect(samples.find((s) => s.name === 'bird6-mrtdump_rib')?.confPath?.endsWith('bird6-mrtdump.conf')).toBe(true);
    expect(samples.find((s) => s.name === 'openbgpd_rib_table-v2')?.producer).toBe('openbgpd');
  });
});

describe.skipIf(!available('bgpkit-parser-fixtures'))('bgpkit-parser-fixtures', () => {
  it('lists the RIS MRT files, the bz2 updates file and the ORF pcap', () => {
    const fixtures = loadBgpkitFixtures();
    const ripe = fixtures.filter((f) => f.name.startsWith('ripe/'));
    expect(ripe).toHaveLength(readmeNumber('bgpkit-parser-fixtures', /\((\d+) of 9 files/)); // 7
    expect(ripe.every((f) => f.compression === 'gzip' && f.kind === 'mrt')).toBe(true);
    expect(fixtures.filter((f) => f.kind === 'pcap').map((f) => f.name)).toEqual([
      'packetlife/bgp_orf_prefix_advertisement.pcapng.cap',
    ]);
    expect(fixtures.filter((f) => f.compression === 'bzip2').map((f) => f.name)).toEqual(['updates.bz2']);
    expect(fixtures).toHaveLength(9);
  });
});
