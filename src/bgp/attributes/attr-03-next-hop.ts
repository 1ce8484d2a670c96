import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import type { CodecContext } from '../context.js';
import { BgpError } from '../errors.js';
import { parseIPv4 } from '../ip-address.js';
import type { WireWriter } from '../wire-writer.js';
import type { AttributeCodec, AttributeValueInput } from './attribute-codec.js';
import { attributeError } from './attribute-error.js';
import { readIPv4, writeIPv4 } from './ipv4-value.js';

/**
 * NEXT_HOP (type 3), RFC 4271 §4.3 (c): a 4-octet IPv4 address, as a dotted quad.
 * `decode` checks the syntax only: a length other than 4 is an Attribute Length
 * Error handled as treat-as-withdraw (RFC 7606 §7.3). The address itself is
 * checked by {@link checkNextHop}, which a session applies and an archive reader
 * (MRT, where collectors record whatever was sent) may skip.
 * JSON: `"192.0.2.1"`.
 *
 * @example
 * ```ts
 * const nh = nextHopCodec.decode({ buf, start, end, flags: 0x40, ctx }); // "192.0.2.1"
 * const problem = checkNextHop(nh); // undefined: usable
 * ```
 */
export const nextHopCodec: AttributeCodec<string> & { readonly type: 3 } = {
  type: AttrType.NEXT_HOP,
  name: 'NEXT_HOP',
  expectedFlags: AttrFlag.TRANSITIVE,
  decode(input: AttributeValueInput): string {
    if (input.end - input.start !== 4) {
      throw attributeError(input, 3, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'treat-as-withdraw', `NEXT_HOP length ${input.end - input.start}, expected 4 (RFC 7606 §7.3)`);
    }
    return readIPv4(input.buf, input.start);
  },
  encode(value: string, w: WireWriter, _ctx: CodecContext): void {
    writeIPv4(value, w, 'NEXT_HOP');
  },
  toJSON(value: string): string {
    return value;
  },
};

/**
 * The RFC 4271 §6.3 check of the NEXT_HOP address: "0.0.0.0/8", loopback
 * (127/8), multicast and reserved space (224/3, which includes the limited
 * broadcast address) cannot be a next hop. Returns an Invalid NEXT_HOP Attribute
 * error with the treat-as-withdraw action (RFC 7606 §7.3), or `undefined`.
 * The checks needing the session (the address is the receiver's own, the eBGP
 * shared-subnet rule) belong to the session, not to the codec.
 * Pass the attribute's value input to have the NOTIFICATION data filled in.
 */
export function checkNextHop(address: string, input?: AttributeValueInput): BgpError | undefined {
  const b = parseIPv4(address);
  if (!b) return BgpError.update(UpdateSubcode.INVALID_NEXT_HOP_ATTRIBUTE, `NEXT_HOP ${address} is not an IPv4 address`, { action: 'treat-as-withdraw', attrType: 3 });
  const first = b[0]!;
  let why: string | undefined;
  if (first === 0) why = 'in 0.0.0.0/8';
  else if (first === 127) why = 'a loopback address';
  else if (first >= 224) why = first < 240 ? 'a multicast address' : 'in reserved space 240.0.0.0/4';
  if (!why) return undefined;
  const message = `NEXT_HOP ${address} is ${why} (RFC 4271 §6.3, RFC 7606 §7.3)`;
  if (input) return attributeError(input, 3, UpdateSubcode.INVALID_NEXT_HOP_ATTRIBUTE, 'treat-as-withdraw', message);
  return BgpError.update(UpdateSubcode.INVALID_NEXT_HOP_ATTRIBUTE, message, { action: 'treat-as-withdraw', attrType: 3 });
}
