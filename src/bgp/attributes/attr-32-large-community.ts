import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import { EncodeError } from '../errors.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';

/** A large community, RFC 8092 §3: [Global Administrator (an ASN), Local Data Part 1, Local Data Part 2], each uint32. */
export type LargeCommunity = readonly [number, number, number];

/** `global:local1:local2`, the RFC 8092 §3 text form. */
export function formatLargeCommunity(c: LargeCommunity): string {
  return `${c[0]}:${c[1]}:${c[2]}`;
}

/** Parses `global:local1:local2`; `undefined` when it is not one. */
export function parseLargeCommunity(text: string): LargeCommunity | undefined {
  const m = /^(\d{1,10}):(\d{1,10}):(\d{1,10})$/.exec(text);
  if (!m) return undefined;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])] as const;
  return parts.every((n) => n <= 0xffffffff) ? parts : undefined;
}

/**
 * LARGE_COMMUNITY (type 32), RFC 8092: a list of 12-octet large communities
 * (optional transitive).
 * Errors (RFC 8092 §6, RFC 7606 rules): a length that is not a non-zero multiple
 * of 12 is treat-as-withdraw. Duplicates are kept as received.
 * JSON: `[[global, local1, local2], ...]`.
 *
 * @example
 * ```ts
 * largeCommunityCodec.decode({ buf, start, end, flags: 0xc0, ctx }); // [[65000, 1, 2]]
 * ```
 */
export const largeCommunityCodec: AttributeCodec<readonly LargeCommunity[]> & { readonly type: 32 } = {
  type: AttrType.LARGE_COMMUNITY,
  name: 'LARGE_COMMUNITY',
  expectedFlags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  decode(input: AttributeValueInput): readonly LargeCommunity[] {
    const { buf, start, end } = input;
    const len = end - start;
    if (len === 0 || len % 12 !== 0) {
      throw attributeError(input, 32, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'treat-as-withdraw', `LARGE_COMMUNITY length ${len} is not a non-zero multiple of 12 (RFC 8092 §6)`);
    }
    const u32 = (p: number): number => buf[p]! * 0x1000000 + ((buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!);
    const out: LargeCommunity[] = [];
    for (let p = start; p < end; p += 12) out.push([u32(p), u32(p + 4), u32(p + 8)]);
    return out;
  },
  encode(value: readonly LargeCommunity[], w: WireWriter, _ctx: CodecContext): void {
    if (value.length === 0) throw EncodeError.invalid('LARGE_COMMUNITY', 'an empty list is malformed (RFC 8092 §6); omit the attribute');
    for (const c of value) {
      w.u32(c[0], 'LARGE_COMMUNITY global administrator');
      w.u32(c[1], 'LARGE_COMMUNITY local data part 1');
      w.u32(c[2], 'LARGE_COMMUNITY local data part 2');
    }
  },
  toJSON(value: readonly LargeCommunity[]): number[][] {
    return value.map((c) => [c[0], c[1], c[2]]);
  },
};
