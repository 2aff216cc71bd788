#pragma once
// The adaptive retry mode's client-side rate limiter: a token bucket whose fill rate follows
// CUBIC congestion control, driven by throttling responses (Spec:
// ../shared/reference/kms-client.md §1.6). One instance per client, shared by all threads.
//
// Constants (same as botocore and aws-sdk-cpp): beta 0.7, scale C 0.4, smoothing 0.8, 0.5 s
// measurement buckets, minimum fill rate 0.5/s, minimum capacity 1, new rate capped at twice the
// measured send rate. The limiter starts disabled and is enabled by the first throttle.
#include <mutex>

#include "core/clock.h"
#include "envelope/status.h"

namespace envelope::kms {

// CUBIC rate calculation, pure: times are seconds on any fixed origin.
class CubicCalculator {
 public:
  static constexpr double kBeta = 0.7;
  static constexpr double kScale = 0.4;  // C

  explicit CubicCalculator(double start_time) : last_fail_(start_time) {}
  // A throttle at time t while sending at `rate`: W_max = rate, K recomputed, returns beta * rate.
  double OnThrottle(double rate, double t);
  // Any other response at time t: C * (t - last_fail - K)^3 + W_max.
  double OnSuccess(double t) const;
  double w_max() const { return w_max_; }
  double k() const { return k_; }

 private:
  double w_max_ = 0;
  double k_ = 0;
  double last_fail_;
};

class AdaptiveRateLimiter {
 public:
  static constexpr double kSmoothing = 0.8;
  static constexpr double kBucketSeconds = 0.5;
  static constexpr double kMinFillRate = 0.5;
  static constexpr double kMinCapacity = 1.0;
  static constexpr double kMaxRateScale = 2.0;

  // `clock` must outlive the limiter.
  explicit AdaptiveRateLimiter(Clock& clock);

  // Takes one send token, sleeping on the clock while none is available. No-op while disabled.
  // Errors: kDeadlineExceeded (without sleeping) when the wait would end after `deadline`.
  Status Acquire(Clock::TimePoint deadline);
  // Records one response (every attempt, including transport errors as non-throttles).
  void OnResponse(bool throttled);

  bool enabled() const;
  double fill_rate() const;
  double measured_rate() const;
  double capacity() const;

 private:
  double Seconds(Clock::TimePoint t) const;
  void Refill(double now);                      // mu_ held
  void SetMaxRate(double rate, double now);     // mu_ held
  double RecordSend(double now);                // mu_ held; returns the measured rate

  Clock& clock_;
  const Clock::TimePoint origin_;
  mutable std::mutex mu_;
  bool enabled_ = false;
  // Token bucket.
  double fill_rate_ = 1.0;
  double capacity_ = 1.0;
  double current_ = 0.0;
  double last_refill_ = -1.0;  // < 0: never refilled
  // Send-rate measurement.
  double measured_ = 0.0;
  double count_ = 0.0;
  double last_bucket_ = 0.0;
  CubicCalculator cubic_;
};

}  // namespace envelope::kms
