#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/netlink.h>

namespace fibwire {
namespace {

// The one call made inside the target namespace.
struct NetnsCall {
  enum class What { kSocket, kOpen } what;
  int protocol;
  const char* path;
  int flags;
};

int RunCall(const NetnsCall& call) {
  if (call.what == NetnsCall::What::kSocket) {
    return socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, call.protocol);
  }
  return open(call.path, call.flags | O_CLOEXEC);
}

// The calling thread's own namespace. /proc/thread-self exists since Linux
// 3.17; older kernels need the explicit task path.
int OpenOwnNetns() {
  int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) return fd;
  char path[64];
  snprintf(path, sizeof(path), "/proc/self/task/%ld/ns/net",
           static_cast<long>(syscall(SYS_gettid)));
  return open(path, O_RDONLY | O_CLOEXEC);
}

}  // namespace

static SocketResult RunInNetns(const NetnsTarget& target, const NetnsCall& call) {
  SocketResult result;
  const char* call_name = call.what == NetnsCall::What::kSocket ? "socket" : "open";
  if (target.kind == NetnsTarget::Kind::kCurrent) {
    result.fd = RunCall(call);
    if (result.fd < 0) {
      result.errnum = errno;
      result.syscall = call_name;
    }
    return result;
  }

  int target_fd = target.fd;
  bool close_target = false;
  if (target.kind == NetnsTarget::Kind::kPath) {
    target_fd = open(target.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (target_fd < 0) {
      result.errnum = errno;
      result.syscall = "open";
      return result;
    }
    close_target = true;
  }

  int original_fd = OpenOwnNetns();
  if (original_fd < 0) {
    result.errnum = errno;
    result.syscall = "open";
    if (close_target) close(target_fd);
    return result;
  }

  if (setns(target_fd, CLONE_NEWNET) != 0) {
    result.errnum = errno;
    result.syscall = "setns";
  } else {
    result.fd = RunCall(call);
    if (result.fd < 0) {
      result.errnum = errno;
      result.syscall = call_name;
    }
    if (setns(original_fd, CLONE_NEWNET) != 0) {
      // Cannot happen for a namespace we were just in unless the process lost
      // CAP_SYS_ADMIN in between; never continue in the wrong namespace.
      fprintf(stderr, "fibwire: cannot return to the original network namespace (errno %d)\n", errno);
      abort();
    }
  }
  close(original_fd);
  if (close_target) close(target_fd);
  return result;
}

SocketResult OpenSocketInNetns(const NetnsTarget& target, int protocol) {
  return RunInNetns(target, NetnsCall{NetnsCall::What::kSocket, protocol, nullptr, 0});
}

SocketResult OpenFileInNetns(const NetnsTarget& target, const char* path, int flags) {
  return RunInNetns(target, NetnsCall{NetnsCall::What::kOpen, 0, path, flags});
}

}  // namespace fibwire
