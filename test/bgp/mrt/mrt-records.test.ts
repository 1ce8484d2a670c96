import { describe, expect, it } from 'vitest';
import { Bgp4mpMessage, Bgp4mpStateChange } from '../../../src/bgp/mrt/bgp4mp.js';
import { LegacyBgpRecord } from '../../../src/bgp/mrt/legacy-bgp.js';
import { MrtError } from '../../../src/bgp/mrt/mrt-error.js';
import { MrtFramer, type MrtRawRecord } from '../../../src/bgp/mrt/mrt-framer.js';
import { decodeMrtRecord, type MrtDecodeState, type MrtRecord } from '../../../src/bgp/mrt/mrt-record.js';
import { PeerIndexTable } from '../../../src/bgp/mrt/peer-index-table.js';
import { RibRecord } from '../../../src/bgp/mrt/rib-record.js';
import { TableDumpRecord } from '../../../src/bgp/mrt/table-dump.js';
import { MrtUnknownRecord } from '../../../src/bgp/mrt/unknown-record.js';
import { concatBytes, hex } from '../../support/hex.js';
import * as V from './mrt-vectors.js';

function raw(bytes: Uint8Array): MrtRawRecord {
  const f = new MrtFramer();
  f.push(bytes);
  const r = f.next();
  if (!r || r instanceof MrtError) throw new Error('vector does not frame');
  return r;
}

function decodeAll(...records: Uint8Array[]): (MrtRecord | MrtError)[] {
  const state: MrtDecodeState = { peerIndex: undefined };
  const f = new MrtFramer();
  f.push(concatBytes(records));
  f.end();
  const out: (MrtRecord | MrtError)[] = [];
  for (let r = f.next(); r; r = f.next()) {
    if (r instanceof MrtError) out.push(r);
    else {
      try {
        out.push(decodeMrtRecord(r, state));
      } catch (e) {
        out.push(e as MrtError);
      }
    }
  }
  return out;
}

describe('TABLE_DUMP (RFC 6396 §4.2)', () => {
  it('reads view, sequence, prefix, status, times, peer and a lazy attribute block', () => {
    const r = TableDumpRecord.decode(raw(V.TABLE_DUMP_V4));
    expect([r.viewNumber, r.sequence, r.prefix.toString(), r.status, r.originatedTime, r.peerIp, r.peerAs]).toEqual([0, 5, '192.0.2.0/24', 1, 1599999744, '198.51.100.1', 65000]);
    expect([...r.attributes].map((a) => a.type)).toEqual([1, 2, 3]);
    expect(r.attributes.asn4).toBe(false);
    expect(r.attributes.decode(2)).toEqual([{ type: 2, asns: [65000, 65001] }]);
    expect(r.attributes.framingError).toBeUndefined();
  });

  it('a subtype that is not an AFI is ERR_MRT_BAD_AFI; a short body ERR_MRT_MALFORMED', () => {
    const bad = V.record(V.T, 12, 7, new Uint8Array(30));
    expect(() => TableDumpRecord.decode(raw(bad))).toThrowError(expect.objectContaining({ code: 'ERR_MRT_BAD_AFI' }));
    const short = V.record(V.T, 12, 1, V.TABLE_DUMP_V4.subarray(12, 12 + 17)); // stops inside the peer IP
    expect(() => TableDumpRecord.decode(raw(short))).toThrowError(expect.objectContaining({ code: 'ERR_MRT_MALFORMED' }));
  });
});

