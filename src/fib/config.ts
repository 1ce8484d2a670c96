import { parseLargeCommunity, type LargeCommunity } from '../bgp/attributes/attr-32-large-community.js';
import { parseCommunity } from '../bgp/attributes/community-format.js';
import { DEFAULT_NHG_ID_RANGE, type IdRange } from '../nhg/id-allocator.js';
import { FibConfigError, RESERVED_ROUTE_PROTOCOL_MAX, type FibConfigIssue } from './errors.js';

/** `RTPROT_BGP` (linux/rtnetlink.h): the protocol routes are exported with by default. */
export const DEFAULT_ROUTE_PROTOCOL = 186;
/** Default metric (route priority) of exported routes. */
export const DEFAULT_EXPORT_METRIC = 20;
/** Default dampening window, milliseconds. */
export const DEFAULT_DAMPENING_MS = 100;
/** Default number of prefixes handled per flush slice before yielding to the event loop. */
export const DEFAULT_FLUSH_SLICE = 2000;
/** Default lifetime of a nexthop lookup shared by export passes, milliseconds. */
export const DEFAULT_NEXTHOP_CACHE_MS = 1000;

/** An export rule as written in JSON. */
export interface ExportRuleConfig {
  /** Unique name. */
  readonly name: string;
  /** Standard communities: `65000:100` or well-known names (`no-export`, `BLACKHOLE`...). Empty or absent with no large ones: match all. */
  readonly communities?: readonly string[];
  /** Large communities `global:local1:local2`. */
  readonly largeCommunities?: readonly string[];
  /** Kernel table id. Either this or `vrf`. */
  readonly table?: number;
  /** VRF device name, resolved to its table by the sink (needs a kernel with VRF devices). */
  readonly vrf?: string;
  /** Route priority; default 20. */
  readonly metric?: number;
  /** Require the nexthop to resolve through the kernel before exporting; default true. */
  readonly validateNexthop?: boolean;
}

/** The exporter configuration as written in JSON. */
export interface FibExporterConfig {
  readonly rules: readonly ExportRuleConfig[];
  /** Route protocol, 5–255; default 186 (RTPROT_BGP). 0–4 are the kernel's. */
  readonly routeProtocol?: number;
  /** Dampening window in ms; 0 exports immediately. Default 100. */
  readonly dampeningMs?: number;
  /** Prefixes per flush slice. Default 2000. */
  readonly flushSliceSize?: number;
  /** Point routes at nexthop groups so a failover is one group replace. Default false. */
  readonly useNexthopGroups?: boolean;
  /** Nexthop id range for the group cache. */
  readonly nexthopIdRange?: IdRange;
  /** Delete routes of our protocol in managed tables before the first export. Default true. */
  readonly cleanupOnStart?: boolean;
  /**
   * How long a nexthop's kernel lookup (RTM_GETROUTE, for `validateNexthop` and
   * nexthop groups) is reused by later export passes, in ms. Default 1000; 0 looks
   * every gateway up again in every pass. `revalidate()` and `reconfigure()` always
   * look up afresh.
   */
  readonly nexthopCacheMs?: number;
}

/** A validated rule with its communities decoded. */
export interface ExportRule {
  readonly name: string;
  readonly communities: readonly number[];
  readonly largeCommunities: readonly LargeCommunity[];
  readonly table: number | undefined;
  readonly vrf: string | undefined;
  readonly metric: number;
  readonly validateNexthop: boolean;
}

/** A validated configuration with every default filled in. */
export interface FibExporterSettings {
  readonly rules: readonly ExportRule[];
  readonly routeProtocol: number;
  readonly dampeningMs: number;
  readonly flushSliceSize: number;
  readonly useNexthopGroups: boolean;
  readonly nexthopIdRange: IdRange;
  readonly cleanupOnStart: boolean;
  readonly nexthopCacheMs: number;
}

