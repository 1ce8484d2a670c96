import { CapabilityCode } from '../../constants.js';
import { type CapabilityCodec, checkValueLength } from './capability-codec.js';

/** Enhanced Route Refresh capability (code 70), RFC 7313 §3: BoRR/EoRR demarcation of a refresh. */
export interface EnhancedRouteRefreshCapability {
  readonly kind: 'enhanced-route-refresh';
}

/** Enhanced Route Refresh capability (code 70), RFC 7313 §3: BoRR/EoRR demarcation of a refresh. The value is empty; JSON has no fields beyond `code` and `name`. */
export const enhancedRouteRefreshCapability: CapabilityCodec<EnhancedRouteRefreshCapability> = {
  code: CapabilityCode.ENHANCED_ROUTE_REFRESH,
  kind: 'enhanced-route-refresh',
  decode(value) {
    checkValueLength(value, 'enhanced-route-refresh', 0, true);
    return { kind: 'enhanced-route-refresh' };
  },
  encode() {
    // No value octets.
  },
  toJSON() {
    return {};
  },
};
