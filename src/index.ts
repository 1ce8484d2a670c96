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
export {
  FrameAssembler,
  type FrameAssemblerOptions,
  type FrameAssemblerStats,
  type FrameReadMode,
  type FrameSink,
} from './buffers/frame-assembler.js';
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
export { decodeHeader, startMessage, finishMessage, MESSAGE_TYPE_NAME } from './bgp/messages/header.js';
export type { MessageHeader } from './bgp/messages/header.js';
export { decodeMessage } from './bgp/messages/decode-message.js';
export type { BgpMessage } from './bgp/messages/decode-message.js';
export { messageToJSON } from './bgp/messages/message-json.js';
export type { BgpMessageJSON } from './bgp/messages/message-json.js';
export { OpenMessage, BGP_VERSION } from './bgp/messages/open-message.js';
export type { OpenMessageFields, OpenMessageInit, OpenMessageJSON, OptionalParameter, CapabilitiesParameter } from './bgp/messages/open-message.js';
export { decodeOpen } from './bgp/messages/open-decode.js';
export { encodeOpen } from './bgp/messages/open-encode.js';
export { negotiateContext } from './bgp/messages/negotiate-context.js';
export { NotificationMessage, decodeNotification, encodeNotification } from './bgp/messages/notification.js';
export type { NotificationMessageJSON } from './bgp/messages/notification.js';
export { decodeMaximumPrefixesData, decodeHardResetData } from './bgp/messages/cease-data.js';
export type { MaximumPrefixesData, HardResetData } from './bgp/messages/cease-data.js';
export { notificationCodeName, notificationSubcodeName, NOTIFICATION_CODE_NAME, SEND_HOLD_TIMER_EXPIRED } from './bgp/messages/notification-names.js';
export { decodeShutdownCommunication, encodeShutdownCommunication, SHUTDOWN_COMMUNICATION_MAX_LENGTH } from './bgp/messages/shutdown-communication.js';
export type { ShutdownCommunication } from './bgp/messages/shutdown-communication.js';
export { encodeKeepalive, decodeKeepalive } from './bgp/messages/keepalive.js';
export { RouteRefreshMessage, decodeRouteRefresh, encodeRouteRefresh, ROUTE_REFRESH_LENGTH } from './bgp/messages/route-refresh.js';
export type { RouteRefreshMessageJSON } from './bgp/messages/route-refresh.js';
export { decodeCapability, encodeCapability, capabilityToJSON, capabilityCode, KNOWN_CAPABILITY_CODES } from './bgp/messages/capabilities/capability-registry.js';
export type { Capability, CapabilityKind } from './bgp/messages/capabilities/capability-registry.js';
export type { MultiprotocolCapability } from './bgp/messages/capabilities/cap-01-multiprotocol.js';
export type { RouteRefreshCapability } from './bgp/messages/capabilities/cap-02-route-refresh.js';
export type { ExtendedNextHopCapability, ExtendedNextHopEntry } from './bgp/messages/capabilities/cap-05-extended-next-hop.js';
export type { ExtendedMessageCapability } from './bgp/messages/capabilities/cap-06-extended-message.js';
export { BgpRole } from './bgp/messages/capabilities/cap-09-bgp-role.js';
export type { BgpRoleCapability } from './bgp/messages/capabilities/cap-09-bgp-role.js';
export { GracefulRestartFlag, GracefulRestartFamilyFlag } from './bgp/messages/capabilities/cap-64-graceful-restart.js';
export type { GracefulRestartCapability, GracefulRestartFamily } from './bgp/messages/capabilities/cap-64-graceful-restart.js';
export type { FourOctetAsCapability } from './bgp/messages/capabilities/cap-65-four-octet-as.js';
export { AddPathDirection } from './bgp/messages/capabilities/cap-69-add-path.js';
export type { AddPathCapability, AddPathFamily } from './bgp/messages/capabilities/cap-69-add-path.js';
export type { EnhancedRouteRefreshCapability } from './bgp/messages/capabilities/cap-70-enhanced-route-refresh.js';
export type { LongLivedGracefulRestartCapability, LongLivedGracefulRestartFamily } from './bgp/messages/capabilities/cap-71-long-lived-graceful-restart.js';
export type { FqdnCapability } from './bgp/messages/capabilities/cap-73-fqdn.js';
export type { SoftwareVersionCapability } from './bgp/messages/capabilities/cap-75-software-version.js';
export type { UnknownCapability } from './bgp/messages/capabilities/unknown-capability.js';

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

