import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';
import { type AsPath, asPathToJSON, parseAsPathSegments, writeAsPathSegments } from './as-path.js';

/**
 * AS4_PATH (type 17), RFC 6793 §3: the AS_PATH with 4-octet ASNs, sent by a
 * NEW speaker to an OLD one (optional transitive). Always 4-octet ASNs.
 * Errors (RFC 6793 §6, RFC 7606 §7.2 rules): a malformed AS4_PATH is handled as
 * attribute-discard (Optional Attribute Error, never sent). Confederation
 * segments are decoded as they are; `mergeAs4Path` drops them (RFC 6793 §6).
 * JSON: as AS_PATH.
 *
 * @example
 * ```ts
 * const as4 = as4PathCodec.decode({ buf, start, end, flags: 0xc0, ctx });
 * const path = mergeAs4Path(asPath, as4);
 * ```
 */
export const as4PathCodec: AttributeCodec<AsPath> & { readonly type: 17 } = {
  type: AttrType.AS4_PATH,
  name: 'AS4_PATH',
  expectedFlags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  decode(input: AttributeValueInput): AsPath {
    const r = parseAsPathSegments(input.buf, input.start, input.end, 4);
    if (!r.ok) {
      throw attributeError(input, 17, UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, 'attribute-discard', `malformed AS4_PATH (${r.fault}): ${r.detail} (RFC 6793 §6)`);
    }
    return r.path;
  },
  encode(value: AsPath, w: WireWriter, _ctx: CodecContext): void {
    writeAsPathSegments(value, w, 4, 'AS4_PATH');
  },
  toJSON: asPathToJSON,
};
