import { NetlinkArgumentError } from '../netlink/errors.js';
import { formatMac, parseIp, parseMac } from '../netlink/ip.js';
import { NeighAnswerError } from './errors.js';
import type { RequestFacts } from './request-classifier.js';
import type { InstallState, InstallStep } from './types.js';

function mac(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new NeighAnswerError(field, 'a MAC address string is needed');
  let bytes: Buffer;
  try {
    bytes = parseMac(value, field);
  } catch (error) {
    if (error instanceof NetlinkArgumentError) throw new NeighAnswerError(field, `not a MAC address: ${JSON.stringify(value)}`);
    throw error;
  }
  if (bytes.every((b) => b === 0)) throw new NeighAnswerError(field, 'the all-zero MAC is not a neighbour');
  if (((bytes[0] ?? 0) & 1) === 1) throw new NeighAnswerError(field, `${value} is a multicast MAC`);
  return formatMac(bytes);
}

function ip(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new NeighAnswerError(field, 'an IP address string is needed');
  try {
    parseIp(value, field);
  } catch (error) {
    if (error instanceof NetlinkArgumentError) throw new NeighAnswerError(field, `not an IP address: ${JSON.stringify(value)}`);
    throw error;
  }
  return value;
}

function optionalInteger(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new NeighAnswerError(field, `${String(value)} outside ${min}..${max}`);
  }
  return value;
}

/**
 * Checks an answer from resolve() (user code: anything may come back) and
 * decides the kernel writes, FDB entry first so that a neighbour learned
 * over VXLAN is reachable as soon as it exists.
 *
 * - IP request, `{ lladdr }`: the neighbour on the request's link.
 * - IP request, `{ fdb }`: the FDB entry (on `fdb.index`, or the request's
 *   link) and the neighbour with `lladdr ?? fdb.lladdr`.
 * - Ethernet request (l2miss): `{ fdb }` only, for the MAC that was asked for.
 */
export function planInstall(request: RequestFacts, answer: unknown, state: InstallState): InstallStep[] {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    throw new NeighAnswerError('', 'an object { lladdr } or { fdb }, or null, is needed');
  }
  const { lladdr, fdb } = answer as { lladdr?: unknown; fdb?: unknown };
  if (lladdr === undefined && fdb === undefined) throw new NeighAnswerError('', 'neither lladdr nor fdb');
  const steps: InstallStep[] = [];
  let fdbMac: string | undefined;
  if (fdb !== undefined) {
    if (typeof fdb !== 'object' || fdb === null) throw new NeighAnswerError('fdb', 'an object { lladdr, dst, vni? } is needed');
    const f = fdb as { lladdr?: unknown; dst?: unknown; vni?: unknown; port?: unknown; index?: unknown };
    fdbMac = mac(f.lladdr, 'fdb.lladdr');
    const index = optionalInteger(f.index, 'fdb.index', 1, 0xffffffff) ?? request.index;
    if (index === request.index && request.linkKind !== 'vxlan') {
      throw new NeighAnswerError('fdb', `link ${request.linkName} is ${request.linkKind ?? 'of unknown kind'}, not vxlan: give fdb.index`);
    }
    const step: Extract<InstallStep, { what: 'fdb' }> = { what: 'fdb', index, lladdr: fdbMac, dst: ip(f.dst, 'fdb.dst'), state };
    const vni = optionalInteger(f.vni, 'fdb.vni', 0, 0xffffff);
    if (vni !== undefined) step.vni = vni;
    const port = optionalInteger(f.port, 'fdb.port', 1, 0xffff);
    if (port !== undefined) step.port = port;
    steps.push(step);
  }
  if (request.kind === 'ethernet') {
    if (fdbMac === undefined) throw new NeighAnswerError('fdb', 'an Ethernet (l2miss) request needs an fdb answer');
    if (fdbMac !== request.address) throw new NeighAnswerError('fdb.lladdr', `${fdbMac} is not the MAC asked for (${request.address})`);
    if (lladdr !== undefined) throw new NeighAnswerError('lladdr', 'an Ethernet request has no neighbour to install');
    return steps;
  }
  const neighborMac = lladdr !== undefined ? mac(lladdr, 'lladdr') : fdbMac;
  if (neighborMac === undefined) throw new NeighAnswerError('lladdr', 'missing');
  steps.push({ what: 'neighbor', index: request.index, address: request.address, lladdr: neighborMac, state });
  return steps;
}
