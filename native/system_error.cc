#include "system_error.h"

#include <string>
#include <uv.h>

namespace fibwire {

Napi::Error MakeSystemError(Napi::Env env, int errnum, const char* syscall,
                            const char* path) {
  // libuv's error codes on Unix are the negated errno values, which is also
  // what Node puts in `err.errno`.
  char code[64];
  char text[256];
  uv_err_name_r(-errnum, code, sizeof(code));
  uv_strerror_r(-errnum, text, sizeof(text));
  std::string message = std::string(code) + ": " + text + ", " + syscall;
  if (path != nullptr) {
    message += " '";
    message += path;
    message += "'";
  }
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("errno", Napi::Number::New(env, -errnum));
  error.Set("code", Napi::String::New(env, code));
  error.Set("syscall", Napi::String::New(env, syscall));
  if (path != nullptr) {
    error.Set("path", Napi::String::New(env, path));
  }
  return error;
}

Napi::Value ThrowSystemError(Napi::Env env, int errnum, const char* syscall,
                             const char* path) {
  MakeSystemError(env, errnum, syscall, path).ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value ThrowTypeError(Napi::Env env, const char* message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return env.Undefined();
}

}  // namespace fibwire
