import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MrtError } from '../../../src/bgp/mrt/mrt-error.js';
import { MrtFramer, type MrtRawRecord } from '../../../src/bgp/mrt/mrt-framer.js';
import { concatBytes, hex } from '../../support/hex.js';
import { BGP4MP_ET_AS4, PEER_INDEX, record, STATE_CHANGE_AS4, T, TABLE_DUMP_V4 } from './mrt-vectors.js';

function frameAll(chunks: Uint8Array[], opts = {}): (MrtRawRecord | MrtError)[] {
  const f = new MrtFramer(opts);
  const out: (MrtRawRecord | MrtError)[] = [];
  for (const c of chunks) {
    f.push(c);
    for (let r = f.next(); r; r = f.next()) out.push(r);
  }
  f.end();
  for (let r = f.next(); r; r = f.next()) out.push(r);
  return out;
}

describe('MrtFramer: RFC 6396 §2 common header', () => {
  it('reads timestamp, type, subtype and a body window', () => {
    const rec = hex(`
      5f 5e 10 00      # timestamp 1600000000
      00 0d            # type 13 TABLE_DUMP_V2
      00 01            # subtype 1 PEER_INDEX_TABLE
      00 00 00 03      # length 3
      aa bb cc         # body
    `);
    const [r] = frameAll([rec]);
    expect(r).not.toBeInstanceOf(MrtError);
    const raw = r as MrtRawRecord;
    expect([raw.timestamp, raw.type, raw.subtype, raw.microseconds, raw.offset, raw.index]).toEqual([T, 13, 1, undefined, 0, 0]);
    expect(Array.from(raw.buf.subarray(raw.start, raw.end))).toEqual([0xaa, 0xbb, 0xcc]);
  });

  it('reads the §3 microsecond field of _ET types and leaves it out of the body', () => {
    const [r] = frameAll([BGP4MP_ET_AS4]) as MrtRawRecord[];
    expect(r!.microseconds).toBe(1234);
    expect(r!.end - r!.start).toBe(BGP4MP_ET_AS4.length - 16);
  });

  it('an _ET record too short for its microsecond field is ERR_MRT_MALFORMED and reading goes on', () => {
    const bad = hex('5f5e1000 0011 0004 00000002 0000'); // BGP4MP_ET, length 2 < 4
    const out = frameAll([bad, STATE_CHANGE_AS4]);
    expect((out[0] as MrtError).code).toBe('ERR_MRT_MALFORMED');
    expect((out[1] as MrtRawRecord).subtype).toBe(5);
  });

  it('frames the same records whatever the chunking (records split across chunks)', () => {
    const file = concatBytes([PEER_INDEX, TABLE_DUMP_V4, BGP4MP_ET_AS4, STATE_CHANGE_AS4]);
    const whole = frameAll([file]).map((r) => (r as MrtRawRecord).offset);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: file.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let at = 0;
        for (const p of points) {
          chunks.push(file.subarray(at, p));
          at = p;
        }
        chunks.push(file.subarray(at));
        const got = frameAll(chunks);
        expect(got.every((r) => !(r instanceof MrtError))).toBe(true);
        expect(got.map((r) => (r as MrtRawRecord).offset)).toEqual(whole);
        const bodies = got.map((r) => Buffer.from((r as MrtRawRecord).buf.subarray((r as MrtRawRecord).start, (r as MrtRawRecord).end)).toString('hex'));
        const wholeBodies = frameAll([file]).map((r) => Buffer.from((r as MrtRawRecord).buf.subarray((r as MrtRawRecord).start, (r as MrtRawRecord).end)).toString('hex'));
        expect(bodies).toEqual(wholeBodies);
      }),
      { numRuns: 200 },
    );
  });

  it('ends with ERR_MRT_TRUNCATED when the input stops inside a header or a body', () => {
    const cut = TABLE_DUMP_V4.subarray(0, 20);
    const out = frameAll([PEER_INDEX, cut]);
    expect(out).toHaveLength(2);
    expect(out[1]).toBeInstanceOf(MrtError);
    expect((out[1] as MrtError).code).toBe('ERR_MRT_TRUNCATED');
    expect((out[1] as MrtError).offset).toBe(PEER_INDEX.length);
    const header = frameAll([PEER_INDEX.subarray(0, 7)]);
    expect((header[0] as MrtError).code).toBe('ERR_MRT_TRUNCATED');
    expect((header[0] as MrtError).message).toMatch(/header/);
  });

  it('a length over the cap is ERR_MRT_RECORD_TOO_LARGE and stops reading (no buffering of the rest)', () => {
    const huge = hex('5f5e1000 0010 0004 dc36b800'); // length 3694573824
    const f = new MrtFramer({ maxRecordLength: 1 << 20 });
    f.push(concatBytes([PEER_INDEX, huge, STATE_CHANGE_AS4]));
    expect(f.next()).not.toBeInstanceOf(MrtError);
    const e = f.next();
    expect(e).toBeInstanceOf(MrtError);
    expect((e as MrtError).code).toBe('ERR_MRT_RECORD_TOO_LARGE');
    expect(f.next()).toBeUndefined();
    expect(f.isStopped).toBe(true);
    f.push(new Uint8Array(1 << 16)); // ignored once stopped: memory stays bounded
    expect(f.buffered).toBeLessThan(1 << 16);
  });

  it('with recover, resynchronises on the next plausible header after damaged framing', () => {
    const garbage = hex('7e31 6ec1 0000 0100 00cb 25ff 7e31 6ec1 0000 01'); // not an MRT header
    const file = concatBytes([STATE_CHANGE_AS4, garbage, STATE_CHANGE_AS4, TABLE_DUMP_V4]);
    const out = frameAll([file], { recover: true });
    expect(out.filter((r) => r instanceof MrtError).map((e) => (e as MrtError).code)).toEqual(['ERR_MRT_MALFORMED']);
    const recs = out.filter((r): r is MrtRawRecord => !(r instanceof MrtError));
    expect(recs.map((r) => r.type)).toEqual([16, 16, 12]);
    expect(recs[1]!.offset).toBe(STATE_CHANGE_AS4.length + garbage.length);
  });

  it('with recover, trailing garbage ends with one error, never a hang', () => {
    const out = frameAll([STATE_CHANGE_AS4, hex('ffff ffff ffff ffff ffff ffff ffff ffff ffff')], { recover: true });
    expect(out[0]).not.toBeInstanceOf(MrtError);
    expect(out.slice(1).every((r) => r instanceof MrtError)).toBe(true);
    expect(out.length).toBeLessThanOrEqual(3);
  });

  it('never throws and always terminates on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, recover) => {
        const out = frameAll([bytes], { recover, maxRecordLength: 4096 });
        for (const r of out) if (!(r instanceof MrtError)) expect(r.end).toBeLessThanOrEqual(r.buf.length);
      }),
      { numRuns: 300 },
    );
  });

  it('record() helper and the header agree', () => {
    const r = record(1, 2, 3, hex('00'));
    expect(Buffer.from(r).toString('hex')).toBe('00000001' + '0002' + '0003' + '00000001' + '00');
  });
});
