#include "netlink_socket.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <time.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <pthread.h>
#include <unistd.h>
#include <linux/netlink.h>

#include <string>

#include "netns.h"
#include "system_error.h"

namespace fibwire {
namespace {

constexpr size_t kScratchSize = 1 << 20;
constexpr uint32_t kMaxIovecs = IOV_MAX;

// Reads the netns argument: null/undefined, a path string, or an fd number.
bool ParseNetns(Napi::Env env, Napi::Value value, NetnsTarget* target) {
  if (value.IsNull() || value.IsUndefined()) return true;
  if (value.IsString()) {
    target->kind = NetnsTarget::Kind::kPath;
    target->path = value.As<Napi::String>().Utf8Value();
    if (target->path.empty() || target->path.find('\0') != std::string::npos) {
      ThrowTypeError(env, "netns path must be a non-empty string");
      return false;
    }
    return true;
  }
  if (value.IsNumber()) {
    int64_t fd = value.As<Napi::Number>().Int64Value();
    if (fd < 0 || fd > INT_MAX) {
      ThrowTypeError(env, "netns fd must be a non-negative integer");
      return false;
    }
    target->kind = NetnsTarget::Kind::kFd;
    target->fd = static_cast<int>(fd);
    return true;
  }
  ThrowTypeError(env, "netns must be null, a path string or an fd number");
  return false;
}

bool ReadInt(Napi::Env env, const Napi::CallbackInfo& info, size_t index, int64_t min,
             int64_t max, int64_t* out) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    ThrowTypeError(env, "expected a number argument");
    return false;
  }
  int64_t v = info[index].As<Napi::Number>().Int64Value();
  if (v < min || v > max) {
    Napi::RangeError::New(env, "numeric argument out of range").ThrowAsJavaScriptException();
    return false;
  }
  *out = v;
  return true;
}

}  // namespace

Napi::Value OpenInNetns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  NetnsTarget target;
  if (!ParseNetns(env, info.Length() > 0 ? info[0] : env.Null(), &target)) return env.Undefined();
  if (info.Length() < 2 || !info[1].IsString()) return ThrowTypeError(env, "path must be a string");
  std::string path = info[1].As<Napi::String>().Utf8Value();
  int64_t flags = 0;
  if (!ReadInt(env, info, 2, 0, INT_MAX, &flags)) return env.Undefined();
  SocketResult opened = OpenFileInNetns(target, path.c_str(), static_cast<int>(flags));
  if (opened.fd < 0) return ThrowSystemError(env, opened.errnum, opened.syscall, path.c_str());
  return Napi::Number::New(env, opened.fd);
}

Napi::Function NetlinkSocket::Define(Napi::Env env) {
  return DefineClass(env, "NetlinkSocket",
                     {
                         InstanceMethod<&NetlinkSocket::Bind>("bind"),
                         InstanceMethod<&NetlinkSocket::SetOption>("setOption"),
                         InstanceMethod<&NetlinkSocket::GetOption>("getOption"),
                         InstanceMethod<&NetlinkSocket::Send>("send"),
                         InstanceMethod<&NetlinkSocket::SendAsync>("sendAsync"),
                         InstanceMethod<&NetlinkSocket::ReceiveSync>("receiveSync"),
                         InstanceMethod<&NetlinkSocket::QueuedSends>("queuedSends"),
                         InstanceMethod<&NetlinkSocket::Start>("start"),
                         InstanceMethod<&NetlinkSocket::Stop>("stop"),
                         InstanceMethod<&NetlinkSocket::Close>("close"),
                         InstanceAccessor<&NetlinkSocket::GetFd>("fd"),
                     });
}

