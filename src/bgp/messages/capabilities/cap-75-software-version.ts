import { CapabilityCode } from '../../constants.js';
import { type CapabilityCodec, capabilityReader, decodeUtf8, malformedCapability, writeShortText } from './capability-codec.js';

/** Software Version capability (code 75), draft-abraitis-bgp-version-capability §2. */
export interface SoftwareVersionCapability {
  readonly kind: 'software-version';
  readonly version: string;
}

/**
 * draft-abraitis-bgp-version-capability §2: Version Length (1), then the version
 * string (UTF-8). Text that is not UTF-8 keeps the capability raw (kind `unknown`,
 * code 75). JSON: `{ version }`.
 */
export const softwareVersionCapability: CapabilityCodec<SoftwareVersionCapability> = {
  code: CapabilityCode.SOFTWARE_VERSION,
  kind: 'software-version',
  decode(value) {
    const r = capabilityReader(value);
    const text = r.bytes(r.u8('software version length'), 'software version');
    if (r.remaining !== 0) throw malformedCapability('software-version', `${r.remaining} octets after the version string`);
    const version = decodeUtf8(text);
    return version === undefined ? undefined : { kind: 'software-version', version };
  },
  encode(cap, w) {
    writeShortText(w, cap.version, 'software version');
  },
  toJSON(cap) {
    return { version: cap.version };
  },
};
