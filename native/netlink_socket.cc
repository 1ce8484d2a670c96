#include "netlink_socket.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
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
  StopPolling();
  CloseFd();
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

// sendmsg on a libuv pool thread. The receiver (the socket's JavaScript
// object) and every Buffer are referenced until the callback ran, so neither
// the wrapper nor the bytes can be collected mid-send.
class SendWorker : public Napi::AsyncWorker {
 public:
  SendWorker(Napi::Object receiver, Napi::Function callback, NetlinkSocket* socket,
             std::vector<struct iovec> iov, std::vector<Napi::Reference<Napi::Value>> keep)
      : Napi::AsyncWorker(receiver, callback, "fibwire:netlink-send"),
        socket_(socket),
        fd_(socket->fd_),
        iov_(std::move(iov)),
        keep_(std::move(keep)) {}

  void Execute() override {
    sent_ = SendToKernel(fd_, iov_.data(), iov_.size());
    if (sent_ < 0) errnum_ = errno;
  }

  void OnOK() override {
    Napi::Env env = Env();
    for (auto& ref : keep_) ref.Reset();
    socket_->OnAsyncSendDone();
    napi_value error = env.Null();
    napi_value bytes = Napi::Number::New(env, sent_ < 0 ? 0 : static_cast<double>(sent_));
    if (errnum_ != 0) error = MakeSystemError(env, errnum_, "sendmsg").Value();
    Callback().Call(Receiver().Value(), {error, bytes});
  }

 private:
  NetlinkSocket* socket_;
  int fd_;
  std::vector<struct iovec> iov_;
  std::vector<Napi::Reference<Napi::Value>> keep_;
  ssize_t sent_ = 0;
  int errnum_ = 0;
};

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
  std::vector<struct iovec> iov;
  std::vector<Napi::Reference<Napi::Value>> keep;
  if (!ReadIovecs(env, info[0], &iov, &keep)) return env.Undefined();
  SendWorker* worker = new SendWorker(info.This().As<Napi::Object>(), info[1].As<Napi::Function>(),
                                      this, std::move(iov), std::move(keep));
  sends_in_flight_++;
  worker->Queue();
  return env.Undefined();
}

void NetlinkSocket::OnAsyncSendDone() {
  if (sends_in_flight_ > 0) sends_in_flight_--;
  if (sends_in_flight_ == 0 && close_pending_) {
    close_pending_ = false;
    CloseFd();
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
  // A sendmsg still running on a pool thread uses the fd: close it when that
  // send is done (OnAsyncSendDone), so the number is never reused under it.
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

void NetlinkSocket::CloseFd() {
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
    struct sockaddr_nl from;
    memset(&from, 0, sizeof(from));
    struct iovec iov = {scratch_.data(), scratch_.size()};
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_name = &from;
    msg.msg_namelen = sizeof(from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    ssize_t n = recvmsg(fd_, &msg, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      errnum = errno;  // ENOBUFS: the kernel dropped messages for us
      break;
    }
    if (msg.msg_flags & MSG_TRUNC) {
      truncated++;
      continue;
    }
    if (from.nl_pid != 0) {
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
