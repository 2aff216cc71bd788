#pragma once
// A minimal process-wide logger: leveled, one line per call, thread-safe. Callers format
// structured `key=value` lines themselves; secrets must never be passed here.
#include <functional>
#include <string_view>

namespace envelope {

enum class LogLevel { kDebug = 0, kInfo, kWarn, kError, kOff };

void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
// Writes `line` (no trailing newline needed) to the sink, stderr by default.
void Log(LogLevel level, std::string_view line);
// Replaces the sink (tests capture lines with it). Pass nullptr to restore stderr.
void SetLogSink(std::function<void(LogLevel, std::string_view)> sink);

}  // namespace envelope
