// Opening a socket inside another network namespace.
//
// setns(2) moves only the calling thread, and a socket stays bound to the
// namespace it was created in for its whole life. So the addon enters the
// target namespace for exactly one socket(2) call and returns to the thread's
// original namespace at once, on every path.
#pragma once

#include <string>

namespace fibwire {

// Where the socket should live: the caller's own namespace, a file path
// (/var/run/netns/NAME, /proc/PID/ns/net, ...) or an already open fd.
struct NetnsTarget {
  enum class Kind { kCurrent, kPath, kFd } kind = Kind::kCurrent;
  std::string path;
  int fd = -1;
};

// Result of OpenSocketInNetns: fd >= 0 on success, otherwise errnum and the
// failing syscall's name (and for kPath, the path) describe the failure.
struct SocketResult {
  int fd = -1;
  int errnum = 0;
  const char* syscall = nullptr;
};

// Creates socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol)
// in the target namespace. If the thread cannot return to its original
// namespace the process is aborted: continuing would silently run every later
// network call of the main thread in the wrong namespace.
SocketResult OpenSocketInNetns(const NetnsTarget& target, int protocol);

// open(2)s a file while inside the target namespace. Used for
// /proc/sys/net/...: a sysctl file opened there keeps naming that namespace's
// value after the thread has returned.
SocketResult OpenFileInNetns(const NetnsTarget& target, const char* path, int flags);

}  // namespace fibwire
