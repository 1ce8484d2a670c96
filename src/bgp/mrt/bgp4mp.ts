import { Afi } from '../constants.js';
import type { CodecContext } from '../context.js';
import { type BgpMessage, decodeMessage } from '../messages/decode-message.js';
import { messageToJSON } from '../messages/message-json.js';
import { UpdateView } from '../update/update-view.js';
import { mrtCodecContext } from './mrt-codec-context.js';
import { formatIP } from '../ip-address.js';
import { Bgp4mpSubtype, BGP_FSM_STATE_NAMES, MrtType } from './mrt-constants.js';
import { MrtCursor } from './mrt-cursor.js';
import type { MrtRawRecord } from './mrt-framer.js';
import { headerJSON, type MrtRecordHeader, recordHeader, toHex } from './mrt-record-base.js';

/** How a BGP4MP subtype lays out its fields (RFC 6396 §4.4, RFC 8050 §3). */
interface Bgp4mpShape {
  readonly asn4: boolean;
  readonly local: boolean;
  readonly addPath: boolean;
}

const MESSAGE_SUBTYPES: Readonly<Record<number, Bgp4mpShape>> = {
  [Bgp4mpSubtype.MESSAGE]: { asn4: false, local: false, addPath: false },
  [Bgp4mpSubtype.MESSAGE_AS4]: { asn4: true, local: false, addPath: false },
  [Bgp4mpSubtype.MESSAGE_LOCAL]: { asn4: false, local: true, addPath: false },
  [Bgp4mpSubtype.MESSAGE_AS4_LOCAL]: { asn4: true, local: true, addPath: false },
  [Bgp4mpSubtype.MESSAGE_ADDPATH]: { asn4: false, local: false, addPath: true },
  [Bgp4mpSubtype.MESSAGE_AS4_ADDPATH]: { asn4: true, local: false, addPath: true },
  [Bgp4mpSubtype.MESSAGE_LOCAL_ADDPATH]: { asn4: false, local: true, addPath: true },
  [Bgp4mpSubtype.MESSAGE_AS4_LOCAL_ADDPATH]: { asn4: true, local: true, addPath: true },
};

/** True for the BGP4MP subtypes that carry a BGP message. */
export function isBgp4mpMessageSubtype(subtype: number): boolean {
  return MESSAGE_SUBTYPES[subtype] !== undefined;
}

/** Address width of a BGP4MP Address Family field; 0 when it is neither IPv4 nor IPv6. */
function addressWidth(afi: number): number {
  return afi === Afi.IPV4 ? 4 : afi === Afi.IPV6 ? 16 : 0;
}

const ZERO_V4 = new Uint8Array(4);

/**
 * The peer part every BGP4MP record starts with (RFC 6396 §4.4.1-§4.4.2):
 * Peer AS, Local AS (2 or 4 octets), Interface Index, Address Family, Peer
 * and Local IP address (4 or 16 octets by family).
 */
type Bgp4mpPeerFields = Pick<Bgp4mpMessage, 'peerAs' | 'localAs' | 'interfaceIndex' | 'afi' | 'peerAddress' | 'localAddress'>;

/**
 * Reads the peer part at the cursor. `zebraShortForm` is asked after the two
 * ASes: true when old Zebra left out interface index and addresses, which
 * then read as 0, IPv4 and 0.0.0.0. Throws `MrtError` on a short body or an
 * address family that is neither IPv4 nor IPv6.
 */
function readPeerFields(c: MrtCursor, asn4: boolean, zebraShortForm: (c: MrtCursor) => boolean): Bgp4mpPeerFields {
  const peerAs = asn4 ? c.u32('peer AS') : c.u16('peer AS');
  const localAs = asn4 ? c.u32('local AS') : c.u16('local AS');
  if (zebraShortForm(c)) return { peerAs, localAs, interfaceIndex: 0, afi: Afi.IPV4, peerAddress: ZERO_V4, localAddress: ZERO_V4 };
  const interfaceIndex = c.u16('interface index');
  const afi = c.u16('address family');
  const width = addressWidth(afi);
  if (width === 0) throw c.error('ERR_MRT_BAD_AFI', `BGP4MP address family ${afi} is neither IPv4 nor IPv6`);
  const peerAddress = c.bytes(width, 'peer IP address');
  const localAddress = c.bytes(width, 'local IP address');
  return { peerAs, localAs, interfaceIndex, afi, peerAddress, localAddress };
}

/**
 * Old Zebra wrote message records (OPENs) without interface index and
 * addresses: two 0xffff words there are the start of the BGP marker. Leaves
 * the cursor where it was.
 */
