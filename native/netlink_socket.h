// One AF_NETLINK socket, wrapped for JavaScript. Syscalls only: every netlink
// message is encoded and decoded in TypeScript (src/netlink).
//
// JavaScript interface (declared in src/netlink/native/binding-types.ts):
//   new NetlinkSocket(protocol, netns)   netns: null | string path | number fd
//   bind(groups) -> port id
//   setOption(level, name, value) / getOption(level, name) -> number
//   send(Buffer | Buffer[]) -> bytes sent (one sendmsg, one iovec per Buffer)
//   sendAsync(Buffer | Buffer[], done(error | null, bytes)) -> undefined: the
//     same sendmsg on a libuv pool thread. rtnetlink does its work inside the
//     sender's sendmsg, so a bulk batch keeps a core busy for milliseconds; on
//     a thread, JavaScript encodes the next batch meanwhile. The buffers are
//     held until done runs; close() waits for sends in flight before closing
//     the fd (never a sendmsg on a closed or reused descriptor).
//   start(onReceive, maxDatagramsPerWake) / stop() / close()
//   fd (getter)
//
// onReceive(error | null, datagrams: Buffer[], truncated: number, foreign: number)
// is called from a uv_poll readable callback after draining up to
// maxDatagramsPerWake datagrams without blocking.
#pragma once

#include <napi.h>
#include <uv.h>

#include <vector>

namespace fibwire {

// openInNetns(netns, path, flags) -> fd: open(2) inside a network namespace.
Napi::Value OpenInNetns(const Napi::CallbackInfo& info);

class NetlinkSocket : public Napi::ObjectWrap<NetlinkSocket> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit NetlinkSocket(const Napi::CallbackInfo& info);
  ~NetlinkSocket() override;

 private:
  Napi::Value Bind(const Napi::CallbackInfo& info);
  Napi::Value SetOption(const Napi::CallbackInfo& info);
  Napi::Value GetOption(const Napi::CallbackInfo& info);
  Napi::Value Send(const Napi::CallbackInfo& info);
  Napi::Value SendAsync(const Napi::CallbackInfo& info);
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value GetFd(const Napi::CallbackInfo& info);

  static void OnPoll(uv_poll_t* handle, int status, int events);
  void Drain(int poll_status);
  void StopPolling();
  void CloseFd();
  // Called on the main thread when a sendAsync finished.
  void OnAsyncSendDone();

  friend class SendWorker;

  int fd_ = -1;
  uv_poll_t* poll_ = nullptr;
  bool referenced_ = false;
  // sendAsync calls whose sendmsg has not finished, and a close() that waits for them.
  uint32_t sends_in_flight_ = 0;
  bool close_pending_ = false;
  uint32_t max_per_wake_ = 64;
  Napi::FunctionReference on_receive_;
  Napi::AsyncContext* async_context_ = nullptr;
  // Receive scratch space: one datagram is read here, then copied into a
  // Buffer of its exact size. 1 MiB is far above the kernel's dump chunk
  // (about 32 KiB) so MSG_TRUNC only reports real protocol trouble.
  std::vector<uint8_t> scratch_;
};

}  // namespace fibwire
