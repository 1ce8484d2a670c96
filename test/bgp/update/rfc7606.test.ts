import { describe, expect, it } from 'vitest';
import { toHex } from '../../support/hex.js';
import { thrown } from '../../support/thrown.js';
import { BgpError } from '../../../src/bgp/errors.js';
import { createCodecContext } from '../../../src/bgp/context.js';
import { UpdateView } from '../../../src/bgp/update/update-view.js';
import { MANDATORY, ORIGIN_ASPATH, updateFrame } from './update-fixtures.js';

const ctx = createCodecContext();
const view = (body: string): UpdateView => UpdateView.fromMessage(updateFrame(body), ctx);


/** [code, subcode, action] of each error, in order. */
function summary(v: UpdateView): [number, number, string][] {
  return v.validate().errors.map((e) => [e.notifyCode, e.notifySubcode, e.action]);
}

describe('RFC 7606 §4 and RFC 4271 §6.3: framing', () => {
  it('§4 Withdrawn Routes Length past the message: session reset 3/1 at construction', () => {
    const e = thrown(() => view('0010 08 0a 0000'), BgpError);
    expect([e.notifyCode, e.notifySubcode, e.action]).toEqual([3, 1, 'session-reset']);
  });

  it('§4 Total Path Attribute Length past the message: session reset 3/1 at construction', () => {
    const e = thrown(() => view('0000 0020 40 01 01 00'), BgpError);
    expect([e.notifyCode, e.notifySubcode, e.action]).toEqual([3, 1, 'session-reset']);
  });

  it('§4 attribute length overruns the attribute block: treat-as-withdraw, NLRI still located by the total length', () => {
    const v = view(`0000 0009
      40 01 01 00                      # ORIGIN
      40 05 04 0000                    # LOCAL_PREF says 4 octets, 1 left in the block
      18 c63364                        # NLRI, found thanks to the Total Path Attribute Length`);
    expect(summary(v)[0]).toEqual([3, 5, 'treat-as-withdraw']);
    expect(v.validate().action).toBe('treat-as-withdraw');
    expect([...v.announced()].map(String)).toEqual(['198.51.100.0/24']);
  });

  it('§4 fewer octets than an attribute header left: treat-as-withdraw 3/1', () => {
    const v = view(`0000 0006 40 01 01 00 40 05   18 c63364`);
    expect(summary(v)[0]).toEqual([3, 1, 'treat-as-withdraw']);
    expect([...v.announced()].map(String)).toEqual(['198.51.100.0/24']);
  });

  it('§4 an MP_REACH_NLRI that overruns cannot be parsed: session reset', () => {
    const v = view(`0000 0008 80 0e 20 0002 01 10 2001`);
    expect(v.validate().action).toBe('session-reset');
  });
});

