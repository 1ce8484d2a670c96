/**
 * AGGREGATOR / AS4_AGGREGATOR value (RFC 4271 §4.3 (g), RFC 6793 §3): the AS and
 * the BGP identifier (dotted quad) of the speaker that formed the aggregate.
 * JSON: `{ "asn": 65000, "address": "192.0.2.1" }`.
 */
export interface Aggregator {
  readonly asn: number;
  readonly address: string;
}

/** The aggregator as bgpdump prints it: `65000 192.0.2.1`. */
export function formatAggregator(a: Aggregator): string {
  return `${a.asn} ${a.address}`;
}
