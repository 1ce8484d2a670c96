import { EncodeError } from '../errors.js';
import { formatIPv4, parseIPv4 } from '../ip-address.js';
import type { WireWriter } from '../wire-writer.js';

/** Writes a dotted-quad IPv4 address (NEXT_HOP, AGGREGATOR, ORIGINATOR_ID, CLUSTER_LIST...). */
export function writeIPv4(text: string, w: WireWriter, field: string): void {
  const b = parseIPv4(text);
  if (!b) throw EncodeError.invalid(field, `${JSON.stringify(text)} is not an IPv4 address`);
  w.bytes(b);
}

/** Reads the dotted quad at `off` (caller checked the length). */
export function readIPv4(buf: Uint8Array, off: number): string {
  return formatIPv4(buf, off);
}