describe('RFC 7606 §3: attribute list', () => {
  it('§3 (g) MP_REACH_NLRI twice: session reset 3/1', () => {
    const mp = '80 0e 0b 0001 01 04 c0000201 00 08 0a'; // IPv4 unicast via MP, 10.0.0.0/8
    const v = view(`0000 001c ${mp} ${mp}`);
    expect(summary(v)).toContainEqual([3, 1, 'session-reset']);
    expect(v.validate().action).toBe('session-reset');
  });

  it('§3 (g) MP_UNREACH_NLRI twice: session reset 3/1', () => {
    const v = view('0000 000c 80 0f 03 0002 01 80 0f 03 0002 01');
    expect(v.validate().action).toBe('session-reset');
    expect(v.isEndOfRib).toBe(false);
  });

  it('§3 (g) any other attribute twice: first kept, the rest discarded (attribute-discard)', () => {
    const v = view(`0000 0022 ${MANDATORY}
      40 05 04 00000064                # LOCAL_PREF 100 (kept)
      40 05 04 000000c8                # LOCAL_PREF 200 (discarded)
      18 c63364`);
    expect(v.localPref).toBe(100);
    expect(summary(v)).toEqual([[3, 1, 'attribute-discard']]);
    expect(v.validate().action).toBe('attribute-discard');
  });

  it('§3 (c) Optional/Transitive bits in conflict: treat-as-withdraw 3/4 with the attribute as data', () => {
    const v = view(`0000 001b ${MANDATORY}
      c0 05 04 00000064                # LOCAL_PREF marked optional transitive
      18 c63364`);
    const [e] = v.validate().errors;
    expect([e?.notifyCode, e?.notifySubcode, e?.action, e?.attrType]).toEqual([3, 4, 'treat-as-withdraw', 5]);
    expect(toHex(e!.data)).toBe('c0050400000064');
  });

  it('§3 (c) with RFC 4271 §4.3: the Partial bit on a well-known attribute is a flags error', () => {
    const v = view(`0000 0014
      60 01 01 00                      # ORIGIN with Partial set
      40 02 06 02 01 0000fde9
      40 03 04 c0000201
      18 c63364`);
    expect(summary(v)).toEqual([[3, 4, 'treat-as-withdraw']]);
  });

  it('§3 (c) and §7.11: MP_REACH_NLRI with wrong flags takes the MP action, AFI/SAFI disable', () => {
    const v = view(`0000 002a c0 0e 1a 0002 01 10 20010db8000000000000000000000001 00 20 20010db8 ${ORIGIN_ASPATH}`);
    expect(summary(v)).toEqual([[3, 4, 'afi-safi-disable']]);
  });

  it('§3 (c) and §7.7: AGGREGATOR with wrong flags is attribute-discard, as its malformed case', () => {
    const v = view(`0000 001f ${MANDATORY} 40 07 08 0000fde9 c0000209 18 c63364`);
    expect(summary(v)).toEqual([[3, 4, 'attribute-discard']]);
  });

  it('RFC 7607 §2: AS 0 in AS_PATH is treat-as-withdraw', () => {
    const v = view(`0000 0014 40 01 01 00 40 02 06 02 01 00000000 40 03 04 c0000201 18 c63364`);
    expect(summary(v)).toEqual([[3, 11, 'treat-as-withdraw']]);
  });

  it('RFC 4271 §6.3: an unrecognised well-known attribute resets the session (3/2)', () => {
    const v = view(`0000 0018 ${MANDATORY} 40 fe 01 00 18 c63364`);
    const [e] = v.validate().errors;
    expect([e?.notifySubcode, e?.action]).toEqual([2, 'session-reset']);
    expect(toHex(e!.data)).toBe('40fe0100');
  });

  it('§3 (d) a missing well-known mandatory attribute with NLRI: treat-as-withdraw 3/3, data = the type', () => {
    const v = view(`0000 0010
      40 02 06 02 01 0000fde9          # AS_PATH, no ORIGIN
      40 03 04 c0000201
      18 c63364`);
    const [e] = v.validate().errors;
    expect([e?.notifySubcode, e?.action, toHex(e!.data)]).toEqual([3, 'treat-as-withdraw', '01']);
  });

  it('§3 (d) no NLRI: nothing is mandatory', () => {
    expect(view('0002 08 0a 0000').validate().action).toBe('ok');
  });

  it('§3 (d) with RFC 4760 §3: an MP-only UPDATE needs no NEXT_HOP, and a bad one is ignored', () => {
    const mp = '80 0e 1a 0002 01 10 20010db8000000000000000000000001 00 20 20010db8';
    expect(view(`0000 002a ${mp} ${ORIGIN_ASPATH}`).validate().action).toBe('ok');
    expect(view(`0000 002f ${mp} ${ORIGIN_ASPATH} 40 03 02 0102`).validate().action).toBe('ok');
    // The same malformed NEXT_HOP with classic NLRI is an error.
    expect(view(`0000 0012 ${ORIGIN_ASPATH} 40 03 02 0102 08 0a`).validate().action).not.toBe('ok');
  });

  it('§7 codecs bring their own action: LOCAL_PREF length 3 is treat-as-withdraw (§7.5), with the attribute as data', () => {
    const v = view(`0000 001a ${MANDATORY} 40 05 03 000064 18 c63364`);
    const [e] = v.validate().errors;
    expect(e?.action).toBe('treat-as-withdraw');
    expect(e?.attrType).toBe(5);
    expect(() => v.localPref).toThrowError(BgpError);
  });

  it('§7 ATOMIC_AGGREGATE with a value is attribute-discard (§7.6)', () => {
    const v = view(`0000 0018 ${MANDATORY} 40 06 01 00 18 c63364`);
    expect(v.validate().action).toBe('attribute-discard');
  });

  it('§3 (j) the strongest action wins', () => {
    const v = view(`0000 001b ${MANDATORY}
      c0 05 04 00000064                # flags error: treat-as-withdraw
      21 0a000000 00                   # prefix length 33: session reset`);
    expect(v.validate().errors.map((e) => e.action)).toEqual(['treat-as-withdraw', 'session-reset']);
    expect(v.validate().action).toBe('session-reset');
  });
});

