import { afterEach, describe, expect, it } from 'vitest';
import { loadNativeBinding } from '../../../src/netlink/native/load-binding.js';
import { UnsupportedPlatformError } from '../../../src/netlink/errors.js';
import { Rtnl } from '../../../src/netlink/rtnl.js';

const realPlatform = process.platform;

function setPlatform(value: string): void {
  Object.defineProperty(process, 'platform', { value, configurable: true });
}

describe('native binding loader', () => {
  afterEach(() => setPlatform(realPlatform));

  it('off Linux, opening a client throws UnsupportedPlatformError (importing still works)', async () => {
    setPlatform('darwin');
    expect(() => loadNativeBinding()).toThrow(UnsupportedPlatformError);
    await expect(Rtnl.open()).rejects.toMatchObject({ code: 'ERR_NETLINK_UNSUPPORTED_PLATFORM', platform: 'darwin' });
  });

  it.skipIf(realPlatform !== 'linux')('on Linux it loads the addon built by node-gyp (typed NetlinkSocket + openInNetns)', () => {
    const binding = loadNativeBinding();
    expect(typeof binding.NetlinkSocket).toBe('function');
    expect(typeof binding.openInNetns).toBe('function');
    expect(loadNativeBinding()).toBe(binding);
  });
});
