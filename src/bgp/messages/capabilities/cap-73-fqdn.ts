import { CapabilityCode } from '../../constants.js';
import { type CapabilityCodec, capabilityReader, decodeUtf8, malformedCapability, writeShortText } from './capability-codec.js';

/** FQDN (hostname) capability (code 73), draft-walton-bgp-hostname-capability §3. */
export interface FqdnCapability {
  readonly kind: 'fqdn';
  readonly hostname: string;
  readonly domainName: string;
}

/**
 * draft-walton-bgp-hostname-capability §3: Hostname Length (1), Hostname,
 * Domain Name Length (1), Domain Name. Text that is not UTF-8 keeps the whole
 * capability raw (kind `unknown`, code 73). JSON: `{ hostname, domainName }`.
 */
export const fqdnCapability: CapabilityCodec<FqdnCapability> = {
  code: CapabilityCode.FQDN,
  kind: 'fqdn',
  decode(value) {
    const r = capabilityReader(value);
    const host = r.bytes(r.u8('FQDN hostname length'), 'FQDN hostname');
    const domain = r.bytes(r.u8('FQDN domain name length'), 'FQDN domain name');
    if (r.remaining !== 0) throw malformedCapability('fqdn', `${r.remaining} octets after the domain name`);
    const hostname = decodeUtf8(host);
    const domainName = decodeUtf8(domain);
    if (hostname === undefined || domainName === undefined) return undefined;
    return { kind: 'fqdn', hostname, domainName };
  },
  encode(cap, w) {
    writeShortText(w, cap.hostname, 'FQDN hostname');
    writeShortText(w, cap.domainName, 'FQDN domain name');
  },
  toJSON(cap) {
    return { hostname: cap.hostname, domainName: cap.domainName };
  },
};
