// Built on every platform other than Linux so `npm install` succeeds there:
// it exports nothing, and the TypeScript side throws UnsupportedPlatformError
// before it would ever look for NetlinkSocket.
#include <napi.h>

namespace {

Napi::Object Init(Napi::Env /*env*/, Napi::Object exports) { return exports; }

}  // namespace

NODE_API_MODULE(fibwire_netlink, Init)
