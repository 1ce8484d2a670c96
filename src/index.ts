/**
 * fibwire — from BGP bytes on the wire to the Linux FIB.
 *
 * This is the only file that re-exports: every public name of the library is
 * listed here, grouped by module. Each section is owned by its module.
 *
 * @packageDocumentation
 */

// ── buffers ──────────────────────────────────────────────────────────────
// (section: buffers)

// ── bgp: core (constants, errors, reader/writer, context, prefixes) ─────
// (section: bgp-core)

// ── bgp: messages (header, OPEN, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH) ─
// (section: bgp-messages)

// ── bgp: UPDATE, path attributes, NLRI ───────────────────────────────────
// (section: bgp-update)

// ── bgp: MRT (RFC 6396, RFC 8050) ────────────────────────────────────────
// (section: bgp-mrt)

// ── netlink ──────────────────────────────────────────────────────────────
// (section: netlink)

// ── alloc ────────────────────────────────────────────────────────────────
// (section: alloc)

export {};
