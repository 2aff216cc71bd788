#include "core/clock.h"

#include <thread>

namespace envelope {

Clock::TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::steady_clock::now());
}
std::chrono::system_clock::time_point SystemClock::WallNow() const {
  return std::chrono::system_clock::now();
}
void SystemClock::SleepFor(Duration d) { std::this_thread::sleep_for(d); }

Clock& RealClock() {
  static SystemClock clock;
  return clock;
}

}  // namespace envelope
