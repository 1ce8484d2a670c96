// Entry point of the fibwire netlink addon (Linux only; see binding.gyp).
#include <napi.h>

#include "named_netns.h"
#include "netlink_socket.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NetlinkSocket", fibwire::NetlinkSocket::Define(env));
  exports.Set("openInNetns", Napi::Function::New(env, fibwire::OpenInNetns, "openInNetns"));
  exports.Set("createNetns", Napi::Function::New(env, fibwire::CreateNetns, "createNetns"));
  exports.Set("deleteNetns", Napi::Function::New(env, fibwire::DeleteNetns, "deleteNetns"));
  return exports;
}

}  // namespace

NODE_API_MODULE(fibwire_netlink, Init)
