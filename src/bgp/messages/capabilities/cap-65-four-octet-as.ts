import { CapabilityCode } from '../../constants.js';
import { readU32 } from '../../wire-reader.js';
import { type CapabilityCodec, checkValueLength } from './capability-codec.js';

/** Support for 4-octet AS Number capability (code 65), RFC 6793 §3: carries the speaker's real ASN. */
export interface FourOctetAsCapability {
  readonly kind: 'four-octet-as';
  readonly asn: number;
}

/** RFC 6793 §3: the 4-octet AS number. JSON: `{ asn }`. */
export const fourOctetAsCapability: CapabilityCodec<FourOctetAsCapability> = {
  code: CapabilityCode.FOUR_OCTET_AS,
  kind: 'four-octet-as',
  decode(value) {
    checkValueLength(value, 'four-octet-as', 4, true);
    return { kind: 'four-octet-as', asn: readU32(value, 0) };
  },
  encode(cap, w) {
    w.u32(cap.asn, 'four-octet AS number');
  },
  toJSON(cap) {
    return { asn: cap.asn };
  },
};
