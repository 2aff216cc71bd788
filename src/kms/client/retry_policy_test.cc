#include "kms/client/retry_policy.h"

#include <gtest/gtest.h>

#include "kms/client/testing_fakes.h"

namespace envelope::kms {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using testing::FakeClock;
using testing::ScriptedRandom;

AttemptOutcome Http(int status, std::string_view type = "") { return {TransportError::kNone, status, type, {}}; }
AttemptOutcome Transport(TransportError e) { return {e, 0, "", {}}; }

RetryConfig Config(RetryMode mode, int max_attempts, bool new2026 = false) {
  return RetryConfig{mode, max_attempts, new2026};
}

double Seconds(Clock::Duration d) { return std::chrono::duration<double>(d).count(); }

// ---- Classification ----

TEST(ClassifyOutcome, ThrottlingExceptionOnHttp400IsThrottlingInStandard) {
  EXPECT_EQ(ClassifyOutcome(RetryMode::kStandard, Http(400, "ThrottlingException")),
            ErrorClass::kThrottling);
}

TEST(ClassifyOutcome, AllFourteenThrottlingCodesAreThrottlingInStandard) {
  for (std::string_view code :
       {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException"}) {
    EXPECT_EQ(ClassifyOutcome(RetryMode::kStandard, Http(400, code)), ErrorClass::kThrottling)
        << code;
  }
}

TEST(ClassifyOutcome, TransientStatusesAreTransientWhateverTheCode) {
  for (int s : {500, 502, 503, 504}) {
    EXPECT_EQ(ClassifyOutcome(RetryMode::kStandard, Http(s, "KMSInternalException")),
              ErrorClass::kTransient);
  }
}

TEST(ClassifyOutcome, RequestTimeoutCodesAreTransientInStandardButNotLegacy) {
  EXPECT_EQ(ClassifyOutcome(RetryMode::kStandard, Http(400, "RequestTimeoutException")),
            ErrorClass::kTransient);
  EXPECT_EQ(ClassifyOutcome(RetryMode::kStandard, Http(400, "RequestTimeout")),
            ErrorClass::kTransient);
  EXPECT_EQ(ClassifyOutcome(RetryMode::kLegacy, Http(400, "RequestTimeoutException")),
            ErrorClass::kBusiness);
}

TEST(ClassifyOutcome, Http429AloneIsBusinessInStandardAndThrottlingInLegacy) {
  EXPECT_EQ(ClassifyOutcome(RetryMode::kStandard, Http(429)), ErrorClass::kBusiness);
  EXPECT_EQ(ClassifyOutcome(RetryMode::kLegacy, Http(429)), ErrorClass::kThrottling);
  EXPECT_EQ(ClassifyOutcome(RetryMode::kLegacy, Http(509)), ErrorClass::kThrottling);
}

TEST(ClassifyOutcome, LegacyRetriesThrottlingCodesOnlyOnHttp400) {
  EXPECT_EQ(ClassifyOutcome(RetryMode::kLegacy, Http(400, "ThrottlingException")),
            ErrorClass::kThrottling);
  EXPECT_EQ(ClassifyOutcome(RetryMode::kLegacy, Http(400, "LimitExceededException")),
            ErrorClass::kBusiness);
  EXPECT_EQ(ClassifyOutcome(RetryMode::kLegacy, Http(403, "ThrottlingException")),
            ErrorClass::kBusiness);
}

TEST(ClassifyOutcome, BusinessErrorsAreNeverRetryable) {
  for (std::string_view code :
       {"NotFoundException", "DisabledException", "InvalidCiphertextException",
        "IncorrectKeyException", "AccessDeniedException", "ValidationException",
        "KMSInvalidStateException", "InvalidSignatureException"}) {
    ErrorClass c = ClassifyOutcome(RetryMode::kStandard, Http(400, code));
    EXPECT_EQ(c, ErrorClass::kBusiness) << code;
    EXPECT_FALSE(IsRetryableClass(c));
  }
}

TEST(ClassifyOutcome, EachTransportErrorHasItsClass) {
  const RetryMode m = RetryMode::kStandard;
  EXPECT_EQ(ClassifyOutcome(m, Transport(TransportError::kConnectTimeout)),
            ErrorClass::kConnectTimeout);
  EXPECT_EQ(ClassifyOutcome(m, Transport(TransportError::kReadTimeout)), ErrorClass::kReadTimeout);
  EXPECT_EQ(ClassifyOutcome(m, Transport(TransportError::kAttemptTimeout)),
            ErrorClass::kDeadline);
  for (TransportError e : {TransportError::kDnsFailure, TransportError::kConnectFailure,
                           TransportError::kConnectionReset, TransportError::kTlsFailure}) {
    EXPECT_EQ(ClassifyOutcome(m, Transport(e)), ErrorClass::kConnection);
  }
  EXPECT_EQ(ClassifyOutcome(m, Transport(TransportError::kTlsVerifyFailure)),
            ErrorClass::kConfiguration);
  EXPECT_EQ(ClassifyOutcome(m, Transport(TransportError::kBadRequest)),
            ErrorClass::kConfiguration);
  EXPECT_FALSE(IsRetryableClass(ErrorClass::kConfiguration));
  EXPECT_FALSE(IsRetryableClass(ErrorClass::kDeadline));
}

// ---- Attempt counts ----

TEST(RetryConfigFor, DefaultsAreFiveForLegacyAndThreeOtherwise) {
  ClientOptions o;
  o.retry_mode = RetryMode::kLegacy;
  EXPECT_EQ(RetryConfigFor(o).max_attempts, 5);
  o.retry_mode = RetryMode::kStandard;
  EXPECT_EQ(RetryConfigFor(o).max_attempts, 3);
  o.retry_mode = RetryMode::kAdaptive;
  EXPECT_EQ(RetryConfigFor(o).max_attempts, 3);
  o.max_attempts = 7;
  EXPECT_EQ(RetryConfigFor(o).max_attempts, 7);
}

int CountAttempts(RetryMode mode, int max_attempts) {
  FakeClock clock;
  ScriptedRandom random;
  RetryPolicy p(Config(mode, max_attempts), clock, random);
  CallState call;
  int attempt = 1;
  while (p.OnAttempt(call, attempt, Http(500)).retry) ++attempt;
  return attempt;
}

TEST(RetryPolicy, MaxAttemptsCountsTheFirstAttempt) {
  EXPECT_EQ(CountAttempts(RetryMode::kStandard, 3), 3);
  EXPECT_EQ(CountAttempts(RetryMode::kLegacy, 5), 5);
  EXPECT_EQ(CountAttempts(RetryMode::kAdaptive, 3), 3);
  EXPECT_EQ(CountAttempts(RetryMode::kStandard, 1), 1);
}

// ---- Backoff ----

TEST(RetryPolicy, StandardBackoffIsFullJitterCappedAtTwentySeconds) {
  FakeClock clock;
  ScriptedRandom random(0.999999);
  RetryPolicy p(Config(RetryMode::kStandard, 10), clock, random);
  const double expected[] = {1, 2, 4, 8, 16, 20, 20};
  for (int a = 1; a <= 7; ++a) {
    EXPECT_NEAR(Seconds(p.Backoff(a, ErrorClass::kTransient, {})), expected[a - 1] * 0.999999,
                1e-6)
        << a;
  }
}

TEST(RetryPolicy, BackoffScalesWithTheUniformDraw) {
  FakeClock clock;
  ScriptedRandom random(0.25);
  RetryPolicy p(Config(RetryMode::kStandard, 10), clock, random);
  EXPECT_NEAR(Seconds(p.Backoff(3, ErrorClass::kTransient, {})), 1.0, 1e-9);  // 0.25 * 4
  ScriptedRandom zero(0.0);
  RetryPolicy q(Config(RetryMode::kStandard, 10), clock, zero);
  EXPECT_EQ(q.Backoff(5, ErrorClass::kTransient, {}), Clock::Duration::zero());
}

TEST(RetryPolicy, LegacyBackoffHasNoCap) {
  FakeClock clock;
  ScriptedRandom random(0.5);
  RetryPolicy p(Config(RetryMode::kLegacy, 10), clock, random);
  EXPECT_NEAR(Seconds(p.Backoff(7, ErrorClass::kTransient, {})), 32.0, 1e-9);  // 0.5 * 64
}

TEST(RetryPolicy, NewRetriesUseSmallBaseForTransientAndOneSecondForThrottling) {
  FakeClock clock;
  ScriptedRandom random(0.5);
  RetryPolicy p(Config(RetryMode::kStandard, 10, /*new2026=*/true), clock, random);
  EXPECT_NEAR(Seconds(p.Backoff(1, ErrorClass::kTransient, {})), 0.025, 1e-9);
  EXPECT_NEAR(Seconds(p.Backoff(2, ErrorClass::kThrottling, {})), 1.0, 1e-9);
  // x-amz-retry-after 1500 ms: max(t, min(1.5, t + 5)).
  EXPECT_NEAR(Seconds(p.Backoff(1, ErrorClass::kTransient, 1500)), 1.5, 1e-9);
}

// ---- Retry quota ----

TEST(RetryPolicy, QuotaDrainsByFivePerRetryAndStopsRetriesWhenEmpty) {
  FakeClock clock;
  ScriptedRandom random;
  RetryPolicy p(Config(RetryMode::kStandard, 2), clock, random);
  int retries = 0;
  for (int call = 0; call < 200; ++call) {
    CallState c;
    if (p.OnAttempt(c, 1, Http(503)).retry) ++retries;
  }
  EXPECT_EQ(retries, 100);  // 500 / 5
  EXPECT_EQ(p.quota_available(), 0);
  CallState c;
  EXPECT_EQ(p.OnAttempt(c, 1, Http(503)).reason, "retry quota exhausted");
}

TEST(RetryPolicy, TimeoutRetriesCostTenInClassicMode) {
  FakeClock clock;
  ScriptedRandom random;
  RetryPolicy p(Config(RetryMode::kStandard, 3), clock, random);
  CallState c;
  ASSERT_TRUE(p.OnAttempt(c, 1, Transport(TransportError::kReadTimeout)).retry);
  EXPECT_EQ(p.quota_available(), 490);
  ASSERT_TRUE(p.OnAttempt(c, 2, Transport(TransportError::kConnectTimeout)).retry);
  EXPECT_EQ(p.quota_available(), 480);
  CallState d;
  ASSERT_TRUE(p.OnAttempt(d, 1, Transport(TransportError::kConnectionReset)).retry);
  EXPECT_EQ(p.quota_available(), 475);
}

TEST(RetryPolicy, NewRetriesCostFourteenAndFiveForThrottling) {
  FakeClock clock;
  ScriptedRandom random;
  RetryPolicy p(Config(RetryMode::kStandard, 3, true), clock, random);
  CallState c;
  ASSERT_TRUE(p.OnAttempt(c, 1, Transport(TransportError::kReadTimeout)).retry);
  EXPECT_EQ(p.quota_available(), 486);
  ASSERT_TRUE(p.OnAttempt(c, 2, Http(400, "ThrottlingException")).retry);
  EXPECT_EQ(p.quota_available(), 481);
}

TEST(RetryPolicy, FirstTrySuccessRefundsOneUpToCapacity) {
  FakeClock clock;
  ScriptedRandom random;
  RetryPolicy p(Config(RetryMode::kStandard, 3), clock, random);
  CallState c;
  ASSERT_TRUE(p.OnAttempt(c, 1, Http(500)).retry);
  EXPECT_EQ(p.quota_available(), 495);
  CallState ok;
  p.OnAttempt(ok, 1, Http(200));
  EXPECT_EQ(p.quota_available(), 496);
  for (int i = 0; i < 10; ++i) {
    CallState s;
    p.OnAttempt(s, 1, Http(200));
  }
  EXPECT_EQ(p.quota_available(), 500);  // never above capacity
}

TEST(RetryPolicy, SuccessAfterRetriesRefundsTheLastAcquiredCost) {
  FakeClock clock;
  ScriptedRandom random;
  RetryPolicy p(Config(RetryMode::kStandard, 3), clock, random);
  CallState c;
  ASSERT_TRUE(p.OnAttempt(c, 1, Http(500)).retry);                            // -5
  ASSERT_TRUE(p.OnAttempt(c, 2, Transport(TransportError::kReadTimeout)).retry);  // -10
  EXPECT_EQ(p.quota_available(), 485);
  p.OnAttempt(c, 3, Http(200));
  EXPECT_EQ(p.quota_available(), 495);  // +10, the last acquisition
}

TEST(RetryPolicy, FailedCallRefundsNothing) {
  FakeClock clock;
  ScriptedRandom random;
  RetryPolicy p(Config(RetryMode::kStandard, 2), clock, random);
  CallState c;
  ASSERT_TRUE(p.OnAttempt(c, 1, Http(500)).retry);
  EXPECT_EQ(p.OnAttempt(c, 2, Http(500)).reason, "max attempts reached");
  EXPECT_EQ(p.quota_available(), 495);
}

TEST(RetryPolicy, LegacyHasNoQuota) {
  FakeClock clock;
  ScriptedRandom random;
  RetryPolicy p(Config(RetryMode::kLegacy, 2), clock, random);
  for (int i = 0; i < 300; ++i) {
    CallState c;
    ASSERT_TRUE(p.OnAttempt(c, 1, Http(500)).retry);
  }
  EXPECT_EQ(p.quota_available(), 500);
}

TEST(RetryPolicy, BusinessErrorIsNotRetriedAndTakesNoQuota) {
  FakeClock clock;
  ScriptedRandom random;
  RetryPolicy p(Config(RetryMode::kStandard, 3), clock, random);
  CallState c;
  RetryDecision d = p.OnAttempt(c, 1, Http(400, "NotFoundException"));
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(d.reason, "not retryable");
  EXPECT_EQ(p.quota_available(), 500);
}

}  // namespace
}  // namespace envelope::kms
