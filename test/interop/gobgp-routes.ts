/**
 * GoBGP's JSON route listings (`gobgp -j global rib`, `neighbor X adj-in`)
 * reduced to the attributes the interop tests compare, in fibwire's value types.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../support/json.js';

/** The attributes the interop tests compare, in fibwire's value types. */
export interface RouteAttributes {
  readonly origin: number | undefined;
  readonly asPath: readonly { readonly type: number; readonly asns: readonly number[] }[] | undefined;
  readonly nextHop: string | undefined;
  readonly med: number | undefined;
  readonly communities: readonly number[] | undefined;
  readonly largeCommunities: readonly (readonly [number, number, number])[] | undefined;
}

/** One path GoBGP lists. */
export interface GobgpRoute extends RouteAttributes {
  readonly prefix: string;
  /** RFC 7911 path id when GoBGP shows one (`nlri.path_id` / `id`). */
  readonly pathId: number | undefined;
}

function field(obj: JsonObject, key: string): JsonValue | undefined {
  return obj[key];
}

function num(value: JsonValue | undefined, what: string): number {
  if (typeof value !== 'number') throw new Error(`gobgp JSON: ${what} is not a number: ${JSON.stringify(value)}`);
  return value;
}

function array(value: JsonValue | undefined, what: string): JsonValue[] {
  if (!Array.isArray(value)) throw new Error(`gobgp JSON: ${what} is not an array: ${JSON.stringify(value)}`);
  return value;
}

function object(value: JsonValue | undefined, what: string): JsonObject {
  if (!isJsonObject(value)) throw new Error(`gobgp JSON: ${what} is not an object: ${JSON.stringify(value)}`);
  return value;
}

/** One GoBGP path object (`{nlri, attrs, ...}`). */
export function parseGobgpPath(pathJson: JsonValue): GobgpRoute {
  const path = object(pathJson, 'path');
  const nlri = object(field(path, 'nlri'), 'nlri');
  const prefix = field(nlri, 'prefix');
  if (typeof prefix !== 'string') throw new Error(`gobgp JSON: nlri.prefix missing: ${JSON.stringify(nlri)}`);
  const idValue = field(nlri, 'path_id') ?? field(path, 'id');
  let origin: number | undefined;
  let asPath: { type: number; asns: number[] }[] | undefined;
  let nextHop: string | undefined;
  let med: number | undefined;
  let communities: number[] | undefined;
  let largeCommunities: [number, number, number][] | undefined;
  for (const attrJson of array(field(path, 'attrs'), 'attrs')) {
    const attr = object(attrJson, 'attr');
    switch (num(field(attr, 'type'), 'attr.type')) {
      case 1:
        origin = num(field(attr, 'value'), 'origin');
        break;
      case 2:
        asPath = array(field(attr, 'as_paths'), 'as_paths').map((segJson) => {
          const seg = object(segJson, 'segment');
          return { type: num(field(seg, 'segment_type'), 'segment_type'), asns: array(field(seg, 'asns'), 'asns').map((a) => num(a, 'asn')) };
        });
        break;
      case 3:
      case 14: {
        const nh = field(attr, 'nexthop');
        if (typeof nh === 'string') nextHop = nh;
        break;
      }
      case 4:
        med = num(field(attr, 'metric'), 'metric');
        break;
      case 8:
        communities = array(field(attr, 'communities'), 'communities').map((c) => num(c, 'community'));
        break;
      case 32:
        largeCommunities = array(field(attr, 'value'), 'large communities').map((lcJson) => {
          const lc = object(lcJson, 'large community');
          return [num(field(lc, 'ASN'), 'ASN'), num(field(lc, 'LocalData1'), 'LocalData1'), num(field(lc, 'LocalData2'), 'LocalData2')];
        });
        break;
    }
  }
  return {
    prefix,
    pathId: typeof idValue === 'number' && idValue !== 0 ? idValue : undefined,
    origin,
    asPath,
    nextHop,
    med,
    communities,
    largeCommunities,
  };
}

/** A `{prefix: [path, ...]}` listing (global rib, adj-in, adj-out) as a flat list. */
export function parseGobgpRib(listing: JsonValue): GobgpRoute[] {
  if (listing === null) return [];
  const rib = object(listing, 'rib');
  const routes: GobgpRoute[] = [];
  for (const paths of Object.values(rib)) for (const p of array(paths, 'paths')) routes.push(parseGobgpPath(p));
  return routes;
}
