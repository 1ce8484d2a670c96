import { describe, expect, it } from 'vitest';
import { createCodecContext } from '../../../src/bgp/context.js';
import { EncodeError } from '../../../src/bgp/errors.js';
import { Prefix } from '../../../src/bgp/prefix.js';
import { Bgp4mpMessage, Bgp4mpStateChange } from '../../../src/bgp/mrt/bgp4mp.js';
import { MrtError } from '../../../src/bgp/mrt/mrt-error.js';
import { MrtFramer } from '../../../src/bgp/mrt/mrt-framer.js';
import { decodeMrtRecord, type MrtDecodeState, type MrtRecord } from '../../../src/bgp/mrt/mrt-record.js';
import { abbreviatedMpReach, MrtWriter } from '../../../src/bgp/mrt/mrt-writer.js';
import { PeerIndexTable } from '../../../src/bgp/mrt/peer-index-table.js';
import { RibRecord } from '../../../src/bgp/mrt/rib-record.js';
import { encodeAttributeBlocks } from '../../../src/bgp/update/path-attributes.js';
import { UpdateBuilder } from '../../../src/bgp/update/update-builder.js';
import { toHex } from '../../support/hex.js';
import * as V from './mrt-vectors.js';

function decodeFile(bytes: Uint8Array): MrtRecord[] {
  const f = new MrtFramer();
  f.push(bytes);
  f.end();
  const state: MrtDecodeState = { peerIndex: undefined };
  const out: MrtRecord[] = [];
  for (let r = f.next(); r; r = f.next()) {
    if (r instanceof MrtError) throw r;
    out.push(decodeMrtRecord(r, state));
  }
  return out;
}

const ctx = createCodecContext({ asn4: true });

describe('MrtWriter', () => {
  it('writes the PEER_INDEX_TABLE of the hand-written vector byte for byte', () => {
    const w = new MrtWriter();
    const bytes = w.peerIndexTable(V.T, {
      collectorBgpId: '192.0.2.254',
      viewName: 'view',
      peers: [
        { bgpId: '192.0.2.1', ip: '192.0.2.1', asn: 65000 },
        { bgpId: '192.0.2.2', ip: '2001:db8::2', asn: 4200000001 },
      ],
    });
    expect(toHex(bytes)).toBe(toHex(V.PEER_INDEX));
  });

  it('round-trips RIB entries (with and without ADD-PATH), messages and state changes', () => {
    const w = new MrtWriter();
    w.peerIndexTable(V.T, { collectorBgpId: '192.0.2.254', peers: [{ bgpId: '192.0.2.1', ip: '192.0.2.1', asn: 65000 }] });
    const v4attrs = encodeAttributeBlocks({ origin: 0, asPath: [{ type: 2, asns: [65000, 4200000001] }], nextHop: '192.0.2.1', communities: [0xfde80064] }, ctx).classic;
    w.ribEntry(V.T, 1, Prefix.parse('198.51.100.0/24'), [{ peerIndex: 0, originatedTime: V.T - 60, attributes: v4attrs }]);
    const mp = abbreviatedMpReach('2001:db8::1', 'fe80::1');
    const rest = encodeAttributeBlocks({ origin: 0, asPath: [{ type: 2, asns: [65000] }] }, ctx).mpOnly;
    const v6attrs = new Uint8Array([...mp, ...rest]);
    w.ribEntry(V.T, 2, Prefix.parse('2001:db8:1::/48'), [{ peerIndex: 0, originatedTime: V.T, pathId: 9, attributes: v6attrs }]);
    const [frame] = new UpdateBuilder(ctx).attributes({ origin: 0, asPath: [{ type: 2, asns: [65000] }], nextHop: '192.0.2.1' }).announce([Prefix.parse('203.0.113.0/24')]).build();
    w.bgp4mpMessageAs4(V.T + 1, { peerAs: 65000, localAs: 65001, peerIp: '192.0.2.1', localIp: '192.0.2.2' }, frame!);
    w.bgp4mpStateChangeAs4(V.T + 2, { peerAs: 4200000001, localAs: 65001, peerIp: '2001:db8::1', localIp: '2001:db8::2' }, 6, 1);
    expect(w.records).toBe(5);

    const [pit, rib4, rib6, msg, state] = decodeFile(w.finish());
    expect((pit as PeerIndexTable).peers[0]!.asn).toBe(65000);
    const r4 = rib4 as RibRecord;
    expect([r4.header.subtype, r4.prefix?.toString(), r4.entries[0]!.originatedTime]).toEqual([2, '198.51.100.0/24', V.T - 60]);
    expect(r4.entries[0]!.attributes.decode(2)).toEqual([{ type: 2, asns: [65000, 4200000001] }]);
    const r6 = rib6 as RibRecord;
    expect([r6.header.subtype, r6.addPath, r6.entries[0]!.pathId, r6.prefix?.toString()]).toEqual([10, true, 9, '2001:db8:1::/48']);
    expect(JSON.stringify(r6.entries[0]!.attributes.decode(14))).toContain('fe80::1');
    const m = msg as Bgp4mpMessage;
    expect([m.header.subtype, m.peerAs, m.peerIp]).toEqual([4, 65000, '192.0.2.1']);
    expect([...m.update().announced()].map(String)).toEqual(['203.0.113.0/24']);
    const s = state as Bgp4mpStateChange;
    expect([s.header.subtype, s.peerAs, s.peerIp, s.oldState, s.newState]).toEqual([5, 4200000001, '2001:db8::1', 6, 1]);
  });

  it('rejects what cannot be encoded with an EncodeError naming the field', () => {
    const w = new MrtWriter();
    expect(() => w.peerIndexTable(-1, { collectorBgpId: '192.0.2.1', peers: [] })).toThrowError(EncodeError);
    expect(() => w.peerIndexTable(V.T, { collectorBgpId: 'nope', peers: [] })).toThrowError(/collectorBgpId/);
    expect(() => w.ribEntry(V.T, 0, Prefix.parse('10.0.0.0/8'), [{ peerIndex: 70000, originatedTime: 0, attributes: new Uint8Array(0) }])).toThrowError(/peerIndex/);
    expect(() => w.ribEntry(V.T, 0, Prefix.parse('10.0.0.0/8'), [{ peerIndex: 0, originatedTime: 0, attributes: new Uint8Array(70000) }])).toThrowError(
      expect.objectContaining({ field: 'RIB entry attributes', size: 70000, limit: 65535 }),
    );
    expect(() => w.bgp4mpMessageAs4(V.T, { peerAs: 1, localAs: 2, peerIp: '192.0.2.1', localIp: '2001:db8::1' }, new Uint8Array(19))).toThrowError(/localIp/);
    expect(w.records).toBe(0);
  });
});
