/**
 * fibwire's BGP codecs against a real BIRD 2 peering over a veth pair between
 * two throwaway network namespaces: the speaker (test/support/bgp-peer.ts) in
 * one, bird in the other. Two BGP protocols in BIRD, one per test, so the
 * sessions are independent.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Family } from '../../src/bgp/family.js';
import { Prefix } from '../../src/bgp/prefix.js';
import { UpdateBuilder } from '../../src/bgp/update/update-builder.js';
import type { UpdateAttributes } from '../../src/bgp/update/path-attributes.js';
import { UpdateView } from '../../src/bgp/update/update-view.js';
import { replayUpdates, SpeakerProcess, type SpeakerConfig } from '../support/bgp-peer.js';
import type { TestNamespace } from '../support/netns.js';
import { birdAvailable, parseBirdRoutes, startBird, type Bird, type BirdRoute } from './bird-daemon.js';
import { closeSpeakers, createPeeringNamespaces, disposePeering, interopAvailable, SPEAKER_LINK, UNICAST, UNICAST_ADD_PATH_V4 } from './peering.js';
import { poll } from './poll.js';
import { community, comparableAttributes, everyOtherPrefix, routeWorkload, twoPathUpdates, workloadUpdates } from './route-workload.js';

const available = interopAvailable('test/interop/bird.test.ts', birdAvailable(), 'bird/birdc not installed (Debian package bird2)');

const BIRD_ASN = 4200000002;
const BIRD_V4 = '10.92.0.2';
const BIRD_V6 = 'fd00:92::2';
const PEER = {
  routes: { address: '10.92.0.11', v6: 'fd00:92::11', asn: 4200000011, protocol: 'fw_routes' },
  originate: { address: '10.92.0.12', v6: 'fd00:92::12', asn: 4200000012, protocol: 'fw_orig' },
  dial: { address: '10.92.0.13', v6: 'fd00:92::13', asn: 4200000013, protocol: 'fw_dial' },
  extended: { address: '10.92.0.14', v6: 'fd00:92::14', asn: 4200000014, protocol: 'fw_ext' },
} as const;

const ORIGIN_NAMES = ['ORIGIN_IGP', 'ORIGIN_EGP', 'ORIGIN_INCOMPLETE'] as const;

/** Routes BIRD originates (static) and the attributes its export filter gives each. */
const ORIGINATED_V4 = Array.from({ length: 16 }, (_, i) => ({
  prefix: `203.0.113.${i * 16}/28`,
  origin: i % 3,
  prepend: 65100 + i,
  med: 10 * i + 1,
  communities: [community(65000, i), community(64512, 3)],
  large: [[BIRD_ASN, i, 2 * i]] as [number, number, number][],
}));
const ORIGINATED_V6 = Array.from({ length: 4 }, (_, i) => ({
  prefix: `2001:db8:${(0xa00 + i).toString(16)}::/48`,
  origin: 0,
  prepend: 65200 + i,
  med: 500 + i,
  communities: [community(65010, i)],
  large: [[BIRD_ASN, 60, i]] as [number, number, number][],
}));

