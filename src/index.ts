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
export { BufferError, type BufferErrorCode } from './buffers/buffer-error.js';
export { BufferPool, type BufferPoolOptions, type BufferPoolStats } from './buffers/buffer-pool.js';
export { FrameAssembler, type FrameAssemblerStats, type FrameSink } from './buffers/frame-assembler.js';
export { FrameError, FrameHandlerError, type FrameErrorCode, type FrameNotification } from './buffers/frame-error.js';
export { FrameReader, type FrameReaderOnRead, type FrameReaderOptions } from './buffers/frame-reader.js';
export { PooledMessage, type MessageRecycler } from './buffers/pooled-message.js';

// ── bgp: core (constants, errors, reader/writer, context, prefixes) ─────
// (section: bgp-core)
export * from './bgp/constants.js';
export { BgpError, EncodeError, notificationErrorCode, strongerAction, ERROR_ACTION_SEVERITY } from './bgp/errors.js';
export type { ErrorAction, BgpErrorInit, EncodeErrorCode } from './bgp/errors.js';
export { WireReader, readU16, readU32 } from './bgp/wire-reader.js';
export type { OverrunError } from './bgp/wire-reader.js';
export { WireWriter } from './bgp/wire-writer.js';
export { createCodecContext, DEFAULT_CODEC_CONTEXT } from './bgp/context.js';
export type { CodecContext, CodecContextOptions } from './bgp/context.js';
export { Family, familyKey, familyOf, familyName, parseFamilyName } from './bgp/family.js';
export type { FamilyKey } from './bgp/family.js';
export { formatIPv4, formatIPv6, formatIP, parseIPv4, parseIPv6, parseIP } from './bgp/ip-address.js';
export { Prefix } from './bgp/prefix.js';

// ── bgp: messages (header, OPEN, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH) ─
// (section: bgp-messages)

// ── bgp: UPDATE, path attributes, NLRI ───────────────────────────────────
// (section: bgp-update)
export { UpdateView } from './bgp/update/update-view.js';
export type { RawAttribute, UnsupportedNlri, UpdateValidation } from './bgp/update/update-view.js';
export { UpdatePrefixCursor } from './bgp/update/update-prefix-cursor.js';
export type { NlriSegment } from './bgp/update/update-prefix-cursor.js';
export { UpdateBuilder } from './bgp/update/update-builder.js';
export type { AnnounceOptions } from './bgp/update/update-builder.js';
export type { UpdateAttributes, TypedAttribute } from './bgp/update/path-attributes.js';
export { attributeJsonKey } from './bgp/update/update-json.js';
export type { UpdateJson, PrefixJson, AnnouncedFamilyJson } from './bgp/update/update-json.js';
export type { UpdateLayout } from './bgp/update/update-layout.js';
export type { MpNlriLocation } from './bgp/update/mp-nlri-location.js';
export { PrefixCursor } from './bgp/nlri/prefix-cursor.js';
export type { NlriCodec, NlriFault } from './bgp/nlri/nlri-codec.js';
export { IpPrefixNlriCodec } from './bgp/nlri/ip-prefix-nlri.js';
export { ipv4UnicastNlri } from './bgp/nlri/ipv4-unicast.js';
export { ipv4MulticastNlri } from './bgp/nlri/ipv4-multicast.js';
export { ipv6UnicastNlri } from './bgp/nlri/ipv6-unicast.js';
export { ipv6MulticastNlri } from './bgp/nlri/ipv6-multicast.js';
export { getNlriCodec, getNlriCodecByFamily, supportedNlriFamilies } from './bgp/nlri/nlri-registry.js';
export { walkNlriField, nlriFieldPrefixes } from './bgp/nlri/nlri-field.js';

// ── bgp: MRT (RFC 6396, RFC 8050) ────────────────────────────────────────
// (section: bgp-mrt)

// ── netlink ──────────────────────────────────────────────────────────────
// (section: netlink)

// ── alloc ────────────────────────────────────────────────────────────────
// (section: alloc)

export {};
