import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNativeBinding } from '../../src/netlink/native/load-binding.js';
import { RtnlSocket, resolveNetns } from '../../src/netlink/socket.js';
import { Rtnl } from '../../src/netlink/rtnl.js';
import { NetlinkArgumentError, NetlinkClosedError } from '../../src/netlink/errors.js';
import { createNamespace, type TestNamespace } from '../support/netns.js';
import { isRoot } from './netlink-support.js';
import { MessageWriter } from '../../src/netlink/codec/writer.js';
import { NLM_F, NLMSG, RTM, SO, SOL_SOCKET } from '../../src/netlink/constants.js';
import { encodeRouteBody } from '../../src/netlink/ops/route-codec.js';

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

  /** CPUs a thread may run on, from /proc/self/task/<tid>/status ("0-1", "0,2-3"); undefined once the thread ended. */
  const cpusAllowed = (tid: string | number): number[] | undefined => {
    let status: string;
    try {
      status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
    } catch {
      return undefined;
    }
    const list = /^Cpus_allowed_list:\s*(.+)$/m.exec(status)![1]!.trim();
    const cpus: number[] = [];
    for (const part of list.split(',')) {
      const [a, b] = part.split('-').map(Number);
      for (let c = a!; c <= (b ?? a!); c++) cpus.push(c);
    }
    return cpus;
  };

  /** An NLMSG_NOOP asking for an ACK (nlmsghdr: len 16, type 1, flags REQUEST|ACK, seq). */
  const noopWithAck = (seq: number): Buffer => {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(16, 0); // nlmsg_len
    b.writeUInt16LE(1, 4); // NLMSG_NOOP
    b.writeUInt16LE(0x5, 6); // NLM_F_REQUEST | NLM_F_ACK
    b.writeUInt32LE(seq, 8); // nlmsg_seq
    return b;
  };

  it('receiveSync reads the answer queued by a send, bounds the wait (ETIMEDOUT), and refuses a polling socket (EBUSY)', () => {
    const socket = RtnlSocket.open({ netns: (ns as TestNamespace).name });
    const buffer = Buffer.alloc(8192);
    try {
      // rtnetlink answers inside sendmsg: the ACK is already queued
      socket.send(noopWithAck(0x1234));
      const n = socket.receiveSync(buffer, 0);
      expect(n).toBeGreaterThanOrEqual(36);
      expect(buffer.readUInt16LE(4)).toBe(2); // NLMSG_ERROR
      expect(buffer.readInt32LE(16)).toBe(0); // error 0: an ACK
      expect(buffer.readUInt32LE(8)).toBe(0x1234);
      // nothing queued: the wait ends at the timeout
      const t0 = process.hrtime.bigint();
      expect(() => socket.receiveSync(buffer, 30)).toThrow(expect.objectContaining({ code: 'ETIMEDOUT', syscall: 'recvmsg' }));
      expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeGreaterThanOrEqual(25);
      expect(() => socket.receiveSync(buffer, 60001)).toThrow(RangeError);
      socket.start(() => undefined);
      expect(() => socket.receiveSync(buffer, 0)).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    } finally {
      socket.close();
    }
    expect(() => socket.receiveSync(buffer, 0)).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  it('sendAsync sends on the socket\'s sender thread, holds the buffers, and the kernel answers as for send()', async () => {
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

  it('the sender is one thread of the socket, kept off the CPU of the thread that woke it, and ends with close()', async () => {
    const cpusOf = (tid: string): Set<number> | undefined => {
      const cpus = cpusAllowed(tid);
      return cpus === undefined ? undefined : new Set(cpus);
    };
    const tasks = (): string[] => readdirSync('/proc/self/task');
    const process_ = cpusOf(String(process.pid))!;
    const binding = loadNativeBinding();
    const socket = new binding.NetlinkSocket(0, null);
    const before = new Set(tasks());
    // Threads this socket started. Node may start one of its own meanwhile (V8's
    // helpers, libuv's pool): with two CPUs or more the sender is the one whose
    // affinity leaves a CPU out; with one, it is the only new thread.
    const senders = (): string[] => {
      const fresh = tasks().filter((t) => !before.has(t));
      if (process_.size < 2) return fresh;
      return fresh.filter((t) => {
        const cpus = cpusOf(t);
        return cpus !== undefined && cpus.size < process_.size;
      });
    };
    const send = (seq: number): Promise<void> =>
      new Promise((resolve, reject) => socket.sendAsync!([noopWithAck(seq)], (error) => (error === null ? resolve() : reject(error))));
    let sender: string | undefined;
    try {
      socket.bind(0);
      await send(1);
      const started = senders();
      expect(started).toHaveLength(1); // its own thread, not one of libuv's pool
      sender = started[0]!;
      await send(2);
      await send(3);
      expect(senders()).toEqual([sender]); // the same thread for every send
      const allowed = cpusOf(sender)!;
      if (process_.size >= 2) {
        // Woken from the main thread while on one CPU: that CPU, and only that one, is left out.
        expect(allowed.size).toBe(process_.size - 1);
        for (const c of allowed) expect(process_.has(c)).toBe(true);
      } else {
        console.warn('one CPU only: the sender keeps the process affinity, nothing to leave out');
        expect([...allowed]).toEqual([...process_]);
      }
    } finally {
      socket.close();
    }
    // close() joined it. pthread_join returns once the thread's exit woke it, which
    // is a moment before the kernel takes the task out of /proc: look until then.
    const deadline = Date.now() + 2000;
    while (sender !== undefined && tasks().includes(sender) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    expect(tasks()).not.toContain(sender);
  });

  it('a busy sender is moved off the main thread\'s CPU when the main thread moves onto its CPU (no wake-up needed)', async () => {
    const cpuList = (tid: number): number[] => cpusAllowed(tid) ?? [];
    const mainCpus = cpuList(process.pid);
    if (mainCpus.length < 2) {
      console.warn('one CPU only: the sender keeps the process affinity, nothing to move');
      return;
    }
    // taskset -p on the process id sets the main thread's affinity alone (a tid, not the thread group).
    const pinMain = (cpus: string): void => void execFileSync('taskset', ['-pc', cpus, String(process.pid)], { stdio: 'ignore' });
    const binding = loadNativeBinding();
    const socket = new binding.NetlinkSocket(0, `/var/run/netns/${(ns as TestNamespace).name}`);
    socket.setOption(SOL_SOCKET, SO.SNDBUFFORCE, 8 << 20);
    socket.bind(0);
    // Batches that keep the sender inside sendmsg for tens of milliseconds each: blackhole routes, no ACKs asked.
    const heavy = (batch: number): Buffer => {
      const w = new MessageWriter(2 << 20);
      for (let i = 0; i < 15_000; i++) {
        const k = batch * 15_000 + i;
        const start = w.beginMessage(RTM.NEWROUTE, NLM_F.REQUEST | NLM_F.CREATE | NLM_F.REPLACE, k + 1, 0);
        encodeRouteBody(w, { dst: `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}/32`, type: 'blackhole', table: 4243 }, false);
        w.endMessage(start);
      }
      return Buffer.from(w.bytes());
    };
    const batches = [heavy(0), heavy(1), heavy(2), heavy(3)];
    const send = (data: Buffer): Promise<void> => new Promise((resolve, reject) => socket.sendAsync!([data], (error) => (error === null ? resolve() : reject(error))));
    const senderTid = (): number => {
      // The socket's sender is the thread whose affinity leaves one CPU out (see the test above).
      for (const t of readdirSync('/proc/self/task').map(Number)) if (t !== process.pid && cpuList(t).length === mainCpus.length - 1) return t;
      throw new Error('no sender thread found');
    };
    try {
      // The sender starts with the main thread's affinity (a program pinned as a whole keeps its sender
      // inside its CPUs), woken from the main thread's CPU: that one is left out.
      await send(noopWithAck(1));
      const sender = senderTid();
      const before = cpuList(sender);
      const mainCpu = mainCpus.find((c) => !before.includes(c))!;
      const sent = batches.map((b) => send(b));
      expect(socket.queuedSends!()).toBeGreaterThan(0); // the sender is busy: the next sendAsync wakes nobody
      const moveTo = before[0]!;
      pinMain(String(moveTo)); // the main thread now runs on a CPU the sender was left with
      const last = send(noopWithAck(2));
      // Still busy, so this was the no-wake-up path, and the sender was moved at once.
      expect(socket.queuedSends!()).toBeGreaterThan(0);
      const after = cpuList(sender);
      expect(after).not.toContain(moveTo);
      expect(after).toContain(mainCpu);
      expect(after).toHaveLength(mainCpus.length - 1);
      await Promise.all([...sent, last]);
    } finally {
      pinMain(mainCpus.join(','));
      socket.close();
      await (ns as TestNamespace).exec('ip', ['route', 'flush', 'table', '4243']).catch((e: unknown) => console.error('flush', e));
    }
  });

  it('close() during a sendAsync closes the fd only after that sendmsg returned (or it was cancelled before starting)', async () => {
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
    // either the thread had started it (sent whole) or close() cancelled it first
    if (result.error === null) expect(result.bytes).toBe(16);
    else expect(result.error).toMatchObject({ code: 'ECANCELED', syscall: 'sendmsg' });
    expect(socket.fd).toBe(-1);
    // and nothing more can be sent on it
    expect(() => socket.send(noopWithAck(8))).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(() => socket.sendAsync!(noopWithAck(9), () => undefined)).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  it('queued sendAsync calls go out in call order, one after another, without the main thread in between', async () => {
    const binding = loadNativeBinding();
    const socket = new binding.NetlinkSocket(0, null);
    try {
      socket.setOption(SOL_SOCKET, SO.RCVBUFFORCE, 4 << 20); // room for every ACK
      socket.bind(0);
      const count = 300;
      const acks: number[] = [];
      const acked = new Promise<void>((resolve) => {
        socket.start((error, datagrams) => {
          expect(error).toBeNull();
          for (const d of datagrams) if (d.readUInt16LE(4) === 2 && d.readInt32LE(16) === 0) acks.push(d.readUInt32LE(8));
          if (acks.length === count + 1) resolve();
        }, 64);
      });
      const callbacks: number[] = [];
      const all = new Promise<void>((resolve) => {
        for (let i = 1; i <= count; i++) {
          socket.sendAsync!(noopWithAck(1000 + i), (error, bytes) => {
            expect(error).toBeNull();
            expect(bytes).toBe(16);
            callbacks.push(i);
            // a send queued from a callback joins the queue
            if (i === 1) socket.sendAsync!(noopWithAck(5000), (e) => expect(e).toBeNull());
            if (callbacks.length === count) resolve();
          });
        }
      });
      await all;
      await acked;
      expect(callbacks).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      // the kernel saw them in call order (ACKs arrive in the order it handled the requests)
      expect(acks.filter((s) => s !== 5000)).toEqual(Array.from({ length: count }, (_, i) => 1000 + i + 1));
      expect(acks).toContain(5000);
      expect(socket.queuedSends!()).toBe(0);
    } finally {
      socket.stop();
      socket.close();
    }
  });

  it('close() cancels queued sends not yet started (ECANCELED); the one in sendmsg completes first', async () => {
    const binding = loadNativeBinding();
    const socket = new binding.NetlinkSocket(0, `/var/run/netns/${(ns as TestNamespace).name}`);
    socket.setOption(SOL_SOCKET, SO.SNDBUFFORCE, 8 << 20);
    socket.bind(0);
    // A batch that keeps the kernel busy for tens of milliseconds: 20,000 blackhole routes (no ACKs asked).
    const w = new MessageWriter(4 << 20);
    for (let i = 0; i < 20_000; i++) {
      const start = w.beginMessage(RTM.NEWROUTE, NLM_F.REQUEST | NLM_F.CREATE | NLM_F.REPLACE, i + 1, 0);
      encodeRouteBody(w, { dst: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`, type: 'blackhole', table: 4242 }, false);
      w.endMessage(start);
    }
    const heavy = Buffer.from(w.bytes());
    const results: { i: number; error: Error | null; bytes: number }[] = [];
    const finished = new Promise<void>((resolve) => {
      const record = (i: number) => (error: Error | null, bytes: number): void => {
        results.push({ i, error, bytes });
        if (results.length === 6) resolve();
      };
      socket.sendAsync!(heavy, record(0));
      for (let i = 1; i <= 5; i++) socket.sendAsync!(noopWithAck(i), record(i));
    });
    // the five small ones wait behind the heavy one (which may have started already)
    expect([5, 6]).toContain(socket.queuedSends!());
    await new Promise((resolve) => setTimeout(resolve, 2)); // the pool thread is inside the heavy sendmsg
    const fd = socket.fd;
    socket.close();
    expect(socket.queuedSends!()).toBe(0); // cancelled
    expect(socket.fd).toBe(fd);
    await finished;
    expect(socket.fd).toBe(-1);
    // every callback ran once, in call order; what was sent is a prefix, the rest was cancelled
    expect(results.map((r) => r.i)).toEqual([0, 1, 2, 3, 4, 5]);
    const firstCancelled = results.findIndex((r) => r.error !== null);
    expect(firstCancelled).toBeGreaterThanOrEqual(0);
    for (const r of results.slice(firstCancelled)) expect(r.error).toMatchObject({ code: 'ECANCELED', syscall: 'sendmsg' });
    for (const r of results.slice(0, firstCancelled)) expect(r.bytes).toBeGreaterThan(0);
    if (firstCancelled > 0) expect(results[0]!.bytes).toBe(heavy.length);
    await (ns as TestNamespace).exec('ip', ['route', 'flush', 'table', '4242']);
  });

  it("the channel reuses a batch's buffer once the send thread has moved past it, before the batch's callback (the addon's queue count)", async () => {
    const rtnl = await Rtnl.open({ netns: (ns as TestNamespace).name });
    try {
      const ch = rtnl.channel;
      const before = ch.stats.batchWriters;
      let done = 0;
      // One synchronous loop, as a FIB exporter burst: no callback can run before it ends.
      for (let i = 0; i < 100; i++) {
        const w = ch.acquireBatchWriter(8192);
        w.endMessage(w.beginMessage(NLMSG.NOOP, NLM_F.REQUEST, 7000 + i, 0)); // no ACK asked: no answer
        ch.sendBatchWriter(w, 1, (error) => {
          expect(error).toBeNull();
          done++;
        });
        const until = Date.now() + 2000;
        while (ch.queuedSends > 0 && Date.now() < until); // until the send thread has taken it
      }
      expect(done).toBe(0);
      // two writers alternate (the one in sendmsg and the one being filled), three at most; one per batch before
      expect(ch.stats.batchWriters - before).toBeLessThanOrEqual(3);
      while (done < 100) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(ch.stats.datagramsSent).toBeGreaterThanOrEqual(100);
    } finally {
      rtnl.close();
    }
  });

  it('pending requests reject with NetlinkClosedError on close', async () => {
    const rtnl = await Rtnl.open({ netns: (ns as TestNamespace).name });
    const pending = rtnl.links.get('va');
    rtnl.close();
    await expect(pending).rejects.toBeInstanceOf(NetlinkClosedError);
    await expect(rtnl.links.get('va')).rejects.toBeInstanceOf(NetlinkClosedError);
  });

  it("the synchronous socket opens on first use in the client's namespace and closes with the client", async () => {
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const before = fds();
    const rtnl = await Rtnl.open({ netns: (ns as TestNamespace).name, syncTimeoutMs: 200 });
    expect(fds()).toBe(before + 1);
    // the namespace has no default route: its kernel answers "unreachable" (the root namespace may not)
    expect(() => rtnl.routes.getSync('198.51.100.1')).toThrow(expect.objectContaining({ code: 'ENETUNREACH' }));
    expect(fds()).toBe(before + 2);
    rtnl.close();
    expect(fds()).toBe(before);
    expect(() => rtnl.routes.getSync('198.51.100.1')).toThrow(NetlinkClosedError);
    await expect(Rtnl.open({ syncTimeoutMs: -1 })).rejects.toBeInstanceOf(NetlinkArgumentError);
  });
});