function birdConfig(): string {
  const clauses = [...ORIGINATED_V4, ...ORIGINATED_V6]
    .map((r) => [
      `  if net = ${r.prefix} then {`,
      `    bgp_origin = ${ORIGIN_NAMES[r.origin]};`,
      `    bgp_path.prepend(${r.prepend});`,
      `    bgp_med = ${r.med};`,
      ...r.communities.map((c) => `    bgp_community.add((${c >>> 16}, ${c & 0xffff}));`),
      ...r.large.map((l) => `    bgp_large_community.add((${l.join(', ')}));`),
      '    accept;',
      '  }',
    ].join('\n'))
    .join('\n');
  const bgp = (p: (typeof PEER)[keyof typeof PEER], exportFilter: string): string => `
protocol bgp ${p.protocol} {
  local ${BIRD_V4} as ${BIRD_ASN};
  neighbor ${p.address} as ${p.asn};
  passive on;
  hold time 9;
  ipv4 { import all; export ${exportFilter}; };
  ipv6 { import all; export ${exportFilter}; next hop address ${BIRD_V6}; };
}`;
  return `log stderr all;
router id ${BIRD_V4};
protocol device { scan time 10; }
protocol static st4 {
  ipv4;
${ORIGINATED_V4.map((r) => `  route ${r.prefix} blackhole;`).join('\n')}
}
protocol static st6 {
  ipv6;
${ORIGINATED_V6.map((r) => `  route ${r.prefix} blackhole;`).join('\n')}
}
filter to_fibwire {
  if source != RTS_STATIC then reject;
${clauses}
  reject;
}
${bgp(PEER.routes, 'none')}
${bgp(PEER.originate, 'filter to_fibwire')}
# RFC 8654 extended messages.
protocol bgp ${PEER.extended.protocol} {
  local ${BIRD_V4} as ${BIRD_ASN};
  neighbor ${PEER.extended.address} as ${PEER.extended.asn};
  passive on;
  hold time 9;
  enable extended messages on;
  ipv4 { import all; export none; };
}
# BIRD dials the speaker (enabled by the test once it listens); ADD-PATH both ways for IPv4.
protocol bgp ${PEER.dial.protocol} {
  disabled;
  local ${BIRD_V4} as ${BIRD_ASN};
  neighbor ${PEER.dial.address} as ${PEER.dial.asn};
  connect delay time 1;
  connect retry time 2;
  hold time 9;
  ipv4 { import all; export filter to_fibwire; add paths on; };
  ipv6 { import all; export filter to_fibwire; next hop address ${BIRD_V6}; };
}
`;
}

function speakerConfig(peer: (typeof PEER)[keyof typeof PEER]): SpeakerConfig {
  return { host: BIRD_V4, localAddress: peer.address, asn: peer.asn, bgpIdentifier: peer.address, capabilities: UNICAST };
}

/** The compared attributes in BIRD's reading. */
type Compared = Omit<BirdRoute, 'protocol'>;

function expectedFromSent(prefix: string, attrs: UpdateAttributes, nextHop: string): Compared {
  // BIRD shows BGP.as_path as one flat list of ASNs.
  return { prefix, ...comparableAttributes({ ...attrs, nextHop }), asPath: attrs.asPath?.flatMap((s) => [...s.asns]) };
}