describe('RFC 7606 §5.3 and §7.11: NLRI', () => {
  it('§5.3 classic NLRI prefix length > 32: session reset 3/10', () => {
    const v = view(`0000 0014 ${MANDATORY} 21 0a000000 00`);
    expect(summary(v)).toEqual([[3, 10, 'session-reset']]);
    expect(() => [...v.announced()]).toThrowError(BgpError);
  });

  it('§5.3 Withdrawn Routes prefix overrunning its field: session reset 3/10', () => {
    const v = view('0002 18 0a 0000');
    expect(summary(v)).toEqual([[3, 10, 'session-reset']]);
  });

  it('§5.3 MP_REACH_NLRI prefix length > 128: AFI/SAFI disable (3/9 if reset)', () => {
    const v = view(`0000 0036
      80 0e 26 0002 01 10 20010db8000000000000000000000001 00
        81 20010db8000000000000000000000000  # /129 (and 16 octets)
      ${ORIGIN_ASPATH}
      08 0a                            # classic 10.0.0.0/8: no NEXT_HOP given here`);
    expect(summary(v)).toContainEqual([3, 9, 'afi-safi-disable']);
    // Classic prefixes come first and stay readable.
    const c = v.announcedCursor();
    expect(c.next()).toBe(true);
    expect(c.format()).toBe('10.0.0.0/8');
    expect(() => c.next()).toThrowError(BgpError);
  });

  it('§5.3 MP_UNREACH_NLRI prefix overrun: AFI/SAFI disable', () => {
    const v = view('0000 0008 80 0f 05 0002 01 30 20');
    expect(summary(v)).toEqual([[3, 9, 'afi-safi-disable']]);
  });

  it('§7.11 MP_REACH_NLRI next hop length not valid for the family: AFI/SAFI disable', () => {
    const v = view(`0000 001f 80 0e 0f 0002 01 08 c0000201c0000202 00 08 20 ${ORIGIN_ASPATH}`) // 8 octets: no IP next hop is 8;
    expect(summary(v)).toEqual([[3, 9, 'afi-safi-disable']]);
  });

  it('§7.11 MP_REACH_NLRI next hop overruns the attribute: AFI/SAFI disable', () => {
    const v = view(`0000 0016 80 0e 06 0002 01 10 2001 ${ORIGIN_ASPATH}`);
    expect(summary(v)).toEqual([[3, 9, 'afi-safi-disable']]);
  });

  it('§7.11 MP_REACH_NLRI too short to hold AFI/SAFI: session reset', () => {
    const v = view(`0000 0005 80 0e 02 0002`);
    expect(v.validate().action).toBe('session-reset');
  });
});
