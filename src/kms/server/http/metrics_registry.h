#pragma once
// MetricsRegistry: request counters and latency histograms of the local KMS, exposed in the
// Prometheus text format (Spec: docs/kms-server.md#metrics). The KMS front records every request;
// the admin endpoint renders. Thread-safe: counters live in 16 shards, each under its own mutex,
// so requests on different series rarely meet.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace envelope::kms::server {

struct RequestRecord {
  std::string_view operation;   // "" before the target was read
  std::string_view account;     // "" before authentication
  std::string_view quota;       // the quota charged or refused, "" for none
  std::string_view error_type;  // "" on success
  int status = 200;
  bool throttled = false;  // refused by a quota (not a forced-throttle fault)
  std::chrono::microseconds latency{0};
};

class MetricsRegistry {
 public:
  void Record(const RequestRecord& record);
  // The metrics in the Prometheus text exposition format (version 0.0.4).
  std::string Prometheus() const;

  static constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5,
                                                      5,      10};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size() + 1> counts{};  // last: +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    std::map<std::string, std::uint64_t> counters;  // rendered series line prefix -> value
    std::map<std::string, Histogram> histograms;    // operation -> histogram
  };
  static constexpr std::size_t kShards = 16;
  Shard& ShardFor(std::string_view key);
  void Add(std::string key);
  std::array<Shard, kShards> shards_;
};

// `value` escaped for a Prometheus label value (backslash, double quote, newline).
std::string PromLabel(std::string_view value);

}  // namespace envelope::kms::server
