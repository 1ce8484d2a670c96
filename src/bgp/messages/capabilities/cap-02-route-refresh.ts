import { CapabilityCode } from '../../constants.js';
import { type CapabilityCodec, checkValueLength } from './capability-codec.js';

/** Route Refresh capability (code 2), RFC 2918 §2: the speaker accepts ROUTE-REFRESH messages. */
export interface RouteRefreshCapability {
  readonly kind: 'route-refresh';
}

/** Route Refresh capability (code 2), RFC 2918 §2: the speaker accepts ROUTE-REFRESH messages. The value is empty; JSON has no fields beyond `code` and `name`. */
export const routeRefreshCapability: CapabilityCodec<RouteRefreshCapability> = {
  code: CapabilityCode.ROUTE_REFRESH,
  kind: 'route-refresh',
  decode(value) {
    checkValueLength(value, 'route-refresh', 0, true);
    return { kind: 'route-refresh' };
  },
  encode() {
    // No value octets.
  },
  toJSON() {
    return {};
  },
};
