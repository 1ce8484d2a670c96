import type { NetlinkChannel } from '../channel.js';
import { forEachDumpMessage } from '../channel.js';
import { AF, NLM_F, RTM } from '../constants.js';
import { encodeIfAddrMsg } from '../codec/ifaddrmsg.js';
import type { IpFamily } from '../ip.js';
import type { AddressEntry, AddressSpec } from './address-codec.js';
import { decodeAddress, encodeAddressBody } from './address-codec.js';
import { checkU32 } from './route-names.js';

/**
 * Interface addresses: add, replace, delete, dump.
 *
 * @example
 * ```ts
 * await rtnl.addresses.add({ address: '10.0.0.1/24', index: veth.index });
 * const mine = await rtnl.addresses.list({ index: veth.index, family: 4 });
 * ```
 */
export class AddressOps {
  constructor(private readonly channel: NetlinkChannel) {}

  async add(address: AddressSpec): Promise<void> {
    await this.channel.request(RTM.NEWADDR, NLM_F.CREATE | NLM_F.EXCL, (w) => encodeAddressBody(w, address), address);
  }

  async replace(address: AddressSpec): Promise<void> {
    await this.channel.request(RTM.NEWADDR, NLM_F.CREATE | NLM_F.REPLACE, (w) => encodeAddressBody(w, address), address);
  }

  async delete(address: AddressSpec): Promise<void> {
    await this.channel.request(RTM.DELADDR, 0, (w) => encodeAddressBody(w, address), address);
  }

  /** Dumps addresses; family and index are filtered by the kernel (strict checking) and here. */
  async *dump(filter: { family?: IpFamily; index?: number; maxRetries?: number } = {}): AsyncGenerator<AddressEntry> {
    yield* await this.list(filter);
  }

  /** The whole dump as an array (no per-entry await). */
  async list(filter: { family?: IpFamily; index?: number; maxRetries?: number } = {}): Promise<AddressEntry[]> {
    const index = filter.index === undefined ? 0 : checkU32(filter.index, 'index', 1);
    const family = filter.family === undefined ? AF.UNSPEC : filter.family === 4 ? AF.INET : AF.INET6;
    const result = await this.channel.dumpAll(
      RTM.GETADDR,
      (w) => encodeIfAddrMsg(w, { family, prefixLen: 0, flags: 0, scope: 0, index }),
      filter,
      filter.maxRetries,
    );
    const entries: AddressEntry[] = [];
    forEachDumpMessage(result, (buf, type, _flags, start, end) => {
      if (type !== RTM.NEWADDR) return;
      const f = buf[start];
      if (f !== AF.INET && f !== AF.INET6) return;
      const entry = decodeAddress(buf, start, end);
      if (index !== 0 && entry.index !== index) return;
      if (filter.family !== undefined && entry.family !== filter.family) return;
      entries.push(entry);
    });
    return entries;
  }
}
