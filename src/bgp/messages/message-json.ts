import type { UpdateJson } from '../update/update-json.js';
import type { BgpMessage } from './decode-message.js';
import type { NotificationMessageJSON } from './notification.js';
import type { OpenMessageJSON } from './open-message.js';
import type { RouteRefreshMessageJSON } from './route-refresh.js';

/** JSON form of any {@link BgpMessage}: always an object whose `type` is the message type name. */
export type BgpMessageJSON =
  | OpenMessageJSON
  | ({ type: 'update' } & UpdateJson)
  | NotificationMessageJSON
  | { type: 'keepalive' }
  | RouteRefreshMessageJSON;

/**
 * The stable JSON form of a decoded message, as `fibwire-decode` prints it:
 * `{ type: 'open' | 'update' | 'notification' | 'keepalive' | 'route-refresh', ... }`
 * with the fields of `OpenMessage.toJSON()`, `UpdateView.toJSON()`,
 * `NotificationMessage.toJSON()` or `RouteRefreshMessage.toJSON()`.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(messageToJSON(decodeMessage(frame, ctx))));
 * ```
 */
export function messageToJSON(msg: BgpMessage): BgpMessageJSON {
  switch (msg.type) {
    case 'open':
      return msg.open.toJSON();
    case 'update':
      return { type: 'update', ...msg.update.toJSON() };
    case 'notification':
      return msg.notification.toJSON();
    case 'keepalive':
      return { type: 'keepalive' };
    case 'route-refresh':
      return msg.routeRefresh.toJSON();
  }
}
