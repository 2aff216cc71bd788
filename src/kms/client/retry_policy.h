#pragma once
// Retry decisions for the legacy, standard and adaptive modes, with the AWS SDK constants
// (Spec: ../shared/reference/kms-client.md §1.1-1.6, §2, §7). Pure logic over an injected Clock
// and Random: no I/O, so unit tests are exact and instant.
//
// One RetryPolicy per client, shared by all its threads (the retry quota and the adaptive limiter
// are per client, as in the SDKs). Thread-safe. Per-call state lives in CallState.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "kms/client/adaptive_rate_limiter.h"
#include "kms/client/client_options.h"
#include "kms/client/http_transport.h"

namespace envelope::kms {

// What one attempt's outcome means for retrying.
enum class ErrorClass : std::uint8_t {
  kSuccess,         // HTTP 2xx
  kThrottling,      // throttling error code (see IsThrottlingCode), or legacy 429/509
  kTransient,       // HTTP 500/502/503/504 or a transient code (RequestTimeout...)
  kConnectTimeout,  // connect (or DNS) timeout: costs 10 quota in classic standard mode
  kReadTimeout,     // idle read timeout: costs 10 quota in classic standard mode
  kConnection,      // DNS failure, refused, reset mid-response, TLS handshake failure
  kDeadline,        // attempt cut off by the operation deadline: never retried
  kBusiness,        // any other error response (NotFound, AccessDenied, ...): never retried
  kConfiguration,   // TLS verification failure, malformed URL: never retried
};
std::string_view ErrorClassName(ErrorClass c);

struct AttemptOutcome {
  TransportError transport = TransportError::kNone;
  int http_status = 0;
  std::string_view error_type;  // normalized KMS error type, empty when none
  std::optional<std::int64_t> retry_after_ms;  // x-amz-retry-after (used by new_retries_2026)
};

// The 14 throttling codes of the standard mode.
bool IsThrottlingCode(std::string_view error_type);
// The 5 legacy throttling codes (retried only on HTTP 400).
bool IsLegacyThrottlingCode(std::string_view error_type);
ErrorClass ClassifyOutcome(RetryMode mode, const AttemptOutcome& outcome);
bool IsRetryableClass(ErrorClass c);

inline constexpr int kLegacyDefaultMaxAttempts = 5;
inline constexpr int kStandardDefaultMaxAttempts = 3;
inline constexpr int kRetryQuotaCapacity = 500;
inline constexpr int kRetryCost = 5;
inline constexpr int kTimeoutRetryCost = 10;
inline constexpr int kRetryCost2026 = 14;
inline constexpr int kThrottlingRetryCost2026 = 5;
inline constexpr int kNoRetryIncrement = 1;
inline constexpr double kMaxBackoffSeconds = 20.0;

struct RetryConfig {
  RetryMode mode = RetryMode::kStandard;
  int max_attempts = kStandardDefaultMaxAttempts;  // total attempts, >= 1
  bool new_retries_2026 = false;
};
// max_attempts from the options, or the mode's default (legacy 5, standard/adaptive 3).
RetryConfig RetryConfigFor(const ClientOptions& options);

struct CallState {
  int last_acquired = 0;  // quota taken by this call's most recent retry
  bool retried = false;
};

struct RetryDecision {
  ErrorClass error_class = ErrorClass::kSuccess;
  bool retry = false;
  Clock::Duration delay{};
  std::string_view reason;  // "success", "retry", "not retryable", "max attempts reached",
                            // "retry quota exhausted"
};

class RetryPolicy {
 public:
  // `clock` and `random` must outlive the policy.
  RetryPolicy(RetryConfig config, Clock& clock, Random& random);

  const RetryConfig& config() const { return config_; }

  // Before each attempt. Adaptive mode waits for a send token once the limiter is enabled.
  // Errors: kDeadlineExceeded when that wait would cross `deadline`.
  Status BeforeAttempt(Clock::TimePoint deadline);
  // Records attempt `attempt` (1-based) of a call and decides whether to retry and after what
  // delay. Takes retry quota for a retry and refunds it on success.
  RetryDecision OnAttempt(CallState& call, int attempt, const AttemptOutcome& outcome);

  // Full-jitter backoff before the attempt after failed attempt `attempt` (1-based).
  Clock::Duration Backoff(int attempt, ErrorClass c, std::optional<std::int64_t> retry_after_ms);

  int quota_available() const;
  bool adaptive_enabled() const { return limiter_.enabled(); }
  double adaptive_fill_rate() const { return limiter_.fill_rate(); }
  double adaptive_measured_rate() const { return limiter_.measured_rate(); }

 private:
  int RetryCost(ErrorClass c) const;
  bool TakeQuota(int cost);
  void Refund(int amount);

  const RetryConfig config_;
  Clock& clock_;
  Random& random_;
  mutable std::mutex quota_mu_;
  int quota_ = kRetryQuotaCapacity;  // guarded by quota_mu_
  AdaptiveRateLimiter limiter_;
};

}  // namespace envelope::kms