NetlinkSocket::NetlinkSocket(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<NetlinkSocket>(info) {
  Napi::Env env = info.Env();
  int64_t protocol = 0;
  if (!ReadInt(env, info, 0, 0, 31, &protocol)) return;
  NetnsTarget target;
  if (!ParseNetns(env, info.Length() > 1 ? info[1] : env.Null(), &target)) return;
  SocketResult opened = OpenSocketInNetns(target, static_cast<int>(protocol));
  if (opened.fd < 0) {
    const char* path = target.kind == NetnsTarget::Kind::kPath && strcmp(opened.syscall, "open") == 0
                           ? target.path.c_str()
                           : nullptr;
    ThrowSystemError(env, opened.errnum, opened.syscall, path);
    return;
  }
  fd_ = opened.fd;
}

NetlinkSocket::~NetlinkSocket() {
  StopSender();
  StopPolling();
  CloseFd();
  // Only reached with no send outstanding (they hold a reference to the wrapper).
  if (send_async_ != nullptr) {
    send_async_->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(send_async_),
             [](uv_handle_t* handle) { delete reinterpret_cast<uv_async_t*>(handle); });
    send_async_ = nullptr;
  }
  delete async_context_;
}

Napi::Value NetlinkSocket::Bind(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (fd_ < 0) return ThrowSystemError(env, EBADF, "bind");
  int64_t groups = 0;
  if (!ReadInt(env, info, 0, 0, UINT32_MAX, &groups)) return env.Undefined();
  struct sockaddr_nl local;
  memset(&local, 0, sizeof(local));
  local.nl_family = AF_NETLINK;
  local.nl_groups = static_cast<uint32_t>(groups);
  if (bind(fd_, reinterpret_cast<struct sockaddr*>(&local), sizeof(local)) != 0) {
    return ThrowSystemError(env, errno, "bind");
  }
  socklen_t len = sizeof(local);
  if (getsockname(fd_, reinterpret_cast<struct sockaddr*>(&local), &len) != 0) {
    return ThrowSystemError(env, errno, "getsockname");
  }
  return Napi::Number::New(env, local.nl_pid);
}

Napi::Value NetlinkSocket::SetOption(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (fd_ < 0) return ThrowSystemError(env, EBADF, "setsockopt");
  int64_t level = 0, name = 0, value = 0;
  if (!ReadInt(env, info, 0, 0, INT_MAX, &level) || !ReadInt(env, info, 1, 0, INT_MAX, &name) ||
      !ReadInt(env, info, 2, INT_MIN, UINT32_MAX, &value)) {
    return env.Undefined();
  }
  // Every option fibwire sets (buffer sizes, NETLINK_EXT_ACK, NETLINK_CAP_ACK,
  // NETLINK_GET_STRICT_CHK, NETLINK_ADD/DROP_MEMBERSHIP) takes an int/u32.
  uint32_t raw = static_cast<uint32_t>(value);
  if (setsockopt(fd_, static_cast<int>(level), static_cast<int>(name), &raw, sizeof(raw)) != 0) {
    return ThrowSystemError(env, errno, "setsockopt");
  }
  return env.Undefined();
}

Napi::Value NetlinkSocket::GetOption(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (fd_ < 0) return ThrowSystemError(env, EBADF, "getsockopt");
  int64_t level = 0, name = 0;
  if (!ReadInt(env, info, 0, 0, INT_MAX, &level) || !ReadInt(env, info, 1, 0, INT_MAX, &name)) {
    return env.Undefined();
  }
  int value = 0;
  socklen_t len = sizeof(value);
  if (getsockopt(fd_, static_cast<int>(level), static_cast<int>(name), &value, &len) != 0) {
    return ThrowSystemError(env, errno, "getsockopt");
  }
  return Napi::Number::New(env, value);
}

