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

  /** An NLMSG_NOOP asking for an ACK (nlmsghdr: len 16, type 1, flags REQUEST|ACK, seq). */
  const noopWithAck = (seq: number): Buffer => {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(16, 0); // nlmsg_len
    b.writeUInt16LE(1, 4); // NLMSG_NOOP
    b.writeUInt16LE(0x5, 6); // NLM_F_REQUEST | NLM_F_ACK
    b.writeUInt32LE(seq, 8); // nlmsg_seq
    return b;
  };

  it('sendAsync sends on a pool thread, holds the buffers, and the kernel answers as for send()', async () => {
    const binding = loadNativeBinding();
    const socket = new binding.NetlinkSocket(0, null);
    try {
      socket.bind(0);
      const acks: number[] = [];
      const acked = new Promise<void>((resolve) => {
        socket.start((error, datagrams) => {
          expect(error).toBeNull();
          // NLMSG_ERROR (type 2) with error 0 and the echoed seq
          for (const d of datagrams) if (d.readUInt16LE(4) === 2 && d.readInt32LE(16) === 0) acks.push(d.readUInt32LE(8));
          if (acks.length === 2) resolve();
        }, 64);
      });
      const first = noopWithAck(101);
      const sent = await new Promise<number>((resolve, reject) => {
        // two iovecs in one sendmsg, as send() does; the Buffer array is dropped at once
        socket.sendAsync!([first.subarray(0, 6), first.subarray(6), noopWithAck(102)], (error, bytes) => (error === null ? resolve(bytes) : reject(error)));
      });
      expect(sent).toBe(32);
      await acked;
      expect(acks.sort()).toEqual([101, 102]);
      expect(() => socket.sendAsync!([], () => undefined)).toThrow(TypeError);
      expect(() => (socket.sendAsync as unknown as (d: Buffer) => void)(noopWithAck(1))).toThrow(TypeError); // no callback
    } finally {
      socket.stop();
      socket.close();
    }
  });

  it('close() during a sendAsync closes the fd only after that sendmsg returned', async () => {
    const binding = loadNativeBinding();
    const socket = new binding.NetlinkSocket(0, null);
    socket.bind(0);
    const fd = socket.fd;
    expect(fd).toBeGreaterThan(0);
    const done = new Promise<{ error: Error | null; bytes: number }>((resolve) => socket.sendAsync!(noopWithAck(7), (error, bytes) => resolve({ error, bytes })));
    socket.close();
    // the descriptor is still ours while the pool thread may be in sendmsg
    expect(socket.fd).toBe(fd);
    const result = await done;
    expect(result).toEqual({ error: null, bytes: 16 });
    expect(socket.fd).toBe(-1);
    // and nothing more can be sent on it
    expect(() => socket.send(noopWithAck(8))).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(() => socket.sendAsync!(noopWithAck(9), () => undefined)).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  it('pending requests reject with NetlinkClosedError on close', async () => {
    const rtnl = await Rtnl.open({ netns: (ns as TestNamespace).name });
    const pending = rtnl.links.get('va');
    rtnl.close();
    await expect(pending).rejects.toBeInstanceOf(NetlinkClosedError);
    await expect(rtnl.links.get('va')).rejects.toBeInstanceOf(NetlinkClosedError);
  });
});
