#include "kms/server/quota_limiter.h"

#include <algorithm>
#include <cmath>
#include <mutex>

namespace envelope::kms::server {
namespace {

constexpr int kCountBits = 24;
constexpr std::uint64_t kCountMask = (std::uint64_t{1} << kCountBits) - 1;
constexpr double kEpsilon = 1e-9;

}  // namespace

QuotaLimit QuotaLimit::FromRate(double value) {
  QuotaLimit limit;
  limit.value = value;
  if (!(value > 0)) return limit;  // also NaN: refuse everything
  if (value >= 1) {
    limit.per_window = static_cast<std::uint32_t>(
        std::min<double>(std::floor(value + kEpsilon), static_cast<double>(kCountMask)));
    return limit;
  }
  limit.window_s = static_cast<std::uint32_t>(std::ceil(1.0 / value - kEpsilon));
  limit.per_window = static_cast<std::uint32_t>(std::floor(value * limit.window_s + kEpsilon));
  return limit;
}

std::uint64_t QuotaBucket::Window(std::int64_t now_s) const {
  return static_cast<std::uint64_t>(now_s < 0 ? 0 : now_s) / limit_.window_s;
}

bool QuotaBucket::TryTake(std::int64_t now_s) {
  const std::uint64_t window = Window(now_s);
  std::uint64_t state = state_.load(std::memory_order_relaxed);
  for (;;) {
    const std::uint64_t count = (state >> kCountBits) == window ? (state & kCountMask) : 0;
    if (count >= limit_.per_window) return false;
    const std::uint64_t next = (window << kCountBits) | (count + 1);
    if (state_.compare_exchange_weak(state, next, std::memory_order_relaxed)) return true;
  }
}

void QuotaBucket::Refund(std::int64_t taken_s) {
  const std::uint64_t window = Window(taken_s);
  std::uint64_t state = state_.load(std::memory_order_relaxed);
  while ((state >> kCountBits) == window && (state & kCountMask) > 0) {
    if (state_.compare_exchange_weak(state, state - 1, std::memory_order_relaxed)) return;
  }
}

std::uint32_t QuotaBucket::Usage(std::int64_t now_s) const {
  const std::uint64_t state = state_.load(std::memory_order_relaxed);
  return (state >> kCountBits) == Window(now_s) ? static_cast<std::uint32_t>(state & kCountMask)
                                                : 0;
}

QuotaBucket* QuotaLimiter::Find(std::string_view key) const {
  const Shard& shard = shards_[Hash{}(key) % kShards];
  std::shared_lock lock(shard.mu);
  auto it = shard.map.find(key);
  return it == shard.map.end() ? nullptr : it->second.get();
}

QuotaBucket& QuotaLimiter::Insert(std::string_view key, const QuotaLimit& limit) {
  Shard& shard = shards_[Hash{}(key) % kShards];
  std::unique_lock lock(shard.mu);
  auto [it, inserted] = shard.map.try_emplace(std::string(key), nullptr);
  if (inserted) it->second = std::make_unique<QuotaBucket>(limit);
  return *it->second;
}

std::vector<std::pair<std::string, const QuotaBucket*>> QuotaLimiter::Buckets() const {
  std::vector<std::pair<std::string, const QuotaBucket*>> out;
  for (const Shard& shard : shards_) {
    std::shared_lock lock(shard.mu);
    for (const auto& [key, bucket] : shard.map) out.emplace_back(key, bucket.get());
  }
  return out;
}

}  // namespace envelope::kms::server
