import { UpdateSubcode } from '../constants.js';
import type { ErrorAction } from '../errors.js';
import type { AttributeValueInput } from './attribute-codec.js';
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
