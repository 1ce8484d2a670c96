import { describe, expect, it } from 'vitest';
import { Family } from '../../../src/bgp/family.js';
import type { Capability } from '../../../src/bgp/messages/capabilities/capability-registry.js';
import { negotiateContext } from '../../../src/bgp/messages/negotiate-context.js';
import { OpenMessage } from '../../../src/bgp/messages/open-message.js';

const open = (capabilities: Capability[]): OpenMessage =>
  OpenMessage.create({ asn: 65000, holdTime: 90, bgpIdentifier: '192.0.2.1', capabilities });

const addPath = (...families: [number, number, number][]): Capability => ({
  kind: 'add-path',
  families: families.map(([afi, safi, sendReceive]) => ({ afi, safi, sendReceive })),
});

describe('negotiateContext', () => {
  it('asn4 and extended message only when both sides sent them', () => {
    const both = negotiateContext(open([{ kind: 'four-octet-as', asn: 65000 }, { kind: 'extended-message' }]), open([{ kind: 'four-octet-as', asn: 65001 }, { kind: 'extended-message' }]));
    expect([both.asn4, both.extendedMessage, both.maxMessageLength]).toEqual([true, true, 65535]);
    const one = negotiateContext(open([{ kind: 'four-octet-as', asn: 65000 }, { kind: 'extended-message' }]), open([]));
    expect([one.asn4, one.extendedMessage, one.maxMessageLength]).toEqual([false, false, 4096]);
  });

  // RFC 7911 §4: receive when we said receive and the peer said send; send when we said send and the peer receive.
  it.each<[string, [number, number, number][], [number, number, number][], number[], number[]]>([
    ['both / both', [[1, 1, 3]], [[1, 1, 3]], [Family.IPV4_UNICAST], [Family.IPV4_UNICAST]],
    ['receive / send', [[1, 1, 1]], [[1, 1, 2]], [Family.IPV4_UNICAST], []],
    ['send / receive', [[1, 1, 2]], [[1, 1, 1]], [], [Family.IPV4_UNICAST]],
    ['receive / receive', [[1, 1, 1]], [[1, 1, 1]], [], []],
    ['both / send', [[2, 1, 3]], [[2, 1, 2]], [Family.IPV6_UNICAST], []],
    ['different families', [[1, 1, 3]], [[2, 1, 3]], [], []],
    ['invalid value 4 is ignored', [[1, 1, 3]], [[1, 1, 4]], [], []],
    ['per family', [[1, 1, 3], [2, 1, 1]], [[1, 1, 1], [2, 1, 3]], [Family.IPV6_UNICAST], [Family.IPV4_UNICAST]],
  ])('ADD-PATH %s', (_name, ours, theirs, receive, send) => {
    const ctx = negotiateContext(open([addPath(...ours)]), open([addPath(...theirs)]));
    expect([...ctx.addPathReceive].sort()).toEqual(receive);
    expect([...ctx.addPathSend].sort()).toEqual(send);
  });
});
