import { describe, expect, it } from 'vitest';
import { corpusAvailable, loadGobgpBadLenMessages } from '../../support/corpus.js';
import { BgpError } from '../../../src/bgp/errors.js';
import { createCodecContext } from '../../../src/bgp/context.js';
import { UpdateView } from '../../../src/bgp/update/update-view.js';

const missing = corpusAvailable('gobgp-bad-len');
if (missing !== undefined) console.warn(`\n!!! gobgp-bad-len UPDATE tests SKIPPED: ${missing} !!!\n`);

describe.skipIf(missing !== undefined)('GoBGP bad-len corpus: UPDATE bodies', () => {
  it('every fuzzer-found UPDATE body is rejected with a typed error, never accepted, never a crash', () => {
    // The files carry a non-0xff marker (GoBGP does not check it), so the body is read past the
    // 19-octet header; the header itself is the messages helper's to reject.
    const updates = loadGobgpBadLenMessages().filter((m) => m.bytes.length >= 19 && m.bytes[18] === 2);
    expect(updates.length).toBeGreaterThan(0);
    const verdicts = updates.map((m) => {
      try {
        const view = UpdateView.fromBody(m.bytes, 19, m.bytes.length, createCodecContext());
        view.toJSON();
        return view.validate().action;
      } catch (e) {
        if (!(e instanceof BgpError)) throw e;
        return e.action;
      }
    });
    console.log(JSON.stringify({ corpus: 'gobgp-bad-len', updates: updates.length, verdicts }));
    expect(verdicts.every((v) => v === 'session-reset')).toBe(true);
  });
});
