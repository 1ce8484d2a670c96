import { describe, expect, it } from 'vitest';
import { BgpError, EncodeError } from '../../../src/bgp/errors.js';
import {
  type Capability,
  capabilityToJSON,
  decodeCapability,
  encodeCapability,
} from '../../../src/bgp/messages/capabilities/capability-registry.js';
import { WireWriter } from '../../../src/bgp/wire-writer.js';
import { hex, toHex } from './hex.js';

/** Splits a capability TLV (RFC 5492 §4: code, length, value) and decodes it. */
function decodeTlv(bytes: Uint8Array): Capability {
  expect(bytes[1]).toBe(bytes.length - 2);
  return decodeCapability(bytes[0]!, bytes.subarray(2));
}

function encodeTlv(cap: Capability): string {
  const w = new WireWriter();
  encodeCapability(cap, w);
  return toHex(w.finish());
}

// [name, TLV commented by field, value, JSON fields beyond code/name]
const VECTORS: [string, string, Capability, Record<string, unknown>][] = [
  [
    'multiprotocol ipv6-unicast (RFC 4760 §8)',
    `01 04     # code 1, length 4
     0002      # AFI 2 (IPv6)
     00        # reserved
     01        # SAFI 1 (unicast)`,
    { kind: 'multiprotocol', afi: 2, safi: 1 },
    { family: 'ipv6-unicast', afi: 2, safi: 1 },
  ],
  ['route refresh (RFC 2918 §2)', '02 00 # code 2, length 0', { kind: 'route-refresh' }, {}],
  [
    'extended next hop (RFC 8950 §4)',
    `05 0c          # code 5, length 12
     0001 0001 0002 # NLRI AFI 1, NLRI SAFI 1 (2 octets), next hop AFI 2
     0001 0080 0002 # NLRI AFI 1, NLRI SAFI 128, next hop AFI 2`,
    {
      kind: 'extended-next-hop',
      entries: [
        { afi: 1, safi: 1, nextHopAfi: 2 },
        { afi: 1, safi: 128, nextHopAfi: 2 },
      ],
    },
    {
      entries: [
        { family: 'ipv4-unicast', afi: 1, safi: 1, nextHopAfi: 2 },
        { family: 'ipv4-mpls-vpn', afi: 1, safi: 128, nextHopAfi: 2 },
      ],
    },
  ],
  ['extended message (RFC 8654 §3)', '06 00 # code 6, length 0', { kind: 'extended-message' }, {}],
  [
    'BGP role customer (RFC 9234 §4.1)',
    `09 01 # code 9, length 1
     03    # role 3 = customer`,
    { kind: 'bgp-role', role: 3 },
    { role: 3, roleName: 'customer' },
  ],
  [
    'graceful restart (RFC 4724 §3, RFC 8538 N bit)',
    `40 0a     # code 64, length 10
     c0 78     # restart flags R|N (0xc), restart time 0x078 = 120 s
     0001 01 80 # AFI 1, SAFI 1, F bit
     0002 01 00 # AFI 2, SAFI 1, no F bit`,
    {
      kind: 'graceful-restart',
      restartFlags: 0xc,
      restartTime: 120,
      families: [
        { afi: 1, safi: 1, flags: 0x80 },
        { afi: 2, safi: 1, flags: 0 },
      ],
    },
    {
      restartFlags: 12,
      restartState: true,
      notification: true,
      restartTime: 120,
      families: [
        { family: 'ipv4-unicast', afi: 1, safi: 1, flags: 128, forwardingState: true },
        { family: 'ipv6-unicast', afi: 2, safi: 1, flags: 0, forwardingState: false },
      ],
    },
  ],
  [
    'graceful restart, helper only (no families)',
    `40 02 # code 64, length 2
     00 b4 # no flags, restart time 180 s`,
    { kind: 'graceful-restart', restartFlags: 0, restartTime: 180, families: [] },
    { restartFlags: 0, restartState: false, notification: false, restartTime: 180, families: [] },
  ],
  [
    '4-octet AS (RFC 6793 §3)',
    `41 04     # code 65, length 4
     fa56ea01  # AS 4200000001`,
    { kind: 'four-octet-as', asn: 4200000001 },
    { asn: 4200000001 },
  ],
  [
    'ADD-PATH (RFC 7911 §4)',
    `45 08      # code 69, length 8
     0001 01 03 # AFI 1, SAFI 1, send/receive 3 (both)
     0002 01 01 # AFI 2, SAFI 1, receive`,
    {
      kind: 'add-path',
      families: [
        { afi: 1, safi: 1, sendReceive: 3 },
        { afi: 2, safi: 1, sendReceive: 1 },
      ],
    },
    {
      families: [
        { family: 'ipv4-unicast', afi: 1, safi: 1, sendReceive: 3, direction: 'both' },
        { family: 'ipv6-unicast', afi: 2, safi: 1, sendReceive: 1, direction: 'receive' },
      ],
    },
  ],
  ['enhanced route refresh (RFC 7313 §3)', '46 00 # code 70, length 0', { kind: 'enhanced-route-refresh' }, {}],
  [
    'long-lived graceful restart (RFC 9494 §3)',
    `47 07      # code 71, length 7
     0001 01    # AFI 1, SAFI 1
     80         # F bit
     000e10     # long-lived stale time 3600 s`,
    { kind: 'long-lived-graceful-restart', families: [{ afi: 1, safi: 1, flags: 0x80, staleTime: 3600 }] },
    { families: [{ family: 'ipv4-unicast', afi: 1, safi: 1, flags: 128, forwardingState: true, staleTime: 3600 }] },
  ],
  [
    'FQDN (draft-walton-bgp-hostname)',
    `49 0b         # code 73, length 11
     03 727472     # hostname length 3, "rtr"
     06 6578616d706c # domain length 6, "exampl"`,
    { kind: 'fqdn', hostname: 'rtr', domainName: 'exampl' },
    { hostname: 'rtr', domainName: 'exampl' },
  ],
  [
    'software version (draft-abraitis-bgp-version-capability)',
    `4b 0a               # code 75, length 10
     09 666962776972652f31 # length 9, "fibwire/1"`,
    { kind: 'software-version', version: 'fibwire/1' },
    { version: 'fibwire/1' },
  ],
  [
    'unknown capability kept raw (code 128, Cisco route refresh)',
    '80 00 # code 128, length 0',
    { kind: 'unknown', code: 128, value: new Uint8Array(0) },
    { value: '' },
  ],
  [
    'unknown capability with a value',
    `c8 03    # code 200, length 3
     0a0b0c   # opaque value`,
    { kind: 'unknown', code: 200, value: Uint8Array.of(10, 11, 12) },
    { value: '0a0b0c' },
  ],
  [
    'FQDN that is not UTF-8 stays raw (re-encodes unchanged)',
    `49 04   # code 73, length 4
     01 ff   # hostname length 1, 0xff (not UTF-8)
     01 61   # domain "a"`,
    { kind: 'unknown', code: 73, value: Uint8Array.of(1, 0xff, 1, 0x61) },
    { value: '01ff0161' },
  ],
];

