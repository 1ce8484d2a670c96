import { getAttributeCodec, isKnownAttributeType } from '../attributes/attribute-registry.js';
import { bytesToHex } from '../attributes/hex.js';
import { AttrType } from '../constants.js';
import { BgpError } from '../errors.js';
import { Family, familyName } from '../family.js';
import { formatIPv4, formatIPv6 } from '../ip-address.js';
import { UpdatePrefixCursor } from './update-prefix-cursor.js';
import type { UpdateView } from './update-view.js';

/** A prefix in JSON: `{ "prefix": "192.0.2.0/24" }`, with `"pathId"` under ADD-PATH. */
export interface PrefixJson {
  readonly prefix: string;
  readonly pathId?: number;
}

/** One announced family in JSON. */
export interface AnnouncedFamilyJson {
  /** NEXT_HOP for classic IPv4 unicast, the MP_REACH_NLRI next hop otherwise; `null` when absent or unreadable. */
  readonly nextHop: string | null;
  /** The IPv6 link-local next hop of a 32-octet MP next hop (RFC 2545 §3). */
  readonly linkLocalNextHop?: string;
  readonly prefixes: PrefixJson[];
}

/**
 * The stable JSON form of an UPDATE ({@link UpdateView.toJSON}):
 *
 * ```json
 * {
 *   "withdrawn": { "ipv4-unicast": [{ "prefix": "10.0.0.0/8" }] },
 *   "announced": { "ipv6-unicast": { "nextHop": "2001:db8::1", "prefixes": [{ "prefix": "2001:db8:1::/48" }] } },
 *   "attributes": { "origin": "igp", "asPath": [...], "localPref": 100 },
 *   "unknownAttributes": [{ "flags": 192, "type": 99, "hex": "0a0b" }],
 *   "unsupported": [{ "family": "ipv4-mpls-vpn", "direction": "announced", "nextHop": "...", "hex": "..." }],
 *   "endOfRib": "ipv6-unicast"
 * }
 * ```
 *
 * - families are keyed by `familyName` (`ipv4-unicast`); classic prefixes come first; IPv4
 *   unicast announced both classic and in MP_REACH_NLRI with two different next hops shows
 *   the MP part under `ipv4-unicast:mp`;
 * - attributes are keyed by the camelCase of the codec name (`LOCAL_PREF` -> `localPref`,
 *   `MULTI_EXIT_DISC` -> `multiExitDisc`) with the codec's own JSON value; on a 2-octet
 *   session `asPath` and `aggregator` are the RFC 6793 §4.2.3 merged values; an
 *   attribute that fails to decode is `{ "error": code, "hex": value }`;
 *   MP_REACH_NLRI / MP_UNREACH_NLRI appear as `announced` / `withdrawn`;
 * - `unknownAttributes` lists attributes without a codec, `unsupported` the MP NLRI of
 *   families without an NLRI codec (raw hex), `endOfRib` is present only on an
 *   End-of-RIB marker (RFC 4724 §2);
 * - a malformed NLRI field ends its family's list and is reported in `nlriErrors`.
 */
export interface UpdateJson {
  readonly withdrawn: Record<string, PrefixJson[]>;
  readonly announced: Record<string, AnnouncedFamilyJson>;
  readonly attributes: Record<string, unknown>;
  readonly unknownAttributes: { flags: number; type: number; hex: string }[];
  readonly unsupported?: { family: string; direction: 'announced' | 'withdrawn'; nextHop?: string; hex: string }[];
  readonly endOfRib?: string;
  readonly nlriErrors?: ReturnType<BgpError['toJSON']>[];
}

/** `LOCAL_PREF` -> `localPref`. */
export function attributeJsonKey(name: string): string {
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function formatNextHop(b: Uint8Array): { nextHop: string; linkLocalNextHop?: string } {
  if (b.length === 4) return { nextHop: formatIPv4(b) };
  if (b.length === 16) return { nextHop: formatIPv6(b) };
  if (b.length === 32) return { nextHop: formatIPv6(b, 0), linkLocalNextHop: formatIPv6(b, 16) };
  return { nextHop: bytesToHex(b) };
}

function catchBgp<T>(f: () => T, onError: (e: BgpError) => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof BgpError) return onError(e);
    throw e;
  }
}

