import { CapabilityCode } from '../../constants.js';
import { readU16 } from '../../wire-reader.js';
import { type CapabilityCodec, checkValueLength, familyJSON } from './capability-codec.js';

/** Multiprotocol Extensions capability (code 1), RFC 4760 §8: one AFI/SAFI the speaker can carry. */
export interface MultiprotocolCapability {
  readonly kind: 'multiprotocol';
  readonly afi: number;
  readonly safi: number;
}

/**
 * RFC 4760 §8: AFI (2 octets), Reserved (1, sent as 0 and ignored), SAFI (1).
 * JSON: `{ family, afi, safi }`.
 */
export const multiprotocolCapability: CapabilityCodec<MultiprotocolCapability> = {
  code: CapabilityCode.MULTIPROTOCOL,
  kind: 'multiprotocol',
  decode(value) {
    checkValueLength(value, 'multiprotocol', 4, true);
    return { kind: 'multiprotocol', afi: readU16(value, 0), safi: value[3]! };
  },
  encode(cap, w) {
    w.u16(cap.afi, 'multiprotocol AFI').u8(0).u8(cap.safi, 'multiprotocol SAFI');
  },
  toJSON(cap) {
    return familyJSON(cap.afi, cap.safi);
  },
};
