import { AS_TRANS, BGP_HEADER_LENGTH, OptionalParameterType } from '../constants.js';
import type { Capability, CapabilityKind } from './capabilities/capability-registry.js';
import { capabilityToJSON, encodeCapability } from './capabilities/capability-registry.js';
import { WireWriter } from '../wire-writer.js';

/** The BGP version fibwire speaks (RFC 4271 §4.2). */
export const BGP_VERSION = 4;

/**
 * One Capabilities Optional Parameter (type 2, RFC 5492 §4). A speaker may put
 * all its capabilities in one parameter or one per parameter; the grouping is
 * kept so a decoded OPEN re-encodes to the same bytes.
 */
export interface CapabilitiesParameter {
  readonly type: typeof OptionalParameterType.CAPABILITIES;
  readonly capabilities: readonly Capability[];
}

/** An Optional Parameter of OPEN (RFC 4271 §4.2). Only Capabilities (RFC 5492) is defined today. */
export type OptionalParameter = CapabilitiesParameter;

/** The fields of an {@link OpenMessage}, as on the wire. */
export interface OpenMessageFields {
  /** RFC 4271 §4.2 Version; 4. */
  readonly version: number;
  /** My Autonomous System: the 2-octet field; AS_TRANS (23456) when the real ASN needs 4 octets (RFC 6793 §4.1). */
  readonly myAsn: number;
  /** Hold Time in seconds (0 or at least 3). */
  readonly holdTime: number;
  /** BGP Identifier as a dotted quad. */
  readonly bgpIdentifier: string;
  readonly parameters: readonly OptionalParameter[];
  /**
   * True when the parameters use the RFC 9072 extended form (Non-Ext OP Type 255,
   * 2-octet lengths). The encoder also uses it, whatever this says, when the
   * parameters exceed 255 octets (RFC 9072 §2 MUST).
   */
  readonly extendedParameters: boolean;
}

/** What {@link OpenMessage.create} needs: the real ASN and the capabilities. */
export interface OpenMessageInit {
  /** The speaker's ASN, 2- or 4-octet. */
  readonly asn: number;
  readonly holdTime: number;
  readonly bgpIdentifier: string;
  readonly capabilities?: readonly Capability[];
  /** Default 4. */
  readonly version?: number;
  /** `single` (default): one Capabilities parameter; `per-capability`: one parameter each (as ExaBGP and GoBGP send). */
  readonly parameterLayout?: 'single' | 'per-capability';
  /** Force the RFC 9072 extended parameter form even when it is not needed. */
  readonly forceExtendedParameters?: boolean;
}

/** JSON form of an {@link OpenMessage} (see {@link OpenMessage.toJSON}). */
export interface OpenMessageJSON {
  type: 'open';
  version: number;
  myAsn: number;
  asn: number;
  holdTime: number;
  bgpIdentifier: string;
  extendedParameters?: true;
  capabilities: Record<string, unknown>[];
}

/**
 * A decoded or to-be-sent OPEN message (RFC 4271 §4.2) with its capabilities
 * (RFC 5492). Plain data: `decodeOpen(encodeOpen(x))` deep-equals `x`.
 *
 * @example
 * ```ts
 * const open = OpenMessage.create({
 *   asn: 4200000001, holdTime: 90, bgpIdentifier: '192.0.2.1',
 *   capabilities: [{ kind: 'multiprotocol', afi: 1, safi: 1 }, { kind: 'route-refresh' }],
 * });
 * open.myAsn;        // 23456 (AS_TRANS), the four-octet-as capability carries 4200000001
 * const frame = encodeOpen(open);
 * ```
 */
export class OpenMessage implements OpenMessageFields {
  readonly version: number;
  readonly myAsn: number;
  readonly holdTime: number;
  readonly bgpIdentifier: string;
  readonly parameters: readonly OptionalParameter[];
  readonly extendedParameters: boolean;

  constructor(fields: OpenMessageFields) {
    this.version = fields.version;
    this.myAsn = fields.myAsn;
    this.holdTime = fields.holdTime;
    this.bgpIdentifier = fields.bgpIdentifier;
    this.parameters = fields.parameters;
    this.extendedParameters = fields.extendedParameters;
  }

