import { WellKnownCommunity } from '../constants.js';

const NAME_BY_VALUE: ReadonlyMap<number, string> = new Map(Object.entries(WellKnownCommunity).map(([name, value]) => [value, name]));
const VALUE_BY_NAME: ReadonlyMap<string, number> = new Map(Object.entries(WellKnownCommunity));

/** The IANA name of a well-known community (`NO_EXPORT`, `BLACKHOLE`, `GRACEFUL_SHUTDOWN`...), or `undefined`. */
export function communityName(community: number): string | undefined {
  return NAME_BY_VALUE.get(community);
}

/**
 * A community as text: its well-known name when it has one, else `high:low`
 * (RFC 1997 §3: the high 16 bits are an AS number).
 *
 * @example
 * ```ts
 * formatCommunity(0xffffff01); // "NO_EXPORT"
 * formatCommunity((65000 << 16) + 100 >>> 0); // "65000:100"
 * ```
 */
export function formatCommunity(community: number): string {
  return NAME_BY_VALUE.get(community) ?? `${community >>> 16}:${community & 0xffff}`;
}

/**
 * A community as bgpdump prints it: only the three RFC 1997 names it knows
 * (`no-export`, `no-advertise`, `local-AS` for NO_EXPORT_SUBCONFED), every other
 * value as `high:low`.
 */
export function formatCommunityBgpdump(community: number): string {
  switch (community) {
    case WellKnownCommunity.NO_EXPORT:
      return 'no-export';
    case WellKnownCommunity.NO_ADVERTISE:
      return 'no-advertise';
    case WellKnownCommunity.NO_EXPORT_SUBCONFED:
      return 'local-AS';
    default:
      return `${community >>> 16}:${community & 0xffff}`;
  }
}

/** A list of communities as bgpdump prints it (space-separated). */
export function formatCommunitiesBgpdump(communities: readonly number[]): string {
  let s = '';
  for (let i = 0; i < communities.length; i++) s += (i === 0 ? '' : ' ') + formatCommunityBgpdump(communities[i]!);
  return s;
}

/** Parses `65000:100` or a well-known name (either form: `NO_EXPORT`, `no-export`); `undefined` otherwise. */
export function parseCommunity(text: string): number | undefined {
  const named = VALUE_BY_NAME.get(text.toUpperCase().replace(/-/g, '_'));
  if (named !== undefined) return named;
  const m = /^(\d{1,5}):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const hi = Number(m[1]);
  const lo = Number(m[2]);
  if (hi > 0xffff || lo > 0xffff) return undefined;
  return hi * 0x10000 + lo;
}

/** Builds a community from its AS and value halves. */
export function community(asn: number, value: number): number {
  return (asn & 0xffff) * 0x10000 + (value & 0xffff);
}
