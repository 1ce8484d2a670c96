// One AF_NETLINK socket, wrapped for JavaScript. Syscalls only: every netlink
// message is encoded and decoded in TypeScript (src/netlink).
//
// JavaScript interface (declared in src/netlink/native/binding-types.ts):
//   new NetlinkSocket(protocol, netns)   netns: null | string path | number fd
//   bind(groups) -> port id
//   setOption(level, name, value) / getOption(level, name) -> number
//   send(Buffer | Buffer[]) -> bytes sent (one sendmsg, one iovec per Buffer)
//   sendAsync(Buffer | Buffer[], done(error | null, bytes)) -> undefined: the
//     same sendmsg on the socket's own sender thread (started by the first
//     call, ended by close()). rtnetlink does its work inside the sender's
//     sendmsg, so a bulk batch keeps a core busy for milliseconds; on a
//     thread, JavaScript encodes the next batch meanwhile. Calls queue on the
//     socket and the sender sends them in call order, going on to the next as
//     soon as a sendmsg returns: the kernel never waits for the JavaScript
//     thread between two batches (that wait was a gap on every batch while
//     the main thread was busy encoding). Whenever it queues a send, the main
//     thread takes its own CPU out of the sender's affinity (a system call
//     only when that CPU changed): woken onto the waker's CPU, or left on the
//     CPU the main thread moved to, the sender would wait behind JavaScript
//     that goes on computing while another CPU idles. The buffers are held until
//     done runs; close() cancels sends not yet started (ECANCELED) and closes
//     the fd only once the one in sendmsg returned (never a sendmsg on a
//     closed or reused descriptor). send() does not wait for queued sendAsync
//     calls: callers that need order use one or the other.
//   start(onReceive, maxDatagramsPerWake) / stop() / close()
//   fd (getter)
//
// onReceive(error | null, datagrams: Buffer[], truncated: number, foreign: number)
// is called from a uv_poll readable callback after draining up to
// maxDatagramsPerWake datagrams without blocking.
#pragma once

#include <napi.h>
#include <uv.h>

#include <pthread.h>
#include <sched.h>
#include <sys/types.h>

#include <condition_variable>
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
  // Sender thread: sends queued items in order until the queue is empty.
  void DrainSendQueue();
  // The socket's own sender thread: sleeps until SendAsync hands it a queue
  // to drain, until close() or the destructor ends it (StopSender joins it).
  void SenderLoop();
  static void* SenderMain(void* self);
  // Main thread, before waking the sender: keeps it off the CPU this thread
  // runs on (see SendAsync).
  void KeepSenderOffThisCpu();
  void StopSender();
  // Fallback when no thread can be created: the same drain on a libuv pool thread.
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
  // cancelled while the thread was still sending, and whether the sender
  // is draining the queue.
  std::mutex send_mutex_;
  std::deque<SendItem*> send_queue_;
  std::deque<SendItem*> send_done_;
  std::deque<SendItem*> send_cancelled_;
  bool sender_running_ = false;
  // The sender thread (started by the first sendAsync), then under
  // send_mutex_ the drain it was asked for and the stop StopSender asks for.
  pthread_t sender_thread_;
  bool sender_started_ = false;  // main thread only
  bool sender_failed_ = false;
  std::condition_variable send_cv_;
  bool sender_wanted_ = false;
  bool sender_stop_ = false;
  // The CPUs the process could use when the sender started, and the one
  // (the main thread's) it was last kept off (main thread only).
  cpu_set_t sender_cpus_;
  int sender_kept_off_ = -1;
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
