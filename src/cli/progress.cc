#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace envelope::cli {

bool WantProgress(bool quiet, std::optional<std::uint64_t> input_size) {
  return !quiet && input_size.has_value() && *input_size > kProgressThresholdBytes &&
         ::isatty(STDERR_FILENO) == 1;
}

CountingInputStream::~CountingInputStream() { Finish(); }

Result<std::size_t> CountingInputStream::Read(std::span<std::uint8_t> buffer) {
  Result<std::size_t> n = inner_.Read(buffer);
  if (!n.ok()) {
    if (error_.ok()) {
      error_ = n.status();
    }
    return n;
  }
  bytes_ += *n;
  if (total_) {
    Draw(/*force=*/*n == 0);
  }
  return n;
}

void CountingInputStream::Draw(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) {
    return;
  }
  last_draw_ = now;
  drawn_ = true;
  constexpr int kWidth = 40;
  const double fraction =
      *total_ == 0 ? 1.0
                   : std::min(1.0, static_cast<double>(bytes_) / static_cast<double>(*total_));
  const int filled = static_cast<int>(fraction * kWidth);
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double mib_per_s = seconds > 0 ? static_cast<double>(bytes_) / (1 << 20) / seconds : 0.0;
  std::string bar(static_cast<std::size_t>(filled), '=');
  bar.resize(kWidth, ' ');
  std::fprintf(stderr, "\r[%s] %3d%% %8.1f MiB/s", bar.c_str(),
               static_cast<int>(fraction * 100), mib_per_s);
  std::fflush(stderr);
}

void CountingInputStream::Finish() {
  if (drawn_) {
    std::fprintf(stderr, "\r%*s\r", 62, "");
    std::fflush(stderr);
    drawn_ = false;
  }
}

Status CountingOutputStream::Write(std::span<const std::uint8_t> data) {
  Status s = inner_.Write(data);
  if (!s.ok()) {
    if (error_.ok()) {
      error_ = s;
    }
    return s;
  }
  bytes_ += data.size();
  return s;
}

}  // namespace envelope::cli
