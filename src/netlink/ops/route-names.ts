import { NetlinkArgumentError } from '../errors.js';
import { RT_SCOPE, RTN, RTPROT } from '../constants.js';

/** Route types by name (rtm_type). */
export type RouteTypeName =
  | 'unicast'
  | 'local'
  | 'broadcast'
  | 'anycast'
  | 'multicast'
  | 'blackhole'
  | 'unreachable'
  | 'prohibit'
  | 'throw'
  | 'nat';

const typeByName: Record<RouteTypeName, number> = {
  unicast: RTN.UNICAST,
  local: RTN.LOCAL,
  broadcast: RTN.BROADCAST,
  anycast: RTN.ANYCAST,
  multicast: RTN.MULTICAST,
  blackhole: RTN.BLACKHOLE,
  unreachable: RTN.UNREACHABLE,
  prohibit: RTN.PROHIBIT,
  throw: RTN.THROW,
  nat: RTN.NAT,
};
const nameByType = new Map<number, RouteTypeName>(
  (Object.entries(typeByName) as [RouteTypeName, number][]).map(([name, value]) => [value, name]),
);

export function routeTypeNumber(type: RouteTypeName | number, field = 'type'): number {
  if (typeof type === 'number') {
    if (!Number.isInteger(type) || type < 0 || type > 255) throw new NetlinkArgumentError(field, `route type ${type} outside 0..255`);
    return type;
  }
  const value = typeByName[type];
  if (value === undefined) throw new NetlinkArgumentError(field, `unknown route type ${JSON.stringify(type)}`);
  return value;
}

/** 'unicast' for 1; the number itself for types without a name. */
export function routeTypeName(type: number): RouteTypeName | number {
  return nameByType.get(type) ?? type;
}

/** Route protocols by name (rtm_protocol); any 0..255 number is accepted too. */
export type RouteProtocolName = Lowercase<keyof typeof RTPROT>;

export function routeProtocolNumber(protocol: RouteProtocolName | number, field = 'protocol'): number {
  if (typeof protocol === 'number') {
    if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255) {
      throw new NetlinkArgumentError(field, `protocol ${protocol} outside 0..255`);
    }
    return protocol;
  }
  const key = protocol.toUpperCase() as keyof typeof RTPROT;
  const value = RTPROT[key];
  if (value === undefined) throw new NetlinkArgumentError(field, `unknown protocol ${JSON.stringify(protocol)}`);
  return value;
}

/** Scopes by name (rtm_scope, ifa_scope). */
export type ScopeName = 'universe' | 'global' | 'site' | 'link' | 'host' | 'nowhere';

export function scopeNumber(scope: ScopeName | number, field = 'scope'): number {
  if (typeof scope === 'number') {
    if (!Number.isInteger(scope) || scope < 0 || scope > 255) throw new NetlinkArgumentError(field, `scope ${scope} outside 0..255`);
    return scope;
  }
  switch (scope) {
    case 'universe':
    case 'global':
      return RT_SCOPE.UNIVERSE;
    case 'site':
      return RT_SCOPE.SITE;
    case 'link':
      return RT_SCOPE.LINK;
    case 'host':
      return RT_SCOPE.HOST;
    case 'nowhere':
      return RT_SCOPE.NOWHERE;
    default:
      throw new NetlinkArgumentError(field, `unknown scope ${JSON.stringify(scope)}`);
  }
}

/** Checks a u32 field (table ids, metrics, ifindexes, nexthop ids). */
export function checkU32(value: number, field: string, min = 0): number {
  if (!Number.isInteger(value) || value < min || value > 0xffffffff) {
    throw new NetlinkArgumentError(field, `${value} outside ${min}..4294967295`);
  }
  return value;
}