describe.skipIf(!available)('BIRD 2 interop (bird in its own namespace, veth)', () => {
  let speakerNs: TestNamespace;
  let daemonNs: TestNamespace;
  let bird: Bird;
  const speakers: SpeakerProcess[] = [];

  async function birdRoutes(protocol: string): Promise<BirdRoute[]> {
    return parseBirdRoutes(await bird.cli(['show', 'route', 'all', 'protocol', protocol]));
  }

  beforeAll(async () => {
    ({ daemonNs, speakerNs } = await createPeeringNamespaces({ tag: 'fwbd', speakerAddresses: Object.values(PEER).map((p) => p.address), daemonAddress: BIRD_V4 }));
    // IPv6 next hops must be on a connected network for BIRD (eBGP, direct gateway); nodad: usable at once.
    for (const p of Object.values(PEER)) await speakerNs.ip(['address', 'add', `${p.v6}/64`, 'dev', SPEAKER_LINK, 'nodad']);
    await daemonNs.ip(['address', 'add', `${BIRD_V6}/64`, 'dev', 'fwbd0', 'nodad']);
    bird = await startBird(daemonNs, birdConfig());
  });

  afterEach(async () => {
    // Every frame the daemon sent decoded.
    expect(await closeSpeakers(speakers)).toEqual([]);
  });

  afterAll(async () => {
    await disposePeering(speakers, bird, [speakerNs, daemonNs]);
  });

  it('(a) 1,000 IPv4 + 200 IPv6 prefixes from UpdateBuilder arrive in BIRD with exactly our attributes; half withdrawn', async () => {
    const peer = PEER.routes;
    const speaker = await SpeakerProcess.start(speakerNs, speakerConfig(peer));
    speakers.push(speaker);
    expect(speaker.context.asn4).toBe(true);
    const workload = routeWorkload(peer);
    const { v4, v6, attrsA, attrsB, attrsV6 } = workload;
    const frames = workloadUpdates(speaker.context, workload, peer.v6);
    for (const f of frames) expect(UpdateView.fromMessage(f, speaker.context).validate().action).toBe('ok');
    await speaker.send(frames);

    const want = new Map<string, Compared>();
    v4.forEach((p, i) => want.set(p, expectedFromSent(p, i < 500 ? attrsA : attrsB, peer.address)));
    v6.forEach((p) => want.set(p, expectedFromSent(p, attrsV6, peer.v6)));

    const check = async (keep: (prefix: string) => boolean): Promise<void> => {
      const wanted = [...v4, ...v6].filter(keep);
      const got = await poll(async () => {
        const routes = await birdRoutes(peer.protocol);
        return routes.length === wanted.length ? routes : undefined;
      }, `BIRD protocol ${peer.protocol} to hold ${wanted.length} routes`);
      expect(got.map((r) => r.prefix).sort()).toEqual([...wanted].sort());
      for (const { protocol, ...route } of got) {
        expect(protocol).toBe(peer.protocol);
        expect(route).toEqual(want.get(route.prefix));
      }
    };
    await check(() => true);

    const withdrawn = everyOtherPrefix(workload);
    await speaker.send(new UpdateBuilder(speaker.context).withdraw([...withdrawn].map((p) => Prefix.parse(p))).build());
    await check((p) => !withdrawn.has(p));

    // Our NOTIFICATION on close (Cease / Administrative Shutdown, RFC 4486) as BIRD read it.
    await speaker.close(6, 2);
    const status = await poll(async () => {
      const out = await bird.cli(['show', 'protocols', 'all', peer.protocol]);
      return /Received: Administrative shutdown/.test(out) ? out : undefined;
    }, 'BIRD to report the received Administrative Shutdown');
    expect(status).toMatch(/Last error:\s+Received: Administrative shutdown/);
    expect(await birdRoutes(peer.protocol)).toEqual([]);
  });

  it('(b) static routes BIRD exports with filter-set communities, large communities, MED, origin, path decode in fibwire exactly', async () => {
    const peer = PEER.originate;
    const speaker = await SpeakerProcess.start(speakerNs, speakerConfig(peer));
    speakers.push(speaker);
    const all = [...ORIGINATED_V4, ...ORIGINATED_V6];
    await speaker.waitFor(() => {
      const routes = replayUpdates(speaker.updates);
      return all.every((r) => routes.has(r.prefix));
    }, 'every BIRD static route at the speaker');
    const routes = replayUpdates(speaker.updates);
    expect([...routes.keys()].sort()).toEqual(all.map((r) => r.prefix).sort());
    for (const r of all) {
      const got = routes.get(r.prefix)!;
      // BIRD keeps (large) community lists as sorted sets and sends them so;
      // their order carries no meaning (RFC 1997, RFC 8092), so compare sorted.
      const sorted = { ...got, communities: [...(got.communities ?? [])].sort((x, y) => x - y) };
      expect(sorted).toEqual({
        prefix: r.prefix,
        pathId: undefined,
        origin: r.origin,
        asPath: [{ type: 2, asns: [BIRD_ASN, r.prepend] }],
        nextHop: r.prefix.includes(':') ? BIRD_V6 : BIRD_V4,
        med: r.med,
        communities: [...r.communities].sort((x, y) => x - y),
        largeCommunities: r.large,
      });
    }
  });

  it('(c) BIRD dials the speaker (FrameReader.attach path); ADD-PATH ipv4 both ways: two paths of one prefix survive', async () => {
    const peer = PEER.dial;
    const speaker = await SpeakerProcess.spawn(speakerNs, {
      ...speakerConfig(peer),
      mode: 'listen',
      capabilities: UNICAST_ADD_PATH_V4,
    });
    speakers.push(speaker);
    await bird.cli(['enable', peer.protocol]);
    try {
      await speaker.waitFor(() => speaker.established, 'BIRD to dial in and establish');
      expect(speaker.context.addPathReceive.has(Family.IPV4_UNICAST)).toBe(true);
      expect(speaker.context.addPathSend.has(Family.IPV4_UNICAST)).toBe(true);
      expect(speaker.context.addPathReceive.has(Family.IPV6_UNICAST)).toBe(false);

      // BIRD -> us: the static routes, IPv4 ones with path ids, IPv6 without.
      const all = [...ORIGINATED_V4, ...ORIGINATED_V6];
      await speaker.waitFor(() => {
        const prefixes = new Set([...replayUpdates(speaker.updates).values()].map((r) => r.prefix));
        return all.every((r) => prefixes.has(r.prefix));
      }, 'every BIRD static route at the listening speaker');
      const received = [...replayUpdates(speaker.updates).values()];
      expect(received.map((r) => r.prefix).sort()).toEqual(all.map((r) => r.prefix).sort());
      for (const r of received) expect(r.pathId === undefined, r.prefix).toBe(r.prefix.includes(':'));

      // Us -> BIRD: two paths of 192.0.2.0/24 (path ids 1 and 2), different MEDs.
      await speaker.send(twoPathUpdates(speaker.context, peer, '192.0.2.0/24'));
      const paths = await poll(async () => {
        const routes = (await birdRoutes(peer.protocol)).filter((r) => r.prefix === '192.0.2.0/24');
        return routes.length === 2 ? routes : undefined;
      }, 'two paths of 192.0.2.0/24 in BIRD');
      expect(paths.map((r) => r.med).sort()).toEqual([11, 22]);
      // Withdrawing path id 1 leaves exactly the path with MED 22.
      await speaker.send(new UpdateBuilder(speaker.context).withdraw([Prefix.parse('192.0.2.0/24', 1)]).build());
      const left = await poll(async () => {
        const routes = (await birdRoutes(peer.protocol)).filter((r) => r.prefix === '192.0.2.0/24');
        return routes.length === 1 ? routes : undefined;
      }, 'one path of 192.0.2.0/24 left in BIRD');
      expect(left.map((r) => r.med)).toEqual([22]);
    } finally {
      await bird.cli(['disable', peer.protocol]);
    }
  });

  it('(d) Extended Message (RFC 8654) negotiated with BIRD: 3,000 prefixes in UPDATEs past 4096 octets all arrive', async () => {
    const peer = PEER.extended;
    const speaker = await SpeakerProcess.start(speakerNs, {
      ...speakerConfig(peer),
      capabilities: [{ kind: 'multiprotocol', afi: 1, safi: 1 }, { kind: 'extended-message' }],
    });
    speakers.push(speaker);
    expect(speaker.context.extendedMessage).toBe(true);
    expect(speaker.context.maxMessageLength).toBe(65535);
    const prefixes = Array.from({ length: 3000 }, (_, i) => `100.${64 + (i >> 8)}.${i & 255}.0/24`);
    const attrs: UpdateAttributes = {
      origin: 0,
      asPath: [{ type: 2, asns: [peer.asn, 4200000400] }],
      nextHop: peer.address,
      communities: [community(65000, 8654)],
    };
    const frames = new UpdateBuilder(speaker.context).attributes(attrs).announce(prefixes.map((p) => Prefix.parse(p))).build();
    // 3,000 four-octet NLRI fit one 65535-octet message; a 4096-octet peer would need four.
    expect(frames.length).toBe(1);
    expect(frames[0]!.length).toBeGreaterThan(4096);
    await speaker.send(frames);
    const got = await poll(async () => {
      const routes = await birdRoutes(peer.protocol);
      return routes.length === prefixes.length ? routes : undefined;
    }, `BIRD protocol ${peer.protocol} to hold ${prefixes.length} routes`);
    expect(got.map((r) => r.prefix).sort()).toEqual([...prefixes].sort());
    for (const { protocol, ...route } of got) expect(route).toEqual(expectedFromSent(route.prefix, attrs, peer.address));
    // BIRD kept the session: no NOTIFICATION came back.
    expect(speaker.notifications).toEqual([]);
    expect(speaker.closedReason).toBeUndefined();
  });
});