// ── bgp: path attributes ──────────────────────────────────────────────
// (section: bgp-attributes)
export type { AttributeCodec, AttributeValueInput } from './bgp/attributes/attribute-codec.js';
export { getAttributeCodec, getAttributeCodecOrRaw, attributeCodec, isKnownAttributeType, registeredAttributeCodecs } from './bgp/attributes/attribute-registry.js';
export type { AttributeValueMap, KnownAttributeType } from './bgp/attributes/attribute-registry.js';
export { unknownAttributeCodec } from './bgp/attributes/unknown-attribute.js';
export type { UnknownAttribute } from './bgp/attributes/unknown-attribute.js';
export { passOnUnknownAttribute, flagsForLength, isOptional, isTransitive } from './bgp/attributes/attribute-flags.js';
export { encodeAttribute, MAX_ATTRIBUTE_VALUE_LENGTH } from './bgp/attributes/attribute-writer.js';
export { attributeError, withAttributeData, subcodeCarriesAttribute } from './bgp/attributes/attribute-error.js';
export { MpAttributeError } from './bgp/attributes/mp-attribute-error.js';
export { malformedAttributeAction, checkAsZero } from './bgp/attributes/malformed-action.js';
export { originCodec, formatOrigin, ORIGIN_NAMES } from './bgp/attributes/attr-01-origin.js';
export { asPathCodec } from './bgp/attributes/attr-02-as-path.js';
export { nextHopCodec, checkNextHop } from './bgp/attributes/attr-03-next-hop.js';
export { multiExitDiscCodec } from './bgp/attributes/attr-04-multi-exit-disc.js';
export { localPrefCodec } from './bgp/attributes/attr-05-local-pref.js';
export { atomicAggregateCodec } from './bgp/attributes/attr-06-atomic-aggregate.js';
export { aggregatorCodec } from './bgp/attributes/attr-07-aggregator.js';
export { communitiesCodec } from './bgp/attributes/attr-08-communities.js';
export { originatorIdCodec } from './bgp/attributes/attr-09-originator-id.js';
export { clusterListCodec } from './bgp/attributes/attr-10-cluster-list.js';
export { mpReachNlriCodec } from './bgp/attributes/attr-14-mp-reach-nlri.js';
export type { MpReachNlri, MpReachNlriInit } from './bgp/attributes/attr-14-mp-reach-nlri.js';
export { mpUnreachNlriCodec } from './bgp/attributes/attr-15-mp-unreach-nlri.js';
export type { MpUnreachNlri, MpUnreachNlriInit } from './bgp/attributes/attr-15-mp-unreach-nlri.js';
export { extendedCommunitiesCodec } from './bgp/attributes/attr-16-extended-communities.js';
export { as4PathCodec } from './bgp/attributes/attr-17-as4-path.js';
export { as4AggregatorCodec } from './bgp/attributes/attr-18-as4-aggregator.js';
export { ipv6ExtendedCommunitiesCodec, formatIpv6ExtendedCommunity } from './bgp/attributes/attr-25-ipv6-extended-communities.js';
export type { Ipv6ExtendedCommunity } from './bgp/attributes/attr-25-ipv6-extended-communities.js';
export { largeCommunityCodec, formatLargeCommunity, parseLargeCommunity } from './bgp/attributes/attr-32-large-community.js';
export type { LargeCommunity } from './bgp/attributes/attr-32-large-community.js';
export { otcCodec } from './bgp/attributes/attr-35-otc.js';
export { formatAsPath, hasConfedSegments, asPathLength, asPathToJSON, parseAsPathSegments } from './bgp/attributes/as-path.js';
export type { AsPath, AsPathSegment, AsPathFault, AsPathParse } from './bgp/attributes/as-path.js';
export { mergeAs4Path, mergeAs4Aggregator, reconcileAs4, countAs4MergeAsns } from './bgp/attributes/as4-merge.js';
export type { As4AggregatorMerge, As4Attributes } from './bgp/attributes/as4-merge.js';
export { splitAs4Path, splitAs4Aggregator, isAs4Only } from './bgp/attributes/as4-split.js';
export { formatAggregator } from './bgp/attributes/aggregator.js';
export type { Aggregator } from './bgp/attributes/aggregator.js';
export { community, communityName, formatCommunity, formatCommunityBgpdump, formatCommunitiesBgpdump, parseCommunity } from './bgp/attributes/community-format.js';
export { formatExtendedCommunity, readExtendedCommunity, writeExtendedCommunity, extendedCommunityToJSON } from './bgp/attributes/extended-community.js';
export type { ExtendedCommunity, ExtendedCommunityAdmin } from './bgp/attributes/extended-community.js';
export { formatMpNextHop, expectedNextHopLengths, mpNextHopToJSON } from './bgp/attributes/mp-next-hop.js';
export type { MpNextHop } from './bgp/attributes/mp-next-hop.js';