namespace {

// Reads send()'s data argument (a Buffer or an array of Buffers) into iovecs;
// keep, when given, receives a reference to every Buffer so that it outlives an
// asynchronous send.
bool ReadIovecs(Napi::Env env, Napi::Value value, std::vector<struct iovec>* iov,
                std::vector<Napi::Reference<Napi::Value>>* keep) {
  if (value.IsBuffer()) {
    Napi::Buffer<uint8_t> buf = value.As<Napi::Buffer<uint8_t>>();
    iov->push_back({buf.Data(), buf.Length()});
    if (keep != nullptr) keep->push_back(Napi::Persistent(value));
    return true;
  }
  if (value.IsArray()) {
    Napi::Array list = value.As<Napi::Array>();
    uint32_t n = list.Length();
    if (n == 0 || n > kMaxIovecs) {
      ThrowTypeError(env, "send expects 1..IOV_MAX buffers");
      return false;
    }
    iov->reserve(n);
    for (uint32_t i = 0; i < n; i++) {
      Napi::Value item = list.Get(i);
      if (!item.IsBuffer()) {
        ThrowTypeError(env, "send expects a Buffer or Buffer[]");
        return false;
      }
      Napi::Buffer<uint8_t> buf = item.As<Napi::Buffer<uint8_t>>();
      iov->push_back({buf.Data(), buf.Length()});
      if (keep != nullptr) keep->push_back(Napi::Persistent(item));
    }
    return true;
  }
  ThrowTypeError(env, "send expects a Buffer or Buffer[]");
  return false;
}

// One sendmsg of iov to the kernel (nl_pid 0), retried on EINTR. Returns the
// bytes sent or -1 with errno set.
ssize_t SendToKernel(int fd, struct iovec* iov, size_t iov_count) {
  struct sockaddr_nl kernel;
  memset(&kernel, 0, sizeof(kernel));
  kernel.nl_family = AF_NETLINK;  // nl_pid 0: the kernel
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_name = &kernel;
  msg.msg_namelen = sizeof(kernel);
  msg.msg_iov = iov;
  msg.msg_iovlen = iov_count;
  ssize_t sent;
  do {
    sent = sendmsg(fd, &msg, 0);
  } while (sent < 0 && errno == EINTR);
  return sent;
}

}  // namespace

Napi::Value NetlinkSocket::Send(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (fd_ < 0 || close_pending_) return ThrowSystemError(env, EBADF, "sendmsg");
  if (info.Length() < 1) return ThrowTypeError(env, "send expects a Buffer or Buffer[]");
  std::vector<struct iovec> iov;
  if (!ReadIovecs(env, info[0], &iov, nullptr)) return env.Undefined();
  ssize_t sent = SendToKernel(fd_, iov.data(), iov.size());
  if (sent < 0) return ThrowSystemError(env, errno, "sendmsg");
  return Napi::Number::New(env, static_cast<double>(sent));
}

Napi::Value NetlinkSocket::SendAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (fd_ < 0 || close_pending_) return ThrowSystemError(env, EBADF, "sendmsg");
  if (info.Length() < 2 || !info[1].IsFunction()) {
    return ThrowTypeError(env, "sendAsync expects (Buffer | Buffer[], callback)");
  }
  SendItem* item = new SendItem;
  if (!ReadIovecs(env, info[0], &item->iov, &item->keep)) {
    delete item;
    return env.Undefined();
  }
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) {
    delete item;
    return ThrowSystemError(env, EINVAL, "napi_get_uv_event_loop");
  }
  if (send_async_ == nullptr) {
    send_async_ = new uv_async_t;
    int rc = uv_async_init(loop, send_async_, &NetlinkSocket::OnSendsDone);
    if (rc != 0) {
      delete send_async_;
      send_async_ = nullptr;
      delete item;
      return ThrowSystemError(env, -rc, "uv_async_init");
    }
    send_async_->data = this;
    uv_unref(reinterpret_cast<uv_handle_t*>(send_async_));
  }
  if (async_context_ == nullptr) async_context_ = new Napi::AsyncContext(env, "fibwire:netlink");
  item->fd = fd_;
  item->callback = Napi::Persistent(info[1].As<Napi::Function>());
  sends_in_flight_++;
  if (!sends_hold_wrapper_) {
    // Outstanding sends keep the loop alive and the wrapper (whose queue they
    // live in) from being collected.
    sends_hold_wrapper_ = true;
    uv_ref(reinterpret_cast<uv_handle_t*>(send_async_));
    Ref();
  }
  bool start_sender = false;
  {
    std::lock_guard<std::mutex> lock(send_mutex_);
    send_queue_.push_back(item);
    if (!sender_running_) start_sender = sender_running_ = true;
  }
  if (start_sender && !sender_started_ && !sender_failed_) {
    // First send: the thread that sends this socket's batches from now on
    // (a pool thread per drain was woken wherever the scheduler saw fit).
    if (sched_getaffinity(0, sizeof(sender_cpus_), &sender_cpus_) != 0) CPU_ZERO(&sender_cpus_);
    sender_started_ = pthread_create(&sender_thread_, nullptr, &NetlinkSocket::SenderMain, this) == 0;
    sender_failed_ = !sender_started_;  // then the libuv pool sends, as before
  }
  if (start_sender && sender_started_) {
    KeepSenderOffThisCpu();
    {
      std::lock_guard<std::mutex> lock(send_mutex_);
      sender_wanted_ = true;
    }
    send_cv_.notify_one();
  } else if (sender_started_) {
    // The sender is busy: no wake-up, but this thread may have moved onto the
    // one CPU the sender was left with (see KeepSenderOffThisCpu).
    KeepSenderOffThisCpu();
  } else if (start_sender) {
    uv_work_t* req = new uv_work_t;
    req->data = this;
    Ref();  // until SenderAfter: SenderWork uses this object to its last line
    int rc = uv_queue_work(loop, req, &NetlinkSocket::SenderWork, &NetlinkSocket::SenderAfter);
    if (rc != 0) {
      // No thread will send: fail what was queued, through the usual callbacks.
      delete req;
      Unref();
      std::lock_guard<std::mutex> lock(send_mutex_);
      sender_running_ = false;
      while (!send_queue_.empty()) {
        SendItem* queued = send_queue_.front();
        send_queue_.pop_front();
        queued->errnum = -rc;
        send_done_.push_back(queued);
      }
      uv_async_send(send_async_);
    }
  }
  return env.Undefined();
}

