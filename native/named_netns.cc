#include "named_netns.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>

#include "system_error.h"

namespace fibwire {
namespace {

// A failed step: errno, the syscall and the path it was about.
struct Failure {
  int errnum = 0;
  const char* syscall = nullptr;
  std::string path;
};

bool Fail(Failure* failure, const char* syscall, const std::string& path) {
  failure->errnum = errno;
  failure->syscall = syscall;
  failure->path = path;
  return false;
}

// Makes the run directory a shared mount point so that a later umount of a
// namespace file propagates to every mount namespace and the namespace can be
// freed (iproute2 does the same: mount --make-rshared, and if the directory is
// not a mount point yet (EINVAL), bind-mount it onto itself first).
bool PrepareRunDir(const std::string& dir, Failure* failure) {
  if (mkdir(dir.c_str(), S_IRWXU | S_IRGRP | S_IXGRP | S_IROTH | S_IXOTH) != 0 && errno != EEXIST) {
    return Fail(failure, "mkdir", dir);
  }
  bool made_mount_point = false;
  while (mount("", dir.c_str(), "none", MS_SHARED | MS_REC, nullptr) != 0) {
    if (errno != EINVAL || made_mount_point) return Fail(failure, "mount", dir);
    if (mount(dir.c_str(), dir.c_str(), "none", MS_BIND | MS_REC, nullptr) != 0) {
      return Fail(failure, "mount", dir);
    }
    made_mount_point = true;
  }
  return true;
}

struct BindJob {
  const std::string* file;
  Failure* failure;
};

// Runs on a dedicated thread that exists only for this: enters a fresh
// network namespace and bind-mounts the thread's namespace onto `file`.
// When the thread ends, the mount keeps the namespace alive.
void* UnshareAndBind(void* arg) {
  BindJob* job = static_cast<BindJob*>(arg);
  if (unshare(CLONE_NEWNET) != 0) {
    Fail(job->failure, "unshare", *job->file);
    return nullptr;
  }
  char self[64];
  snprintf(self, sizeof(self), "/proc/self/task/%ld/ns/net", static_cast<long>(syscall(SYS_gettid)));
  if (mount(self, job->file->c_str(), "none", MS_BIND, nullptr) != 0) Fail(job->failure, "mount", *job->file);
  return nullptr;
}

bool CreateNamed(const std::string& dir, const std::string& file, Failure* failure) {
  if (!PrepareRunDir(dir, failure)) return false;
  // O_EXCL: an existing namespace of that name is EEXIST, never reused.
  int fd = open(file.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (fd < 0) return Fail(failure, "open", file);
  close(fd);
  // pthread directly (not std::thread): the addon is built without C++
  // exceptions, and a thread that cannot start must be an error, not abort().
  BindJob job{&file, failure};
  pthread_t worker;
  int started = pthread_create(&worker, nullptr, UnshareAndBind, &job);
  if (started != 0) {
    errno = started;
    Fail(failure, "pthread_create", file);
  } else {
    pthread_join(worker, nullptr);
  }
  if (failure->syscall != nullptr) {
    unlink(file.c_str());  // undo: no half-made namespace file stays behind
    return false;
  }
  return true;
}

bool DeleteNamed(const std::string& file, Failure* failure) {
  // MNT_DETACH: processes or sockets still using the namespace keep it; the
  // name goes at once. EINVAL means the file is not a mount point (a stale
  // name): remove it anyway, as iproute2 does.
  if (umount2(file.c_str(), MNT_DETACH) != 0 && errno != EINVAL) return Fail(failure, "umount2", file);
  if (unlink(file.c_str()) != 0) return Fail(failure, "unlink", file);
  return true;
}

class NetnsWorker : public Napi::AsyncWorker {
 public:
  NetnsWorker(Napi::Env env, bool create, std::string dir, std::string name)
      : Napi::AsyncWorker(env, create ? "fibwire.createNetns" : "fibwire.deleteNetns"),
        deferred_(Napi::Promise::Deferred::New(env)),
        create_(create),
        dir_(std::move(dir)),
        file_(dir_ + "/" + name) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    if (create_) {
      CreateNamed(dir_, file_, &failure_);
    } else {
      DeleteNamed(file_, &failure_);
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (failure_.syscall == nullptr) {
      deferred_.Resolve(env.Undefined());
    } else {
      deferred_.Reject(MakeSystemError(env, failure_.errnum, failure_.syscall, failure_.path.c_str()).Value());
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  bool create_;
  std::string dir_;
  std::string file_;
  Failure failure_;
};

// A namespace name is one path component (iproute2 rejects '/' and the dot names too).
bool ValidName(const std::string& name) {
  return !name.empty() && name.size() <= 255 && name != "." && name != ".." &&
         name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

Napi::Value Start(const Napi::CallbackInfo& info, bool create) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsString()) {
    return ThrowTypeError(env, "expected (runDir: string, name: string)");
  }
  std::string dir = info[0].As<Napi::String>().Utf8Value();
  std::string name = info[1].As<Napi::String>().Utf8Value();
  if (dir.empty() || dir[0] != '/' || dir.find('\0') != std::string::npos) {
    return ThrowTypeError(env, "runDir must be an absolute path");
  }
  if (!ValidName(name)) return ThrowTypeError(env, "name must be a single path component");
  auto* worker = new NetnsWorker(env, create, std::move(dir), std::move(name));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace

Napi::Value CreateNetns(const Napi::CallbackInfo& info) { return Start(info, true); }

Napi::Value DeleteNetns(const Napi::CallbackInfo& info) { return Start(info, false); }

}  // namespace fibwire
