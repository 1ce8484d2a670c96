import { CapabilityCode } from '../../constants.js';
import { readU16 } from '../../wire-reader.js';
import { type CapabilityCodec, checkFieldRange, familyJSON, malformedCapability } from './capability-codec.js';

/** Restart Flags (the 4 high bits of the first two octets), RFC 4724 §3 and RFC 8538 §2. */
export const GracefulRestartFlag = {
  /** R: the speaker has restarted. */
  RESTART_STATE: 0x8,
  /** N: the speaker supports Graceful Restart for NOTIFICATION messages (RFC 8538). */
  NOTIFICATION: 0x4,
} as const;

/** Flags for Address Family, RFC 4724 §3: F = forwarding state preserved. */
export const GracefulRestartFamilyFlag = { FORWARDING_STATE: 0x80 } as const;

/** One address family of a Graceful Restart capability. */
export interface GracefulRestartFamily {
  readonly afi: number;
  readonly safi: number;
  /** Flags for Address Family octet as received (bit 0x80 = F). */
  readonly flags: number;
}

/** Graceful Restart capability (code 64), RFC 4724 §3. Flags are kept as numbers so reserved bits re-encode unchanged. */
export interface GracefulRestartCapability {
  readonly kind: 'graceful-restart';
  /** The 4 Restart Flags bits (0..15), see {@link GracefulRestartFlag}. */
  readonly restartFlags: number;
  /** Restart Time in seconds (12 bits, 0..4095). */
  readonly restartTime: number;
  readonly families: readonly GracefulRestartFamily[];
}

/**
 * RFC 4724 §3: Restart Flags (4 bits) + Restart Time (12 bits), then per family
 * AFI (2), SAFI (1), Flags (1). JSON: `{ restartFlags, restartState, notification,
 * restartTime, families: [{ family, afi, safi, flags, forwardingState }] }`.
 */
export const gracefulRestartCapability: CapabilityCodec<GracefulRestartCapability> = {
  code: CapabilityCode.GRACEFUL_RESTART,
  kind: 'graceful-restart',
  decode(value) {
    if (value.length < 2 || (value.length - 2) % 4 !== 0) {
      throw malformedCapability('graceful-restart', `value length ${value.length} is not 2 + 4n`);
    }
    const head = readU16(value, 0);
    const families: GracefulRestartFamily[] = [];
    for (let p = 2; p < value.length; p += 4) families.push({ afi: readU16(value, p), safi: value[p + 2]!, flags: value[p + 3]! });
    return { kind: 'graceful-restart', restartFlags: head >>> 12, restartTime: head & 0x0fff, families };
  },
  encode(cap, w) {
    checkFieldRange(cap.restartFlags, 0xf, 'graceful restart flags');
    checkFieldRange(cap.restartTime, 0x0fff, 'graceful restart time');
    w.u16((cap.restartFlags << 12) | cap.restartTime, 'graceful restart flags and time');
    for (const f of cap.families) w.u16(f.afi, 'graceful restart AFI').u8(f.safi, 'graceful restart SAFI').u8(f.flags, 'graceful restart family flags');
  },
  toJSON(cap) {
    return {
      restartFlags: cap.restartFlags,
      restartState: (cap.restartFlags & GracefulRestartFlag.RESTART_STATE) !== 0,
      notification: (cap.restartFlags & GracefulRestartFlag.NOTIFICATION) !== 0,
      restartTime: cap.restartTime,
      families: cap.families.map((f) => ({
        ...familyJSON(f.afi, f.safi),
        flags: f.flags,
        forwardingState: (f.flags & GracefulRestartFamilyFlag.FORWARDING_STATE) !== 0,
      })),
    };
  },
};