// queuedSends(): sendAsync calls the send thread has not started yet. Their
// completions can only be delivered when the main thread returns to the
// loop, so a caller that keeps queueing inside one synchronous run reads the
// kernel's backlog here instead.
Napi::Value NetlinkSocket::QueuedSends(const Napi::CallbackInfo& info) {
  size_t queued;
  {
    std::lock_guard<std::mutex> lock(send_mutex_);
    queued = send_queue_.size();
  }
  return Napi::Number::New(info.Env(), static_cast<double>(queued));
}

// Woken onto the CPU of the thread that woke it (the scheduler's wake-affine
// placement), the sender waits there while JavaScript goes on computing, with
// the other CPU idle: traced at 1k routes, 40 % of the wake-ups of a FIB
// exporter burst landed on the main thread's CPU and waited a median 92 us,
// up to 1.2 ms, against 3 us on the other one. Only the sender is restricted,
// only when the process may use another CPU, and again only when the main
// thread has moved. Checked on every sendAsync, not only on a wake-up: while
// the sender is busy a burst queues without waking it, and a main thread
// that moved onto the sender's CPU could keep it there, runnable behind
// JavaScript, with the other CPU idle. sched_switch traces of the fib-export
// bench at 10k routes (61 iterations each): the sender's time runnable but
// not running, median per exporter burst, 2.2 ms before and 0.3 ms after
// (the client's 0.6 and 0.4). sched_getcpu() is read from rseq or the vDSO;
// the affinity call is made only when the CPU changed.
void NetlinkSocket::KeepSenderOffThisCpu() {
  int cpu = sched_getcpu();
  if (cpu < 0 || cpu == sender_kept_off_ || !CPU_ISSET(cpu, &sender_cpus_)) return;
  cpu_set_t allowed = sender_cpus_;
  CPU_CLR(cpu, &allowed);
  if (CPU_COUNT(&allowed) == 0) return;
  // A failure (a cpuset changed since) leaves the sender where it was.
  if (pthread_setaffinity_np(sender_thread_, sizeof(allowed), &allowed) == 0) sender_kept_off_ = cpu;
}

void* NetlinkSocket::SenderMain(void* self) {
  static_cast<NetlinkSocket*>(self)->SenderLoop();
  return nullptr;
}

void NetlinkSocket::SenderLoop() {
  std::unique_lock<std::mutex> lock(send_mutex_);
  for (;;) {
    send_cv_.wait(lock, [this] { return sender_stop_ || sender_wanted_; });
    if (sender_stop_) return;
    sender_wanted_ = false;
    lock.unlock();
    DrainSendQueue();
    lock.lock();
  }
}

void NetlinkSocket::SenderWork(uv_work_t* req) {
  static_cast<NetlinkSocket*>(req->data)->DrainSendQueue();
}

