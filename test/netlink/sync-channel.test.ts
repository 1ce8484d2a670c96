/**
 * SyncNetlinkChannel's protocol logic (one request, answered before the call
 * returns: replies until our ACK, errors with extack, stale answers skipped,
 * overruns read past, malformed datagrams refused) against a scripted socket.
 * The real kernel is in test/kernel/netlink-routes.test.ts (routes.getSync).
 */
import { describe, expect, it } from 'vitest';
import { MessageWriter } from '../../src/netlink/codec/writer.js';
import { splitMessages } from '../../src/netlink/codec/nlmsghdr.js';
import { NLM_F, NLMSG, NLMSGERR_ATTR, RTM } from '../../src/netlink/constants.js';
import { NetlinkClosedError, NetlinkDecodeError, NetlinkError } from '../../src/netlink/errors.js';
import { SyncNetlinkChannel, type SyncChannelSocket } from '../../src/netlink/sync-channel.js';

/** A system error as the addon throws them. */
function systemError(code: string, errno: number): Error {
  return Object.assign(new Error(`recvmsg ${code}`), { code, errno: -errno, syscall: 'recvmsg' });
}

/** Answers each send with what `script` returns for the request's seq: datagrams, or errors to throw first. */
class ScriptedSyncSocket implements SyncChannelSocket {
  sent: Buffer[] = [];
  closed = false;
  private queue: (Buffer | Error)[] = [];
  constructor(private readonly script: (seq: number) => (Buffer | Error)[]) {}
  send(data: Buffer | readonly Buffer[]): number {
    const buf = Buffer.isBuffer(data) ? Buffer.from(data) : Buffer.concat([...data]);
    this.sent.push(buf);
    const [request] = splitMessages(buf);
    this.queue.push(...this.script(request!.seq));
    return buf.length;
  }
  receiveSync(buffer: Buffer, timeoutMs: number): number {
    const next = this.queue.shift();
    if (next === undefined) throw Object.assign(systemError('ETIMEDOUT', 110), { timeoutMs });
    if (next instanceof Error) throw next;
    next.copy(buffer);
    return next.length;
  }
  close(): void {
    this.closed = true;
  }
}

/** NLMSG_ERROR for `seq`: error 0 is an ACK; extack text as NLMSGERR_ATTR_MSG. */
function ack(seq: number, error = 0, extack?: string): Buffer {
  const w = new MessageWriter(64);
  const start = w.beginMessage(NLMSG.ERROR, NLM_F.CAPPED | (extack !== undefined ? NLM_F.ACK_TLVS : 0), seq, 0);
  w.i32(error); // nlmsgerr.error
  const echoed = w.beginMessage(RTM.GETROUTE, NLM_F.REQUEST | NLM_F.ACK, seq); // the request's header, capped
  w.endMessage(echoed);
  if (extack !== undefined) w.attrString(NLMSGERR_ATTR.MSG, extack);
  w.endMessage(start);
  return Buffer.from(w.bytes());
}

/** One RTM_NEWROUTE reply for `seq` with a 4-byte body (`tag`). */
function reply(seq: number, tag: number): Buffer {
  const w = new MessageWriter(32);
  const m = w.beginMessage(RTM.NEWROUTE, 0, seq, 0);
  w.u32(tag);
  w.endMessage(m);
  return Buffer.from(w.bytes());
}

const requestNewRoute = (ch: SyncNetlinkChannel) => ch.request(RTM.GETROUTE, 0, (w) => w.u32(0xabcd));
const tags = (ms: { buffer: Buffer; payloadStart: number }[]) => ms.map((m) => m.buffer.readUInt32LE(m.payloadStart));

