import { CapabilityCode } from '../../constants.js';
import { readU16 } from '../../wire-reader.js';
import { type CapabilityCodec, checkFieldRange, checkValueLength, familyJSON } from './capability-codec.js';

/** One family of the Long-Lived Graceful Restart capability, RFC 9494 §3. */
export interface LongLivedGracefulRestartFamily {
  readonly afi: number;
  readonly safi: number;
  /** Flags octet as received (bit 0x80 = F, forwarding state preserved). */
  readonly flags: number;
  /** Long-lived Stale Time in seconds (24 bits). */
  readonly staleTime: number;
}

/** Long-Lived Graceful Restart capability (code 71), RFC 9494 §3. */
export interface LongLivedGracefulRestartCapability {
  readonly kind: 'long-lived-graceful-restart';
  readonly families: readonly LongLivedGracefulRestartFamily[];
}

/**
 * RFC 9494 §3: per family AFI (2), SAFI (1), Flags (1), Long-lived Stale Time (3).
 * JSON: `{ families: [{ family, afi, safi, flags, forwardingState, staleTime }] }`.
 */
export const longLivedGracefulRestartCapability: CapabilityCodec<LongLivedGracefulRestartCapability> = {
  code: CapabilityCode.LONG_LIVED_GRACEFUL_RESTART,
  kind: 'long-lived-graceful-restart',
  decode(value) {
    checkValueLength(value, 'long-lived-graceful-restart', 7);
    const families: LongLivedGracefulRestartFamily[] = [];
    for (let p = 0; p < value.length; p += 7) {
      families.push({
        afi: readU16(value, p),
        safi: value[p + 2]!,
        flags: value[p + 3]!,
        staleTime: (value[p + 4]! << 16) | (value[p + 5]! << 8) | value[p + 6]!,
      });
    }
    return { kind: 'long-lived-graceful-restart', families };
  },
  encode(cap, w) {
    for (const f of cap.families) {
      w.u16(f.afi, 'LLGR AFI').u8(f.safi, 'LLGR SAFI').u8(f.flags, 'LLGR flags');
      checkFieldRange(f.staleTime, 0xffffff, 'LLGR stale time');
      w.u8(f.staleTime >>> 16).u16(f.staleTime & 0xffff);
    }
  },
  toJSON(cap) {
    return {
      families: cap.families.map((f) => ({
        ...familyJSON(f.afi, f.safi),
        flags: f.flags,
        forwardingState: (f.flags & 0x80) !== 0,
        staleTime: f.staleTime,
      })),
    };
  },
};
