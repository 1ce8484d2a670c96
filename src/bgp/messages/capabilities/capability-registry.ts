import { EncodeError } from '../../errors.js';
import type { WireWriter } from '../../wire-writer.js';
import { type MultiprotocolCapability, multiprotocolCapability } from './cap-01-multiprotocol.js';
import { type RouteRefreshCapability, routeRefreshCapability } from './cap-02-route-refresh.js';
import { type ExtendedNextHopCapability, extendedNextHopCapability } from './cap-05-extended-next-hop.js';
import { type ExtendedMessageCapability, extendedMessageCapability } from './cap-06-extended-message.js';
import { type BgpRoleCapability, bgpRoleCapability } from './cap-09-bgp-role.js';
import { type GracefulRestartCapability, gracefulRestartCapability } from './cap-64-graceful-restart.js';
import { type FourOctetAsCapability, fourOctetAsCapability } from './cap-65-four-octet-as.js';
import { type AddPathCapability, addPathCapability } from './cap-69-add-path.js';
import { type EnhancedRouteRefreshCapability, enhancedRouteRefreshCapability } from './cap-70-enhanced-route-refresh.js';
import {
  type LongLivedGracefulRestartCapability,
  longLivedGracefulRestartCapability,
} from './cap-71-long-lived-graceful-restart.js';
import { type FqdnCapability, fqdnCapability } from './cap-73-fqdn.js';
import { type SoftwareVersionCapability, softwareVersionCapability } from './cap-75-software-version.js';
import type { CapabilityCodec } from './capability-codec.js';
import { type UnknownCapability, unknownCapabilityJSON } from './unknown-capability.js';

/**
 * One capability of an OPEN message (RFC 5492), discriminated by `kind`.
 * Codes fibwire does not interpret are `{ kind: 'unknown', code, value }`.
 */
export type Capability =
  | MultiprotocolCapability
  | RouteRefreshCapability
  | ExtendedNextHopCapability
  | ExtendedMessageCapability
  | BgpRoleCapability
  | GracefulRestartCapability
  | FourOctetAsCapability
  | AddPathCapability
  | EnhancedRouteRefreshCapability
  | LongLivedGracefulRestartCapability
  | FqdnCapability
  | SoftwareVersionCapability
  | UnknownCapability;

/** The `kind` names of {@link Capability}. */
export type CapabilityKind = Capability['kind'];

type KnownCapability = Exclude<Capability, UnknownCapability>;

// Method parameters are bivariant, so each codec fits the wide type.
const CODECS: readonly CapabilityCodec<KnownCapability>[] = [
  multiprotocolCapability,
  routeRefreshCapability,
  extendedNextHopCapability,
  extendedMessageCapability,
  bgpRoleCapability,
  gracefulRestartCapability,
  fourOctetAsCapability,
  addPathCapability,
  enhancedRouteRefreshCapability,
  longLivedGracefulRestartCapability,
  fqdnCapability,
  softwareVersionCapability,
];

const BY_CODE = new Map<number, CapabilityCodec<KnownCapability>>(CODECS.map((c) => [c.code, c]));
const BY_KIND = new Map<string, CapabilityCodec<KnownCapability>>(CODECS.map((c) => [c.kind, c]));

/** Capability codes fibwire decodes into typed values. */
export const KNOWN_CAPABILITY_CODES: readonly number[] = CODECS.map((c) => c.code);

/**
 * Decodes one capability value (RFC 5492 §4). `value` may be a view into a
 * pooled buffer: typed values copy what they keep, unknown ones copy the bytes.
 * Throws a `BgpError` 2/0 when a known capability is malformed (RFC 4271 §6.2).
 */
export function decodeCapability(code: number, value: Uint8Array): Capability {
  const codec = BY_CODE.get(code);
  const decoded = codec?.decode(value);
  return decoded ?? { kind: 'unknown', code, value: Uint8Array.from(value) };
}

/** The capability code of a value (IANA "Capability Codes"). */
export function capabilityCode(cap: Capability): number {
  if (cap.kind === 'unknown') return cap.code;
  const codec = BY_KIND.get(cap.kind);
  if (!codec) throw EncodeError.invalid('capability kind', `unknown kind ${String(cap.kind)}`);
  return codec.code;
}

/**
 * Writes code, length and value (RFC 5492 §4). A value over 255 octets cannot be
 * expressed in the one-octet length: an {@link EncodeError}, never a truncation.
 */
export function encodeCapability(cap: Capability, w: WireWriter): void {
  const code = capabilityCode(cap);
  w.u8(code, 'capability code');
  const lenAt = w.reserveU8();
  if (cap.kind === 'unknown') w.bytes(cap.value);
  else BY_KIND.get(cap.kind)!.encode(cap, w);
  const len = w.length - lenAt - 1;
  if (len > 0xff) throw new EncodeError(`capability ${code} length`, len, 0xff);
  w.patchU8(lenAt, len, `capability ${code} length`);
}

/**
 * JSON form of a capability: `{ code, name, ...fields }` where `name` is the
 * `kind` and the fields are those documented on each codec (families as
 * `{ family: 'ipv4-unicast', afi, safi }`, unknown bytes as `value` hex).
 */
export function capabilityToJSON(cap: Capability): Record<string, unknown> {
  if (cap.kind === 'unknown') return { code: cap.code, name: 'unknown', ...unknownCapabilityJSON(cap) };
  const codec = BY_KIND.get(cap.kind)!;
  return { code: codec.code, name: cap.kind, ...codec.toJSON(cap) };
}
