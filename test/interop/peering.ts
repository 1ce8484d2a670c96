/**
 * The set-up and teardown both interop suites share: whether the suite can run
 * (root, daemon installed), the two namespaces joined by one veth pair (the
 * speaker's end carries one address per test peer), and the per-test and
 * per-suite cleanup of speakers, daemon and namespaces.
 */
import type { Capability } from '../../src/bgp/messages/capabilities/capability-registry.js';
import type { SpeakerProcess } from '../support/bgp-peer.js';
import { createNamespace, type TestNamespace } from '../support/netns.js';

/** IPv4 and IPv6 unicast (RFC 4760 multiprotocol capabilities). */
export const UNICAST: Capability[] = [
  { kind: 'multiprotocol', afi: 1, safi: 1 },
  { kind: 'multiprotocol', afi: 2, safi: 1 },
];

/** {@link UNICAST} plus ADD-PATH (RFC 7911) send and receive for IPv4 unicast. */
export const UNICAST_ADD_PATH_V4: Capability[] = [...UNICAST, { kind: 'add-path', families: [{ afi: 1, safi: 1, sendReceive: 3 }] }];

/**
 * Can an interop suite run here? Says loudly why not (the daemon missing, or
 * not root: network namespaces need it) and names the test file it skips.
 */
export function interopAvailable(testFile: string, daemonInstalled: boolean, daemonMissing: string): boolean {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!daemonInstalled) console.warn(`\n*** ${daemonMissing}: SKIPPING ${testFile} ***\n`);
  if (!isRoot) console.warn(`\n*** not root (network namespaces need it): SKIPPING ${testFile} ***\n`);
  return daemonInstalled && isRoot;
}

/** Names and addresses of the speaker/daemon namespace pair. */
export interface PeeringLayout {
  /**
   * Short tag of the suite (`fwbd`): the namespaces are `<tag>d-…` (daemon)
   * and `<tag>s-…` (speaker), the daemon's veth end is `<tag>0`, the speaker's `fwsp0`.
   */
  readonly tag: string;
  /** IPv4 addresses (no prefix length) on the speaker's end, one per test peer, in one /24 with the daemon's. */
  readonly speakerAddresses: readonly string[];
  /** The daemon's IPv4 address. */
  readonly daemonAddress: string;
}

/** The two namespaces of a peering. */
export interface PeeringNamespaces {
  readonly daemonNs: TestNamespace;
  readonly speakerNs: TestNamespace;
}

/** The speaker's end of the veth pair. */
export const SPEAKER_LINK = 'fwsp0';

/** Creates the daemon namespace, then the speaker namespace with the veth pair into it. */
export async function createPeeringNamespaces(layout: PeeringLayout): Promise<PeeringNamespaces> {
  const daemonNs = await createNamespace(`${layout.tag}d`);
  try {
    const speakerNs = await createNamespace(`${layout.tag}s`, {
      veths: [
        {
          name: SPEAKER_LINK,
          peer: `${layout.tag}0`,
          peerNamespace: daemonNs.name,
          addresses: layout.speakerAddresses.map((a) => `${a}/24`),
          peerAddresses: [`${layout.daemonAddress}/24`],
        },
      ],
    });
    return { daemonNs, speakerNs };
  } catch (error: unknown) {
    await daemonNs.dispose();
    throw error;
  }
}

/**
 * Closes (NOTIFICATION Cease) and disposes every speaker of the test just run,
 * emptying `speakers`; returns the decode errors they collected (every frame the
 * daemon sent must decode; SpeakerProcess collects errors rather than throwing).
 */
export async function closeSpeakers(speakers: SpeakerProcess[]): Promise<string[]> {
  const decodeErrors: string[] = [];
  for (const s of speakers.splice(0)) {
    decodeErrors.push(...s.errors.map((e) => e.message));
    await s.close();
    await s.dispose();
  }
  return decodeErrors;
}

/** End of a suite: speakers left, then the daemon, then the namespaces (each may be unset if set-up failed). */
export async function disposePeering(
  speakers: readonly SpeakerProcess[],
  daemon: { stop(): Promise<void> } | undefined,
  namespaces: readonly (TestNamespace | undefined)[],
): Promise<void> {
  for (const s of speakers) await s.dispose();
  await daemon?.stop();
  for (const ns of namespaces) await ns?.dispose();
}
