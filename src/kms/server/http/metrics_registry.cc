#include "kms/server/http/metrics_registry.h"

#include <cstdio>
#include <functional>
#include <vector>

namespace envelope::kms::server {
namespace {

std::string Series(std::string_view name, std::initializer_list<
                                              std::pair<std::string_view, std::string_view>>
                                              labels) {
  std::string out(name);
  out.push_back('{');
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out.push_back(',');
    first = false;
    out.append(k).append("=\"").append(PromLabel(v.empty() ? "-" : v)).push_back('"');
  }
  out.push_back('}');
  return out;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

}  // namespace

std::string PromLabel(std::string_view value) {
  std::string out;
  for (char c : value.substr(0, 128)) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

MetricsRegistry::Shard& MetricsRegistry::ShardFor(std::string_view key) {
  return shards_[std::hash<std::string_view>{}(key) % kShards];
}

void MetricsRegistry::Add(std::string key) {
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  ++shard.counters[std::move(key)];
}

void MetricsRegistry::Record(const RequestRecord& r) {
  Add(Series("envelope_kms_requests_total", {{"operation", r.operation},
                                             {"account", r.account},
                                             {"status", std::to_string(r.status)}}));
  if (!r.error_type.empty()) {
    Add(Series("envelope_kms_errors_total",
               {{"operation", r.operation}, {"account", r.account}, {"type", r.error_type}}));
  }
  if (r.throttled) {
    Add(Series("envelope_kms_throttles_total",
               {{"operation", r.operation}, {"account", r.account}, {"quota", r.quota}}));
  } else if (!r.quota.empty()) {
    Add(Series("envelope_kms_quota_charged_total",
               {{"operation", r.operation}, {"account", r.account}, {"quota", r.quota}}));
  }
  const std::string op(r.operation.empty() ? "-" : r.operation);
  Shard& shard = ShardFor(op);
  const double seconds = static_cast<double>(r.latency.count()) / 1e6;
  std::lock_guard lock(shard.mu);
  Histogram& h = shard.histograms[op];
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  ++h.counts[i];
  h.sum += seconds;
  ++h.count;
}

std::string MetricsRegistry::Prometheus() const {
  std::map<std::string, std::uint64_t> counters;
  std::map<std::string, Histogram> histograms;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    counters.insert(shard.counters.begin(), shard.counters.end());
    histograms.insert(shard.histograms.begin(), shard.histograms.end());
  }
  std::string out;
  std::string_view last_family;
  for (const auto& [series, value] : counters) {
    std::string_view family = std::string_view(series).substr(0, series.find('{'));
    if (family != last_family) {
      out += "# TYPE " + std::string(family) + " counter\n";
      last_family = family;
    }
    out += series + " " + std::to_string(value) + "\n";
  }
  out += "# TYPE envelope_kms_request_duration_seconds histogram\n";
  for (const auto& [op, h] : histograms) {
    const std::string label = "operation=\"" + PromLabel(op) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= kBuckets.size(); ++i) {
      cumulative += h.counts[i];
      const std::string le = i < kBuckets.size() ? Number(kBuckets[i]) : "+Inf";
      out += "envelope_kms_request_duration_seconds_bucket{" + label + ",le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "envelope_kms_request_duration_seconds_sum{" + label + "} " + Number(h.sum) + "\n";
    out += "envelope_kms_request_duration_seconds_count{" + label + "} " +
           std::to_string(h.count) + "\n";
  }
  return out;
}

}  // namespace envelope::kms::server
