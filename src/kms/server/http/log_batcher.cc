#include "kms/server/http/log_batcher.h"

#include <cstdio>

#include "core/log.h"

namespace envelope::kms::server {

namespace {

void WriteToStderr(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

LogBatcher::LogBatcher(std::chrono::milliseconds interval, std::size_t max_buffered,
                       Writer writer)
    : interval_(interval),
      max_buffered_(max_buffered),
      write_(writer ? std::move(writer) : Writer(WriteToStderr)) {
  buffer_.reserve(max_buffered_);
  writer_ = std::thread([this] { WriterLoop(); });
  SetLogSink([this](LogLevel, std::string_view line) { Append(line); });
}

LogBatcher::~LogBatcher() {
  SetLogSink(nullptr);  // Log() holds its lock around the sink: no Append() runs after this
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

void LogBatcher::Append(std::string_view line) {
  bool was_empty = false;
  bool full = false;
  {
    std::lock_guard lock(mu_);
    was_empty = buffer_.empty();
    buffer_.append(line);
    buffer_.push_back('\n');
    full = buffer_.size() >= max_buffered_;
  }
  // One wake-up per batch: the writer sleeps while the buffer is empty.
  if (was_empty || full) wake_.notify_one();
}

void LogBatcher::WriterLoop() {
  std::string out;
  out.reserve(max_buffered_);
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return stop_ || !buffer_.empty(); });
    // Let the batch fill for one interval unless it is already full or we are stopping.
    wake_.wait_for(lock, interval_, [this] { return stop_ || buffer_.size() >= max_buffered_; });
    out.swap(buffer_);
    const bool stop = stop_;
    lock.unlock();
    if (!out.empty()) write_(out);
    out.clear();
    lock.lock();
    if (stop && buffer_.empty()) return;
  }
}

}  // namespace envelope::kms::server
