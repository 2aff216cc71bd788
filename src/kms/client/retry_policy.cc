#include "kms/client/retry_policy.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace envelope::kms {
namespace {

constexpr std::array<std::string_view, 14> kThrottlingCodes = {
    "Throttling",          "ThrottlingException",
    "ThrottledException",  "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded",
    "BandwidthLimitExceeded", "LimitExceededException",
    "RequestThrottled",    "SlowDown",
    "PriorRequestNotComplete", "EC2ThrottledException"};
constexpr std::array<std::string_view, 5> kLegacyThrottlingCodes = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "ProvisionedThroughputExceededException"};
constexpr std::array<std::string_view, 3> kTransientCodes = {
    "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"};

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

ErrorClass ClassifyTransport(TransportError e) {
  switch (e) {
    case TransportError::kConnectTimeout:
      return ErrorClass::kConnectTimeout;
    case TransportError::kReadTimeout:
      return ErrorClass::kReadTimeout;
    case TransportError::kAttemptTimeout:
      return ErrorClass::kDeadline;
    case TransportError::kTlsVerifyFailure:
    case TransportError::kBadRequest:
      return ErrorClass::kConfiguration;
    default:
      return ErrorClass::kConnection;
  }
}

bool IsTransientStatus(int s) { return s == 500 || s == 502 || s == 503 || s == 504; }

}  // namespace

std::string_view ErrorClassName(ErrorClass c) {
  switch (c) {
    case ErrorClass::kSuccess: return "success";
    case ErrorClass::kThrottling: return "throttling";
    case ErrorClass::kTransient: return "transient";
    case ErrorClass::kConnectTimeout: return "connect_timeout";
    case ErrorClass::kReadTimeout: return "read_timeout";
    case ErrorClass::kConnection: return "connection";
    case ErrorClass::kDeadline: return "deadline";
    case ErrorClass::kBusiness: return "business";
    case ErrorClass::kConfiguration: return "configuration";
  }
  return "unknown";
}

bool IsThrottlingCode(std::string_view t) { return Contains(kThrottlingCodes, t); }
bool IsLegacyThrottlingCode(std::string_view t) { return Contains(kLegacyThrottlingCodes, t); }

ErrorClass ClassifyOutcome(RetryMode mode, const AttemptOutcome& o) {
  if (o.transport != TransportError::kNone) return ClassifyTransport(o.transport);
  const int s = o.http_status;
  if (s >= 200 && s < 300) return ErrorClass::kSuccess;
  if (mode == RetryMode::kLegacy) {
    // botocore _retry.json __default__: throttling codes only on HTTP 400; 429 and 509 by status.
    if (s == 400 && IsLegacyThrottlingCode(o.error_type)) return ErrorClass::kThrottling;
    if (s == 429 || s == 509) return ErrorClass::kThrottling;
    if (IsTransientStatus(s)) return ErrorClass::kTransient;
    return ErrorClass::kBusiness;
  }
  // Standard/adaptive: throttling codes on any status (KMS sends ThrottlingException on 400).
  if (IsThrottlingCode(o.error_type)) return ErrorClass::kThrottling;
  if (Contains(kTransientCodes, o.error_type) || IsTransientStatus(s)) {
    return ErrorClass::kTransient;
  }
  return ErrorClass::kBusiness;
}

bool IsRetryableClass(ErrorClass c) {
  switch (c) {
    case ErrorClass::kThrottling:
    case ErrorClass::kTransient:
    case ErrorClass::kConnectTimeout:
    case ErrorClass::kReadTimeout:
    case ErrorClass::kConnection:
      return true;
    default:
      return false;
  }
}

RetryConfig RetryConfigFor(const ClientOptions& options) {
  RetryConfig c;
  c.mode = options.retry_mode;
  c.new_retries_2026 = options.new_retries_2026;
  c.max_attempts = options.max_attempts.value_or(
      options.retry_mode == RetryMode::kLegacy ? kLegacyDefaultMaxAttempts
                                               : kStandardDefaultMaxAttempts);
  c.max_attempts = std::max(1, c.max_attempts);
  return c;
}