// ── bgp: MRT (RFC 6396, RFC 8050) ────────────────────────────────────────
// (section: bgp-mrt)
export {
  MrtType,
  TableDumpSubtype,
  TableDumpV2Subtype,
  Bgp4mpSubtype,
  LegacyBgpSubtype,
  PeerTypeFlag,
  BGP_FSM_STATE_NAMES,
  DEFAULT_MAX_RECORD_LENGTH,
} from './bgp/mrt/mrt-constants.js';
export { MrtError } from './bgp/mrt/mrt-error.js';
export type { MrtErrorCode, MrtErrorInit } from './bgp/mrt/mrt-error.js';
export { MrtFramer } from './bgp/mrt/mrt-framer.js';
export type { MrtRawRecord, MrtFramerOptions } from './bgp/mrt/mrt-framer.js';
export { MrtReader } from './bgp/mrt/mrt-reader.js';
export type { MrtReaderOptions, MrtReaderStats } from './bgp/mrt/mrt-reader.js';
export { detectCompression } from './bgp/mrt/mrt-source.js';
export type { MrtInput, MrtCompression } from './bgp/mrt/mrt-source.js';
export { decodeMrtRecord } from './bgp/mrt/mrt-record.js';
export type { MrtRecord, MrtDecodeState } from './bgp/mrt/mrt-record.js';
export type { MrtRecordHeader } from './bgp/mrt/mrt-record-base.js';
export { PathAttributeBlock } from './bgp/mrt/path-attributes.js';
export type { RawPathAttribute } from './bgp/mrt/path-attributes.js';
export { TableDumpRecord } from './bgp/mrt/table-dump.js';
export { PeerIndexTable } from './bgp/mrt/peer-index-table.js';
export type { MrtPeer } from './bgp/mrt/peer-index-table.js';
export { RibRecord } from './bgp/mrt/rib-record.js';
export type { RibEntry } from './bgp/mrt/rib-record.js';
export { Bgp4mpMessage, Bgp4mpStateChange } from './bgp/mrt/bgp4mp.js';
export { LegacyBgpRecord } from './bgp/mrt/legacy-bgp.js';
export { MrtUnknownRecord } from './bgp/mrt/unknown-record.js';
export { mrtCodecContext } from './bgp/mrt/mrt-codec-context.js';
export { MrtWriter, abbreviatedMpReach } from './bgp/mrt/mrt-writer.js';
export type { MrtPeerInit, MrtRibEntryInit, Bgp4mpPeerInit } from './bgp/mrt/mrt-writer.js';
export { BgpdumpFormatter } from './bgp/mrt/bgpdump/formatter.js';
export type { BgpdumpFormatterOptions, BgpdumpFormatterStats } from './bgp/mrt/bgpdump/formatter.js';

