import { EventEmitter } from 'node:events';
import type * as TypedEmitterTypes from 'typed-emitter';
import { NUD } from '../netlink/constants.js';
import type { RtnlMonitor } from '../netlink/monitor.js';
import type { LinkEntry } from '../netlink/ops/link-codec.js';
import type { NeighborEntry } from '../netlink/ops/neighbor-codec.js';
import { Rtnl } from '../netlink/rtnl.js';
import type { NeighError } from './errors.js';
import { knownLinkOf, LinkRegistry, type KnownLink } from './link-registry.js';
import { applyNeighSysctls, renameSavedSysctls, restoreNeighSysctls, type SavedSysctl } from './neigh-sysctls.js';
import { classifyRequest } from './request-classifier.js';
import { RequestHandler, type LinkCounters } from './request-handler.js';
import { resolverSettings, type NeighborResolverOptions, type ResolverSettings } from './resolver-settings.js';
import type { InstallStep, NeighborResolverEvents, NeighborResolverStats, ResolverLinkInfo } from './types.js';
import type { IpFamily } from '../netlink/ip.js';

// typed-emitter is a CommonJS types-only package; under NodeNext its interface is the module's `default`.
type TypedEmitter<E extends TypedEmitterTypes.EventMap> = TypedEmitterTypes.default<E>;
const TypedEventEmitter = EventEmitter as new () => TypedEmitter<NeighborResolverEvents>;

/** A chosen link and everything the resolver holds for it. */
interface TrackedLink {
  link: KnownLink;
  readonly counters: LinkCounters;
  families: IpFamily[];
  saved: SavedSysctl[];
}

function emptyStats(): NeighborResolverStats {
  return {
    requests: 0, ignored: 0, coalesced: 0, negativeCacheHits: 0, lookups: 0, resolved: 0, negative: 0, installed: 0,
    failed: 0, timeouts: 0, resolverErrors: 0, badAnswers: 0, installErrors: 0, overloaded: 0, abandoned: 0,
    linksAdded: 0, linksRemoved: 0, sysctlErrors: 0, overruns: 0, resyncs: 0, resyncErrors: 0, listenerErrors: 0,
    inFlight: 0, negativeCacheSize: 0,
  };
}

/** NUD states of entries still waiting for an answer, looked for after an overrun. */
const WAITING = NUD.INCOMPLETE | NUD.PROBE;

/**
 * Resolves neighbours on demand, as varpd does for Triton fabrics, over
 * netlink from end to end. The kernel is told to ask user space
 * (app_solicit, optionally with mcast/ucast_solicit 0) on the chosen links;
 * its RTM_GETNEIGH requests (ARP, ND, VXLAN l2miss/l3miss) go to `resolve()`,
 * and the answers are installed as neighbours or FDB entries. Sysctls are
 * restored on close().
 *
 * @example
 * ```ts
 * const resolver = await NeighborResolver.open({
 *   netns: 'tenant1',
 *   links: [{ name: 'fabric*' }, { kind: 'vxlan' }],
 *   zeroMcastSolicit: true,
 *   resolve: async (request) => directory.lookup(request.address, { signal: request.signal }), // { lladdr } | { fdb } | null
 * });
 * resolver.on('installed', (request, step) => console.log(request.address, '→', step.lladdr));
 * // ...
 * await resolver.close();
 * ```
 */
export class NeighborResolver extends TypedEventEmitter {
  private readonly counters = emptyStats();
  private readonly registry = new LinkRegistry();
  private readonly tracked = new Map<number, TrackedLink>();
  private readonly handler: RequestHandler;
  /** Link events, resyncs and close() run one after another, in arrival order. */
  private queue: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private resyncQueued = false;

  private constructor(
    private readonly settings: ResolverSettings,
    private readonly rtnl: Rtnl,
    private readonly monitor: RtnlMonitor,
  ) {
    super();
    this.handler = new RequestHandler({
      resolve: settings.resolve,
      install: (step) => this.install(step),
      events: {
        requested: (request, disposition) => this.safeEmit('requested', request, disposition),
        resolved: (request, answer) => this.safeEmit('resolved', request, answer),
        failed: (request, error) => this.safeEmit('failed', request, error),
        installed: (request, step) => this.safeEmit('installed', request, step),
      },
      stats: this.counters,
      linkCounters: (index) => this.tracked.get(index)?.counters,
      installState: settings.installState,
      negativeTtlMs: settings.negativeTtlMs,
      failureTtlMs: settings.failureTtlMs,
      lookupTimeoutMs: settings.lookupTimeoutMs,
      maxInFlight: settings.maxInFlight,
      maxNegativeEntries: settings.maxNegativeEntries,
    });
  }

