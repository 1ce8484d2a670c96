/**
 * BGP message framing constants (RFC 4271 §4.1, RFC 8654).
 *
 * They live in `buffers` (the lowest BGP layer) so that the frame reader can
 * check headers without importing the codec; `bgp` may import them from here.
 */

/** Length of the all-ones marker that opens every BGP message (RFC 4271 §4.1). */
export const BGP_MARKER_LENGTH = 16;

/** Marker (16) + Length (2) + Type (1): the fixed BGP message header (RFC 4271 §4.1). */
export const BGP_HEADER_LENGTH = 19;

/** Offset of the 2-octet big-endian Length field in the header. */
export const BGP_LENGTH_OFFSET = 16;

/** Offset of the 1-octet Type field in the header. */
export const BGP_TYPE_OFFSET = 18;

/** Largest message before Extended Message is negotiated (RFC 4271 §4.1). */
export const BGP_STANDARD_MAX_MESSAGE_SIZE = 4096;

/** Largest message once Extended Message is negotiated (RFC 8654 §3). */
export const BGP_EXTENDED_MAX_MESSAGE_SIZE = 65535;
