#include "kms/client/adaptive_rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace envelope::kms {

double CubicCalculator::OnThrottle(double rate, double t) {
  w_max_ = rate;
  k_ = std::cbrt(w_max_ * (1.0 - kBeta) / kScale);
  last_fail_ = t;
  return rate * kBeta;
}

double CubicCalculator::OnSuccess(double t) const {
  const double dt = t - last_fail_ - k_;
  return kScale * dt * dt * dt + w_max_;
}

// Time is measured from the clock's own epoch so that the 0.5 s buckets are absolute, as in the
// reference (floor(2t)/2 of the time, not of the time since creation).
AdaptiveRateLimiter::AdaptiveRateLimiter(Clock& clock)
    : clock_(clock),
      origin_(Clock::TimePoint{}),
      cubic_(Seconds(clock.Now())) {
  last_bucket_ = std::floor(Seconds(clock.Now()));
}

double AdaptiveRateLimiter::Seconds(Clock::TimePoint t) const {
  return std::chrono::duration<double>(t - origin_).count();
}

void AdaptiveRateLimiter::Refill(double now) {
  if (last_refill_ < 0) {
    last_refill_ = now;
    return;
  }
  current_ = std::min(capacity_, current_ + (now - last_refill_) * fill_rate_);
  last_refill_ = now;
}

void AdaptiveRateLimiter::SetMaxRate(double rate, double now) {
  Refill(now);  // tokens accrued so far count at the old rate
  fill_rate_ = std::max(rate, kMinFillRate);
  capacity_ = rate >= kMinCapacity ? rate : kMinCapacity;
  current_ = std::min(current_, capacity_);
}

double AdaptiveRateLimiter::RecordSend(double now) {
  count_ += 1;
  const double bucket = std::floor(now / kBucketSeconds) * kBucketSeconds;
  if (bucket > last_bucket_) {
    const double rate_now = count_ / (bucket - last_bucket_);
    measured_ = kSmoothing * rate_now + (1.0 - kSmoothing) * measured_;
    count_ = 0;
    last_bucket_ = bucket;
  }
  return measured_;
}

Status AdaptiveRateLimiter::Acquire(Clock::TimePoint deadline) {
  for (;;) {
    Clock::Duration wait{};
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!enabled_) return OkStatus();
      const Clock::TimePoint now_tp = clock_.Now();
      Refill(Seconds(now_tp));
      // A token within rounding of 1 counts: the wait below is rounded up to whole nanoseconds,
      // so a sleep always refills at least what was missing.
      if (current_ >= 1.0 - 1e-9) {
        current_ = std::max(0.0, current_ - 1.0);
        return OkStatus();
      }
      wait = std::chrono::ceil<Clock::Duration>(
          std::chrono::duration<double>((1.0 - current_) / fill_rate_));
      wait = std::max(wait, Clock::Duration(1));
      if (now_tp + wait > deadline) {
        return Status(Code::kDeadlineExceeded,
                      "adaptive rate limiter: no send token before the operation deadline");
      }
    }
    clock_.SleepFor(wait);  // then refill and try again: another thread may have taken it
  }
}

void AdaptiveRateLimiter::OnResponse(bool throttled) {
  std::lock_guard<std::mutex> lock(mu_);
  const double now = Seconds(clock_.Now());
  const double measured = RecordSend(now);
  double rate;
  if (throttled) {
    const double r = enabled_ ? std::min(measured, fill_rate_) : measured;
    rate = cubic_.OnThrottle(r, now);
    enabled_ = true;
  } else {
    rate = cubic_.OnSuccess(now);
  }
  SetMaxRate(std::min(rate, kMaxRateScale * measured), now);
}

bool AdaptiveRateLimiter::enabled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return enabled_;
}
double AdaptiveRateLimiter::fill_rate() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fill_rate_;
}
double AdaptiveRateLimiter::measured_rate() const {
  std::lock_guard<std::mutex> lock(mu_);
  return measured_;
}
double AdaptiveRateLimiter::capacity() const {
  std::lock_guard<std::mutex> lock(mu_);
  return capacity_;
}

}  // namespace envelope::kms
