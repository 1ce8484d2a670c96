import { type CodecContext, createCodecContext } from '../context.js';
import { type FamilyKey, familyKey } from '../family.js';
import { AddPathDirection } from './capabilities/cap-69-add-path.js';
import type { OpenMessage } from './open-message.js';

/** Per family, which ADD-PATH directions a speaker announced (entries with values outside 1..3 are ignored, RFC 7911 §4). */
function addPathDirections(open: OpenMessage): Map<FamilyKey, number> {
  const out = new Map<FamilyKey, number>();
  for (const cap of open.findCapabilities('add-path')) {
    for (const f of cap.families) {
      if (f.sendReceive < AddPathDirection.RECEIVE || f.sendReceive > AddPathDirection.BOTH) continue;
      const key = familyKey(f.afi, f.safi);
      out.set(key, (out.get(key) ?? 0) | f.sendReceive);
    }
  }
  return out;
}

/**
 * The {@link CodecContext} of a session, from the OPEN we sent (`local`) and the
 * one we received (`remote`):
 * - `asn4` when both sent the 4-octet AS capability (RFC 6793 §3);
 * - `extendedMessage` when both sent Extended Message (RFC 8654 §3);
 * - ADD-PATH per family (RFC 7911 §4): we receive path ids when we announced
 *   receive (1 or 3) and the peer announced send (2 or 3); we send them when we
 *   announced send and the peer announced receive.
 *
 * @example
 * ```ts
 * const ctx = negotiateContext(ourOpen, decodeOpen(peerFrame));
 * ctx.addPathReceive.has(Family.IPV4_UNICAST);
 * ```
 */
export function negotiateContext(local: OpenMessage, remote: OpenMessage): CodecContext {
  const both = (kind: 'four-octet-as' | 'extended-message'): boolean =>
    local.findCapability(kind) !== undefined && remote.findCapability(kind) !== undefined;
  const ours = addPathDirections(local);
  const theirs = addPathDirections(remote);
  const receive: FamilyKey[] = [];
  const send: FamilyKey[] = [];
  for (const [key, mine] of ours) {
    const peer = theirs.get(key) ?? 0;
    if (mine & AddPathDirection.RECEIVE && peer & AddPathDirection.SEND) receive.push(key);
    if (mine & AddPathDirection.SEND && peer & AddPathDirection.RECEIVE) send.push(key);
  }
  return createCodecContext({
    asn4: both('four-octet-as'),
    extendedMessage: both('extended-message'),
    addPathReceive: receive,
    addPathSend: send,
  });
}