  /**
   * Checks the options (NeighConfigError), opens the netlink client and a
   * monitor on the link and neighbour groups, then takes the matching links.
   */
  static async open(options: NeighborResolverOptions): Promise<NeighborResolver> {
    const settings = resolverSettings(options);
    const rtnl = await Rtnl.open(settings.netns === undefined ? {} : { netns: settings.netns });
    let resolver: NeighborResolver;
    try {
      // The monitor is open before the link dump, so no link event falls between the two.
      const monitor = await rtnl.monitor(
        settings.monitorReceiveBufferSize === undefined
          ? { groups: ['link', 'neighbor'] }
          : { groups: ['link', 'neighbor'], receiveBufferSize: settings.monitorReceiveBufferSize },
      );
      resolver = new NeighborResolver(settings, rtnl, monitor);
    } catch (error) {
      rtnl.close();
      throw error;
    }
    resolver.listen();
    // Link events that arrive meanwhile queue up behind the first dump.
    const initial = resolver.syncLinks();
    resolver.queue = initial.then(
      () => undefined,
      () => undefined,
    );
    try {
      await initial;
    } catch (error) {
      await resolver.close(); // restores whatever was already changed
      throw error;
    }
    return resolver;
  }

  /** Counters (a copy). */
  get stats(): Readonly<NeighborResolverStats> {
    return { ...this.counters, inFlight: this.handler.inFlight, negativeCacheSize: this.handler.negativeCacheSize };
  }

  /** The links being served now. */
  links(): ResolverLinkInfo[] {
    return [...this.tracked.values()].map((t) => this.info(t));
  }

  /** Stops listening, abandons running lookups, restores the sysctls it changed, closes the sockets. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.monitor.close();
    this.handler.close();
    // Installs already on their way to the kernel finish before the socket closes.
    await this.handler.idle();
    await this.enqueue(async () => {
      for (const tracked of [...this.tracked.values()]) await this.restore(tracked);
      this.tracked.clear();
    });
    this.rtnl.close();
  }

  private listen(): void {
    // RTM_NEWNEIGH / RTM_DELNEIGH ('neighbor', 'fdb' events) are the noise the seed complains about: not listened to.
    this.monitor.on('neighborRequest', (entry) => this.onKernelRequest(entry));
    this.monitor.on('link', (action, entry) => {
      void this.enqueue(() => (action === 'new' ? this.onNewLink(entry) : this.onDelLink(entry)));
    });
    this.monitor.on('overrun', () => {
      this.counters.overruns++;
      // A burst of overruns needs one dump, not one per ENOBUFS: a resync waiting in the queue covers them all.
      if (this.resyncQueued) return;
      this.resyncQueued = true;
      void this.enqueue(() => {
        this.resyncQueued = false;
        return this.resync();
      });
    });
    this.monitor.on('error', (error) => this.reportError(error));
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task).catch((error: unknown) => this.reportError(error instanceof Error ? error : new Error(String(error))));
    this.queue = run;
    return run;
  }

  private onKernelRequest(entry: NeighborEntry): void {
    if (this.closing !== undefined) return;
    const tracked = this.tracked.get(entry.index);
    if (tracked === undefined) {
      this.counters.ignored++;
      return;
    }
    const facts = classifyRequest(entry, tracked.link);
    if (typeof facts === 'string') {
      this.counters.ignored++;
      return;
    }
    if ((this.counters.requests & 0xff) === 0xff) this.handler.prune();
    void this.handler.handle(facts);
  }

  private async install(step: InstallStep): Promise<void> {
    if (step.what === 'neighbor') {
      await this.rtnl.neighbors.replace({ address: step.address, index: step.index, lladdr: step.lladdr, state: step.state });
      return;
    }
    await this.rtnl.fdb.replace({
      lladdr: step.lladdr,
      index: step.index,
      dst: step.dst,
      state: step.state,
      ...(step.vni !== undefined ? { vni: step.vni } : {}),
      ...(step.port !== undefined ? { port: step.port } : {}),
    });
  }

  /** Takes the current link list: adopts matching links, drops vanished ones. */
  private async syncLinks(): Promise<KnownLink[]> {
    const links = (await this.rtnl.links.list()).map(knownLinkOf);
    for (const gone of this.registry.replaceAll(links)) await this.drop(gone.index, false);
    for (const link of links) await this.evaluate(link);
    return links;
  }

  /**
   * The link as the kernel has it now. RTM_NEWLINK / RTM_DELLINK also come
   * with ifi_family AF_BRIDGE for bridge-port changes (br_ifinfo_notify in
   * net/bridge/br_netlink.c: a RTM_DELLINK when a port leaves its bridge, no
   * IFLA_LINKINFO); the monitor's LinkEntry does not carry the family, so the
   * event is only a hint and the link is read again (one RTM_GETLINK).
   */
  private async current(index: number): Promise<LinkEntry | undefined> {
    return this.rtnl.links.get(index);
  }