/** Builds the {@link UpdateJson} of a view. */
export function updateToJSON(view: UpdateView): UpdateJson {
  const attributes: Record<string, unknown> = {};
  const unknownAttributes: { flags: number; type: number; hex: string }[] = [];
  const seen = new Uint8Array(256);
  view.forEachAttribute((flags, type, start, end) => {
    if (seen[type]) return;
    seen[type] = 1;
    if (type === AttrType.MP_REACH_NLRI || type === AttrType.MP_UNREACH_NLRI) return;
    const codec = isKnownAttributeType(type) ? getAttributeCodec(type) : undefined;
    if (!codec) {
      unknownAttributes.push({ flags, type, hex: bytesToHex(view.buf.subarray(start, end)) });
      return;
    }
    attributes[attributeJsonKey(codec.name)] = catchBgp(
      () => {
        if (type === AttrType.AS_PATH) return codec.toJSON(view.asPath);
        if (type === AttrType.AGGREGATOR) return codec.toJSON(view.aggregator);
        return codec.toJSON(view.decodeAttribute(type));
      },
      (e) => ({ error: e.code, hex: bytesToHex(view.buf.subarray(start, end)) }),
    );
  });

  const nlriErrors: BgpError[] = [];
  const withdrawn: Record<string, PrefixJson[]> = {};
  const announced: Record<string, AnnouncedFamilyJson> = {};
  const cursor = new UpdatePrefixCursor();
  for (const isAnnounced of [false, true]) {
    const segments = catchBgp(
      () => view.nlriSegments(isAnnounced),
      (e) => {
        nlriErrors.push(e);
        return [];
      },
    );
    for (const seg of segments) {
      let name = seg.codec.name;
      const list: PrefixJson[] = [];
      if (isAnnounced) {
        let nextHop: { nextHop: string | null; linkLocalNextHop?: string };
        if (seg.codec.family === Family.IPV4_UNICAST && seg.nextHopStart === seg.nextHopEnd) {
          nextHop = { nextHop: catchBgp(() => view.nextHop ?? null, () => null) };
        } else nextHop = formatNextHop(view.buf.subarray(seg.nextHopStart, seg.nextHopEnd));
        const existing = announced[name];
        // IPv4 unicast may come both classic and in MP_REACH_NLRI (RFC 4760 §3); with another next hop it gets its own key.
        if (existing && (existing.nextHop !== nextHop.nextHop || existing.linkLocalNextHop !== nextHop.linkLocalNextHop)) name = `${name}:mp`;
        else if (existing) list.push(...existing.prefixes);
        announced[name] = { ...nextHop, prefixes: list };
      } else {
        const existing = withdrawn[name];
        if (existing) list.push(...existing);
        withdrawn[name] = list;
      }
      catchBgp(
        () => {
          cursor.reset(view.buf, [seg]);
          while (cursor.next()) {
            const prefix = cursor.format();
            list.push(cursor.pathId === undefined ? { prefix } : { prefix, pathId: cursor.pathId });
          }
        },
        (e) => {
          nlriErrors.push(e);
        },
      );
    }
  }

  const unsupported = view.unsupportedNlri().map((u) => ({
    family: familyName(u.afi, u.safi),
    direction: u.direction,
    ...(u.direction === 'announced' ? { nextHop: bytesToHex(u.nextHop) } : {}),
    hex: bytesToHex(u.nlri),
  }));
  const eor = view.endOfRibFamily;
  return {
    withdrawn,
    announced,
    attributes,
    unknownAttributes,
    ...(unsupported.length > 0 ? { unsupported } : {}),
    ...(eor !== undefined ? { endOfRib: familyName(Math.floor(eor / 256), eor & 0xff) } : {}),
    ...(nlriErrors.length > 0 ? { nlriErrors: nlriErrors.map((e) => e.toJSON()) } : {}),
  };
}
