/**
 * Creating a WireGuard link: RTM_NEWLINK with IFLA_IFNAME and
 * IFLA_LINKINFO { IFLA_INFO_KIND "wireguard" } (include/uapi/linux/if_link.h;
 * the wireguard driver takes no IFLA_INFO_DATA). fibwire's netlink client has
 * no "wireguard" link kind, so the body is built here with its codec and sent
 * through its channel. Keys, peers and the listen port are set through the
 * "wireguard" generic netlink family (WG_CMD_SET_DEVICE,
 * include/uapi/linux/wireguard.h), which fibwire does not speak: `apply()`
 * creates the link and moves it, the planned listen port stays data.
 */
import { encodeIfInfoMsg } from '../netlink/codec/ifinfomsg.js';
import type { MessageWriter } from '../netlink/codec/writer.js';
import { AF, IFLA, IFLA_INFO, NLM_F, RTM } from '../netlink/constants.js';
import type { Rtnl } from '../netlink/rtnl.js';
import { AllocError } from './errors.js';
import { MAX_INTERFACE_NAME_LENGTH } from './names.js';

/** IFLA_INFO_KIND of WireGuard links (drivers/net/wireguard/device.c). */
export const WIREGUARD_LINK_KIND = 'wireguard';

/** Writes the RTM_NEWLINK body that creates WireGuard link `name` (down, in the socket's namespace). */
export function encodeWireguardLinkCreateBody(w: MessageWriter, name: string): void {
  if (typeof name !== 'string' || name.length === 0 || Buffer.byteLength(name) > MAX_INTERFACE_NAME_LENGTH || /[\s/:]/.test(name)) {
    throw new AllocError('ERR_ALLOC_PLAN_INPUT', `not an interface name: ${JSON.stringify(name)}`, name);
  }
  encodeIfInfoMsg(w, { family: AF.UNSPEC, type: 0, index: 0, flags: 0, change: 0 });
  w.attrString(IFLA.IFNAME, name);
  const info = w.beginNested(IFLA.LINKINFO);
  w.attrString(IFLA_INFO.KIND, WIREGUARD_LINK_KIND);
  w.endNested(info);
}

/** The request flags: create, fail if it exists (as `ip link add`). */
export const WIREGUARD_CREATE_FLAGS = NLM_F.CREATE | NLM_F.EXCL;

/** Sends the request through the client's channel; resolves on the kernel's ACK. */
export async function createWireguardLink(rtnl: Pick<Rtnl, 'channel'>, name: string): Promise<void> {
  await rtnl.channel.request(RTM.NEWLINK, WIREGUARD_CREATE_FLAGS, (w) => encodeWireguardLinkCreateBody(w, name), { kind: WIREGUARD_LINK_KIND, name });
}
