import { endianness } from 'node:os';

/**
 * Netlink headers and most attributes are in host byte order (netlink(7)).
 * fibwire reads and writes them through DataView with this flag, so the same
 * code is right on big-endian hosts (s390x) too.
 */
export const HOST_LITTLE_ENDIAN = endianness() === 'LE';
