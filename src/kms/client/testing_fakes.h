#pragma once
// Test doubles for the KMS client: a FakeClock that never sleeps, a scripted Random, and a
// FakeTransport that replays a queue of scripted attempt results. Header-only; tests only.
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "kms/client/http_transport.h"

namespace envelope::kms::testing {

// Monotonic time starts at 1000 s (so 0.5 s buckets are absolute) and moves only when a test
// advances it or code sleeps on it. Sleeps are recorded.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::chrono::nanoseconds start = std::chrono::seconds(1000))
      : now_(TimePoint(start)) {}
  TimePoint Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  std::chrono::system_clock::time_point WallNow() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000)) +
           std::chrono::duration_cast<std::chrono::system_clock::duration>(
               now_.time_since_epoch());
  }
  void SleepFor(Duration d) override {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(d);
    now_ += d;
  }
  void Advance(Duration d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }
  std::vector<Duration> sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_;
  std::vector<Duration> sleeps_;
};

// UniformDouble returns `value` (default 0.5) forever, or scripted values first.
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(double value = 0.5) : value_(value) {}
  void Push(double v) { script_.push_back(v); }
  Status Fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = static_cast<std::uint8_t>(counter_++ * 37 + 11);
    return OkStatus();
  }
  double UniformDouble() override {
    if (!script_.empty()) {
      double v = script_.front();
      script_.pop_front();
      return v;
    }
    return value_;
  }

 private:
  double value_;
  std::deque<double> script_;
  unsigned counter_ = 0;
};

inline HttpResult HttpOk(std::string body) {
  HttpResult r;
  r.status = 200;
  r.body = std::move(body);
  r.primary_ip = "127.0.0.1";
  return r;
}
inline HttpResult KmsErrorResult(int status, const std::string& type, std::string message = "m") {
  HttpResult r;
  r.status = status;
  r.body = "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}";
  return r;
}
inline HttpResult TransportFailure(TransportError e) {
  HttpResult r;
  r.error = e;
  r.error_message = std::string(TransportErrorName(e));
  return r;
}

// Replays scripted results in order; each may advance the fake clock by a simulated duration.
// Records requests and the limits they were sent with. An exhausted script answers 500.
class FakeTransport final : public HttpTransport {
 public:
  explicit FakeTransport(FakeClock* clock = nullptr) : clock_(clock) {}
  void Enqueue(HttpResult r, Clock::Duration takes = Clock::Duration::zero()) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.push_back({std::move(r), takes});
  }
  HttpResult Send(const HttpRequest& request, const AttemptLimits& limits) override {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    limits_.push_back(limits);
    if (script_.empty()) return KmsErrorResult(500, "KMSInternalException", "script exhausted");
    Step s = std::move(script_.front());
    script_.pop_front();
    if (clock_ != nullptr) {
      // A transfer cannot outlive its total_timeout: the real transport cuts it there.
      Clock::Duration cap = limits.total_timeout;
      if (s.takes > cap) {
        clock_->Advance(cap);
        return TransportFailure(TransportError::kAttemptTimeout);
      }
      clock_->Advance(s.takes);
    }
    return std::move(s.result);
  }
  std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  std::vector<AttemptLimits> limits() const {
    std::lock_guard<std::mutex> lock(mu_);
    return limits_;
  }

 private:
  struct Step {
    HttpResult result;
    Clock::Duration takes;
  };
  FakeClock* clock_;
  mutable std::mutex mu_;
  std::deque<Step> script_;
  std::vector<HttpRequest> requests_;
  std::vector<AttemptLimits> limits_;
};

}  // namespace envelope::kms::testing