void NetlinkSocket::DrainSendQueue() {
  for (;;) {
    SendItem* item;
    {
      std::lock_guard<std::mutex> lock(send_mutex_);
      if (send_queue_.empty()) {
        // Sends close() cancelled are reported after the last one sent, so
        // callbacks keep call order.
        if (!send_cancelled_.empty()) {
          for (SendItem* cancelled : send_cancelled_) send_done_.push_back(cancelled);
          send_cancelled_.clear();
          uv_async_send(send_async_);
        }
        sender_running_ = false;
        return;
      }
      item = send_queue_.front();
      send_queue_.pop_front();
    }
    item->sent = SendToKernel(item->fd, item->iov.data(), item->iov.size());
    if (item->sent < 0) item->errnum = errno;
    // Under the lock: once the main thread has seen the last item it may close
    // send_async_, so no uv_async_send may follow the hand-over.
    std::lock_guard<std::mutex> lock(send_mutex_);
    send_done_.push_back(item);
    uv_async_send(send_async_);
  }
}

void NetlinkSocket::SenderAfter(uv_work_t* req, int /*status*/) {
  NetlinkSocket* self = static_cast<NetlinkSocket*>(req->data);
  delete req;
  self->Unref();
}

void NetlinkSocket::OnSendsDone(uv_async_t* handle) {
  NetlinkSocket* self = static_cast<NetlinkSocket*>(handle->data);
  if (self != nullptr) self->DeliverFinishedSends();
}

void NetlinkSocket::DeliverFinishedSends() {
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  std::deque<SendItem*> finished;
  {
    std::lock_guard<std::mutex> lock(send_mutex_);
    finished.swap(send_done_);
  }
  if (finished.empty()) return;
  // Everything a pending close() waited for has left sendmsg: close the fd
  // before the callbacks, which may observe the socket.
  if (close_pending_ && sends_in_flight_ == finished.size()) {
    close_pending_ = false;
    CloseFd();
  }
  for (SendItem* item : finished) {
    for (auto& ref : item->keep) ref.Reset();
    napi_value error = env.Null();
    if (item->errnum != 0) error = MakeSystemError(env, item->errnum, "sendmsg").Value();
    napi_value bytes = Napi::Number::New(env, item->sent < 0 ? 0 : static_cast<double>(item->sent));
    Napi::Function callback = item->callback.Value();
    item->callback.Reset();
    delete item;
    sends_in_flight_--;
    callback.MakeCallback(Value(), {error, bytes}, *async_context_);
    if (env.IsExceptionPending()) {
      // As for a receive handler: a throwing callback is an uncaught exception.
      Napi::Error pending = env.GetAndClearPendingException();
      napi_fatal_exception(env, pending.Value());
    }
  }
  // A callback may have queued new sends: only an empty socket lets go.
  if (sends_in_flight_ == 0) {
    if (close_pending_) {
      close_pending_ = false;
      CloseFd();
    }
    if (sends_hold_wrapper_) {
      sends_hold_wrapper_ = false;
      uv_unref(reinterpret_cast<uv_handle_t*>(send_async_));
      Unref();  // last: the wrapper may be collected from here on
    }
  }
}

namespace {

/** Who sent a datagram and whether it fit. */
struct Datagram {
  uint32_t port = 0;
  bool truncated = false;
};

// One non-blocking recvmsg into buf: the byte count (or -1 with errno), the
// sender's port (0 is the kernel) and MSG_TRUNC in `d`.
ssize_t ReceiveDatagram(int fd, uint8_t* buf, size_t len, Datagram* d) {
  struct sockaddr_nl from;
  memset(&from, 0, sizeof(from));
  struct iovec iov = {buf, len};
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_name = &from;
  msg.msg_namelen = sizeof(from);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);
  if (n >= 0) {
    d->port = from.nl_pid;
    d->truncated = (msg.msg_flags & MSG_TRUNC) != 0;
  }
  return n;
}

int64_t MonotonicMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

