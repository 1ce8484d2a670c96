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
//     a thread, JavaScript encodes the next batch meanwhile. Calls queue on
//     the socket and one pool thread sends them in call order, going on to
//     the next as soon as a sendmsg returns: the kernel never waits for the
//     JavaScript thread between two batches (that wait was a gap on every
//     batch while the main thread was busy encoding). The buffers are held
//     until done runs; close() cancels sends not yet started (ECANCELED) and
//     closes the fd only once the one in sendmsg returned (never a sendmsg on
//     a closed or reused descriptor). send() does not wait for queued
//     sendAsync calls: callers that need order use one or the other.
//   start(onReceive, maxDatagramsPerWake) / stop() / close()
//   fd (getter)
//
// onReceive(error | null, datagrams: Buffer[], truncated: number, foreign: number)
// is called from a uv_poll readable callback after draining up to
// maxDatagramsPerWake datagrams without blocking.
#pragma once

#include <napi.h>
#include <uv.h>

#include <deque>
#include <mutex>
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
  Napi::Value ReceiveSync(const Napi::CallbackInfo& info);
  Napi::Value QueuedSends(const Napi::CallbackInfo& info);
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value GetFd(const Napi::CallbackInfo& info);

  static void OnPoll(uv_poll_t* handle, int status, int events);
  void Drain(int poll_status);
  void StopPolling();
  void CloseFd();

  // One sendAsync call: its iovecs (valid while keep holds the Buffers) and,
  // once sent, the outcome. keep and callback are touched on the main thread only.
  struct SendItem {
    int fd = -1;
    std::vector<struct iovec> iov;
    std::vector<Napi::Reference<Napi::Value>> keep;
    Napi::FunctionReference callback;
    ssize_t sent = 0;
    int errnum = 0;
  };
  // Pool thread: sends queued items in order until the queue is empty.
  static void SenderWork(uv_work_t* req);
  // Main thread, after SenderWork returned: drops the wrapper reference it held.
  static void SenderAfter(uv_work_t* req, int status);
  // Main thread: runs the callbacks of finished items.
  static void OnSendsDone(uv_async_t* handle);
  void DeliverFinishedSends();

  int fd_ = -1;
  uv_poll_t* poll_ = nullptr;
  bool referenced_ = false;
  // sendAsync calls whose callback has not run yet (main thread only), and a
  // close() that waits for them.
  uint32_t sends_in_flight_ = 0;
  bool sends_hold_wrapper_ = false;
  // Shared with the sender thread, under send_mutex_: items waiting for
  // sendmsg, items sent and waiting for their callback, items close()
  // cancelled while the thread was still sending, and whether a pool thread
  // is draining the queue.
  std::mutex send_mutex_;
  std::deque<SendItem*> send_queue_;
  std::deque<SendItem*> send_done_;
  std::deque<SendItem*> send_cancelled_;
  bool sender_running_ = false;
  // Wakes the main thread when items finished; referenced (keeps the loop
  // alive) only while sends are outstanding.
  uv_async_t* send_async_ = nullptr;
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