describe('capabilities (RFC 5492)', () => {
  it.each(VECTORS)('%s', (_name, tlv, value, json) => {
    const bytes = hex(tlv);
    const decoded = decodeTlv(bytes);
    expect(decoded).toEqual(value);
    expect(encodeTlv(value)).toBe(toHex(bytes));
    const { code, name, ...fields } = capabilityToJSON(decoded);
    expect(code).toBe(bytes[0]);
    expect(name).toBe(value.kind);
    expect(fields).toEqual(json);
  });

  it('an unknown value is a copy, not a view into the message buffer', () => {
    const bytes = hex('c8 02 0102');
    const cap = decodeTlv(bytes);
    bytes[2] = 0xee;
    expect(cap).toEqual({ kind: 'unknown', code: 200, value: Uint8Array.of(1, 2) });
  });

  // RFC 4271 §6.2: a recognised optional parameter that is malformed is 2/0 (Unspecific).
  it.each([
    ['multiprotocol of length 3', '01 03 000100'],
    ['multiprotocol of length 5', '01 05 0001000100'],
    ['route refresh with a value', '02 01 00'],
    ['extended next hop not a multiple of 6', '05 04 00010001'],
    ['extended message with a value', '06 01 00'],
    ['BGP role of length 2', '09 02 0001'],
    ['graceful restart of length 1', '40 01 00'],
    ['graceful restart with a partial family', '40 05 0078 000101'],
    ['4-octet AS of length 2', '41 02 fde8'],
    ['ADD-PATH not a multiple of 4', '45 03 000101'],
    ['enhanced route refresh with a value', '46 01 00'],
    ['LLGR not a multiple of 7', '47 06 000101800000'],
    ['FQDN hostname overruns', '49 02 05 61'],
    ['FQDN domain length missing', '49 02 01 61'],
    ['FQDN trailing octets', '49 05 01 61 01 62 00'],
    ['software version overruns', '4b 02 05 61'],
    ['software version trailing octets', '4b 03 01 61 00'],
  ])('2/0: %s', (_name, tlv) => {
    const bytes = hex(tlv);
    let err: unknown;
    try {
      decodeCapability(bytes[0]!, bytes.subarray(2));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BgpError);
    const e = err as BgpError;
    expect([e.notifyCode, e.notifySubcode, e.action]).toEqual([2, 0, 'session-reset']);
  });

  it.each<[string, Capability, string]>([
    ['restart time over 12 bits', { kind: 'graceful-restart', restartFlags: 0, restartTime: 4096, families: [] }, 'graceful restart time'],
    ['restart flags over 4 bits', { kind: 'graceful-restart', restartFlags: 16, restartTime: 1, families: [] }, 'graceful restart flags'],
    ['LLGR stale time over 24 bits', { kind: 'long-lived-graceful-restart', families: [{ afi: 1, safi: 1, flags: 0, staleTime: 2 ** 24 }] }, 'LLGR stale time'],
    ['ASN over 32 bits', { kind: 'four-octet-as', asn: 2 ** 32 }, 'four-octet AS number'],
    ['hostname over 255 octets', { kind: 'fqdn', hostname: 'h'.repeat(256), domainName: '' }, 'FQDN hostname length'],
    ['value over 255 octets', { kind: 'unknown', code: 200, value: new Uint8Array(256) }, 'capability 200 length'],
    ['ADD-PATH with 64 families (256 octets)', { kind: 'add-path', families: Array.from({ length: 64 }, (_, i) => ({ afi: 1, safi: i, sendReceive: 1 })) }, 'capability 69 length'],
  ])('EncodeError: %s', (_name, cap, field) => {
    let err: unknown;
    try {
      encodeTlv(cap);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EncodeError);
    expect((err as EncodeError).field).toBe(field);
  });
});