RetryPolicy::RetryPolicy(RetryConfig config, Clock& clock, Random& random)
    : config_(config), clock_(clock), random_(random), limiter_(clock) {}

Status RetryPolicy::BeforeAttempt(Clock::TimePoint deadline) {
  if (config_.mode != RetryMode::kAdaptive) return OkStatus();
  return limiter_.Acquire(deadline);
}

int RetryPolicy::RetryCost(ErrorClass c) const {
  if (config_.new_retries_2026) {
    return c == ErrorClass::kThrottling ? kThrottlingRetryCost2026 : kRetryCost2026;
  }
  const bool timeout = c == ErrorClass::kConnectTimeout || c == ErrorClass::kReadTimeout;
  return timeout ? kTimeoutRetryCost : kRetryCost;
}

bool RetryPolicy::TakeQuota(int cost) {
  std::lock_guard<std::mutex> lock(quota_mu_);
  if (cost > quota_) return false;
  quota_ -= cost;
  return true;
}

void RetryPolicy::Refund(int amount) {
  std::lock_guard<std::mutex> lock(quota_mu_);
  quota_ = std::min(kRetryQuotaCapacity, quota_ + amount);
}

int RetryPolicy::quota_available() const {
  std::lock_guard<std::mutex> lock(quota_mu_);
  return quota_;
}

Clock::Duration RetryPolicy::Backoff(int attempt, ErrorClass c,
                                     std::optional<std::int64_t> retry_after_ms) {
  const double u = random_.UniformDouble();
  const double growth = std::ldexp(1.0, std::min(attempt - 1, 62));  // 2^(a-1)
  double seconds;
  if (config_.mode == RetryMode::kLegacy) {
    seconds = u * growth;  // no cap in legacy
  } else if (config_.new_retries_2026) {
    const double base = c == ErrorClass::kThrottling ? 1.0 : 0.05;
    seconds = u * std::min(base * growth, kMaxBackoffSeconds);
    if (retry_after_ms && *retry_after_ms >= 0) {
      seconds = std::max(seconds, std::min(*retry_after_ms / 1000.0, seconds + 5.0));
    }
  } else {
    seconds = u * std::min(growth, kMaxBackoffSeconds);
  }
  return std::chrono::duration_cast<Clock::Duration>(std::chrono::duration<double>(seconds));
}

RetryDecision RetryPolicy::OnAttempt(CallState& call, int attempt, const AttemptOutcome& o) {
  RetryDecision d;
  d.error_class = ClassifyOutcome(config_.mode, o);
  if (config_.mode == RetryMode::kAdaptive && d.error_class != ErrorClass::kDeadline) {
    limiter_.OnResponse(d.error_class == ErrorClass::kThrottling);
  }
  if (d.error_class == ErrorClass::kSuccess) {
    if (config_.mode != RetryMode::kLegacy) {
      Refund(call.retried ? call.last_acquired : kNoRetryIncrement);
    }
    d.reason = "success";
    return d;
  }
  if (!IsRetryableClass(d.error_class)) {
    d.reason = "not retryable";
    return d;
  }
  if (attempt >= config_.max_attempts) {
    d.reason = "max attempts reached";
    return d;
  }
  if (config_.mode != RetryMode::kLegacy) {
    const int cost = RetryCost(d.error_class);
    if (!TakeQuota(cost)) {
      d.reason = "retry quota exhausted";
      return d;
    }
    call.last_acquired = cost;
    call.retried = true;
  }
  d.retry = true;
  d.delay = Backoff(attempt, d.error_class, o.retry_after_ms);
  d.reason = "retry";
  return d;
}

}  // namespace envelope::kms
