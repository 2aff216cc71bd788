#pragma once
// FaultInjector: rules that make chosen KMS requests slow, hang, reset or fail, for testing
// clients against the failures they will meet (Spec: docs/kms-server.md#faults).
//
// A rule matches on operation, account and key (each optional; the key is compared with the
// request's top-level KeyId as given, or with the key id at the end of an ARN), fires with a
// probability and/or for a limited count, and names one FaultKind. The first matching rule that
// fires wins. Rules come from the config file ("faults": [...]) and can be added, listed and
// cleared at run time (the admin endpoint). Thread-safe; with no rules, Pick takes no lock.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "envelope/result.h"
#include "kms/server/fault_gate.h"

namespace envelope::kms::server {

struct FaultRule {
  std::string id;  // assigned when added: "f1", "f2", ...
  std::string operation, account, key;  // "" = any
  double probability = 1.0;
  std::int64_t count = -1;  // remaining firings; -1 = unlimited
  FaultAction action;
  std::int64_t fired = 0;
};

class FaultInjector final : public FaultGate {
 public:
  // One rule from its JSON form: {"kind": "latency"|"hang"|"reset"|"internal"|"unavailable"|
  // "throttle", "operation"?, "account"?, "key"?, "probability"? (0..1), "count"? (>= 1),
  // "ms"? (latency: required; hang: default 300000)}. kInvalidArgument naming the member.
  static Result<FaultRule> RuleFromJson(const nlohmann::json& j);
  // The "faults" member of the config file text (absent: no rules).
  static Result<std::vector<FaultRule>> FromConfigJson(std::string_view file_json);

  // Adds rules (a rule object or an array of them); returns their ids.
  Result<std::vector<std::string>> AddJson(const nlohmann::json& j);
  void Add(FaultRule rule);
  nlohmann::json ListJson() const;  // {"faults": [rule..., with "id" and "fired"]}
  void Clear();

  std::optional<FaultAction> Pick(const Caller& caller, std::string_view operation,
                                  std::string_view body) override;

 private:
  mutable std::mutex mu_;
  std::vector<FaultRule> rules_;
  std::atomic<bool> empty_{true};
  std::uint64_t next_id_ = 1;
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace envelope::kms::server