describe('TABLE_DUMP_V2 (RFC 6396 §4.3, RFC 8050)', () => {
  it('PEER_INDEX_TABLE: collector, view name, IPv4/AS2 and IPv6/AS4 peers', () => {
    const t = PeerIndexTable.decode(raw(V.PEER_INDEX));
    expect(t.viewName).toBe('view');
    expect(t.peers.map((p) => [p.peerType, p.ip, p.asn])).toEqual([
      [0, '192.0.2.1', 65000],
      [3, '2001:db8::2', 4200000001],
    ]);
    expect(t.toJSON()).toMatchObject({ collectorBgpId: '192.0.2.254', kind: 'peer-index-table' });
  });

  it('RIB_IPV4_UNICAST: prefix, entries resolved to peers, attributes with 4-octet ASNs', () => {
    const [, rib] = decodeAll(V.PEER_INDEX, V.RIB_V4);
    expect(rib).toBeInstanceOf(RibRecord);
    const r = rib as RibRecord;
    expect([r.afi, r.safi, r.addPath, r.sequence, r.prefix?.toString()]).toEqual([1, 1, false, 7, '198.51.100.0/24']);
    expect(r.entries).toHaveLength(1);
    const e = r.entries[0]!;
    expect([e.peerIndex, e.peer.ip, e.originatedTime, e.pathId]).toEqual([0, '192.0.2.1', 1599999744, undefined]);
    expect(e.attributes.decode(2)).toEqual([{ type: 2, asns: [65000, 4200000001] }]);
    expect(e.attributes.decode(8)).toEqual([0xffffff01]);
    const communities: readonly number[] | undefined = e.attributes.value(8); // typed via AttributeValueMap
    expect(communities).toEqual([0xffffff01]);
    expect(e.attributes.value(3)).toBe('192.0.2.1');
    expect(e.attributes.decode(5)).toBeUndefined();
  });

  it('RIB_IPV6_UNICAST: the abbreviated MP_REACH_NLRI decodes with mrtRibEntry (§4.3.4)', () => {
    const [, rib] = decodeAll(V.PEER_INDEX, V.RIB_V6);
    const r = rib as RibRecord;
    expect(r.prefix?.toString()).toBe('2001:db8::/32');
    const e = r.entries[0]!;
    expect(e.peer.asn).toBe(4200000001);
    expect(e.attributes.mrtRibEntry).toBe(true);
    expect(JSON.stringify(e.attributes.decode(14))).toContain('2001:db8::2');
  });

  it('RIB_IPV4_UNICAST_ADDPATH reads the path id (RFC 8050 §4)', () => {
    const [, rib] = decodeAll(V.PEER_INDEX, V.RIB_V4_ADDPATH);
    const r = rib as RibRecord;
    expect([r.addPath, r.prefix?.toString(), r.entries[0]!.pathId]).toEqual([true, '10.0.0.0/16', 42]);
  });

  it('RIB_GENERIC reads AFI, SAFI and one NLRI (§4.3.3)', () => {
    const [, rib] = decodeAll(V.PEER_INDEX, V.RIB_GENERIC);
    const r = rib as RibRecord;
    expect([r.afi, r.safi, r.prefix?.toString(), r.entries.length]).toEqual([1, 2, '203.0.113.0/24', 1]);
    expect(r.toJSON()).toMatchObject({ family: 'ipv4-multicast' });
  });

  it('a RIB before any PEER_INDEX_TABLE, or naming a peer the table lacks, is a typed error', () => {
    expect((decodeAll(V.RIB_V4)[0] as MrtError).code).toBe('ERR_MRT_NO_PEER_INDEX');
    const badPeer = V.record(V.T, 13, 2, hex('00000001 18c63364 0001 0009 5f5e0f00 0000')); // peer index 9
    const out = decodeAll(V.PEER_INDEX, badPeer, V.RIB_V4);
    expect((out[1] as MrtError).code).toBe('ERR_MRT_UNKNOWN_PEER');
    expect(out[2]).toBeInstanceOf(RibRecord); // reading goes on
  });

  it('an attribute length past the record is ERR_MRT_MALFORMED', () => {
    const cut = V.record(V.T, 13, 2, hex('00000001 18c63364 0001 0000 5f5e0f00 00ff 40010100'));
    expect((decodeAll(V.PEER_INDEX, cut)[1] as MrtError).code).toBe('ERR_MRT_MALFORMED');
  });
});