describe('SyncNetlinkChannel', () => {
  it('returns the replies before our ACK, with NLM_F_REQUEST | NLM_F_ACK and a fresh seq each time', () => {
    const socket = new ScriptedSyncSocket((seq) => [reply(seq, 7), ack(seq)]);
    const ch = new SyncNetlinkChannel(socket);
    expect(tags(requestNewRoute(ch))).toEqual([7]);
    expect(tags(requestNewRoute(ch))).toEqual([7]);
    const [first, second] = socket.sent.map((b) => splitMessages(b)[0]!);
    expect(first).toMatchObject({ type: RTM.GETROUTE, flags: NLM_F.REQUEST | NLM_F.ACK });
    expect(second!.seq).toBe(first!.seq + 1);
  });

  it('reads a reply and its ACK from one datagram as from two', () => {
    const socket = new ScriptedSyncSocket((seq) => [Buffer.concat([reply(seq, 1), reply(seq, 2), ack(seq)])]);
    expect(tags(requestNewRoute(new SyncNetlinkChannel(socket)))).toEqual([1, 2]);
  });

  it('skips answers to an earlier request (another seq) and reads past an overrun (ENOBUFS)', () => {
    const socket = new ScriptedSyncSocket((seq) => [reply(seq - 1, 99), ack(seq - 1), systemError('ENOBUFS', 105), reply(seq, 5), ack(seq)]);
    expect(tags(requestNewRoute(new SyncNetlinkChannel(socket)))).toEqual([5]);
  });

  it("throws NetlinkError with the kernel's extack text and errno name", () => {
    const socket = new ScriptedSyncSocket((seq) => [ack(seq, -101, 'Network is unreachable')]);
    let caught: unknown;
    try {
      requestNewRoute(new SyncNetlinkChannel(socket));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NetlinkError);
    expect(caught).toMatchObject({ code: 'ENETUNREACH', message: 'Network is unreachable', request: { type: RTM.GETROUTE } });
  });

  it('a kernel that does not answer ends in the socket error (ETIMEDOUT), and the channel stays usable', () => {
    let answer = false;
    const socket = new ScriptedSyncSocket((seq) => (answer ? [reply(seq, 3), ack(seq)] : []));
    const ch = new SyncNetlinkChannel(socket, 50);
    expect(() => requestNewRoute(ch)).toThrow(expect.objectContaining({ code: 'ETIMEDOUT', timeoutMs: 50 }));
    answer = true;
    expect(tags(requestNewRoute(ch))).toEqual([3]);
  });

  const malformed: [string, (seq: number) => Buffer][] = [
    // nlmsg_len 0xffff in a 20-byte datagram
    ['a length past the datagram', (seq) => Buffer.from(`ffff0000 1800 0000 ${hex32(seq)} 00000000 00000000`.replace(/ /g, ''), 'hex')],
    // nlmsg_len 8: shorter than the 16-byte header
    ['a length below the header', (seq) => Buffer.from(`08000000 1800 0000 ${hex32(seq)} 00000000`.replace(/ /g, ''), 'hex')],
  ];
  it.each(malformed)('a datagram with %s is refused with NetlinkDecodeError', (_, datagram) => {
    const socket = new ScriptedSyncSocket((seq) => [datagram(seq)]);
    expect(() => requestNewRoute(new SyncNetlinkChannel(socket))).toThrow(NetlinkDecodeError);
  });

  it('a body encoder that throws sends nothing; the next request goes out alone', () => {
    const socket = new ScriptedSyncSocket((seq) => [ack(seq)]);
    const ch = new SyncNetlinkChannel(socket);
    expect(() => ch.request(RTM.NEWROUTE, 0, () => {
      throw new RangeError('bad body');
    })).toThrow(RangeError);
    expect(socket.sent).toHaveLength(0);
    expect(ch.request(RTM.NEWROUTE, NLM_F.CREATE, (w) => w.u32(1))).toEqual([]);
    expect(socket.sent).toHaveLength(1);
    expect(splitMessages(socket.sent[0]!)).toHaveLength(1);
  });

  it('request(): the replies are copies, intact after the next request reuses the receive buffer', () => {
    let tag = 10;
    const socket = new ScriptedSyncSocket((seq) => [reply(seq, tag++), ack(seq)]);
    const ch = new SyncNetlinkChannel(socket);
    const first = requestNewRoute(ch);
    const second = requestNewRoute(ch);
    expect([tags(first), tags(second)]).toEqual([[10], [11]]);
  });

  it('requestInPlace(): each reply of ours in the receive buffer itself (offset, length with header), others skipped, none after the ACK', () => {
    const seen: { tag: number; length: number; sameBuffer: boolean }[] = [];
    let receiveBuffer: Buffer | undefined;
    const socket = new ScriptedSyncSocket((seq) => [reply(seq - 1, 99), ack(seq - 1), Buffer.concat([reply(seq, 1), reply(seq, 2), ack(seq), reply(seq, 3)])]);
    const receive = socket.receiveSync.bind(socket);
    socket.receiveSync = (buffer, timeoutMs) => {
      receiveBuffer = buffer;
      return receive(buffer, timeoutMs);
    };
    new SyncNetlinkChannel(socket).requestInPlace(RTM.GETROUTE, 0, (w) => w.u32(0xabcd), (buffer, offset, length) => {
      seen.push({ tag: buffer.readUInt32LE(offset + 16), length, sameBuffer: buffer === receiveBuffer });
    });
    // 16-byte header + 4-byte body each; the reply after our ACK is never read
    expect(seen).toEqual([
      { tag: 1, length: 20, sameBuffer: true },
      { tag: 2, length: 20, sameBuffer: true },
    ]);
  });

  it("requestInPlace(): the kernel's refusal is the same NetlinkError as request()'s, and no reply is handed over", () => {
    const socket = new ScriptedSyncSocket((seq) => [ack(seq, -101, 'Network is unreachable')]);
    const replies: number[] = [];
    expect(() => new SyncNetlinkChannel(socket).requestInPlace(RTM.GETROUTE, 0, (w) => w.u32(1), (_, offset) => replies.push(offset))).toThrow(
      expect.objectContaining({ code: 'ENETUNREACH', message: 'Network is unreachable' }),
    );
    expect(replies).toEqual([]);
  });

  it('close() closes the socket once; requests after it throw NetlinkClosedError', () => {
    const socket = new ScriptedSyncSocket((seq) => [ack(seq)]);
    const ch = new SyncNetlinkChannel(socket);
    ch.close();
    ch.close();
    expect(socket.closed).toBe(true);
    expect(ch.isClosed).toBe(true);
    expect(() => requestNewRoute(ch)).toThrow(NetlinkClosedError);
  });
});

/** A uint32 as 8 hex digits in host (little-endian) order. */
function hex32(n: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b.toString('hex');
}
