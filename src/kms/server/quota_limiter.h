#pragma once
// QuotaLimiter: fixed-window request counters, one per bucket (a string key such as
// "account|region|quota"), lock-free on the hot path.
//
// A quota of V requests per second is enforced as at most L requests per window of W whole
// seconds, windows aligned to multiples of W seconds of wall-clock time:
//   V >= 1: W = 1, L = floor(V)          (5/s: 5 in each second)
//   V <  1: W = ceil(1/V), L = floor(V*W) (0.25/s: 1 in each aligned 4 s; 0.1/s: 1 in 10 s)
//   V <= 0: everything is refused.
// Each bucket is one 64-bit atomic holding (window index << 24 | count); admitting is one CAS,
// refusing is one load. Buckets are found in one of 64 shards of a hash map under a shared lock
// (taken exclusively only to create a bucket). Thread-safe; buckets live as long as the limiter.
#include <atomic>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace envelope::kms::server {

struct QuotaLimit {
  std::uint32_t per_window = 0;  // L
  std::uint32_t window_s = 1;    // W
  double value = 0;              // V, for reports
  static QuotaLimit FromRate(double value);
};

class QuotaBucket {
 public:
  explicit QuotaBucket(QuotaLimit limit) : limit_(limit) {}
  // Takes one request in the window holding `now_s` (epoch seconds). False when the window is
  // already full (nothing is taken then).
  bool TryTake(std::int64_t now_s);
  // Gives back one request taken at `taken_s`, if its window is still the current one.
  void Refund(std::int64_t taken_s);
  // Requests taken in the window holding `now_s` (0 once the window has passed).
  std::uint32_t Usage(std::int64_t now_s) const;
  const QuotaLimit& limit() const { return limit_; }

 private:
  std::uint64_t Window(std::int64_t now_s) const;
  const QuotaLimit limit_;
  std::atomic<std::uint64_t> state_{0};
};

class QuotaLimiter {
 public:
  // The bucket for `key`, or nullptr when none was made yet (shared lock only).
  QuotaBucket* Find(std::string_view key) const;
  // The bucket for `key`, made with `limit` unless another thread made it first.
  QuotaBucket& Insert(std::string_view key, const QuotaLimit& limit);
  // Every bucket with its key, for metrics and reports (a snapshot of the set; counters live).
  std::vector<std::pair<std::string, const QuotaBucket*>> Buckets() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    mutable std::shared_mutex mu;
    std::unordered_map<std::string, std::unique_ptr<QuotaBucket>, Hash, std::equal_to<>> map;
  };
  static constexpr std::size_t kShards = 64;
  Shard shards_[kShards];
};

}  // namespace envelope::kms::server
