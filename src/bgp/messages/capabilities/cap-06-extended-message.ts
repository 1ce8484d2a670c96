import { CapabilityCode } from '../../constants.js';
import { type CapabilityCodec, checkValueLength } from './capability-codec.js';

/** Extended Message capability (code 6), RFC 8654 §3: messages up to 65535 octets once both sides send it. */
export interface ExtendedMessageCapability {
  readonly kind: 'extended-message';
}

/** Extended Message capability (code 6), RFC 8654 §3: messages up to 65535 octets once both sides send it. The value is empty; JSON has no fields beyond `code` and `name`. */
export const extendedMessageCapability: CapabilityCodec<ExtendedMessageCapability> = {
  code: CapabilityCode.EXTENDED_MESSAGE,
  kind: 'extended-message',
  decode(value) {
    checkValueLength(value, 'extended-message', 0, true);
    return { kind: 'extended-message' };
  },
  encode() {
    // No value octets.
  },
  toJSON() {
    return {};
  },
};
