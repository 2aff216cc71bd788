#pragma once
// Clock: the source of time for everything that waits or stamps, injected so that tests use a
// fake one (tests/testing/fake_clock.h) and never sleep. Implementations are thread-safe.
#include <chrono>

namespace envelope {

class Clock {
 public:
  using Duration = std::chrono::nanoseconds;
  using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;
  virtual ~Clock() = default;
  // Monotonic time, for deadlines and rates.
  virtual TimePoint Now() const = 0;
  // Wall-clock time, for signatures and timestamps.
  virtual std::chrono::system_clock::time_point WallNow() const = 0;
  virtual void SleepFor(Duration d) = 0;
};

// The real clock. A process-wide instance is returned by RealClock().
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
  std::chrono::system_clock::time_point WallNow() const override;
  void SleepFor(Duration d) override;
};

Clock& RealClock();

}  // namespace envelope
