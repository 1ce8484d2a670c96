import { describe, expect, it } from 'vitest';
import { AS_TRANS } from '../../../src/bgp/constants.js';
import { BgpError, EncodeError } from '../../../src/bgp/errors.js';
import { decodeOpen } from '../../../src/bgp/messages/open-decode.js';
import { encodeOpen } from '../../../src/bgp/messages/open-encode.js';
import { OpenMessage } from '../../../src/bgp/messages/open-message.js';
import { decodeNotification, encodeNotification } from '../../../src/bgp/messages/notification.js';
import { corpusAvailable, loadExabgpDecodingCases, loadExabgpEncodingFiles } from '../../support/corpus.js';
import { frame, hex, MARKER, toHex } from './hex.js';

const OPEN_TWO_PARAMS = hex(`
  ${MARKER} # marker
  0037      # length 55
  01        # type OPEN
  04        # version 4
  5ba0      # my AS 23456 (AS_TRANS)
  005a      # hold time 90
  c0000201  # BGP identifier 192.0.2.1
  1a        # optional parameters length 26
  02 10     # parameter: capabilities, length 16
    01 04 0001 00 01   # multiprotocol ipv4-unicast
    02 00              # route refresh
    41 04 fa56ea01     # 4-octet AS 4200000001
    46 00              # enhanced route refresh
  02 06     # parameter: capabilities, length 6
    45 04 0001 01 03   # ADD-PATH ipv4-unicast both
`);

function openError(bytes: Uint8Array): BgpError {
  try {
    decodeOpen(bytes);
  } catch (e) {
    if (e instanceof BgpError) return e;
    throw e;
  }
  throw new Error('expected a BgpError');
}