function messageWithoutPeerAddresses(c: MrtCursor): boolean {
  const at = c.pos;
  const markerStart = c.u16('interface index') === 0xffff && c.u16('address family') === 0xffff;
  c.pos = at;
  return markerStart;
}

/**
 * A BGP4MP / BGP4MP_ET message record (RFC 6396 §4.4.2-§4.4.3, §4.4.6-§4.4.7,
 * RFC 8050 ADD-PATH subtypes): the peer and local AS and address and the whole
 * BGP message (marker and header included) as a view. `asn4` says how the
 * message's AS_PATH is encoded, `addPath` that its NLRI carry path ids.
 *
 * "Peer" is always the first address/AS pair of the record: for the _LOCAL
 * subtypes the message was sent by the local side to that peer.
 *
 * @example
 * ```ts
 * if (rec.kind === 'bgp4mp-message' && rec.messageType === 2) console.log(rec.peerIp, rec.message.length);
 * ```
 */
export class Bgp4mpMessage {
  readonly kind = 'bgp4mp-message' as const;
  readonly header: MrtRecordHeader;
  readonly asn4: boolean;
  readonly local: boolean;
  readonly addPath: boolean;
  readonly peerAs: number;
  readonly localAs: number;
  readonly interfaceIndex: number;
  /** Address Family of the peer/local addresses (1 or 2). */
  readonly afi: number;
  readonly peerAddress: Uint8Array;
  readonly localAddress: Uint8Array;
  /** The BGP message as recorded: 16-octet marker, length, type, body (a view). */
  readonly message: Uint8Array;

  private constructor(header: MrtRecordHeader, shape: Bgp4mpShape, peer: Bgp4mpPeerFields, message: Uint8Array) {
    this.header = header;
    this.asn4 = shape.asn4;
    this.local = shape.local;
    this.addPath = shape.addPath;
    ({ peerAs: this.peerAs, localAs: this.localAs, interfaceIndex: this.interfaceIndex, afi: this.afi, peerAddress: this.peerAddress, localAddress: this.localAddress } = peer);
    this.message = message;
  }

  /** Reads the record; throws `MrtError` on a short body or an unknown address family. */
  static decode(raw: MrtRawRecord): Bgp4mpMessage {
    const c = new MrtCursor(raw.buf, raw.start, raw.end, raw);
    const shape = MESSAGE_SUBTYPES[raw.subtype];
    if (!shape) throw c.error('ERR_MRT_MALFORMED', `BGP4MP subtype ${raw.subtype} is not a message subtype`);
    const peer = readPeerFields(c, shape.asn4, messageWithoutPeerAddresses);
    c.need(19, 'BGP message header');
    const message = raw.buf.subarray(c.pos, c.end);
    return new Bgp4mpMessage(recordHeader(raw), shape, peer, message);
  }

  /** True when the message starts with the all-ones marker (RFC 4271 §4.1). */
  get markerValid(): boolean {
    for (let i = 0; i < 16; i++) if (this.message[i] !== 0xff) return false;
    return true;
  }

  /** The Length field of the BGP message header. */
  get messageLength(): number {
    return (this.message[16]! << 8) | this.message[17]!;
  }

  /** The Type field of the BGP message header (1 OPEN, 2 UPDATE, 3 NOTIFICATION, 4 KEEPALIVE, 5 ROUTE-REFRESH). */
  get messageType(): number {
    return this.message[18]!;
  }

  /** True for BGP4MP_ET records (RFC 6396 §4.4 with the §3 microsecond field). */
  get extendedTimestamp(): boolean {
    return this.header.type === MrtType.BGP4MP_ET;
  }

  /** The context the message is read with (ASN width and ADD-PATH from the subtype, Extended Message on). */
  get codecContext(): CodecContext {
    return mrtCodecContext(this.asn4, this.addPath);
  }

  /** The message bytes up to its Length field (or all recorded bytes when the record is shorter). */
  get frame(): Uint8Array {
    const len = this.messageLength;
    return len >= 19 && len <= this.message.length ? this.message.subarray(0, len) : this.message;
  }

  /**
   * Decodes the BGP message with the messages codec (`decodeMessage`); an
   * UPDATE comes back as a lazy `UpdateView`. Throws `BgpError` on a
   * malformed message.
   */
  decode(ctx: CodecContext = this.codecContext): BgpMessage {
    return decodeMessage(this.frame, ctx);
  }

  /** The UPDATE as a lazy `UpdateView` (throws `BgpError` 1/3 for another message type). */
  update(ctx: CodecContext = this.codecContext): UpdateView {
    return UpdateView.fromMessage(this.frame, ctx);
  }

