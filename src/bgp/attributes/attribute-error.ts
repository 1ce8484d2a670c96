import { AttrFlag, UpdateSubcode } from '../constants.js';
import { BgpError, type ErrorAction } from '../errors.js';
import type { AttributeValueInput } from './attribute-codec.js';

/**
 * UPDATE subcodes whose NOTIFICATION data is the erroneous attribute itself
 * (type, length and value), RFC 4271 §6.3: Attribute Flags Error, Attribute
 * Length Error, Invalid ORIGIN, Invalid NEXT_HOP, Optional Attribute Error, and
 * Unrecognized Well-known Attribute.
 */
const SUBCODES_WITH_ATTRIBUTE_DATA: ReadonlySet<number> = new Set([
  UpdateSubcode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
  UpdateSubcode.ATTRIBUTE_FLAGS_ERROR,
  UpdateSubcode.ATTRIBUTE_LENGTH_ERROR,
  UpdateSubcode.INVALID_ORIGIN_ATTRIBUTE,
  UpdateSubcode.INVALID_NEXT_HOP_ATTRIBUTE,
  UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR,
]);

/** True when RFC 4271 §6.3 puts the whole attribute into the NOTIFICATION data for this subcode. */
export function subcodeCarriesAttribute(subcode: number): boolean {
  return SUBCODES_WITH_ATTRIBUTE_DATA.has(subcode);
}

/**
 * The whole attribute (flags, type, length, value) around a value window, when the
 * bytes before `start` really are its header. A codec sees only the value; inside
 * an UPDATE or an MRT RIB entry the header sits right before it, and we check that
 * its flags, type and length agree before using it. Otherwise `undefined`: the
 * caller (the UPDATE view) then fills the data with {@link withAttributeData}.
 */
export function attributeBytesAround(input: AttributeValueInput, type: number): Uint8Array | undefined {
  const { buf, start, end, flags } = input;
  const extended = (flags & AttrFlag.EXTENDED_LENGTH) !== 0;
  const headerLength = extended ? 4 : 3;
  const at = start - headerLength;
  if (at < 0 || end > buf.length || end < start) return undefined;
  if (buf[at] !== flags || buf[at + 1] !== type) return undefined;
  const length = extended ? (buf[at + 2]! << 8) | buf[at + 3]! : buf[at + 2]!;
  if (length !== end - start) return undefined;
  return buf.subarray(at, end);
}

/**
 * Builds the {@link BgpError} a codec throws for a malformed attribute value:
 * UPDATE Message Error with the subcode RFC 4271 §6.3 names and the RFC 7606
 * action the attribute's section prescribes. When the subcode carries the
 * attribute as data and the header is found in the buffer, the data is filled in.
 */
export function attributeError(
  input: AttributeValueInput,
  type: number,
  subcode: number,
  action: ErrorAction,
  message: string,
): BgpError {
  const data = subcodeCarriesAttribute(subcode) ? attributeBytesAround(input, type) : undefined;
  return BgpError.update(subcode, message, { action, attrType: type, offset: input.start, ...(data ? { data } : {}) });
}

/**
 * Returns `error` with its NOTIFICATION data set to `attribute` (flags, type,
 * length and value, RFC 4271 §6.3) when its subcode calls for it and it has none
 * yet. The UPDATE view calls this when a codec could not see the header.
 */
export function withAttributeData(error: BgpError, attribute: Uint8Array): BgpError {
  if (error.data.length > 0 || !subcodeCarriesAttribute(error.notifySubcode)) return error;
  const copy = new BgpError({
    notifyCode: error.notifyCode,
    notifySubcode: error.notifySubcode,
    data: attribute,
    action: error.action,
    attrType: error.attrType,
    offset: error.offset,
    message: error.message,
  });
  return copy;
}
