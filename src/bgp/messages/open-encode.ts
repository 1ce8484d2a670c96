import { BGP_MAX_MESSAGE_LENGTH, MessageType, OptionalParameterType } from '../constants.js';
import type { CodecContext } from '../context.js';
import { EncodeError } from '../errors.js';
import { parseIPv4 } from '../ip-address.js';
import { WireWriter } from '../wire-writer.js';
import { finishMessage, startMessage } from './header.js';
import { type OpenMessageFields, parametersNeedExtendedForm, writeOptionalParameters } from './open-message.js';

/**
 * Encodes an OPEN (RFC 4271 §4.2) as a complete frame. The parameters use the
 * RFC 9072 extended form when `extendedParameters` is set or when they exceed
 * 255 octets. An OPEN is at most 4096 octets even with Extended Message
 * (RFC 8654 §4), so `ctx` does not raise the limit; it is accepted for symmetry.
 * Out-of-range fields are an {@link EncodeError} naming the field.
 *
 * @example
 * ```ts
 * const frame = encodeOpen(OpenMessage.create({ asn: 65001, holdTime: 90, bgpIdentifier: '192.0.2.1' }));
 * ```
 */
export function encodeOpen(msg: OpenMessageFields, _ctx?: CodecContext): Uint8Array {
  const id = parseIPv4(msg.bgpIdentifier);
  if (!id) throw EncodeError.invalid('BGP identifier', `not a dotted quad: ${msg.bgpIdentifier}`);
  const w = new WireWriter(128);
  const start = startMessage(w, MessageType.OPEN);
  w.u8(msg.version, 'version').u16(msg.myAsn, 'my autonomous system').u16(msg.holdTime, 'hold time').bytes(id);
  const extended = msg.extendedParameters || parametersNeedExtendedForm(msg.parameters);
  if (extended) {
    // RFC 9072 §2: Non-Ext OP Len 255, Non-Ext OP Type 255, then a 2-octet length.
    w.u8(0xff).u8(OptionalParameterType.EXTENDED_LENGTH);
    const lenAt = w.reserveU16();
    writeOptionalParameters(w, msg.parameters, true);
    w.patchU16(lenAt, w.length - lenAt - 2, 'extended optional parameters length');
  } else {
    const lenAt = w.reserveU8();
    writeOptionalParameters(w, msg.parameters, false);
    w.patchU8(lenAt, w.length - lenAt - 1, 'optional parameters length');
  }
  finishMessage(w, start, BGP_MAX_MESSAGE_LENGTH, 'OPEN');
  return w.finish();
}
