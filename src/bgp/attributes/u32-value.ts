import { UpdateSubcode } from '../constants.js';
import type { ErrorAction } from '../errors.js';
import type { CodecContext } from '../context.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';

/**
 * Reads a value that must be exactly one uint32 (MED, LOCAL_PREF, ORIGINATOR_ID's
 * number form, OTC). Any other length is an Attribute Length Error with `action`.
 */
export function readExactU32(input: AttributeValueInput, type: number, name: string, action: ErrorAction, section: string): number {
  const { buf, start, end } = input;
  if (end - start !== 4) {
    throw attributeError(input, type, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, action, `${name} length ${end - start}, expected 4 (${section})`);
  }
  return buf[start]! * 0x1000000 + ((buf[start + 1]! << 16) | (buf[start + 2]! << 8) | buf[start + 3]!);
}

/** What sets one uint32 attribute apart from another (see {@link u32AttributeCodec}). */
export interface U32AttributeSpec<Type extends number> {
  readonly type: Type;
  readonly name: string;
  readonly expectedFlags: number;
  /** The RFC 7606 action for a length other than 4, and the section that says so. */
  readonly lengthErrorAction: ErrorAction;
  readonly section: string;
}

/**
 * The codec of an attribute whose value is exactly one uint32 (MED, LOCAL_PREF, OTC):
 * decode checks the length ({@link readExactU32}), encode writes the four
 * octets, the JSON form is the number.
 */
export function u32AttributeCodec<Type extends number>(spec: U32AttributeSpec<Type>): AttributeCodec<number> & { readonly type: Type } {
  const { type, name, expectedFlags, lengthErrorAction, section } = spec;
  return {
    type,
    name,
    expectedFlags,
    decode(input: AttributeValueInput): number {
      return readExactU32(input, type, name, lengthErrorAction, section);
    },
    encode(value: number, w: WireWriter, _ctx: CodecContext): void {
      w.u32(value, name);
    },
    toJSON(value: number): number {
      return value;
    },
  };
}