describe('OPEN (RFC 4271 §4.2)', () => {
  it('decodes fields and capability parameters, and re-encodes the same bytes', () => {
    const open = decodeOpen(OPEN_TWO_PARAMS);
    expect(open.version).toBe(4);
    expect(open.myAsn).toBe(AS_TRANS);
    expect(open.asn).toBe(4200000001);
    expect(open.holdTime).toBe(90);
    expect(open.bgpIdentifier).toBe('192.0.2.1');
    expect(open.extendedParameters).toBe(false);
    expect(open.parameters).toHaveLength(2);
    expect(open.capabilities.map((c) => c.kind)).toEqual([
      'multiprotocol',
      'route-refresh',
      'four-octet-as',
      'enhanced-route-refresh',
      'add-path',
    ]);
    expect(open.findCapability('add-path')?.families).toEqual([{ afi: 1, safi: 1, sendReceive: 3 }]);
    expect(toHex(encodeOpen(open))).toBe(toHex(OPEN_TWO_PARAMS));
    expect(decodeOpen(encodeOpen(open))).toEqual(open);
  });

  it('JSON form', () => {
    expect(decodeOpen(OPEN_TWO_PARAMS).toJSON()).toEqual({
      type: 'open',
      version: 4,
      myAsn: 23456,
      asn: 4200000001,
      holdTime: 90,
      bgpIdentifier: '192.0.2.1',
      capabilities: [
        { code: 1, name: 'multiprotocol', family: 'ipv4-unicast', afi: 1, safi: 1 },
        { code: 2, name: 'route-refresh' },
        { code: 65, name: 'four-octet-as', asn: 4200000001 },
        { code: 70, name: 'enhanced-route-refresh' },
        {
          code: 69,
          name: 'add-path',
          families: [{ family: 'ipv4-unicast', afi: 1, safi: 1, sendReceive: 3, direction: 'both' }],
        },
      ],
    });
  });

  it('an OPEN with no optional parameters (29 octets)', () => {
    const bytes = hex(`${MARKER} 001d 01 # header, length 29
      04 fde8 00b4 0a000001 # version 4, AS 65000, hold 180, id 10.0.0.1
      00                    # no optional parameters`);
    const open = decodeOpen(bytes);
    expect(open.capabilities).toEqual([]);
    expect(open.asn).toBe(65000);
    expect(toHex(encodeOpen(open))).toBe(toHex(bytes));
    expect(toHex(encodeOpen(OpenMessage.create({ asn: 65000, holdTime: 180, bgpIdentifier: '10.0.0.1' })))).toBe(toHex(bytes));
  });

  it('create() puts AS_TRANS in My AS and adds the 4-octet AS capability (RFC 6793 §4.1)', () => {
    const open = OpenMessage.create({ asn: 4200000001, holdTime: 90, bgpIdentifier: '192.0.2.1' });
    expect(open.myAsn).toBe(AS_TRANS);
    expect(open.capabilities).toEqual([{ kind: 'four-octet-as', asn: 4200000001 }]);
    const small = OpenMessage.create({ asn: 65001, holdTime: 90, bgpIdentifier: '192.0.2.1', capabilities: [{ kind: 'four-octet-as', asn: 65001 }] });
    expect(small.myAsn).toBe(65001);
    expect(small.capabilities).toHaveLength(1);
  });

  it('per-capability layout puts each capability in its own parameter', () => {
    const open = OpenMessage.create({
      asn: 65001,
      holdTime: 90,
      bgpIdentifier: '192.0.2.1',
      capabilities: [{ kind: 'route-refresh' }, { kind: 'extended-message' }],
      parameterLayout: 'per-capability',
    });
    // 02 02 02 00 | 02 02 06 00
    expect(toHex(encodeOpen(open)).slice(-18)).toBe('08' + '02020200' + '02020600');
  });

  describe('RFC 9072 extended optional parameters', () => {
    const EXTENDED = hex(`
      ${MARKER} # marker
      0026      # length 38
      01        # type OPEN
      04 fde8 005a c0000201 # version 4, AS 65000, hold 90, id 192.0.2.1
      ff        # Non-Ext OP Len 255 (ignored once the type says extended)
      ff        # Non-Ext OP Type 255: extended form
      0006      # Extended Opt. Parm. Length 6
      02 0003   # parameter: capabilities, 2-octet length 3
        06 00   # extended message
        ff      # (unused)
    `);

    it('decodes and re-encodes the extended form', () => {
      // Replace the odd trailing octet: parameter length 3 with a 2-octet capability leaves one octet → 2/0.
      expect(openError(EXTENDED).notifySubcode).toBe(0);
      const ok = hex(`${MARKER} 0025 01 04 fde8 005a c0000201
        ff ff 0005  # extended form, parameters length 5
        02 0002 0600 # capabilities, length 2: extended message`);
      const open = decodeOpen(ok);
      expect(open.extendedParameters).toBe(true);
      expect(open.capabilities).toEqual([{ kind: 'extended-message' }]);
      expect(toHex(encodeOpen(open))).toBe(toHex(ok));
    });

    it('is chosen automatically when the parameters exceed 255 octets', () => {
      const many = Array.from({ length: 45 }, (_, i) => ({ kind: 'multiprotocol' as const, afi: 1, safi: i + 1 }));
      const open = OpenMessage.create({ asn: 65000, holdTime: 90, bgpIdentifier: '192.0.2.1', capabilities: many });
      expect(open.extendedParameters).toBe(true);
      const bytes = encodeOpen(open);
      expect(toHex(bytes.subarray(28, 32))).toBe('ffff' + (1 + 2 + 45 * 6).toString(16).padStart(4, '0'));
      expect(decodeOpen(bytes)).toEqual(open);
      // Even a hand-made message that says false gets the extended form (RFC 9072 §2 MUST).
      expect(toHex(encodeOpen(new OpenMessage({ ...open, extendedParameters: false })))).toBe(toHex(bytes));
    });

    it('can be forced for a short parameter list', () => {
      const open = OpenMessage.create({ asn: 65000, holdTime: 90, bgpIdentifier: '192.0.2.1', capabilities: [{ kind: 'route-refresh' }], forceExtendedParameters: true });
      expect(open.extendedParameters).toBe(true);
      expect(decodeOpen(encodeOpen(open))).toEqual(open);
    });
  });

  describe('errors (RFC 4271 §6.2)', () => {
    const body = (version: string, hold: string, id: string, params = '00'): Uint8Array =>
      frame(1, `${version} fde8 ${hold} ${id} ${params}`);

    it('2/1: unsupported version, data = version 4 as 2 octets', () => {
      const e = openError(body('03', '00b4', '0a000001'));
      expect([e.notifyCode, e.notifySubcode, toHex(e.data), e.code]).toEqual([2, 1, '0004', 'ERR_BGP_OPEN_UNSUPPORTED_VERSION_NUMBER']);
    });

    it.each(['0001', '0002'])('2/6: hold time %s', (hold) => {
      const e = openError(body('04', hold, '0a000001'));
      expect([e.notifyCode, e.notifySubcode]).toEqual([2, 6]);
    });

    it('hold time 0 and 3 are accepted', () => {
      expect(decodeOpen(body('04', '0000', '0a000001')).holdTime).toBe(0);
      expect(decodeOpen(body('04', '0003', '0a000001')).holdTime).toBe(3);
    });

    it('2/3: BGP identifier 0', () => {
      const e = openError(body('04', '00b4', '00000000'));
      expect([e.notifyCode, e.notifySubcode]).toEqual([2, 3]);
    });

    it('2/4: an optional parameter other than capabilities', () => {
      const e = openError(body('04', '00b4', '0a000001', '04 01 02 aabb # parameter type 1 (authentication), length 2'));
      expect([e.notifyCode, e.notifySubcode]).toEqual([2, 4]);
    });

    it.each([
      ['parameters length larger than the message', '05 02 02 0200'],
      ['parameters length smaller than the message', '02 02 00 0200'],
      ['a parameter overruns the parameters', '03 02 05 02'],
      ['a capability overruns its parameter', '04 02 02 4104'],
      ['extended form cut short', '01 ff'],
      ['malformed known capability', '06 02 04 41 02 0001'],
    ])('2/0: %s', (_name, params) => {
      const e = openError(body('04', '00b4', '0a000001', params));
      expect([e.notifyCode, e.notifySubcode]).toEqual([2, 0]);
    });
  });

  describe('encode errors', () => {
    const base = OpenMessage.create({ asn: 65000, holdTime: 90, bgpIdentifier: '192.0.2.1' });
    it.each<[string, Partial<OpenMessage>, string]>([
      ['My AS over 2 octets', { myAsn: 70000 }, 'my autonomous system'],
      ['hold time over 2 octets', { holdTime: 70000 }, 'hold time'],
      ['version over 1 octet', { version: 256 }, 'version'],
      ['BGP identifier not a dotted quad', { bgpIdentifier: 'router-1' }, 'BGP identifier'],
    ])('%s', (_name, change, field) => {
      expect(() => encodeOpen(new OpenMessage({ ...base, ...change }))).toThrow(EncodeError);
      try {
        encodeOpen(new OpenMessage({ ...base, ...change }));
      } catch (e) {
        expect((e as EncodeError).field).toBe(field);
      }
    });

    it('an OPEN over 4096 octets names the message length', () => {
      const many = Array.from({ length: 20 }, (_, i) => ({ kind: 'unknown' as const, code: 200 + i, value: new Uint8Array(250) }));
      const open = OpenMessage.create({ asn: 65000, holdTime: 90, bgpIdentifier: '192.0.2.1', capabilities: many });
      try {
        encodeOpen(open);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(EncodeError);
        expect([(e as EncodeError).field, (e as EncodeError).limit]).toEqual(['OPEN message length', 4096]);
      }
    });
  });
});

