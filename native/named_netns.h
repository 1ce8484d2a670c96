// Named network namespaces, as `ip netns add NAME` / `ip netns del NAME` make
// and remove them (iproute2 ip/ipnetns.c): a file under a run directory
// (normally /var/run/netns) with a namespace bind-mounted on it, which keeps
// the namespace alive with no process inside.
//
// JavaScript interface (declared in src/netlink/native/binding-types.ts):
//   createNetns(runDir, name) -> Promise<void>
//   deleteNetns(runDir, name) -> Promise<void>
// Both reject with Node-style system errors (errno, code, syscall, path).
// The work runs off the main thread: createNetns spawns a short-lived thread of
// its own for unshare(CLONE_NEWNET), because unshare moves the calling thread
// into the new namespace for good and no shared thread (Node's main thread or
// a libuv pool thread) may end up there.
#pragma once

#include <napi.h>

namespace fibwire {

Napi::Value CreateNetns(const Napi::CallbackInfo& info);
Napi::Value DeleteNetns(const Napi::CallbackInfo& info);

}  // namespace fibwire
