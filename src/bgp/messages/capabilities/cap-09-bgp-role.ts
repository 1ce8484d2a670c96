import { CapabilityCode } from '../../constants.js';
import { type CapabilityCodec, checkValueLength } from './capability-codec.js';

/** BGP Role values, RFC 9234 §4.1. */
export const BgpRole = { PROVIDER: 0, ROUTE_SERVER: 1, RS_CLIENT: 2, CUSTOMER: 3, PEER: 4 } as const;
export type BgpRole = (typeof BgpRole)[keyof typeof BgpRole];

const ROLE_NAME: Readonly<Record<number, string>> = {
  0: 'provider',
  1: 'route-server',
  2: 'rs-client',
  3: 'customer',
  4: 'peer',
};

/** BGP Role capability (code 9), RFC 9234 §4.1. `role` is kept as received, known or not. */
export interface BgpRoleCapability {
  readonly kind: 'bgp-role';
  readonly role: number;
}

/**
 * RFC 9234 §4.1: a one-octet role. JSON: `{ role: 3, roleName: 'customer' }`
 * (`roleName` is `unknown` for values outside 0..4).
 */
export const bgpRoleCapability: CapabilityCodec<BgpRoleCapability> = {
  code: CapabilityCode.BGP_ROLE,
  kind: 'bgp-role',
  decode(value) {
    checkValueLength(value, 'bgp-role', 1, true);
    return { kind: 'bgp-role', role: value[0]! };
  },
  encode(cap, w) {
    w.u8(cap.role, 'BGP role');
  },
  toJSON(cap) {
    return { role: cap.role, roleName: ROLE_NAME[cap.role] ?? 'unknown' };
  },
};
