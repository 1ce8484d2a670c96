/**
 * A capability fibwire does not interpret (or one whose text is not UTF-8): the
 * code and the value bytes exactly as received, so it re-encodes unchanged — what
 * pass-through of capabilities relies on.
 */
export interface UnknownCapability {
  readonly kind: 'unknown';
  readonly code: number;
  /** The value octets (owned copy, not a view into a pooled buffer). */
  readonly value: Uint8Array;
}

/** Lower-case hex of the value, the JSON form of unknown bytes. */
export function unknownCapabilityJSON(cap: UnknownCapability): { value: string } {
  return { value: Buffer.from(cap.value.buffer, cap.value.byteOffset, cap.value.byteLength).toString('hex') };
}
