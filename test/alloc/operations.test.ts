import { describe, expect, it } from 'vitest';
import { formatOperation, OPERATION_PHASE, type Operation } from '../../src/alloc/operations.js';
import { parseAddressText, parsePrefixText } from '../../src/alloc/ip.js';

const p = (t: string) => parsePrefixText(t)!;
const route = { destination: p('2001:db8:5:1abc::/64'), gateway: parseAddressText('fe80::1abc:1')!, link: 'to-1abc-1', table: 254, protocol: 196 };

describe('formatOperation: ip(8)-style text of every operation', () => {
  const cases: [Operation, string][] = [
    [{ op: 'createNamespace', namespace: 'gw-1-1' }, 'ip netns add gw-1-1'],
    [{ op: 'removeNamespace', namespace: 'ep-1abc-1' }, 'ip netns del ep-1abc-1'],
    [{ op: 'setSysctl', namespace: 'gw-1-1', key: 'net.ipv4.ip_forward', value: '1' }, 'ip netns exec gw-1-1 sysctl -w net.ipv4.ip_forward=1'],
    [{ op: 'createVethPair', namespace: 'ep-1abc-1', name: 'pub-1abc-1', peerNamespace: 'gw-1-1', peerName: 'to-1abc-1' }, 'ip -n ep-1abc-1 link add pub-1abc-1 type veth peer name to-1abc-1 netns gw-1-1'],
    [
      { op: 'createWireguard', namespace: 'ep-1abc-1', name: 'wg-1abc-1', createIn: 'public-1-1', listenPort: 0x1abc },
      'ip -n public-1-1 link add wg-1abc-1 type wireguard && ip -n public-1-1 link set wg-1abc-1 netns ep-1abc-1 # listen-port 6844',
    ],
    [{ op: 'createMacvlan', namespace: 'gw-1-1', name: 'pub-1-1', parent: 'eth1', parentNamespace: null }, 'ip link add pub-1-1 link eth1 type macvlan mode bridge && ip link set pub-1-1 netns gw-1-1'],
    [{ op: 'removeLink', namespace: 'gw-1-1', name: 'to-1abc-1' }, 'ip -n gw-1-1 link del to-1abc-1'],
    [{ op: 'setLinkUp', namespace: 'gw-1-1', name: 'to-1abc-1' }, 'ip -n gw-1-1 link set to-1abc-1 up'],
    [{ op: 'addAddress', namespace: 'gw-1-1', link: 'to-1abc-1', address: p('fe80::1:1abc/64') }, 'ip -n gw-1-1 address add fe80::1:1abc/64 dev to-1abc-1 nodad'],
    [{ op: 'removeAddress', namespace: 'gw-1-1', link: 'to-1abc-1', address: p('10.1.0.1/32') }, 'ip -n gw-1-1 address del 10.1.0.1/32 dev to-1abc-1'],
    [{ op: 'addRoute', namespace: 'gw-1-1', route }, 'ip -n gw-1-1 route add -6 2001:db8:5:1abc::/64 via fe80::1abc:1 dev to-1abc-1 proto 196'],
    [{ op: 'replaceRoute', namespace: 'gw-1-1', route: { ...route, table: 100 } }, 'ip -n gw-1-1 route replace -6 2001:db8:5:1abc::/64 via fe80::1abc:1 dev to-1abc-1 table 100 proto 196'],
    [{ op: 'removeRoute', namespace: 'gw-1-1', route: { destination: p('0.0.0.0/0'), link: 'pub-1-1', table: 254, protocol: 196 } }, 'ip -n gw-1-1 route del -4 default dev pub-1-1 proto 196'],
  ];
  it.each(cases)('%j', (op, text) => {
    expect(formatOperation(op)).toBe(text);
  });

  it('removals come before creations, links before addresses before routes', () => {
    expect(OPERATION_PHASE.removeRoute).toBeLessThan(OPERATION_PHASE.removeLink);
    expect(OPERATION_PHASE.removeNamespace).toBeLessThan(OPERATION_PHASE.createNamespace);
    expect(OPERATION_PHASE.createVethPair).toBeLessThan(OPERATION_PHASE.setLinkUp);
    expect(OPERATION_PHASE.setLinkUp).toBeLessThan(OPERATION_PHASE.addAddress);
    expect(OPERATION_PHASE.addAddress).toBeLessThan(OPERATION_PHASE.addRoute);
  });
});