// ── netlink ──────────────────────────────────────────────────────────────
// (section: netlink)
export { RouteView } from './netlink/ops/route-view.js';
export * as netlinkConstants from './netlink/constants.js';
export {
  UnsupportedPlatformError,
  NativeAddonLoadError,
  NetlinkError,
  NetlinkArgumentError,
  NetlinkDecodeError,
  NetlinkOverrunError,
  NetlinkDumpInterruptedError,
  NetlinkClosedError,
} from './netlink/errors.js';
export type { NetlinkRequestInfo } from './netlink/errors.js';
export { Rtnl } from './netlink/rtnl.js';
export type { RtnlOptions, RtnlSnapshot } from './netlink/rtnl.js';
export { RtnlMonitor } from './netlink/monitor.js';
export type { RtnlMonitorEvents, MonitorOptions, MonitorGroup, MonitorStats, ChangeAction, ResyncPart } from './netlink/monitor.js';
export { RtnlSocket } from './netlink/socket.js';
export type { NetnsRef, RtnlSocketOptions } from './netlink/socket.js';
export { Netns, NetnsError, DEFAULT_NETNS_RUN_DIR } from './netlink/netns.js';
export type { NetnsOptions } from './netlink/netns.js';
export { NetlinkChannel } from './netlink/channel.js';
export type { ChannelStats, DumpResult, ChannelSocket, SeqRangeListener, BodyEncoder } from './netlink/channel.js';
export { SyncNetlinkChannel } from './netlink/sync-channel.js';
export type { SyncNetlinkChannelOptions, SyncChannelSocket } from './netlink/sync-channel.js';
export type { BulkOperation, BulkOptions, BulkResult, BulkFailure, BulkEncoder } from './netlink/bulk.js';
export type { NativeReceiveCallback, NativeSystemError } from './netlink/native/binding-types.js';
export { MessageWriter } from './netlink/codec/writer.js';
export { splitMessages, decodeNlMsgHdr } from './netlink/codec/nlmsghdr.js';
export type { NetlinkMessage, NlMsgHdr } from './netlink/codec/nlmsghdr.js';
export { decodeNlMsgErr } from './netlink/codec/nlmsgerr.js';
export type { NlMsgErr } from './netlink/codec/nlmsgerr.js';
export { readAttributes, forEachAttribute } from './netlink/codec/attributes.js';
export type { AttributeTable } from './netlink/codec/attributes.js';
export { encodeRouteBody, decodeRoute } from './netlink/ops/route-codec.js';
export { RouteSetEncoder } from './netlink/ops/route-set.js';
export type { RouteSetOp, RouteSetAttributes, RouteSetPrefix } from './netlink/ops/route-set.js';
export { NlriRouteEncoder } from './netlink/ops/nlri-route-set.js';
export type { NlriBlock, NlriPrefix } from './netlink/ops/nlri-route-set.js';
export type { RouteSpec, RouteEntry, RouteHop } from './netlink/ops/route-codec.js';
export type { RouteDumpFilter, RouteOps } from './netlink/ops/routes.js';
export type { RouteTypeName, RouteProtocolName, ScopeName } from './netlink/ops/route-names.js';
export { encodeNexthopBody, decodeNexthop } from './netlink/ops/nexthop-codec.js';
export type { NexthopSpec, NexthopEntry, NexthopGroupMember, ResilientGroupParams, MplsEncap as NexthopMplsEncap, OtherEncap as NexthopOtherEncap } from './netlink/ops/nexthop-codec.js';
export type { NexthopOps, NexthopDumpFilter } from './netlink/ops/nexthops.js';
export type { NeighborSpec, NeighborEntry, FdbSpec, FdbEntry, NudStateName } from './netlink/ops/neighbor-codec.js';
export type { NeighborOps, FdbOps } from './netlink/ops/neighbors.js';
export type { LinkCreateSpec, LinkEntry, LinkChange, VethSpec, VxlanSpec, BridgeSpec, MacvlanSpec, VrfSpec } from './netlink/ops/link-codec.js';
export type { LinkOps, LinkCreateRequest, LinkChangeRequest } from './netlink/ops/links.js';
export type { AddressSpec, AddressEntry } from './netlink/ops/address-codec.js';
export type { AddressOps } from './netlink/ops/addresses.js';
export type { SysctlOps, SysctlName } from './netlink/ops/sysctl.js';
export { neighSysctl, sysctlPath } from './netlink/ops/sysctl.js';
export type { IpFamily, PrefixInput, IpPrefixBytes, IpPrefixAddress } from './netlink/ip.js';