  private async onNewLink(entry: LinkEntry): Promise<void> {
    const fresh = await this.current(entry.index);
    if (fresh === undefined) return this.removeLink(entry);
    const link = knownLinkOf(fresh);
    this.registry.upsert(link);
    await this.evaluate(link);
  }

  private async onDelLink(entry: LinkEntry): Promise<void> {
    const still = await this.current(entry.index);
    if (still !== undefined) {
      // Still there (an ifindex is not reused while its link exists): the AF_BRIDGE notification of a
      // port leaving its bridge. Re-evaluate instead of dropping.
      const link = knownLinkOf(still);
      this.registry.upsert(link);
      return this.evaluate(link);
    }
    await this.removeLink(entry);
  }

  private async removeLink(entry: LinkEntry): Promise<void> {
    // The link and whatever was stacked on it (the kernel deletes uppers with their lower).
    const removed = this.registry.remove(entry.index);
    if (!removed.some((l) => l.index === entry.index)) removed.unshift(knownLinkOf(entry));
    for (const link of removed) await this.drop(link.index, false);
  }

  /** RTM_NEWLINK or a dump: start serving, follow a rename, or stop when it no longer matches. */
  private async evaluate(link: KnownLink): Promise<void> {
    if (this.closing !== undefined) return;
    const tracked = this.tracked.get(link.index);
    const matches = this.settings.selection.matches(link);
    if (tracked === undefined) {
      if (matches) await this.adopt(link);
      return;
    }
    // A rename moves /proc/sys/net/ipvX/neigh/NAME along with the link: follow it before anything is restored.
    if (tracked.link.name !== link.name) tracked.saved = renameSavedSysctls(tracked.saved, tracked.link.name, link.name);
    tracked.link = link;
    if (!matches) await this.drop(link.index, true);
  }

  private async adopt(link: KnownLink): Promise<void> {
    const tracked: TrackedLink = { link, counters: { requests: 0, installed: 0, failed: 0 }, families: [], saved: [] };
    this.tracked.set(link.index, tracked);
    this.counters.linksAdded++;
    if (this.settings.configureSysctls) {
      const applied = await applyNeighSysctls(this.rtnl.sysctl, link.name, this.settings.families, this.settings);
      tracked.saved = applied.saved;
      tracked.families = applied.families;
      for (const error of applied.errors) this.reportSysctlError(error);
    }
    this.safeEmit('linkAdded', this.info(tracked));
  }

  private async drop(index: number, restore: boolean): Promise<void> {
    const tracked = this.tracked.get(index);
    if (tracked === undefined) return;
    this.tracked.delete(index);
    this.handler.forgetLink(index);
    if (restore) await this.restore(tracked);
    this.counters.linksRemoved++;
    this.safeEmit('linkRemoved', this.info(tracked));
  }

  private async restore(tracked: TrackedLink): Promise<void> {
    const errors = await restoreNeighSysctls(this.rtnl.sysctl, tracked.saved);
    tracked.saved = [];
    for (const error of errors) this.reportSysctlError(error);
  }

  /**
   * After an overrun: events were lost, so links are dumped again (vanished
   * ones dropped, new ones adopted) and neighbours of served links still
   * INCOMPLETE or PROBE are handled as if their RTM_GETNEIGH had arrived.
   */
  private async resync(): Promise<void> {
    if (this.closing !== undefined) return;
    this.counters.resyncs++;
    try {
      const links = await this.syncLinks();
      let pending = 0;
      for (const entry of await this.rtnl.neighbors.list()) {
        const tracked = this.tracked.get(entry.index);
        if (tracked === undefined || (entry.state & WAITING) === 0) continue;
        const facts = classifyRequest(entry, tracked.link);
        if (typeof facts === 'string') continue;
        pending++;
        void this.handler.handle({ ...facts, source: 'resync' });
      }
      this.handler.prune();
      this.safeEmit('resynced', { links: links.length, pending });
    } catch (error) {
      this.counters.resyncErrors++;
      this.reportError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private info(tracked: TrackedLink): ResolverLinkInfo {
    const { link, counters, families } = tracked;
    return { index: link.index, name: link.name, kind: link.kind, vni: link.vni, families: [...families], ...counters };
  }

  private reportSysctlError(error: NeighError): void {
    this.counters.sysctlErrors++;
    this.reportError(error);
  }

  private reportError(error: Error): void {
    if (this.listenerCount('error') > 0) this.safeEmit('error', error);
  }

  /** A throwing listener is counted, never allowed to break the resolver. */
  private safeEmit<E extends keyof NeighborResolverEvents>(event: E, ...args: Parameters<NeighborResolverEvents[E]>): void {
    try {
      (this.emit as (event: E, ...args: Parameters<NeighborResolverEvents[E]>) => boolean)(event, ...args);
    } catch {
      this.counters.listenerErrors++;
    }
  }
}
