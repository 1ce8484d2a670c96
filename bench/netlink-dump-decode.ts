/**
 * Route dump decoding without a kernel: a fake socket answers RTM_GETROUTE
 * with canned datagrams laid out as the kernel sends them (32 KiB skbs of
 * RTM_NEWROUTE messages: rtmsg, RTA_TABLE, RTA_DST, RTA_NH_ID, RTA_GATEWAY,
 * RTA_OIF as with nexthop_compat_mode=1), so the figure is fibwire's own
 * cost per route: channel dispatch, message walk and decoding.
 *
 *   node --import tsx bench/netlink-dump-decode.ts
 *
 * Environment:
 *   FIBWIRE_BENCH_DUMP_SIZE   routes in the dump (default 1000000)
 *   FIBWIRE_BENCH_DUMP_RUNS   timed runs per case, median reported (default 3)
 *
 * Prints one JSON line per case on stdout.
 */
import { NetlinkChannel, type ChannelSocket } from '../src/netlink/channel.js';
import { MessageWriter } from '../src/netlink/codec/writer.js';
import type { NativeReceiveCallback } from '../src/netlink/native/binding-types.js';
import { RouteOps } from '../src/netlink/ops/routes.js';

const BENCH = 'netlink-dump-decode';
const size = Number(process.env['FIBWIRE_BENCH_DUMP_SIZE'] ?? 1_000_000);
const runs = Math.max(1, Number(process.env['FIBWIRE_BENCH_DUMP_RUNS'] ?? 3));

/** The kernel's dump datagrams for `count` IPv4 /32 routes in table 1000. */
function cannedDump(count: number): Buffer[] {
  const out: Buffer[] = [];
  const w = new MessageWriter(40 * 1024);
  for (let i = 0; i < count; i++) {
    if (w.offset > 32 * 1024 - 128) {
      out.push(Buffer.from(w.bytes()));
      w.reset();
    }
    const m = w.beginMessage(24 /* RTM_NEWROUTE */, 2 /* NLM_F_MULTI */, 0, 0);
    w.u8(2); // AF_INET
    w.u8(32); // rtm_dst_len
    w.u8(0);
    w.u8(0);
    w.u8(252); // RT_TABLE_COMPAT
    w.u8(186); // RTPROT_BGP
    w.u8(0); // RT_SCOPE_UNIVERSE
    w.u8(1); // RTN_UNICAST
    w.u32(0);
    w.attrU32(15, 1000); // RTA_TABLE
    w.attrBytes(1, Uint8Array.from([16 + ((i >>> 24) & 63), (i >>> 16) & 255, (i >>> 8) & 255, i & 255])); // RTA_DST
    w.attrU32(30, 1); // RTA_NH_ID
    w.attrBytes(5, Uint8Array.from([10, 0, 0, 2])); // RTA_GATEWAY
    w.attrU32(4, 2); // RTA_OIF
    w.endMessage(m);
  }
  const done = w.beginMessage(3 /* NLMSG_DONE */, 2, 0, 0);
  w.i32(0);
  w.endMessage(done);
  out.push(Buffer.from(w.bytes()));
  return out;
}

/** Answers each dump request with the canned datagrams, 64 per wake-up like the addon. */
class CannedDumpSocket implements ChannelSocket {
  readonly sendBufferSize = 1 << 20;
  readonly receiveBufferSize = 1 << 20;
  private onReceive: NativeReceiveCallback | undefined;
  constructor(private readonly datagrams: Buffer[]) {}
  send(data: Buffer | readonly Buffer[]): number {
    const buf = Buffer.isBuffer(data) ? data : Buffer.concat([...data]);
    const seq = buf.readUInt32LE(8);
    // the kernel stamps every reply with the request's seq; copies stand in for fresh recvmsg buffers
    const replies = this.datagrams.map((d) => {
      const copy = Buffer.allocUnsafeSlow(d.length);
      d.copy(copy);
      let o = 0;
      while (o + 16 <= copy.length) {
        copy.writeUInt32LE(seq, o + 8);
        o += (copy.readUInt32LE(o) + 3) & ~3;
      }
      return copy;
    });
    const deliver = (from: number): void => {
      if (from >= replies.length) return;
      this.onReceive?.(null, replies.slice(from, from + 64), 0, 0);
      setImmediate(() => deliver(from + 64));
    };
    setImmediate(() => deliver(0));
    return buf.length;
  }
  start(onReceive: NativeReceiveCallback): void {
    this.onReceive = onReceive;
  }
  stop(): void {}
  close(): void {}
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function timeCase(name: string, fn: () => Promise<number>): Promise<void> {
  await fn(); // warm up the JIT
  const seconds: number[] = [];
  const user: number[] = [];
  let count = 0;
  for (let r = 0; r < runs; r++) {
    const cpu = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    count = await fn();
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    user.push(process.cpuUsage(cpu).user);
  }
  const s = median(seconds);
  console.log(
    JSON.stringify({ bench: BENCH, case: name, n: count, seconds: Math.round(s * 1000) / 1000, routesPerSecond: Math.round(count / s), userMicrosPerRoute: Math.round((median(user) / count) * 1000) / 1000, runs: seconds.map((x) => Math.round(x * 1000) / 1000) }),
  );
}

const datagrams = cannedDump(size);
const routes = new RouteOps(new NetlinkChannel(new CannedDumpSocket(datagrams)));
await timeCase('routes.list()', async () => (await routes.list({ table: 1000 })).length);
await timeCase('routes.dump() (for await)', async () => {
  let n = 0;
  for await (const r of routes.dump({ table: 1000 })) if (r.dstLength === 32) n++;
  return n;
});