// ── alloc ────────────────────────────────────────────────────────────────
// (section: alloc)
export { Allocation } from './alloc/allocation.js';
export { AllocError, type AllocErrorCode } from './alloc/errors.js';
export { exitNodeOf, resourceIdRange, FIRST_RESOURCE_ID, LAST_RESOURCE_ID, RESOURCE_ID_COUNT } from './alloc/ids.js';
export {
  gwPubName, gwToEpName, epPubName, wgName, nrLocalName, nrPeerName,
  gatewayNamespaceName, exitPointNamespaceName, publicNamespaceName,
  parseLinkName, matchLinkName, formatLinkName, parseNamespaceName, matchNamespaceName, MAX_INTERFACE_NAME_LENGTH,
  type LinkRole, type ParsedLinkName, type NamespaceRole, type ParsedNamespaceName,
} from './alloc/names.js';
export {
  upstreamLL, upstreamIP6, gwPubLL, gwPubIP6, gwPubIP4, gwToEpLL, gwToEpIP4, epPubLL, epPubIP4R, wgLL, wgIP4RT,
  nrLocalIP6, nrLocalIP4, nrLocalIP4Network, hasIPv4Network, matchAddress, parseAddress, deriveAddress,
  type AddressRole, type ParsedAddress,
} from './alloc/addresses.js';
export {
  formatPrefix as formatAllocPrefix, formatAddress as formatAllocAddress, parsePrefixText as parseAllocPrefix,
  type IpAddress as AllocAddress, type IpPrefix as AllocPrefix,
} from './alloc/ip.js';
export { upstreamRoutes, formatUpstreamRoute, type UpstreamRoute, type UpstreamNexthopKind } from './alloc/upstream.js';
export { ALLOC_ROUTE_PROTOCOL, matchRouteDestination, type ParsedRouteDestination } from './alloc/routes.js';
export type {
  ActualLink, ActualNamespace, ActualState, AddressState, DesiredLink, DesiredNamespace, DesiredState, LinkCreation, PlanScope, RouteState,
} from './alloc/state.js';
export {
  planExitNode, ROUTER_SYSCTLS,
  type PlanExitNodeInput, type ExitNodePlan, type UplinkSpec, type VethPairPlan, type WireguardLinkPlan, type NatIntent, type FirewallIntent, type ResourcePlan,
} from './alloc/plan.js';
export { OPERATION_PHASE, formatOperation, type Operation } from './alloc/operations.js';
export { diff, type Diff, type DiffConflict, type UntouchedCounts } from './alloc/diff.js';
export { StateModel, simulate } from './alloc/model.js';
export { planToJSON, formatPlanTable, formatOperations } from './alloc/render.js';
export type { Json } from './alloc/render.js';
export { apply, AllocApplyError, type ApplyOptions, type ApplyResult } from './alloc/apply.js';
export { readActualState, readNamespace, type ReadActualStateOptions } from './alloc/read-actual.js';
export { listNamedNamespaces, NETNS_RUN_DIR, type NamespaceHost } from './alloc/host.js';
export { NetnsNamespaceHost } from './alloc/netns-host.js';
export type { AllocRtnl, RtnlOpener } from './alloc/netlink-port.js';
export { encodeWireguardLinkCreateBody, createWireguardLink, WIREGUARD_LINK_KIND } from './alloc/wireguard-link.js';

