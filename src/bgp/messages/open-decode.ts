import { MessageType, OpenSubcode, OptionalParameterType } from '../constants.js';
import { type CodecContext, DEFAULT_CODEC_CONTEXT } from '../context.js';
import { BgpError } from '../errors.js';
import { formatIPv4 } from '../ip-address.js';
import { WireReader } from '../wire-reader.js';
import { type Capability, decodeCapability } from './capabilities/capability-registry.js';
import { decodeHeader } from './header.js';
import { BGP_VERSION, type CapabilitiesParameter, OpenMessage } from './open-message.js';

const BODY_OFFSET = 19;
/** RFC 4271 §6.2: malformed content of a recognised optional parameter is subcode 0, Unspecific. */
const OPEN_UNSPECIFIC = 0;

/**
 * Decodes a complete OPEN frame (header checked as in {@link decodeHeader}).
 * Errors, RFC 4271 §6.2 (all session-reset):
 * - Version not 4: 2/1, data = the supported version (0x0004) as 2 octets;
 * - Hold Time 1 or 2: 2/6 Unacceptable Hold Time;
 * - BGP Identifier 0: 2/3 Bad BGP Identifier;
 * - an Optional Parameter other than Capabilities: 2/4 Unsupported Optional Parameter;
 * - parameter or capability framing that does not add up, or a recognised
 *   capability that is malformed: 2/0 Unspecific.
 * Reads the RFC 9072 extended parameter form (Non-Ext OP Type 255).
 *
 * @example
 * ```ts
 * const open = decodeOpen(frame);
 * open.asn; open.findCapability('add-path');
 * ```
 */
export function decodeOpen(frame: Uint8Array, ctx: CodecContext = DEFAULT_CODEC_CONTEXT): OpenMessage {
  const { type } = decodeHeader(frame, ctx);
  if (type !== MessageType.OPEN) throw BgpError.header(3, `expected OPEN, got message type ${type}`, frame.subarray(18, 19));
  return readOpenBody(frame, BODY_OFFSET, frame.length);
}

/** Decodes the OPEN body in `buf[start..end)` (after the 19-octet header). */
export function readOpenBody(buf: Uint8Array, start: number, end: number): OpenMessage {
  const r = new WireReader(buf, start, end, { notifyCode: 2, notifySubcode: OPEN_UNSPECIFIC, action: 'session-reset' });
  const version = r.u8('version');
  if (version !== BGP_VERSION) {
    // RFC 4271 §6.2: the data is the largest locally supported version, 2 octets.
    throw BgpError.open(OpenSubcode.UNSUPPORTED_VERSION_NUMBER, `unsupported BGP version ${version}`, Uint8Array.of(0, BGP_VERSION));
  }
  const myAsn = r.u16('my autonomous system');
  const holdTime = r.u16('hold time');
  if (holdTime === 1 || holdTime === 2) {
    throw BgpError.open(OpenSubcode.UNACCEPTABLE_HOLD_TIME, `hold time ${holdTime} s (RFC 4271 §4.2: 0 or at least 3)`);
  }
  const idAt = r.pos;
  const id = r.u32('BGP identifier');
  if (id === 0) throw BgpError.open(OpenSubcode.BAD_BGP_IDENTIFIER, 'BGP identifier 0.0.0.0 (RFC 6286 §2.1: must be non-zero)');
  const bgpIdentifier = formatIPv4(buf, idAt);

  const nonExtLength = r.u8('optional parameters length');
  // RFC 9072 §2: a non-zero length followed by type 255 announces the extended form;
  // the 1-octet length is then ignored and a 2-octet length follows.
  const extended = nonExtLength !== 0 && r.remaining > 0 && buf[r.pos] === OptionalParameterType.EXTENDED_LENGTH;
  let paramsLength = nonExtLength;
  if (extended) {
    r.u8('non-ext OP type');
    paramsLength = r.u16('extended optional parameters length');
  }
  if (paramsLength !== r.remaining) {
    throw BgpError.open(
      OPEN_UNSPECIFIC,
      `optional parameters length ${paramsLength} but ${r.remaining} octets follow in the message`,
    );
  }

  const parameters: CapabilitiesParameter[] = [];
  while (r.remaining > 0) {
    const paramType = r.u8('optional parameter type');
    const paramLength = extended ? r.u16('optional parameter length') : r.u8('optional parameter length');
    r.need(paramLength, 'optional parameter value');
    if (paramType !== OptionalParameterType.CAPABILITIES) {
      // RFC 4271 §6.2 (Authentication, type 1, is deprecated by RFC 5492).
      throw BgpError.open(OpenSubcode.UNSUPPORTED_OPTIONAL_PARAMETER, `unsupported optional parameter type ${paramType}`);
    }
    const paramEnd = r.pos + paramLength;
    const caps = new WireReader(buf, r.pos, paramEnd, { notifyCode: 2, notifySubcode: OPEN_UNSPECIFIC, action: 'session-reset' });
    const capabilities: Capability[] = [];
    while (caps.remaining > 0) {
      // RFC 5492 §4: Capability Code (1), Capability Length (1), Capability Value.
      const code = caps.u8('capability code');
      const value = caps.bytes(caps.u8('capability length'), `capability ${code} value`);
      capabilities.push(decodeCapability(code, value));
    }
    parameters.push({ type: OptionalParameterType.CAPABILITIES, capabilities });
    r.pos = paramEnd;
  }
  return new OpenMessage({ version, myAsn, holdTime, bgpIdentifier, parameters, extendedParameters: extended });
}
