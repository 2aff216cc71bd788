#include "kms/server/fault_injector.h"

#include "kms/server/quota_json_scan.h"

namespace envelope::kms::server {
namespace {

using nlohmann::json;

constexpr std::int64_t kDefaultHangMs = 300'000;

Status Bad(const std::string& what) { return InvalidArgument("faults: " + what); }

Result<FaultKind> ParseKind(const std::string& kind) {
  if (kind == "latency") return FaultKind::kLatency;
  if (kind == "hang") return FaultKind::kHang;
  if (kind == "reset") return FaultKind::kReset;
  if (kind == "internal") return FaultKind::kInternal;
  if (kind == "unavailable") return FaultKind::kUnavailable;
  if (kind == "throttle") return FaultKind::kThrottle;
  return Bad("unknown kind \"" + kind.substr(0, 32) +
             "\" (latency, hang, reset, internal, unavailable, throttle)");
}

std::string_view KindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kLatency: return "latency";
    case FaultKind::kHang: return "hang";
    case FaultKind::kReset: return "reset";
    case FaultKind::kInternal: return "internal";
    case FaultKind::kUnavailable: return "unavailable";
    case FaultKind::kThrottle: return "throttle";
  }
  return "internal";
}

Status ReadMember(const std::string& name, const json& v, FaultRule& rule, bool& has_ms) {
  if (name == "operation" || name == "account" || name == "key" || name == "kind") {
    if (!v.is_string()) return Bad("\"" + name + "\" must be a string");
    if (name == "operation") rule.operation = v.get<std::string>();
    if (name == "account") rule.account = v.get<std::string>();
    if (name == "key") rule.key = v.get<std::string>();
    if (name == "kind") {
      ENVELOPE_ASSIGN_OR_RETURN(rule.action.kind, ParseKind(v.get<std::string>()));
    }
  } else if (name == "probability") {
    if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1) {
      return Bad("\"probability\" must be a number from 0 to 1");
    }
    rule.probability = v.get<double>();
  } else if (name == "count") {
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1) {
      return Bad("\"count\" must be a positive integer");
    }
    rule.count = v.get<std::int64_t>();
  } else if (name == "ms") {
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0) {
      return Bad("\"ms\" must be a non-negative integer");
    }
    rule.action.delay = std::chrono::milliseconds(v.get<std::int64_t>());
    has_ms = true;
  } else if (name != "id" && name != "fired") {  // accepted so that a listing can be re-posted
    return Bad("unknown member \"" + name.substr(0, 32) + "\"");
  }
  return OkStatus();
}

// True when the request's KeyId names `key` (as given, or an ARN ending in "/key").
bool KeyMatches(const std::string& key, std::string_view body) {
  std::optional<std::string> id = TopLevelJsonString(body, "KeyId");
  if (!id) return false;
  if (*id == key) return true;
  return id->size() > key.size() && id->ends_with(key) && (*id)[id->size() - key.size() - 1] == '/';
}

}  // namespace

Result<FaultRule> FaultInjector::RuleFromJson(const json& j) {
  if (!j.is_object()) return Bad("a rule must be an object");
  if (!j.contains("kind")) return Bad("\"kind\" is required");
  FaultRule rule;
  bool has_ms = false;
  for (const auto& [name, v] : j.items()) {
    ENVELOPE_RETURN_IF_ERROR(ReadMember(name, v, rule, has_ms));
  }
  if (rule.action.kind == FaultKind::kLatency && !has_ms) return Bad("latency needs \"ms\"");
  if (rule.action.kind == FaultKind::kHang && !has_ms) {
    rule.action.delay = std::chrono::milliseconds(kDefaultHangMs);
  }
  return rule;
}

Result<std::vector<FaultRule>> FaultInjector::FromConfigJson(std::string_view file_json) {
  json doc = json::parse(file_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Bad("the config file is not a JSON object");
  std::vector<FaultRule> rules;
  auto it = doc.find("faults");
  if (it == doc.end()) return rules;
  if (!it->is_array()) return Bad("must be an array of rules");
  for (const json& r : *it) {
    ENVELOPE_ASSIGN_OR_RETURN(FaultRule rule, RuleFromJson(r));
    rules.push_back(std::move(rule));
  }
  return rules;
}

Result<std::vector<std::string>> FaultInjector::AddJson(const json& j) {
  std::vector<FaultRule> rules;
  if (j.is_array()) {
    for (const json& r : j) {
      ENVELOPE_ASSIGN_OR_RETURN(FaultRule rule, RuleFromJson(r));
      rules.push_back(std::move(rule));
    }
  } else {
    ENVELOPE_ASSIGN_OR_RETURN(FaultRule rule, RuleFromJson(j));
    rules.push_back(std::move(rule));
  }
  std::vector<std::string> ids;
  for (FaultRule& r : rules) {
    Add(std::move(r));
    std::lock_guard lock(mu_);
    ids.push_back(rules_.back().id);
  }
  return ids;
}

void FaultInjector::Add(FaultRule rule) {
  std::lock_guard lock(mu_);
  rule.id = "f" + std::to_string(next_id_++);
  rule.fired = 0;
  rules_.push_back(std::move(rule));
  empty_.store(false, std::memory_order_release);
}

json FaultInjector::ListJson() const {
  std::lock_guard lock(mu_);
  json list = json::array();
  for (const FaultRule& r : rules_) {
    json j = {{"id", r.id}, {"kind", KindName(r.action.kind)}, {"probability", r.probability},
              {"fired", r.fired}};
    if (!r.operation.empty()) j["operation"] = r.operation;
    if (!r.account.empty()) j["account"] = r.account;
    if (!r.key.empty()) j["key"] = r.key;
    if (r.count >= 0) j["count"] = r.count;
    if (r.action.kind == FaultKind::kLatency || r.action.kind == FaultKind::kHang) {
      j["ms"] = r.action.delay.count();
    }
    list.push_back(std::move(j));
  }
  return {{"faults", std::move(list)}};
}

void FaultInjector::Clear() {
  std::lock_guard lock(mu_);
  rules_.clear();
  empty_.store(true, std::memory_order_release);
}

std::optional<FaultAction> FaultInjector::Pick(const Caller& caller, std::string_view operation,
                                               std::string_view body) {
  if (empty_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard lock(mu_);
  for (FaultRule& r : rules_) {
    if (r.count == 0) continue;
    if (!r.operation.empty() && r.operation != operation) continue;
    if (!r.account.empty() && r.account != caller.account_id) continue;
    if (!r.key.empty() && !KeyMatches(r.key, body)) continue;
    if (r.probability < 1.0 &&
        std::uniform_real_distribution<double>(0.0, 1.0)(random_) >= r.probability) {
      continue;
    }
    if (r.count > 0) --r.count;
    ++r.fired;
    return r.action;
  }
  return std::nullopt;
}

}  // namespace envelope::kms::server