// ── nhg: nexthop-group cache ─────────────────────────────────────────────
// (section: nhg)
export { NexthopGroupCache } from './nhg/nexthop-group-cache.js';
export type { NexthopGroupCacheOptions, NexthopEntryView, GroupEntryView, RouteEntryView, ResolvedNexthopId } from './nhg/nexthop-group-cache.js';
export { NhgError, type NhgErrorCode } from './nhg/errors.js';
export { IdAllocator as NhgIdAllocator, DEFAULT_NHG_ID_RANGE, type IdRange as NhgIdRange } from './nhg/id-allocator.js';
export { MAX_NEXTHOP_WEIGHT, nexthopKey as nhgNexthopKey } from './nhg/keys.js';
export { orderOperations as orderNhgOperations, operationPhase as nhgOperationPhase } from './nhg/operation-order.js';
export { RecordingSink } from './nhg/recording-sink.js';
export { ModelKernel } from './nhg/model-kernel.js';
export type { ModelObject } from './nhg/model-kernel.js';
export { KernelNhgSink, type KernelNhgSinkOptions, type NhgApplyResult } from './nhg/kernel-nhg-sink.js';
export { KernelNhgWatcher } from './nhg/kernel-nhg-watcher.js';
export { setNexthopCompatMode } from './nhg/compat-mode.js';
export type {
  NexthopSpec as NhgNexthopSpec, PathSpec as NhgPathSpec, RouteSpec as NhgRouteSpec, MplsEncap, NexthopEncap, GroupMemberRef,
  NhgOperation, NhgSink, NhgFallback, KernelNexthopObject, KernelRouteObject, KernelSnapshot, KernelNexthopEvent,
} from './nhg/types.js';

// ── fib: FIB exporter ────────────────────────────────────────────────────
// (section: fib)
export { FibExporter } from './fib/fib-exporter.js';
export type { ExportedRoute, FibExporterStats, FibExporterEvents, RuleDiff } from './fib/fib-exporter.js';
export {
  parseFibExporterConfig, parseExportRules, DEFAULT_ROUTE_PROTOCOL, DEFAULT_EXPORT_METRIC, DEFAULT_DAMPENING_MS, DEFAULT_FLUSH_SLICE, DEFAULT_NEXTHOP_CACHE_MS,
  type FibExporterConfig, type ExportRuleConfig, type ExportRule, type FibExporterSettings,
} from './fib/config.js';
export { FibConfigError, FibReservedProtocolError, FibOperationError, assertSweepableProtocol, type FibConfigIssue } from './fib/errors.js';
export { ruleMatches, rulesEqual, diffRules } from './fib/export-rules.js';
export { Dampener } from './fib/dampener.js';
export { DampeningWindow } from './fib/dampening-window.js';
export { PushRouteSource, type RouteSource, type RouteChange, type RouteChangeListener, type BestRoute, type BestRoutePath } from './fib/route-source.js';
export { UpdateRouteSource, type FeedResult } from './fib/update-route-source.js';
export { MrtRouteSource, type MrtReplayStats } from './fib/mrt-route-source.js';
export type { FibSink, FibRoute, FibPath, FibRouteKey, FibRouteOp, FibRouteAttributes, FibRouteRun, FibApplyResult, NexthopLookup } from './fib/fib-sink.js';
export { routeOpsOfRuns } from './fib/route-runs.js';
export { InMemoryFibSink, type MemoryRoute } from './fib/memory-fib-sink.js';
export { KernelFibSink, type KernelFibSinkOptions } from './fib/kernel-fib-sink.js';
export { FibRouteEncoder, FibRouteRunEncoder, type FibRouteFields } from './fib/fib-route-encoder.js';

// ── neigh: neighbours resolved on demand ────────────────────────────────
// (section: neigh)
export { NeighborResolver } from './neigh/neighbor-resolver.js';
export type { NeighborResolverOptions } from './neigh/resolver-settings.js';
export type {
  NeighborRequest, NeighborRequestKind, NeighborRequestSource, ResolveAnswer, FdbAnswer, ResolveFunction, InstallState, InstallStep,
  NeighborResolverStats, NeighborResolverEvents, ResolverLinkInfo, RequestDisposition,
} from './neigh/types.js';
export { LinkSelection, type LinkSelector, type SelectableLink } from './neigh/link-selector.js';
export {
  NeighError, NeighConfigError, NeighResolverError, NeighTimeoutError, NeighAnswerError, NeighInstallError, NeighSysctlError,
  NeighOverloadError, NeighAbandonedError, type NeighErrorCode,
} from './neigh/errors.js';

export {};