// ExaBGP's QA corpus (../shared/corpus/exabgp-qa): OPEN and NOTIFICATION messages with expected fields.
const exabgpMissing = corpusAvailable('exabgp-qa');
if (exabgpMissing) console.warn(`ExaBGP corpus cases skipped: ${exabgpMissing}`);

describe.skipIf(exabgpMissing !== undefined)('ExaBGP corpus OPEN messages', () => {
  it('decoding/bgp-open-sofware-version matches the expected JSON', () => {
    const cases = loadExabgpDecodingCases().filter((c) => c.kind === 'open');
    expect(cases.map((c) => c.name)).toEqual(['bgp-open-sofware-version']);
    const c = cases[0]!;
    const want = (c.expected as unknown as {
      neighbor: { open: { version: number; asn: number; hold_time: number; router_id: string; capabilities: Record<string, Record<string, unknown>> } };
    }).neighbor.open;
    const open = decodeOpen(c.bytes);
    expect([open.version, open.asn, open.holdTime, open.bgpIdentifier]).toEqual([want.version, want.asn, want.hold_time, want.router_id]);
    expect(open.findCapability('multiprotocol')).toEqual({ kind: 'multiprotocol', afi: 1, safi: 1 });
    expect(want.capabilities['1']?.['families']).toEqual(['ipv4/unicast']);
    expect(open.findCapability('four-octet-as')?.asn).toBe(want.capabilities['65']?.['asn4']);
    expect(open.findCapability('software-version')?.version).toBe(want.capabilities['75']?.['software']);
    expect(toHex(encodeOpen(open))).toBe(toHex(c.bytes));
  });

  it('every OPEN and NOTIFICATION of encoding/*.ci decodes and re-encodes byte for byte', () => {
    const opens = new Map<string, OpenMessage>();
    let notifications = 0;
    for (const file of loadExabgpEncodingFiles()) {
      for (const m of file.messages) {
        const type = m.bytes[18];
        if (type === 1) {
          const open = decodeOpen(m.bytes);
          expect(toHex(encodeOpen(open)), file.name).toBe(toHex(m.bytes));
          opens.set(file.name, open);
        } else if (type === 3) {
          const n = decodeNotification(m.bytes);
          expect(toHex(encodeNotification(n)), file.name).toBe(toHex(m.bytes));
          notifications++;
        }
      }
    }
    expect([...opens.keys()].sort()).toEqual(['conf-cap-link-local-nexthop.ci', 'conf-cap-software-version.ci', 'conf-hostname.ci']);
    expect(notifications).toBe(1);
    expect(opens.get('conf-hostname.ci')?.findCapability('fqdn')).toEqual({ kind: 'fqdn', hostname: 'my-host-name', domainName: 'my-domain-name.com' });
    expect(opens.get('conf-cap-software-version.ci')?.findCapability('software-version')?.version).toBe('ExaBGP/5.0.0-0+test');
    // Capability 77 (link-local next hop, a draft fibwire does not interpret) is kept raw.
    expect(opens.get('conf-cap-link-local-nexthop.ci')?.capabilities.at(-1)).toEqual({ kind: 'unknown', code: 77, value: new Uint8Array(0) });
  });
});
