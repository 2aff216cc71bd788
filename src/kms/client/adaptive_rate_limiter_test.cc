#include "kms/client/adaptive_rate_limiter.h"

#include <gtest/gtest.h>

#include "kms/client/testing_fakes.h"

namespace envelope::kms {
namespace {

using std::chrono::milliseconds;
using testing::FakeClock;

// Reference §1.6 worked example: throttled at a measured 10 req/s.
TEST(CubicCalculator, ThrottleAtTenGivesSevenAndKOfOnePointNineFiveSeven) {
  CubicCalculator c(0.0);
  EXPECT_DOUBLE_EQ(c.OnThrottle(10.0, 100.0), 7.0);
  EXPECT_NEAR(c.k(), 1.957, 5e-4);
}

TEST(CubicCalculator, SuccessRatesFollowTheWorkedExample) {
  CubicCalculator c(0.0);
  c.OnThrottle(10.0, 100.0);
  EXPECT_NEAR(c.OnSuccess(100.5), 8.762, 1e-3);
  EXPECT_NEAR(c.OnSuccess(101.0), 9.649, 1e-3);
  EXPECT_NEAR(c.OnSuccess(100.0 + c.k()), 10.0, 1e-9);
  EXPECT_NEAR(c.OnSuccess(103.0), 10.453, 1e-3);
  EXPECT_NEAR(c.OnSuccess(105.0), 21.27, 1e-2);
}

// Sends `n` responses 100 ms apart (10 req/s).
void SendAtTenPerSecond(AdaptiveRateLimiter& l, FakeClock& clock, int n) {
  for (int i = 0; i < n; ++i) {
    clock.Advance(milliseconds(100));
    l.OnResponse(false);
  }
}

TEST(AdaptiveRateLimiter, MeasuredRateConvergesInHalfSecondBuckets) {
  FakeClock clock;
  AdaptiveRateLimiter l(clock);
  SendAtTenPerSecond(l, clock, 5);
  EXPECT_NEAR(l.measured_rate(), 8.0, 1e-9);
  SendAtTenPerSecond(l, clock, 5);
  EXPECT_NEAR(l.measured_rate(), 9.6, 1e-9);
  SendAtTenPerSecond(l, clock, 5);
  EXPECT_NEAR(l.measured_rate(), 9.92, 1e-9);
  SendAtTenPerSecond(l, clock, 5);
  EXPECT_NEAR(l.measured_rate(), 9.984, 1e-9);
}

TEST(AdaptiveRateLimiter, StartsDisabledAndNeverWaits) {
  FakeClock clock;
  AdaptiveRateLimiter l(clock);
  EXPECT_FALSE(l.enabled());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(l.Acquire(clock.Now()).ok());
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(AdaptiveRateLimiter, ThrottleEnablesAndCutsTheRateToSeventyPercentOfMeasured) {
  FakeClock clock;
  AdaptiveRateLimiter l(clock);
  SendAtTenPerSecond(l, clock, 20);
  clock.Advance(milliseconds(100));
  l.OnResponse(true);
  EXPECT_TRUE(l.enabled());
  EXPECT_NEAR(l.fill_rate(), 0.7 * 9.984, 1e-9);
  EXPECT_NEAR(l.capacity(), 0.7 * 9.984, 1e-9);
}

// Before the first throttle the bucket already fills (the limiter updates it on every response, as
// botocore does), so a few tokens may be waiting; once drained, each token costs 1/fill_rate s.
TEST(AdaptiveRateLimiter, AcquireWaitsOneOverFillRatePerTokenOnceDrained) {
  FakeClock clock;
  AdaptiveRateLimiter l(clock);
  SendAtTenPerSecond(l, clock, 20);
  clock.Advance(milliseconds(100));
  l.OnResponse(true);  // fill 6.9888/s
  const auto deadline = clock.Now() + std::chrono::seconds(10);
  while (clock.sleeps().empty()) ASSERT_TRUE(l.Acquire(deadline).ok());  // drain
  const std::size_t before = clock.sleeps().size();
  ASSERT_TRUE(l.Acquire(deadline).ok());
  ASSERT_EQ(clock.sleeps().size(), before + 1);
  EXPECT_NEAR(std::chrono::duration<double>(clock.sleeps().back()).count(), 1.0 / (0.7 * 9.984),
              1e-6);
}

TEST(AdaptiveRateLimiter, AcquireFailsAtOnceWhenTheWaitWouldCrossTheDeadline) {
  FakeClock clock;
  AdaptiveRateLimiter l(clock);
  SendAtTenPerSecond(l, clock, 20);
  clock.Advance(milliseconds(100));
  l.OnResponse(true);
  while (clock.sleeps().empty()) {
    ASSERT_TRUE(l.Acquire(clock.Now() + std::chrono::seconds(10)).ok());  // drain
  }
  const std::size_t before = clock.sleeps().size();
  Status s = l.Acquire(clock.Now() + milliseconds(1));
  EXPECT_EQ(s.code(), Code::kDeadlineExceeded);
  EXPECT_EQ(clock.sleeps().size(), before);
}

TEST(AdaptiveRateLimiter, FillRateNeverDropsBelowHalfATokenPerSecond) {
  FakeClock clock;
  AdaptiveRateLimiter l(clock);
  clock.Advance(milliseconds(600));
  l.OnResponse(true);  // measured ~ 1.6/s -> 1.12; then throttles drive it down
  for (int i = 0; i < 10; ++i) {
    clock.Advance(milliseconds(600));
    l.OnResponse(true);
  }
  EXPECT_DOUBLE_EQ(l.fill_rate(), AdaptiveRateLimiter::kMinFillRate);
  EXPECT_DOUBLE_EQ(l.capacity(), AdaptiveRateLimiter::kMinCapacity);
}

TEST(AdaptiveRateLimiter, RecoveredRateIsCappedAtTwiceTheMeasuredRate) {
  FakeClock clock;
  AdaptiveRateLimiter l(clock);
  SendAtTenPerSecond(l, clock, 20);
  clock.Advance(milliseconds(100));
  l.OnResponse(true);
  clock.Advance(std::chrono::seconds(30));  // CUBIC alone would give thousands
  l.OnResponse(false);
  EXPECT_NEAR(l.fill_rate(), 2.0 * l.measured_rate(), 1e-9);
}

}  // namespace
}  // namespace envelope::kms
