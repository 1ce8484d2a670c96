import { isKnownAttributeType } from '../../../src/bgp/attributes/attribute-registry.js';
import type { UnknownAttribute } from '../../../src/bgp/attributes/unknown-attribute.js';
import { AttrType } from '../../../src/bgp/constants.js';
import type { CodecContext } from '../../../src/bgp/context.js';
import { UpdateBuilder } from '../../../src/bgp/update/update-builder.js';
import type { TypedAttribute } from '../../../src/bgp/update/path-attributes.js';
import type { UpdateView } from '../../../src/bgp/update/update-view.js';

/**
 * Re-encodes a received UPDATE from its decoded form with UpdateBuilder: every
 * attribute through its codec (or raw when unknown), prefixes through the NLRI
 * codecs. For canonical input the result is the same bytes.
 */
export function rebuildUpdate(view: UpdateView, ctx: CodecContext): Uint8Array[] {
  const typed: TypedAttribute[] = [];
  const raw: UnknownAttribute[] = [];
  const seen = new Set<number>();
  for (const a of view.attributes()) {
    if (seen.has(a.type) || a.type === AttrType.MP_REACH_NLRI || a.type === AttrType.MP_UNREACH_NLRI) continue;
    seen.add(a.type);
    if (isKnownAttributeType(a.type)) typed.push({ type: a.type, value: view.decodeAttribute(a.type) } as TypedAttribute);
    else raw.push({ flags: a.flags, type: a.type, value: a.value });
  }
  const b = new UpdateBuilder(ctx).attributes({ typed, raw });
  const reach = view.mpReachLocation;
  const unreach = view.mpUnreachLocation;
  const w = view.withdrawnCursor();
  while (w.next()) b.withdraw([w.toPrefix()], { safi: w.segment?.fault.attrType === AttrType.MP_UNREACH_NLRI ? (unreach?.safi ?? 1) : 1 });
  const c = view.announcedCursor();
  while (c.next()) {
    const seg = c.segment!;
    const nh = seg.nextHopEnd > seg.nextHopStart ? view.buf.slice(seg.nextHopStart, seg.nextHopEnd) : undefined;
    b.announce([c.toPrefix()], nh ? { nextHop: nh, safi: reach?.safi ?? 1 } : {});
  }
  if (view.endOfRibFamily !== undefined) b.endOfRib(view.endOfRibFamily);
  return b.build();
}