describe('BGP4MP / BGP4MP_ET (RFC 6396 §4.4, RFC 8050)', () => {
  it('MESSAGE_AS4: peer/local fields and the whole BGP message, decoded through UpdateView', () => {
    const m = Bgp4mpMessage.decode(raw(V.BGP4MP_AS4));
    expect([m.asn4, m.local, m.addPath, m.peerAs, m.localAs, m.afi, m.peerIp, m.localIp, m.messageType, m.markerValid]).toEqual([
      true, false, false, 65000, 65001, 1, '192.0.2.1', '192.0.2.2', 2, true,
    ]);
    expect(m.message.length).toBe(77);
    const u = m.update();
    expect([...u.announced()].map((p) => p.toString())).toEqual(['198.51.100.0/24']);
    expect([...u.withdrawn()].map((p) => p.toString())).toEqual(['192.0.2.0/25']);
    expect(m.decode().type).toBe('update');
  });

  it('BGP4MP_ET carries microseconds (§3)', () => {
    const m = Bgp4mpMessage.decode(raw(V.BGP4MP_ET_AS4));
    expect([m.header.microseconds, m.extendedTimestamp, m.peerAs]).toEqual([1234, true, 65000]);
  });

  it('MESSAGE_AS4_ADDPATH reads NLRI with path ids (RFC 8050)', () => {
    const m = Bgp4mpMessage.decode(raw(V.BGP4MP_AS4_ADDPATH));
    expect(m.addPath).toBe(true);
    expect([...m.update().announced()].map((p) => [p.toString(), p.pathId])).toEqual([['203.0.113.0/24', 7]]);
  });

  it('STATE_CHANGE (IPv6, 2-octet), STATE_CHANGE_AS4, and old Zebra 8-octet records', () => {
    const a = Bgp4mpStateChange.decode(raw(V.STATE_CHANGE_V6));
    expect([a.asn4, a.peerAs, a.interfaceIndex, a.peerIp, a.oldStateName, a.newStateName]).toEqual([false, 65000, 3, '2001:db8::1', 'Idle', 'Connect']);
    const b = Bgp4mpStateChange.decode(raw(V.STATE_CHANGE_AS4));
    expect([b.asn4, b.peerAs, b.oldState, b.newState]).toEqual([true, 4200000001, 5, 6]);
    const z = Bgp4mpStateChange.decode(raw(V.STATE_CHANGE_ZEBRA8));
    expect([z.peerAs, z.peerIp, z.oldState, z.newState, z.newStateName]).toEqual([65000, '0.0.0.0', 6, 7, 'Clearing']);
  });

  it('an unknown address family is ERR_MRT_BAD_AFI; a body without room for the BGP header ERR_MRT_MALFORMED', () => {
    const badAfi = V.record(V.T, 16, 4, hex('0000fde8 0000fde9 0000 0003 c0000201 c0000202'));
    expect(() => Bgp4mpMessage.decode(raw(badAfi))).toThrowError(expect.objectContaining({ code: 'ERR_MRT_BAD_AFI' }));
    const noMsg = V.record(V.T, 16, 4, hex('0000fde8 0000fde9 0000 0001 c0000201 c0000202 ffff'));
    expect(() => Bgp4mpMessage.decode(raw(noMsg))).toThrowError(expect.objectContaining({ code: 'ERR_MRT_MALFORMED' }));
  });

  it('old Zebra OPENs without interface index and addresses keep the marker', () => {
    const rec = V.record(V.T, 16, 1, hex(`
      fde8 fde9                          # peer AS, local AS (2-octet)
      ffffffffffffffffffffffffffffffff   # the marker where ifindex/AFI would be
      001d 01 04 fde8 00b4 c0000201 00   # OPEN, version 4, AS 65000, hold 180, id, no params
    `));
    const m = Bgp4mpMessage.decode(raw(rec));
    expect([m.afi, m.peerIp, m.markerValid, m.messageType]).toEqual([1, '0.0.0.0', true, 1]);
    expect(m.decode().type).toBe('open');
  });
});

describe('deprecated type 5 BGP (RFC 6396 §5)', () => {
  it('UPDATE: source/destination and the headerless message body', () => {
    const r = LegacyBgpRecord.decode(raw(V.LEGACY_UPDATE));
    expect([r.subtype, r.peerAs, r.peerIp, r.localAs]).toEqual([1, 65000, '192.0.2.1', 65001]);
    expect([...r.update().announced()].map((p) => p.toString())).toEqual(['198.51.101.0/24']);
  });

  it('STATE_CHANGE: peer and states', () => {
    const r = LegacyBgpRecord.decode(raw(V.LEGACY_STATE));
    expect([r.peerAs, r.peerIp, r.oldState, r.newState]).toEqual([65000, '192.0.2.1', 3, 4]);
  });
});

describe('other types', () => {
  it('OSPF, IS-IS, GEO_PEER_TABLE and undefined types come back raw, not as errors', () => {
    const out = decodeAll(V.record(V.T, 11, 0, hex('0102')), V.record(V.T, 13, 7, hex('00')), V.record(V.T, 999, 1, hex('')));
    expect(out.every((r) => r instanceof MrtUnknownRecord)).toBe(true);
    expect((out[0] as MrtUnknownRecord).toJSON()).toMatchObject({ type: 11, body: '0102' });
  });

  it('every record type has a JSON form', () => {
    const out = decodeAll(V.PEER_INDEX, V.RIB_V4, V.RIB_V6, V.TABLE_DUMP_V4, V.BGP4MP_AS4, V.STATE_CHANGE_V6, V.LEGACY_UPDATE);
    for (const r of out) {
      expect(r).not.toBeInstanceOf(MrtError);
      const j = JSON.parse(JSON.stringify(r)) as { kind: string; timestamp: number };
      expect(j.timestamp).toBe(V.T);
      expect(typeof j.kind).toBe('string');
    }
    const msg = JSON.parse(JSON.stringify(out[4])) as { bgp: { type: string } };
    expect(msg.bgp.type).toBe('update');
  });
});
