#pragma once
// Batches log lines on their way to stderr: `envelope kms serve` logs one line per request, and
// one write(2) per line costs more than the rest of a small request's logging. While installed,
// Log() appends its line to a buffer and a background thread writes the buffer at most every
// `interval` (sooner once it holds `max_buffered` bytes). Lines stay whole and in order, one
// line per call; a line reaches stderr at most `interval` after it was logged, except when the
// process is killed (then up to `interval` of lines are lost).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace envelope::kms::server {

class LogBatcher {
 public:
  // Receives one batch of whole lines, each ending in '\n'; called from the writer thread only.
  using Writer = std::function<void(std::string_view)>;

  // Installs itself as the log sink (SetLogSink) and starts the writer thread. The default
  // writer writes to stderr.
  explicit LogBatcher(std::chrono::milliseconds interval = std::chrono::milliseconds(5),
                      std::size_t max_buffered = 64 * 1024, Writer writer = nullptr);
  // Writes what is buffered, restores the default sink and stops the thread.
  ~LogBatcher();
  LogBatcher(const LogBatcher&) = delete;
  LogBatcher& operator=(const LogBatcher&) = delete;

 private:
  void Append(std::string_view line);
  void WriterLoop();

  const std::chrono::milliseconds interval_;
  const std::size_t max_buffered_;
  std::mutex mu_;
  Writer write_;
  std::condition_variable wake_;
  std::string buffer_;  // guarded by mu_
  bool stop_ = false;   // guarded by mu_
  std::thread writer_;
};

}  // namespace envelope::kms::server
