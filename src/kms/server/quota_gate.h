#pragma once
// QuotaGate: the HTTP front's view of the quota engine, header-only so that the front does not
// link the server's logic. QuotaEngine (quota_engine.h) implements it.
#include <cstdint>
#include <string_view>

#include "kms/api/caller.h"

namespace envelope::kms::server {

class QuotaBucket;

// The answer to a throttled request: HTTP 400, __type ThrottlingException, this message.
inline constexpr std::string_view kThrottlingType = "ThrottlingException";
inline constexpr std::string_view kThrottlingMessage =
    "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.";

// What Admit decided, to be passed back to Settle. The string views point at static quota ids.
struct QuotaDecision {
  bool throttled = false;
  std::string_view quota;         // the account quota charged ("" when none: free or unlimited)
  std::string_view throttled_by;  // the quota that refused
  QuotaBucket* charged[2] = {nullptr, nullptr};
  std::int64_t at_s = 0;
};

class QuotaGate {
 public:
  virtual ~QuotaGate() = default;
  // Charges the request's quotas, or refuses it (charging nothing) when one is full. Called after
  // authentication, before the operation. Thread-safe.
  virtual QuotaDecision Admit(const Caller& caller, std::string_view operation,
                              std::string_view body) = 0;
  // After the operation ran: `failed` when it returned an error.
  virtual void Settle(const QuotaDecision& decision, bool failed) = 0;
};

}  // namespace envelope::kms::server
