import { BGP_HEADER_LENGTH, MessageType } from '../constants.js';
import type { CodecContext } from '../context.js';
import { UpdateView } from '../update/update-view.js';
import { decodeHeader } from './header.js';
import type { NotificationMessage } from './notification.js';
import { readNotificationBody } from './notification.js';
import type { OpenMessage } from './open-message.js';
import { readOpenBody } from './open-decode.js';
import type { RouteRefreshMessage } from './route-refresh.js';
import { readRouteRefreshBody } from './route-refresh.js';

/** A decoded BGP message, discriminated by `type` (the lower-case message type name). */
export type BgpMessage =
  | { readonly type: 'open'; readonly open: OpenMessage }
  | { readonly type: 'update'; readonly update: UpdateView }
  | { readonly type: 'notification'; readonly notification: NotificationMessage }
  | { readonly type: 'keepalive' }
  | { readonly type: 'route-refresh'; readonly routeRefresh: RouteRefreshMessage };

const KEEPALIVE: BgpMessage = Object.freeze({ type: 'keepalive' as const });

/**
 * Decodes one complete frame (marker, length, type, body). The header is checked
 * first (RFC 4271 §6.1, see `decodeHeader`), then the body by type: OPEN
 * (§6.2), UPDATE as a lazy {@link UpdateView} (framing only, §6.3 / RFC 7606 §4;
 * call `validate()` for the rest), NOTIFICATION, KEEPALIVE, ROUTE-REFRESH
 * (RFC 2918, RFC 7313). Any malformed input throws a `BgpError`, never another
 * exception. The UPDATE view borrows `frame`; the other values own their bytes.
 *
 * @example
 * ```ts
 * const msg = decodeMessage(frame, ctx);
 * switch (msg.type) {
 *   case 'open': console.log(msg.open.asn); break;
 *   case 'update': for (const p of msg.update.announced()) rib.add(p); break;
 * }
 * ```
 */
export function decodeMessage(frame: Uint8Array, ctx: CodecContext): BgpMessage {
  const { type, length } = decodeHeader(frame, ctx);
  switch (type) {
    case MessageType.OPEN:
      return { type: 'open', open: readOpenBody(frame, BGP_HEADER_LENGTH, length) };
    case MessageType.UPDATE:
      return { type: 'update', update: UpdateView.fromBody(frame, BGP_HEADER_LENGTH, length, ctx) };
    case MessageType.NOTIFICATION:
      return { type: 'notification', notification: readNotificationBody(frame, BGP_HEADER_LENGTH, length) };
    case MessageType.KEEPALIVE:
      return KEEPALIVE;
    case MessageType.ROUTE_REFRESH:
      return { type: 'route-refresh', routeRefresh: readRouteRefreshBody(frame, 0, length) };
  }
}
