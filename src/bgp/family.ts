import { Afi, Safi } from './constants.js';

/** A numeric key for an AFI/SAFI pair: `afi << 8 | safi` (SAFI is one octet). */
export type FamilyKey = number;

/** Builds the {@link FamilyKey} of an AFI/SAFI pair. */
export function familyKey(afi: number, safi: number): FamilyKey {
  return afi * 256 + safi;
}

/** Splits a {@link FamilyKey}. */
export function familyOf(key: FamilyKey): { afi: number; safi: number } {
  return { afi: Math.floor(key / 256), safi: key & 0xff };
}

const AFI_NAME: Readonly<Record<number, string>> = { 1: 'ipv4', 2: 'ipv6', 25: 'l2vpn', 16388: 'bgp-ls' };
const SAFI_NAME: Readonly<Record<number, string>> = {
  1: 'unicast',
  2: 'multicast',
  4: 'mpls-label',
  65: 'vpls',
  70: 'evpn',
  71: 'bgp-ls',
  73: 'sr-policy',
  128: 'mpls-vpn',
  132: 'rtc',
  133: 'flowspec',
  134: 'flowspec-vpn',
};

/** A family's name in the form GoBGP and ExaBGP print, e.g. `ipv4-unicast`; unknown numbers print as `afi-N-safi-M`. */
export function familyName(afi: number, safi: number): string {
  const a = AFI_NAME[afi];
  const s = SAFI_NAME[safi];
  return a && s ? `${a}-${s}` : `afi-${afi}-safi-${safi}`;
}

/** Parses a family name (`ipv4-unicast`, `ipv6-multicast`, ...) to its key, or `undefined`. */
export function parseFamilyName(name: string): FamilyKey | undefined {
  const m = /^afi-(\d+)-safi-(\d+)$/.exec(name);
  if (m) return familyKey(Number(m[1]), Number(m[2]));
  for (const [afi, a] of Object.entries(AFI_NAME)) {
    if (!name.startsWith(`${a}-`)) continue;
    const rest = name.slice(a.length + 1);
    for (const [safi, s] of Object.entries(SAFI_NAME)) if (s === rest) return familyKey(Number(afi), Number(safi));
  }
  return undefined;
}

/** Families fibwire knows by name. */
export const Family = {
  IPV4_UNICAST: familyKey(Afi.IPV4, Safi.UNICAST),
  IPV4_MULTICAST: familyKey(Afi.IPV4, Safi.MULTICAST),
  IPV6_UNICAST: familyKey(Afi.IPV6, Safi.UNICAST),
  IPV6_MULTICAST: familyKey(Afi.IPV6, Safi.MULTICAST),
  IPV4_MPLS_VPN: familyKey(Afi.IPV4, Safi.MPLS_VPN),
  IPV6_MPLS_VPN: familyKey(Afi.IPV6, Safi.MPLS_VPN),
  L2VPN_EVPN: familyKey(Afi.L2VPN, Safi.EVPN),
  IPV4_FLOWSPEC: familyKey(Afi.IPV4, Safi.FLOWSPEC),
  IPV6_FLOWSPEC: familyKey(Afi.IPV6, Safi.FLOWSPEC),
} as const;
