import { formatIPv4 } from '../ip-address.js';
import { messageToJSON } from '../messages/message-json.js';
import { UpdateView } from '../update/update-view.js';
import { mrtCodecContext } from './mrt-codec-context.js';
import { LegacyBgpSubtype } from './mrt-constants.js';
import { MrtCursor } from './mrt-cursor.js';
import type { MrtRawRecord } from './mrt-framer.js';
import { headerJSON, type MrtRecordHeader, recordHeader, toHex } from './mrt-record-base.js';

/**
 * A record of the deprecated MRT type 5 `BGP` (RFC 6396 §5; RIPE RIS wrote
 * them in 1999 and 2000). Subtypes UPDATE, OPEN, NOTIFY and KEEPALIVE carry
 * Source AS (2), Source IP (4), Destination AS (2), Destination IP (4) and the
 * BGP message *without* its 19-octet header; STATE_CHANGE carries Peer AS (2),
 * Peer IP (4), Old State (2), New State (2). AS numbers are 2 octets.
 *
 * @example
 * ```ts
 * if (rec.kind === 'bgp-legacy' && rec.subtype === LegacyBgpSubtype.UPDATE) console.log(rec.peerIp, rec.messageBody.length);
 * ```
 */
export class LegacyBgpRecord {
  readonly kind = 'bgp-legacy' as const;
  readonly header: MrtRecordHeader;
  readonly subtype: number;
  /** Source (UPDATE & co.) or peer (STATE_CHANGE) AS and address. */
  readonly peerAs: number;
  readonly peerAddress: Uint8Array;
  /** Destination AS and address (not in STATE_CHANGE: 0 and 0.0.0.0). */
  readonly localAs: number;
  readonly localAddress: Uint8Array;
  /** The message body after the (absent) BGP header: for UPDATE, Withdrawn Routes Length onwards. */
  readonly messageBody: Uint8Array;
  readonly oldState: number | undefined;
  readonly newState: number | undefined;

  private constructor(header: MrtRecordHeader, f: Omit<LegacyBgpRecord, 'kind' | 'header' | 'peerIp' | 'toJSON' | 'update'>) {
    this.header = header;
    this.subtype = f.subtype;
    this.peerAs = f.peerAs;
    this.peerAddress = f.peerAddress;
    this.localAs = f.localAs;
    this.localAddress = f.localAddress;
    this.messageBody = f.messageBody;
    this.oldState = f.oldState;
    this.newState = f.newState;
  }

  /** Reads the record; throws `MrtError` on a short body. */
  static decode(raw: MrtRawRecord): LegacyBgpRecord {
    const c = new MrtCursor(raw.buf, raw.start, raw.end, raw);
    const h = recordHeader(raw);
    const empty = raw.buf.subarray(raw.start, raw.start);
    switch (raw.subtype) {
      case LegacyBgpSubtype.UPDATE:
      case LegacyBgpSubtype.OPEN:
      case LegacyBgpSubtype.NOTIFY:
      case LegacyBgpSubtype.KEEPALIVE: {
        const peerAs = c.u16('source AS');
        const peerAddress = c.bytes(4, 'source IP');
        const localAs = c.u16('destination AS');
        const localAddress = c.bytes(4, 'destination IP');
        const messageBody = raw.buf.subarray(c.pos, c.end);
        return new LegacyBgpRecord(h, { subtype: raw.subtype, peerAs, peerAddress, localAs, localAddress, messageBody, oldState: undefined, newState: undefined });
      }
      case LegacyBgpSubtype.STATE_CHANGE: {
        const peerAs = c.u16('peer AS');
        const peerAddress = c.bytes(4, 'peer IP');
        const oldState = c.u16('old state');
        const newState = c.u16('new state');
        return new LegacyBgpRecord(h, { subtype: raw.subtype, peerAs, peerAddress, localAs: 0, localAddress: new Uint8Array(4), messageBody: empty, oldState, newState });
      }
      default:
        return new LegacyBgpRecord(h, { subtype: raw.subtype, peerAs: 0, peerAddress: new Uint8Array(4), localAs: 0, localAddress: new Uint8Array(4), messageBody: raw.buf.subarray(raw.start, raw.end), oldState: undefined, newState: undefined });
    }
  }

  get peerIp(): string {
    return formatIPv4(this.peerAddress);
  }

  /** An UPDATE record's body as a lazy `UpdateView` (2-octet ASNs). Throws `BgpError` on bad framing. */
  update(): UpdateView {
    return UpdateView.fromBody(this.messageBody, 0, this.messageBody.length, mrtCodecContext(false, false));
  }

  /** JSON: header fields, `kind: 'bgp-legacy'`, peerAs, peerIp, localAs, localIp, then oldState/newState, or `bgp` (the decoded UPDATE) or messageBody (hex, with `error` when it does not decode). Header fields: timestamp, microseconds (for _ET), type, subtype. */
  toJSON(): Record<string, unknown> {
    return {
      ...headerJSON(this.header),
      kind: this.kind,
      peerAs: this.peerAs,
      peerIp: this.peerIp,
      localAs: this.localAs,
      localIp: formatIPv4(this.localAddress),
      ...(this.oldState !== undefined ? { oldState: this.oldState, newState: this.newState } : this.bodyJSON()),
    };
  }

  /** An UPDATE's decoded JSON (`bgp`), else the raw body (and the `BgpError` when it does not decode). */
  private bodyJSON(): Record<string, unknown> {
    if (this.subtype !== LegacyBgpSubtype.UPDATE) return { messageBody: toHex(this.messageBody) };
    try {
      return { bgp: messageToJSON({ type: 'update', update: this.update() }) };
    } catch (e) {
      const error = e instanceof Error && 'toJSON' in e && typeof e.toJSON === 'function' ? (e.toJSON as () => unknown)() : String(e);
      return { messageBody: toHex(this.messageBody), error };
    }
  }
}
