import { familyName } from '../../family.js';
import { BgpError, EncodeError } from '../../errors.js';
import { WireReader } from '../../wire-reader.js';
import type { WireWriter } from '../../wire-writer.js';

/**
 * One capability code (RFC 5492 §4): how its value is read, written and shown.
 * One codec per file, named by code (`cap-65-four-octet-as.ts`), listed in the
 * capability registry.
 *
 * `decode` gets the value window only (after code and length). A value that does
 * not fit the capability's layout throws a {@link BgpError} 2/0: RFC 4271 §6.2,
 * "recognized, but is malformed" optional parameter content is Unspecific.
 */
export interface CapabilityCodec<T extends { readonly kind: string }> {
  /** Capability code (IANA "Capability Codes"). */
  readonly code: number;
  /** The `kind` of the value type, e.g. `four-octet-as`. */
  readonly kind: T['kind'];
  /**
   * Reads the value. `undefined` means "well framed but not representable" (text
   * that is not UTF-8): the registry then keeps it as an unknown capability, so
   * its bytes still re-encode unchanged.
   */
  decode(value: Uint8Array): T | undefined;
  /** Writes the value only; the caller writes code and length. */
  encode(cap: T, w: WireWriter): void;
  /** The JSON fields of the value (the registry adds `code` and `name`). */
  toJSON(cap: T): Record<string, unknown>;
}

/** A reader over a capability value whose overrun is OPEN 2/0 (RFC 4271 §6.2). */
export function capabilityReader(value: Uint8Array): WireReader {
  return new WireReader(value, 0, value.length, { notifyCode: 2, notifySubcode: 0, action: 'session-reset' });
}

/** The malformed-capability error, OPEN Message Error / Unspecific (RFC 4271 §6.2). */
export function malformedCapability(name: string, detail: string): BgpError {
  return BgpError.open(0, `${name} capability: ${detail}`);
}

/** Throws 2/0 unless the value length is a multiple of `unit` (and, with `exact`, equal to it). */
export function checkValueLength(value: Uint8Array, name: string, unit: number, exact = false): void {
  const n = value.length;
  if (exact ? n !== unit : n % unit !== 0) {
    throw malformedCapability(name, `value length ${n} is not ${exact ? '' : 'a multiple of '}${unit}`);
  }
}

/** JSON of an AFI/SAFI pair: `{ family: 'ipv4-unicast', afi: 1, safi: 1 }`. */
export function familyJSON(afi: number, safi: number): { family: string; afi: number; safi: number } {
  return { family: familyName(afi, safi), afi, safi };
}

/** Throws an {@link EncodeError} naming `field` unless `v` is an integer in 0..max (for fields narrower than the writer's). */
export function checkFieldRange(v: number, max: number, field: string): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new EncodeError(field, v, max, `${field} = ${v} is outside 0..${max}`);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** Strict UTF-8 decoding: `undefined` for an invalid sequence (never a replacement character). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** UTF-8 bytes of `text`. */
export function encodeUtf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Writes a one-octet length and the UTF-8 bytes of `text`; longer than 255 octets is an {@link EncodeError}. */
export function writeShortText(w: WireWriter, text: string, field: string): void {
  const bytes = encodeUtf8(text);
  if (bytes.length > 0xff) throw new EncodeError(`${field} length`, bytes.length, 0xff);
  w.u8(bytes.length, `${field} length`).bytes(bytes);
}
