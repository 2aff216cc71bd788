#pragma once
// Files for the `envelope` command: streams over file descriptors ("-" is stdin/stdout), an
// atomic output file, and small readers for key files. Every failure is an IoError (exit 3)
// naming the path.
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "envelope/envelope.h"
#include "envelope/secret_bytes.h"

namespace envelope::cli {

// Reads a file, or stdin for "-". Not thread-safe.
class FdInputStream final : public InputStream {
 public:
  // IoError when the file cannot be opened or is a directory.
  static Result<std::unique_ptr<FdInputStream>> Open(const std::string& path);
  ~FdInputStream() override;
  FdInputStream(const FdInputStream&) = delete;
  FdInputStream& operator=(const FdInputStream&) = delete;

  Result<std::size_t> Read(std::span<std::uint8_t> buffer) override;
  // The size of a regular file (stdin redirected from a file included), else nullopt.
  std::optional<std::uint64_t> size() const { return size_; }

 private:
  FdInputStream(int fd, bool owned, std::string name, std::optional<std::uint64_t> size)
      : fd_(fd), owned_(owned), name_(std::move(name)), size_(size) {}
  int fd_;
  bool owned_;
  std::string name_;
  std::optional<std::uint64_t> size_;
};

// Writes to a descriptor it does not own (stdout). Not thread-safe.
class FdOutputStream final : public OutputStream {
 public:
  FdOutputStream(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  Status Write(std::span<const std::uint8_t> data) override;

 private:
  int fd_;
  std::string name_;
};

// An output file that appears under its final name only when complete: bytes go to a temporary
// file (mkstemp) in the target's directory, Commit() fsyncs it, sets its mode, renames it over the
// target and fsyncs the directory. Destroying it uncommitted removes the temporary file, so a
// failure leaves nothing behind. Not thread-safe.
class AtomicOutputFile final : public OutputStream {
 public:
  // `mode` is applied at Commit(); nullopt means 0666 minus the process umask.
  // IoError when the temporary file cannot be created.
  static Result<std::unique_ptr<AtomicOutputFile>> Create(const std::string& target,
                                                          std::optional<mode_t> mode = {});
  ~AtomicOutputFile() override;
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  Status Write(std::span<const std::uint8_t> data) override;
  // IoError when a step fails; the temporary file is then removed and the target untouched.
  Status Commit();
  // Removes the temporary file (idempotent; a no-op after Commit()).
  void Abandon();

  const std::string& target() const { return target_; }
  const std::string& temp_path() const { return temp_path_; }

 private:
  AtomicOutputFile(int fd, std::string target, std::string temp_path, mode_t mode)
      : fd_(fd), target_(std::move(target)), temp_path_(std::move(temp_path)), mode_(mode) {}
  int fd_;
  std::string target_;
  std::string temp_path_;
  mode_t mode_;
  bool done_ = false;
};

// Reads a whole file into zeroed-on-free memory. IoError when unreadable, larger than
// `max_size`, or not a regular file.
Result<SecretBytes> ReadSecretFile(const std::string& path, std::size_t max_size);
// The same for non-secret text (PEM public keys, configs).
Result<std::string> ReadTextFile(const std::string& path, std::size_t max_size);

// True when both paths exist and name the same file (device and inode).
bool SameFile(const std::string& a, const std::string& b);

// 0666 minus the process umask, read once.
mode_t DefaultFileMode();

}  // namespace envelope::cli
