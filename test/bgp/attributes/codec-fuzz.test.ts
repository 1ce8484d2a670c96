/**
 * Every registered codec is total and canonical: any byte string decodes to a
 * value that re-encodes to the same bytes, or throws a BgpError; never another
 * exception (DESIGN rule 2). Run for both AS sizes and for MRT RIB entries.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { registeredAttributeCodecs } from '../../../src/bgp/attributes/attribute-registry.js';
import { BgpError } from '../../../src/bgp/errors.js';
import { WireWriter } from '../../../src/bgp/wire-writer.js';
import { CTX2, CTX4, toHex } from './helpers.js';

const runs = Number(process.env['FIBWIRE_FUZZ_RUNS'] ?? 300);

describe('attribute codecs on arbitrary bytes', () => {
  for (const codec of registeredAttributeCodecs()) {
    it(`${codec.name}: decodes to a canonical value or throws a BgpError`, () => {
      // Lengths around the interesting sizes: 0..64 octets, with bytes biased to small values so segment counts and lengths line up.
      const bytes = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 40 }).map((a) => Uint8Array.from(a)));
      fc.assert(
        fc.property(bytes, fc.boolean(), fc.boolean(), (b, asn4, mrt) => {
          const ctx = asn4 ? CTX4 : CTX2;
          let value: unknown;
          try {
            value = codec.decode({ buf: b, start: 0, end: b.length, flags: codec.expectedFlags, ctx, mrtRibEntry: mrt });
          } catch (e) {
            expect(e).toBeInstanceOf(BgpError);
            const err = e as BgpError;
            expect(err.notifyCode).toBe(3);
            expect(err.attrType).toBe(codec.type);
            return;
          }
          const w = new WireWriter();
          codec.encode(value, w, ctx);
          expect(toHex(w.finish())).toBe(toHex(b));
          expect(() => JSON.stringify(codec.toJSON(value))).not.toThrow();
        }),
        { numRuns: runs },
      );
    });
  }
});