// receiveSync(buffer, timeoutMs): one datagram from the kernel into `buffer`,
// waiting at most timeoutMs (poll) when none is queued. For a socket used
// synchronously (never start()ed): rtnetlink answers a request inside the
// sendmsg that carried it, so a reply is normally queued at once and the wait
// only bounds a kernel that does not answer. Datagrams from other ports are
// dropped, as on the polled path.
Napi::Value NetlinkSocket::ReceiveSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (fd_ < 0 || close_pending_) return ThrowSystemError(env, EBADF, "recvmsg");
  if (referenced_) return ThrowSystemError(env, EBUSY, "recvmsg");
  if (info.Length() < 2 || !info[0].IsBuffer()) return ThrowTypeError(env, "receiveSync expects (Buffer, timeoutMs)");
  int64_t timeout_ms = 0;
  if (!ReadInt(env, info, 1, 0, 60000, &timeout_ms)) return env.Undefined();
  Napi::Buffer<uint8_t> buffer = info[0].As<Napi::Buffer<uint8_t>>();
  const int64_t deadline = MonotonicMs() + timeout_ms;
  for (;;) {
    Datagram d;
    ssize_t n = ReceiveDatagram(fd_, buffer.Data(), buffer.Length(), &d);
    if (n >= 0) {
      if (d.truncated) return ThrowSystemError(env, EMSGSIZE, "recvmsg");
      if (d.port != 0) continue;
      return Napi::Number::New(env, static_cast<double>(n));
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return ThrowSystemError(env, errno, "recvmsg");
    int64_t left = deadline - MonotonicMs();
    if (left <= 0) return ThrowSystemError(env, ETIMEDOUT, "recvmsg");
    struct pollfd pfd = {fd_, POLLIN, 0};
    int rc = poll(&pfd, 1, static_cast<int>(left));
    if (rc < 0 && errno != EINTR) return ThrowSystemError(env, errno, "poll");
  }
}

Napi::Value NetlinkSocket::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (fd_ < 0) return ThrowSystemError(env, EBADF, "uv_poll_start");
  if (info.Length() < 1 || !info[0].IsFunction()) {
    return ThrowTypeError(env, "start expects a callback");
  }
  int64_t max_per_wake = 64;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    if (!ReadInt(env, info, 1, 1, 1 << 16, &max_per_wake)) return env.Undefined();
  }
  max_per_wake_ = static_cast<uint32_t>(max_per_wake);
  on_receive_ = Napi::Persistent(info[0].As<Napi::Function>());
  if (async_context_ == nullptr) async_context_ = new Napi::AsyncContext(env, "fibwire:netlink");
  if (scratch_.empty()) scratch_.resize(kScratchSize);

  if (poll_ == nullptr) {
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok) {
      return ThrowSystemError(env, EINVAL, "napi_get_uv_event_loop");
    }
    poll_ = new uv_poll_t;
    int rc = uv_poll_init(loop, poll_, fd_);
    if (rc != 0) {
      delete poll_;
      poll_ = nullptr;
      return ThrowSystemError(env, -rc, "uv_poll_init");
    }
    poll_->data = this;
  }
  int rc = uv_poll_start(poll_, UV_READABLE, &NetlinkSocket::OnPoll);
  if (rc != 0) return ThrowSystemError(env, -rc, "uv_poll_start");
  // While polling, the wrapper must outlive any JavaScript reference to it.
  if (!referenced_) {
    Ref();
    referenced_ = true;
  }
  return env.Undefined();
}

Napi::Value NetlinkSocket::Stop(const Napi::CallbackInfo& info) {
  if (poll_ != nullptr) uv_poll_stop(poll_);
  if (referenced_) {
    Unref();
    referenced_ = false;
  }
  return info.Env().Undefined();
}

Napi::Value NetlinkSocket::Close(const Napi::CallbackInfo& info) {
  StopPolling();
  if (referenced_) {
    Unref();
    referenced_ = false;
  }
  on_receive_.Reset();
  if (send_async_ != nullptr) {
    // Sends not started yet never reach the kernel; their callbacks report it,
    // after the one the sender thread may be sending (it hands them over).
    std::lock_guard<std::mutex> lock(send_mutex_);
    std::deque<SendItem*>& to = sender_running_ ? send_cancelled_ : send_done_;
    while (!send_queue_.empty()) {
      SendItem* item = send_queue_.front();
      send_queue_.pop_front();
      item->errnum = ECANCELED;
      to.push_back(item);
    }
    if (!sender_running_ && !send_done_.empty()) uv_async_send(send_async_);
  }
  // A sendmsg still running on the sender thread uses the fd: close it when that
  // send is done (DeliverFinishedSends), so the number is never reused under it.
  if (sends_in_flight_ > 0) {
    close_pending_ = true;
  } else {
    CloseFd();
  }
  return info.Env().Undefined();
}

