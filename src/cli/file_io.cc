#include "cli/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "cli/exit_codes.h"

namespace envelope::cli {
namespace {

Status Errno(std::string_view what, const std::string& path) {
  return IoError(path + ": " + std::string(what) + ": " + std::strerror(errno));
}

// write() until everything is out, retrying on EINTR and short writes.
Status WriteAll(int fd, std::span<const std::uint8_t> data, const std::string& name) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Errno("write failed", name);
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return OkStatus();
}

std::string DirectoryOf(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// Makes the rename durable: without this a crash may forget the new directory entry.
void SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Opens `path` for reading and checks it is a regular file no larger than `max_size`.
Result<int> OpenSmallFile(const std::string& path, std::size_t max_size, std::size_t& size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Errno("cannot open", path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return IoError(path + ": not a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_size) {
    ::close(fd);
    return IoError(path + ": larger than " + std::to_string(max_size) + " bytes");
  }
  size = static_cast<std::size_t>(st.st_size);
  return fd;
}

Status ReadExactly(int fd, std::span<std::uint8_t> out, const std::string& path) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return Errno("read failed", path);
    }
    if (n == 0) {
      return IoError(path + ": changed while being read");
    }
    done += static_cast<std::size_t>(n);
  }
  return OkStatus();
}

// Temporary files that a SIGINT/SIGTERM/SIGHUP must remove: destructors do not run when the
// process is killed by a signal, and a Ctrl-C must not leave hidden partial files behind.
constexpr int kCleanupSlots = 8;
std::atomic<const char*> g_cleanup[kCleanupSlots];

extern "C" void RemoveTempFilesAndDie(int sig) {
  for (auto& slot : g_cleanup) {
    if (const char* path = slot.load()) {
      ::unlink(path);  // async-signal-safe
    }
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void InstallSignalCleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      std::signal(sig, RemoveTempFilesAndDie);
    }
  });
}

void RegisterTemp(const char* path) {
  for (auto& slot : g_cleanup) {
    const char* expected = nullptr;
    if (slot.compare_exchange_strong(expected, path)) {
      return;
    }
  }
  // More live temporary files than slots: only the signal cleanup is lost, not correctness.
}

void UnregisterTemp(const char* path) {
  for (auto& slot : g_cleanup) {
    const char* expected = path;
    if (slot.compare_exchange_strong(expected, nullptr)) {
      return;
    }
  }
}

}  // namespace

mode_t DefaultFileMode() {
  static const mode_t mode = [] {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return static_cast<mode_t>(0666 & ~mask);
  }();
  return mode;
}

Result<std::unique_ptr<FdInputStream>> FdInputStream::Open(const std::string& path) {
  int fd = STDIN_FILENO;
  bool owned = false;
  std::string name = path == "-" ? "<stdin>" : path;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return Errno("cannot open", path);
    }
    owned = true;
  }
  struct stat st {};
  std::optional<std::uint64_t> size;
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      if (owned) {
        ::close(fd);
      }
      return IoError(path + ": is a directory");
    }
    if (S_ISREG(st.st_mode)) {
      size = static_cast<std::uint64_t>(st.st_size);
    }
  }
  return std::unique_ptr<FdInputStream>(new FdInputStream(fd, owned, std::move(name), size));
}

FdInputStream::~FdInputStream() {
  if (owned_) {
    ::close(fd_);
  }
}

Result<std::size_t> FdInputStream::Read(std::span<std::uint8_t> buffer) {
  for (;;) {
    const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n >= 0) {
      return static_cast<std::size_t>(n);
    }
    if (errno != EINTR) {
      return Errno("read failed", name_);
    }
  }
}

Status FdOutputStream::Write(std::span<const std::uint8_t> data) {
  return WriteAll(fd_, data, name_);
}

Result<std::unique_ptr<AtomicOutputFile>> AtomicOutputFile::Create(const std::string& target,
                                                                   std::optional<mode_t> mode) {
  const std::string dir = DirectoryOf(target);
  const std::string base = std::filesystem::path(target).filename().string();
  // Hidden, and named after the target so a leftover from a killed process is recognisable.
  std::string temp = dir + "/." + base + ".tmp-XXXXXX";
  InstallSignalCleanup();
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) {
    return Errno("cannot create a temporary file", target);
  }
  std::unique_ptr<AtomicOutputFile> file(
      new AtomicOutputFile(fd, target, std::move(temp), mode.value_or(DefaultFileMode())));
  RegisterTemp(file->temp_path_.c_str());
  return file;
}

AtomicOutputFile::~AtomicOutputFile() { Abandon(); }

Status AtomicOutputFile::Write(std::span<const std::uint8_t> data) {
  if (done_) {
    return IoError(target_ + ": write after the file was closed");
  }
  return WriteAll(fd_, data, target_);
}

Status AtomicOutputFile::Commit() {
  if (done_) {
    return IoError(target_ + ": already closed");
  }
  if (::fsync(fd_) != 0) {
    Status s = Errno("fsync failed", target_);
    Abandon();
    return s;
  }
  if (::fchmod(fd_, mode_) != 0) {
    Status s = Errno("chmod failed", target_);
    Abandon();
    return s;
  }
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0 || ::rename(temp_path_.c_str(), target_.c_str()) != 0) {
    Status s = Errno(rc != 0 ? "close failed" : "cannot rename into place", target_);
    Abandon();
    return s;
  }
  done_ = true;
  UnregisterTemp(temp_path_.c_str());
  SyncDirectory(DirectoryOf(target_));
  return OkStatus();
}

void AtomicOutputFile::Abandon() {
  if (done_) {
    return;
  }
  done_ = true;
  UnregisterTemp(temp_path_.c_str());
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  ::unlink(temp_path_.c_str());
}

Result<SecretBytes> ReadSecretFile(const std::string& path, std::size_t max_size) {
  std::size_t size = 0;
  ENVELOPE_ASSIGN_OR_RETURN(const int fd, OpenSmallFile(path, max_size, size));
  SecretBytes out(size);
  Status s = ReadExactly(fd, out.mutable_span(), path);
  ::close(fd);
  ENVELOPE_RETURN_IF_ERROR(s);
  return out;
}

Result<std::string> ReadTextFile(const std::string& path, std::size_t max_size) {
  std::size_t size = 0;
  ENVELOPE_ASSIGN_OR_RETURN(const int fd, OpenSmallFile(path, max_size, size));
  std::string out(size, '\0');
  Status s = ReadExactly(
      fd, std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(out.data()), size), path);
  ::close(fd);
  ENVELOPE_RETURN_IF_ERROR(s);
  return out;
}

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa {};
  struct stat sb {};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) {
    return false;
  }
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace envelope::cli
