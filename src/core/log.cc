#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace envelope {

namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kWarn)};
std::mutex g_mutex;
std::function<void(LogLevel, std::string_view)>& Sink() {
  static auto* sink = new std::function<void(LogLevel, std::string_view)>();
  return *sink;
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }
bool LogEnabled(LogLevel level) { return static_cast<int>(level) >= g_level.load(); }

void Log(LogLevel level, std::string_view line) {
  if (!LogEnabled(level)) return;
  std::lock_guard lock(g_mutex);
  if (auto& sink = Sink()) {
    sink(level, line);
    return;
  }
  std::string out(line);
  out.push_back('\n');
  std::fwrite(out.data(), 1, out.size(), stderr);
}

void SetLogSink(std::function<void(LogLevel, std::string_view)> sink) {
  std::lock_guard lock(g_mutex);
  Sink() = std::move(sink);
}

}  // namespace envelope
