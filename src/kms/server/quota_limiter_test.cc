#include "kms/server/quota_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace envelope::kms::server {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000;  // a multiple of 4 and of 10

TEST(QuotaLimit, WholeRatesUseOneSecondWindows) {
  QuotaLimit l = QuotaLimit::FromRate(5);
  EXPECT_EQ(l.per_window, 5u);
  EXPECT_EQ(l.window_s, 1u);
}

TEST(QuotaLimit, FractionalRatesUseLongerWindows) {
  EXPECT_EQ(QuotaLimit::FromRate(0.25).window_s, 4u);
  EXPECT_EQ(QuotaLimit::FromRate(0.25).per_window, 1u);
  EXPECT_EQ(QuotaLimit::FromRate(0.1).window_s, 10u);
  EXPECT_EQ(QuotaLimit::FromRate(0.5).window_s, 2u);
}

TEST(QuotaLimit, ZeroRefusesEverything) {
  QuotaBucket b(QuotaLimit::FromRate(0));
  EXPECT_FALSE(b.TryTake(kT0));
}

TEST(QuotaBucket, AdmitsTheLimitThenRefusesInTheSameSecond) {
  QuotaBucket b(QuotaLimit::FromRate(3));
  EXPECT_TRUE(b.TryTake(kT0));
  EXPECT_TRUE(b.TryTake(kT0));
  EXPECT_TRUE(b.TryTake(kT0));
  EXPECT_FALSE(b.TryTake(kT0));
  EXPECT_EQ(b.Usage(kT0), 3u);
}

TEST(QuotaBucket, NextSecondStartsEmpty) {
  QuotaBucket b(QuotaLimit::FromRate(1));
  EXPECT_TRUE(b.TryTake(kT0));
  EXPECT_FALSE(b.TryTake(kT0));
  EXPECT_TRUE(b.TryTake(kT0 + 1));
  EXPECT_EQ(b.Usage(kT0 + 2), 0u);
}

TEST(QuotaBucket, QuarterPerSecondAdmitsOneInEachAlignedFourSeconds) {
  QuotaBucket b(QuotaLimit::FromRate(0.25));
  EXPECT_TRUE(b.TryTake(kT0 + 1));
  EXPECT_FALSE(b.TryTake(kT0 + 2));
  EXPECT_FALSE(b.TryTake(kT0 + 3));
  EXPECT_TRUE(b.TryTake(kT0 + 4));
}

TEST(QuotaBucket, RefundGivesBackOnlyInTheSameWindow) {
  QuotaBucket b(QuotaLimit::FromRate(1));
  EXPECT_TRUE(b.TryTake(kT0));
  b.Refund(kT0);
  EXPECT_TRUE(b.TryTake(kT0));
  b.Refund(kT0 - 1);  // a past window: nothing to give back
  EXPECT_FALSE(b.TryTake(kT0));
}

TEST(QuotaBucket, ConcurrentTakersNeverExceedTheLimit) {
  QuotaBucket b(QuotaLimit::FromRate(1000));
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) {
        if (b.TryTake(kT0)) admitted.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 1000);
}

TEST(QuotaLimiter, SameKeyFindsTheSameBucket) {
  QuotaLimiter limiter;
  EXPECT_EQ(limiter.Find("a|r|q"), nullptr);
  QuotaBucket& b = limiter.Insert("a|r|q", QuotaLimit::FromRate(2));
  EXPECT_EQ(limiter.Find("a|r|q"), &b);
  EXPECT_EQ(&limiter.Insert("a|r|q", QuotaLimit::FromRate(9)), &b);
  EXPECT_EQ(limiter.Buckets().size(), 1u);
}

}  // namespace
}  // namespace envelope::kms::server