  /**
   * Builds an OPEN from the real ASN: `myAsn` becomes AS_TRANS when the ASN does
   * not fit 2 octets, and a four-octet-as capability carrying it is appended when
   * none is given (RFC 6793 §3: a 4-octet ASN can only be announced that way).
   * `extendedParameters` is set exactly when RFC 9072 requires it (or forced);
   * measuring that encodes the capabilities, so a capability that cannot be
   * encoded is an `EncodeError` here already.
   */
  static create(init: OpenMessageInit): OpenMessage {
    const caps = [...(init.capabilities ?? [])];
    if (init.asn > 0xffff && !caps.some((c) => c.kind === 'four-octet-as')) caps.push({ kind: 'four-octet-as', asn: init.asn });
    const parameters: CapabilitiesParameter[] =
      init.parameterLayout === 'per-capability'
        ? caps.map((c) => ({ type: OptionalParameterType.CAPABILITIES, capabilities: [c] }))
        : caps.length > 0
          ? [{ type: OptionalParameterType.CAPABILITIES, capabilities: caps }]
          : [];
    const needed = parametersNeedExtendedForm(parameters);
    return new OpenMessage({
      version: init.version ?? BGP_VERSION,
      myAsn: init.asn > 0xffff ? AS_TRANS : init.asn,
      holdTime: init.holdTime,
      bgpIdentifier: init.bgpIdentifier,
      parameters,
      extendedParameters: needed || init.forceExtendedParameters === true,
    });
  }

  /** Every capability of every Capabilities parameter, in wire order. */
  get capabilities(): Capability[] {
    const out: Capability[] = [];
    for (const p of this.parameters) out.push(...p.capabilities);
    return out;
  }

  /** The first capability of a kind, if any. */
  findCapability<K extends CapabilityKind>(kind: K): Extract<Capability, { kind: K }> | undefined {
    for (const p of this.parameters) {
      for (const c of p.capabilities) if (c.kind === kind) return c as Extract<Capability, { kind: K }>;
    }
    return undefined;
  }

  /** Every capability of a kind (RFC 5492 §4 allows repeats, e.g. one multiprotocol per family). */
  findCapabilities<K extends CapabilityKind>(kind: K): Extract<Capability, { kind: K }>[] {
    return this.capabilities.filter((c): c is Extract<Capability, { kind: K }> => c.kind === kind);
  }

  /** The speaker's real ASN: the four-octet-as capability's when present (RFC 6793 §4.1), else `myAsn`. */
  get asn(): number {
    return this.findCapability('four-octet-as')?.asn ?? this.myAsn;
  }

  /**
   * JSON form:
   * `{ type: 'open', version, myAsn, asn, holdTime, bgpIdentifier, extendedParameters?: true,
   *    capabilities: [{ code, name, ...fields }] }` — capabilities flattened in wire
   * order, each in the form of `capabilityToJSON` (e.g.
   * `{ code: 1, name: 'multiprotocol', family: 'ipv4-unicast', afi: 1, safi: 1 }`,
   * `{ code: 200, name: 'unknown', value: '0102' }`).
   */
  toJSON(): OpenMessageJSON {
    return {
      type: 'open',
      version: this.version,
      myAsn: this.myAsn,
      asn: this.asn,
      holdTime: this.holdTime,
      bgpIdentifier: this.bgpIdentifier,
      ...(this.extendedParameters ? { extendedParameters: true as const } : {}),
      capabilities: this.capabilities.map(capabilityToJSON),
    };
  }
}

/** Writes the parameters in the RFC 4271 §4.2 form (1-octet lengths) or the RFC 9072 §2 form (2-octet lengths). */
export function writeOptionalParameters(w: WireWriter, parameters: readonly OptionalParameter[], extended: boolean): void {
  for (const p of parameters) {
    w.u8(p.type, 'optional parameter type');
    const lenAt = extended ? w.reserveU16() : w.reserveU8();
    const start = w.length;
    for (const c of p.capabilities) encodeCapability(c, w);
    const len = w.length - start;
    if (extended) w.patchU16(lenAt, len, 'optional parameter length');
    else w.patchU8(lenAt, len, 'optional parameter length');
  }
}

/** RFC 9072 §2: the extended form is required when the parameters (or one of them) exceed 255 octets. */
export function parametersNeedExtendedForm(parameters: readonly OptionalParameter[]): boolean {
  let total = 0;
  for (const p of parameters) {
    const w = new WireWriter(64);
    for (const c of p.capabilities) encodeCapability(c, w);
    if (w.length > 0xff) return true;
    total += 2 + w.length;
  }
  return total > 0xff;
}

/** Smallest OPEN: header + version, AS, hold time, identifier, parameters length (RFC 4271 §4.2). */
export const OPEN_MIN_LENGTH = BGP_HEADER_LENGTH + 10;
