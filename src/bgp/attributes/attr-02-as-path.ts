import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';
import { type AsPath, asPathToJSON, parseAsPathSegments, writeAsPathSegments } from './as-path.js';

/**
 * AS_PATH (type 2), RFC 4271 §4.3 (b) with RFC 5065 confederation segments.
 * ASNs are 4 octets when `ctx.asn4` (RFC 6793 §3), 2 octets otherwise (then the
 * 4-octet path travels in AS4_PATH; see `mergeAs4Path`).
 * Errors (RFC 7606 §7.2): an unrecognised segment type, a zero segment length, an
 * overrun or an underrun is a Malformed AS_PATH, handled as treat-as-withdraw.
 * JSON: `[{ "type": "as-sequence" | "as-set" | "as-confed-sequence" | "as-confed-set", "asns": number[] }]`.
 *
 * @example
 * ```ts
 * const path = asPathCodec.decode({ buf, start, end, flags: 0x40, ctx }); // [{ type: 2, asns: [65001, 65002] }]
 * formatAsPath(path); // "65001 65002"
 * ```
 */
export const asPathCodec: AttributeCodec<AsPath> & { readonly type: 2 } = {
  type: AttrType.AS_PATH,
  name: 'AS_PATH',
  expectedFlags: AttrFlag.TRANSITIVE,
  decode(input: AttributeValueInput): AsPath {
    const r = parseAsPathSegments(input.buf, input.start, input.end, input.ctx.asn4 ? 4 : 2);
    if (!r.ok) {
      throw attributeError(input, 2, UpdateSubcode.MALFORMED_AS_PATH, 'treat-as-withdraw', `malformed AS_PATH (${r.fault}): ${r.detail} (RFC 7606 §7.2)`);
    }
    return r.path;
  },
  encode(value: AsPath, w: WireWriter, ctx: CodecContext): void {
    writeAsPathSegments(value, w, ctx.asn4 ? 4 : 2, 'AS_PATH');
  },
  toJSON: asPathToJSON,
};