const TOP_KEYS = new Set(['rules', 'routeProtocol', 'dampeningMs', 'flushSliceSize', 'useNexthopGroups', 'nexthopIdRange', 'cleanupOnStart', 'nexthopCacheMs']);
const RULE_KEYS = new Set(['name', 'communities', 'largeCommunities', 'table', 'vrf', 'metric', 'validateNexthop']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isUint(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

/** Validates and normalises a rule list; `issues` receives what is wrong. */
function parseRules(raw: unknown, issues: FibConfigIssue[]): ExportRule[] {
  if (!Array.isArray(raw)) {
    issues.push({ path: 'rules', message: 'must be an array' });
    return [];
  }
  const rules: ExportRule[] = [];
  const names = new Set<string>();
  raw.forEach((r: unknown, i) => {
    const at = `rules[${i}]`;
    if (!isRecord(r)) {
      issues.push({ path: at, message: 'must be an object' });
      return;
    }
    for (const k of Object.keys(r)) if (!RULE_KEYS.has(k)) issues.push({ path: `${at}.${k}`, message: 'unknown key' });
    const name = r['name'];
    if (typeof name !== 'string' || name.length === 0) issues.push({ path: `${at}.name`, message: 'must be a non-empty string' });
    else if (names.has(name)) issues.push({ path: `${at}.name`, message: `duplicate rule name "${name}"` });
    else names.add(name);
    const communities: number[] = [];
    const rawC = r['communities'] ?? [];
    if (!Array.isArray(rawC)) issues.push({ path: `${at}.communities`, message: 'must be an array of strings' });
    else
      rawC.forEach((c: unknown, j) => {
        const v = typeof c === 'string' ? parseCommunity(c) : undefined;
        if (v === undefined) issues.push({ path: `${at}.communities[${j}]`, message: `not a community: ${JSON.stringify(c)}` });
        else if (!communities.includes(v)) communities.push(v);
      });
    const large: LargeCommunity[] = [];
    const rawL = r['largeCommunities'] ?? [];
    if (!Array.isArray(rawL)) issues.push({ path: `${at}.largeCommunities`, message: 'must be an array of strings' });
    else
      rawL.forEach((c: unknown, j) => {
        const v = typeof c === 'string' ? parseLargeCommunity(c) : undefined;
        if (v === undefined) issues.push({ path: `${at}.largeCommunities[${j}]`, message: `not a large community: ${JSON.stringify(c)}` });
        else if (!large.some((x) => x[0] === v[0] && x[1] === v[1] && x[2] === v[2])) large.push(v);
      });
    const table = r['table'];
    const vrf = r['vrf'];
    if (table !== undefined && (!isUint(table, 0xffffffff) || table === 0 || table === 255)) {
      issues.push({ path: `${at}.table`, message: 'must be an integer 1..4294967295 other than 255 (local)' });
    }
    if (vrf !== undefined && (typeof vrf !== 'string' || vrf.length === 0 || vrf.length > 15)) {
      issues.push({ path: `${at}.vrf`, message: 'must be an interface name (1-15 characters)' });
    }
    if (table === undefined && vrf === undefined) issues.push({ path: at, message: 'needs "table" or "vrf"' });
    const metric = r['metric'] ?? 20;
    if (!isUint(metric, 0xffffffff)) issues.push({ path: `${at}.metric`, message: 'must be an integer 0..4294967295' });
    const validate = r['validateNexthop'] ?? true;
    if (typeof validate !== 'boolean') issues.push({ path: `${at}.validateNexthop`, message: 'must be a boolean' });
    rules.push({
      name: typeof name === 'string' ? name : '',
      communities,
      largeCommunities: large,
      table: typeof table === 'number' ? table : undefined,
      vrf: typeof vrf === 'string' ? vrf : undefined,
      metric: typeof metric === 'number' ? metric : DEFAULT_EXPORT_METRIC,
      validateNexthop: validate !== false,
    });
  });
  return rules;
}

/** Validates a rule list alone (for `reconfigure()`); throws {@link FibConfigError}. */
export function parseExportRules(raw: unknown): ExportRule[] {
  const issues: FibConfigIssue[] = [];
  const rules = parseRules(raw, issues);
  if (issues.length > 0) throw new FibConfigError(issues);
  return rules;
}

/**
 * Validates a JSON configuration and fills in the defaults (protocol 186, metric 20,
 * dampening 100 ms, nexthop validation on). Throws {@link FibConfigError} listing
 * every problem; refuses route protocols 0–4, which belong to the kernel.
 *
 * @example
 * ```ts
 * const settings = parseFibExporterConfig({ rules: [{ name: 'a', communities: ['65000:100'], table: 100 }] });
 * settings.rules[0].metric; // 20
 * ```
 */
export function parseFibExporterConfig(raw: unknown): FibExporterSettings {
  const issues: FibConfigIssue[] = [];
  if (!isRecord(raw)) throw new FibConfigError([{ path: '', message: 'config must be an object' }]);
  for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) issues.push({ path: k, message: 'unknown key' });
  const rules = parseRules(raw['rules'], issues);
  const protocol = raw['routeProtocol'] ?? DEFAULT_ROUTE_PROTOCOL;
  if (!isUint(protocol, 255)) issues.push({ path: 'routeProtocol', message: 'must be an integer 5..255' });
  else if (protocol <= RESERVED_ROUTE_PROTOCOL_MAX) issues.push({ path: 'routeProtocol', message: `${protocol} is reserved by the kernel (0-4): cleanup would delete routes we do not own` });
  const damp = raw['dampeningMs'] ?? DEFAULT_DAMPENING_MS;
  if (!isUint(damp, 3_600_000)) issues.push({ path: 'dampeningMs', message: 'must be an integer 0..3600000' });
  const slice = raw['flushSliceSize'] ?? DEFAULT_FLUSH_SLICE;
  if (!isUint(slice, 1_000_000) || slice === 0) issues.push({ path: 'flushSliceSize', message: 'must be an integer 1..1000000' });
  const nhg = raw['useNexthopGroups'] ?? false;
  if (typeof nhg !== 'boolean') issues.push({ path: 'useNexthopGroups', message: 'must be a boolean' });
  const cleanup = raw['cleanupOnStart'] ?? true;
  if (typeof cleanup !== 'boolean') issues.push({ path: 'cleanupOnStart', message: 'must be a boolean' });
  const cacheMs = raw['nexthopCacheMs'] ?? DEFAULT_NEXTHOP_CACHE_MS;
  if (!isUint(cacheMs, 3_600_000)) issues.push({ path: 'nexthopCacheMs', message: 'must be an integer 0..3600000' });
  let range: IdRange = DEFAULT_NHG_ID_RANGE;
  const rawRange = raw['nexthopIdRange'];
  if (rawRange !== undefined) {
    if (!isRecord(rawRange) || !isUint(rawRange['min'], 0xffffffff) || !isUint(rawRange['max'], 0xffffffff) || rawRange['min'] < 1 || rawRange['min'] > rawRange['max']) {
      issues.push({ path: 'nexthopIdRange', message: 'must be { min, max } with 1 <= min <= max <= 4294967295' });
    } else range = { min: rawRange['min'], max: rawRange['max'] };
  }
  if (issues.length > 0) throw new FibConfigError(issues);
  return {
    rules,
    routeProtocol: protocol as number,
    dampeningMs: damp as number,
    flushSliceSize: slice as number,
    useNexthopGroups: nhg as boolean,
    nexthopIdRange: range,
    cleanupOnStart: cleanup as boolean,
    nexthopCacheMs: cacheMs as number,
  };
}
