import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNativeBinding } from '../../src/netlink/native/load-binding.js';
import { RtnlSocket, resolveNetns } from '../../src/netlink/socket.js';
import { Rtnl } from '../../src/netlink/rtnl.js';
import { NetlinkArgumentError, NetlinkClosedError } from '../../src/netlink/errors.js';
import { createNamespace, type TestNamespace } from '../support/netns.js';
import { isRoot } from './netlink-support.js';

describe.skipIf(!isRoot)('native netlink socket', () => {
  let ns: TestNamespace | undefined;
  beforeAll(async () => {
    ns = await createNamespace('fwnl', { veths: [{ name: 'va', peer: 'vb' }] });
  });
  afterAll(async () => {
    await ns?.dispose();
  });

  it('throws Node-style system errors (errno, code, syscall, path)', () => {
    const binding = loadNativeBinding();
    let caught: unknown;
    try {
      new binding.NetlinkSocket(0, '/var/run/netns/fwnl-does-not-exist');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toMatchObject({ code: 'ENOENT', errno: -2, syscall: 'open', path: '/var/run/netns/fwnl-does-not-exist' });
    expect(() => new binding.NetlinkSocket(0, '/etc/hostname')).toThrow(expect.objectContaining({ code: 'EINVAL', syscall: 'setns' }));
    expect(() => binding.openInNetns(null, '/proc/sys/net/ipv4/no_such', 0)).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'open' }));
  });

  it('opens a socket inside a namespace and returns to the original namespace on every path', async () => {
    const inside = await Rtnl.open({ netns: (ns as TestNamespace).name });
    const outsideBefore = await Rtnl.open();
    try {
      // a failing open in between must not leave the thread in another namespace
      expect(() => RtnlSocket.open({ netns: '/etc/hostname' })).toThrow();
      const outside = await Rtnl.open();
      try {
        const insideNames = (await inside.links.list()).map((l) => l.name).sort();
        expect(insideNames).toEqual(['lo', 'va', 'vb']);
        const a = (await outside.links.list()).map((l) => l.name).sort();
        const b = (await outsideBefore.links.list()).map((l) => l.name).sort();
        expect(a).toEqual(b);
        expect(a).not.toContain('va');
      } finally {
        outside.close();
      }
    } finally {
      inside.close();
      outsideBefore.close();
    }
  });

  it('validates namespace names', () => {
    expect(resolveNetns('fwnl-x')).toBe('/var/run/netns/fwnl-x');
    expect(resolveNetns('/proc/1/ns/net')).toBe('/proc/1/ns/net');
    expect(resolveNetns(5)).toBe(5);
    expect(() => resolveNetns('..')).toThrow(NetlinkArgumentError);
    expect(() => resolveNetns('a b')).toThrow(NetlinkArgumentError);
    expect(() => resolveNetns(-1)).toThrow(NetlinkArgumentError);
  });

  it('sends a Buffer[] as one sendmsg and applies socket options', () => {
    const socket = RtnlSocket.open({ receiveBufferSize: 1 << 20, sendBufferSize: 1 << 20 });
    try {
      expect(socket.receiveBufferSize).toBeGreaterThanOrEqual(1 << 20);
      expect(socket.portId).toBeGreaterThan(0);
      // two halves of one NLMSG_NOOP: the kernel sees a single 16-byte message
      const header = Buffer.alloc(16);
      header.writeUInt32LE(16, 0);
      header.writeUInt16LE(1, 4); // NLMSG_NOOP
      header.writeUInt16LE(1, 6); // NLM_F_REQUEST
      expect(socket.send([header.subarray(0, 6), header.subarray(6)])).toBe(16);
      expect(() => socket.send([])).toThrow(TypeError);
    } finally {
      socket.close();
    }
    expect(socket.isClosed).toBe(true);
  });

  it('pending requests reject with NetlinkClosedError on close', async () => {
    const rtnl = await Rtnl.open({ netns: (ns as TestNamespace).name });
    const pending = rtnl.links.get('va');
    rtnl.close();
    await expect(pending).rejects.toBeInstanceOf(NetlinkClosedError);
    await expect(rtnl.links.get('va')).rejects.toBeInstanceOf(NetlinkClosedError);
  });
});