  get peerIp(): string {
    return formatIP(this.peerAddress);
  }

  get localIp(): string {
    return formatIP(this.localAddress);
  }

  /** JSON: header fields (timestamp, microseconds for _ET, type, subtype), `kind: 'bgp4mp-message'`, asn4, local, addPath, peerAs, localAs, interfaceIndex, afi, peerIp, localIp, messageType, and `bgp` (the message's JSON from `messageToJSON`) or `message` (hex) with `error` (the BgpError) when it does not decode. */
  toJSON(): Record<string, unknown> {
    return {
      ...headerJSON(this.header),
      kind: this.kind,
      asn4: this.asn4,
      local: this.local,
      addPath: this.addPath,
      peerAs: this.peerAs,
      localAs: this.localAs,
      interfaceIndex: this.interfaceIndex,
      afi: this.afi,
      peerIp: this.peerIp,
      localIp: this.localIp,
      messageType: this.messageType,
      ...this.decodedJSON(),
    };
  }

  /** `{ bgp: <message JSON> }`, or the raw message and the `BgpError` when it does not decode. */
  private decodedJSON(): Record<string, unknown> {
    try {
      return { bgp: messageToJSON(this.decode()) };
    } catch (e) {
      const error = e instanceof Error && 'toJSON' in e && typeof e.toJSON === 'function' ? (e.toJSON as () => unknown)() : String(e);
      return { message: toHex(this.message), error };
    }
  }
}

/**
 * A BGP4MP STATE_CHANGE / STATE_CHANGE_AS4 record (RFC 6396 §4.4.1, §4.4.5):
 * the peer's FSM moved from `oldState` to `newState` (1 Idle ... 6 Established;
 * Quagga also writes 7 Clearing and 8 Deleted).
 *
 * @example
 * ```ts
 * if (rec.kind === 'bgp4mp-state-change') console.log(rec.peerIp, rec.oldStateName, '->', rec.newStateName);
 * ```
 */
export class Bgp4mpStateChange {
  readonly kind = 'bgp4mp-state-change' as const;
  readonly header: MrtRecordHeader;
  readonly asn4: boolean;
  readonly peerAs: number;
  readonly localAs: number;
  readonly interfaceIndex: number;
  readonly afi: number;
  readonly peerAddress: Uint8Array;
  readonly localAddress: Uint8Array;
  readonly oldState: number;
  readonly newState: number;

  private constructor(header: MrtRecordHeader, asn4: boolean, peer: Bgp4mpPeerFields, oldState: number, newState: number) {
    this.header = header;
    this.asn4 = asn4;
    ({ peerAs: this.peerAs, localAs: this.localAs, interfaceIndex: this.interfaceIndex, afi: this.afi, peerAddress: this.peerAddress, localAddress: this.localAddress } = peer);
    this.oldState = oldState;
    this.newState = newState;
  }

  /** Reads the record; throws `MrtError` on a short body or an unknown address family. */
  static decode(raw: MrtRawRecord): Bgp4mpStateChange {
    const c = new MrtCursor(raw.buf, raw.start, raw.end, raw);
    const asn4 = raw.subtype === Bgp4mpSubtype.STATE_CHANGE_AS4;
    // Old Zebra wrote 8-octet state changes: the two ASes and the two states only.
    const peer = readPeerFields(c, asn4, () => !asn4 && raw.end - raw.start === 8);
    const oldState = c.u16('old state');
    const newState = c.u16('new state');
    return new Bgp4mpStateChange(recordHeader(raw), asn4, peer, oldState, newState);
  }

  get peerIp(): string {
    return formatIP(this.peerAddress);
  }

  get oldStateName(): string {
    return BGP_FSM_STATE_NAMES[this.oldState] ?? `State${this.oldState}`;
  }

  get newStateName(): string {
    return BGP_FSM_STATE_NAMES[this.newState] ?? `State${this.newState}`;
  }

  /** JSON: header fields, `kind: 'bgp4mp-state-change'`, asn4, peerAs, localAs, interfaceIndex, afi, peerIp, localIp, oldState, newState. */
  toJSON(): Record<string, unknown> {
    return {
      ...headerJSON(this.header),
      kind: this.kind,
      asn4: this.asn4,
      peerAs: this.peerAs,
      localAs: this.localAs,
      interfaceIndex: this.interfaceIndex,
      afi: this.afi,
      peerIp: this.peerIp,
      localIp: formatIP(this.localAddress),
      oldState: this.oldState,
      newState: this.newState,
    };
  }
}