Napi::Value NetlinkSocket::GetFd(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), fd_);
}

void NetlinkSocket::StopPolling() {
  if (poll_ == nullptr) return;
  // libuv: stop polling before the fd is closed, then release the handle
  // once libuv is done with it.
  uv_poll_stop(poll_);
  poll_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(poll_),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); });
  poll_ = nullptr;
}

// Main thread, with no send left in the queue: ends the sender thread (it
// finishes the drain it may be in, which only has to see the queue empty).
void NetlinkSocket::StopSender() {
  if (!sender_started_) return;
  {
    std::lock_guard<std::mutex> lock(send_mutex_);
    sender_stop_ = true;
  }
  send_cv_.notify_one();
  pthread_join(sender_thread_, nullptr);
  sender_started_ = false;
}

void NetlinkSocket::CloseFd() {
  // Every send is over once the fd closes (close() waits for the one in sendmsg).
  StopSender();
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
}

void NetlinkSocket::OnPoll(uv_poll_t* handle, int status, int /*events*/) {
  NetlinkSocket* self = static_cast<NetlinkSocket*>(handle->data);
  if (self == nullptr) return;
  self->Drain(status);
}

void NetlinkSocket::Drain(int poll_status) {
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  if (on_receive_.IsEmpty() || fd_ < 0) return;

  Napi::Array datagrams = Napi::Array::New(env);
  uint32_t count = 0;
  uint32_t truncated = 0;
  uint32_t foreign = 0;
  int errnum = 0;
  const char* syscall = "recvmsg";
  // libuv turns POLLERR into status UV_EBADF and stops the handle. On a
  // netlink socket POLLERR means sk_err is set (ENOBUFS after an overrun),
  // which the next recvmsg reports and clears: read on, then restart polling.
  bool restart_poll = poll_status < 0;
  for (uint32_t i = 0; errnum == 0 && i < max_per_wake_; i++) {
    Datagram d;
    ssize_t n = ReceiveDatagram(fd_, scratch_.data(), scratch_.size(), &d);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      errnum = errno;  // ENOBUFS: the kernel dropped messages for us
      break;
    }
    if (d.truncated) {
      truncated++;
      continue;
    }
    if (d.port != 0) {
      // Only the kernel (port 0) speaks rtnetlink to us; anything else is
      // another process and is counted, never parsed.
      foreign++;
      continue;
    }
    datagrams.Set(count++, Napi::Buffer<uint8_t>::Copy(env, scratch_.data(), static_cast<size_t>(n)));
  }
  if (restart_poll && poll_ != nullptr && referenced_) {
    int rc = uv_poll_start(poll_, UV_READABLE, &NetlinkSocket::OnPoll);
    if (rc != 0 && errnum == 0) {
      errnum = -rc;
      syscall = "uv_poll_start";
    }
  }
  if (restart_poll && count == 0 && errnum == 0) {
    // POLLERR without anything recvmsg could explain: report what libuv saw.
    errnum = -poll_status;
    syscall = "uv_poll";
  }
  if (count == 0 && truncated == 0 && foreign == 0 && errnum == 0) return;

  napi_value error = env.Null();
  if (errnum != 0) error = MakeSystemError(env, errnum, syscall).Value();
  Napi::Function callback = on_receive_.Value();
  callback.MakeCallback(Value(),
                        {error, datagrams, Napi::Number::New(env, truncated),
                         Napi::Number::New(env, foreign)},
                        *async_context_);
  if (env.IsExceptionPending()) {
    // A throwing JavaScript handler becomes an uncaught exception, exactly as
    // it would for an EventEmitter listener of a Node socket.
    Napi::Error pending = env.GetAndClearPendingException();
    napi_fatal_exception(env, pending.Value());
  }
}

}  // namespace fibwire
