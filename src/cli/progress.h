#pragma once
// Byte counting around the library's streams, and a progress bar on stderr for large inputs.
#include <chrono>
#include <cstdint>
#include <optional>

#include "envelope/envelope.h"

namespace envelope::cli {

// Inputs above this size get a progress bar when stderr is a terminal.
inline constexpr std::uint64_t kProgressThresholdBytes = 64ull << 20;

// True when a bar should be drawn: not quiet, stderr is a TTY, and the size is known and large.
bool WantProgress(bool quiet, std::optional<std::uint64_t> input_size);

// Counts the bytes read through it; when `total` is set, redraws a one-line bar on stderr at most
// ten times a second. Remembers the first error of the wrapped stream. Not thread-safe.
class CountingInputStream final : public InputStream {
 public:
  CountingInputStream(InputStream& inner, std::optional<std::uint64_t> total)
      : inner_(inner), total_(total) {}
  ~CountingInputStream() override;
  Result<std::size_t> Read(std::span<std::uint8_t> buffer) override;
  std::uint64_t bytes() const { return bytes_; }
  const Status& error() const { return error_; }
  // Clears the bar line (idempotent).
  void Finish();

 private:
  void Draw(bool force);
  InputStream& inner_;
  std::optional<std::uint64_t> total_;
  std::uint64_t bytes_ = 0;
  Status error_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

// Counts the bytes written through it and remembers the first error. Not thread-safe.
class CountingOutputStream final : public OutputStream {
 public:
  explicit CountingOutputStream(OutputStream& inner) : inner_(inner) {}
  Status Write(std::span<const std::uint8_t> data) override;
  std::uint64_t bytes() const { return bytes_; }
  const Status& error() const { return error_; }

 private:
  OutputStream& inner_;
  std::uint64_t bytes_ = 0;
  Status error_;
};

}  // namespace envelope::cli
