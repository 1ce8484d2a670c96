// Node-style system errors for the netlink addon: an Error whose message,
// `errno` (negative, as libuv and Node's own fs/net errors report it), `code`
// and `syscall` look exactly like the errors Node raises itself, so callers can
// handle `err.code === 'ENOENT'` the same way everywhere.
#pragma once

#include <napi.h>

namespace fibwire {

// Builds (does not throw) a system error for a positive errno value.
Napi::Error MakeSystemError(Napi::Env env, int errnum, const char* syscall,
                            const char* path = nullptr);

// Throws a system error as a pending JavaScript exception (C++ exceptions are
// disabled in this addon) and returns undefined for the caller to return.
Napi::Value ThrowSystemError(Napi::Env env, int errnum, const char* syscall,
                             const char* path = nullptr);

// Throws a TypeError for an argument that has the wrong shape.
Napi::Value ThrowTypeError(Napi::Env env, const char* message);

}  // namespace fibwire
