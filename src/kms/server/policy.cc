#include "kms/server/policy.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "kms/api/arn.h"
#include "kms/api/errors.h"

namespace envelope::kms::server {
namespace {

using Json = nlohmann::json;

// Applies `match` to a string or to each string of an array; true when any matches.
template <typename F>
bool AnyOf(const Json& value, F match) {
  if (value.is_string()) return match(value.get_ref<const std::string&>());
  if (value.is_array()) {
    for (const Json& v : value) {
      if (v.is_string() && match(v.get_ref<const std::string&>())) return true;
    }
  }
  return false;
}

bool PrincipalBlockMatches(const Json& block, const Caller& caller, std::string_view partition) {
  if (block.is_string()) return block.get_ref<const std::string&>() == "*";
  if (!block.is_object() || !block.contains("AWS")) return false;
  return AnyOf(block["AWS"], [&](const std::string& p) {
    return PrincipalMatches(p, caller, partition);
  });
}

bool ActionMatches(const Json& stmt, std::string_view action) {
  auto match = [&](const std::string& pattern) { return WildcardMatch(pattern, action, true); };
  if (stmt.contains("Action")) return AnyOf(stmt["Action"], match);
  if (stmt.contains("NotAction")) return !AnyOf(stmt["NotAction"], match);
  return false;
}

bool StatementApplies(const Json& stmt, const Caller& caller, std::string_view partition,
                      std::string_view action) {
  bool principal = false;
  if (stmt.contains("Principal")) {
    principal = PrincipalBlockMatches(stmt["Principal"], caller, partition);
  } else if (stmt.contains("NotPrincipal")) {
    principal = !PrincipalBlockMatches(stmt["NotPrincipal"], caller, partition);
  }
  return principal && ActionMatches(stmt, action);
}

}  // namespace

bool WildcardMatch(std::string_view pattern, std::string_view text, bool ignore_case) {
  auto eq = [&](char a, char b) {
    return ignore_case ? std::tolower(static_cast<unsigned char>(a)) ==
                             std::tolower(static_cast<unsigned char>(b))
                       : a == b;
  };
  // Iterative glob with single backtrack point: linear in practice, no recursion.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || eq(pattern[p], text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool PrincipalMatches(std::string_view p, const Caller& caller, std::string_view partition) {
  if (p == "*") return true;
  if (p == caller.account_id) return true;
  if (p == AccountRootArn(partition, caller.account_id)) return true;
  return !caller.principal_arn.empty() && p == caller.principal_arn;
}

PolicyDecision EvaluatePolicy(std::string_view policy_json, const Caller& caller,
                              std::string_view partition, std::string_view action) {
  Json doc = Json::parse(policy_json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("Statement")) return PolicyDecision::kNoMatch;
  Json statements = doc["Statement"];
  if (statements.is_object()) statements = Json::array({statements});
  if (!statements.is_array()) return PolicyDecision::kNoMatch;
  PolicyDecision decision = PolicyDecision::kNoMatch;
  for (const Json& stmt : statements) {
    if (!stmt.is_object() || !stmt.contains("Effect") || !stmt["Effect"].is_string()) continue;
    const std::string& effect = stmt["Effect"].get_ref<const std::string&>();
    bool conditional = stmt.contains("Condition");
    if (!StatementApplies(stmt, caller, partition, action)) continue;
    if (effect == "Deny") return PolicyDecision::kDeny;
    if (effect == "Allow" && !conditional) decision = PolicyDecision::kAllow;
  }
  return decision;
}

Status ValidatePolicyDocument(std::string_view policy) {
  Json doc = Json::parse(policy, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return MalformedPolicyDocumentError("The policy is not a valid JSON document.");
  }
  if (!doc.contains("Statement")) {
    return MalformedPolicyDocumentError("The policy has no Statement.");
  }
  Json statements = doc["Statement"];
  if (statements.is_object()) statements = Json::array({statements});
  if (!statements.is_array()) {
    return MalformedPolicyDocumentError("The policy's Statement must be an object or a list.");
  }
  for (const Json& stmt : statements) {
    if (!stmt.is_object() || !stmt.contains("Effect") || !stmt["Effect"].is_string() ||
        (stmt["Effect"] != "Allow" && stmt["Effect"] != "Deny")) {
      return MalformedPolicyDocumentError("Each statement needs Effect Allow or Deny.");
    }
  }
  return OkStatus();
}

std::string DefaultKeyPolicy(std::string_view partition, std::string_view account) {
  Json policy = {
      {"Version", "2012-10-17"},
      {"Id", "key-default-1"},
      {"Statement",
       Json::array({{{"Sid", "Enable IAM User Permissions"},
                     {"Effect", "Allow"},
                     {"Principal", {{"AWS", AccountRootArn(partition, account)}}},
                     {"Action", "kms:*"},
                     {"Resource", "*"}}})}};
  return policy.dump(2);
}

bool GrantAllows(const GrantRecord& grant, const Caller& caller, std::string_view partition,
                 std::string_view operation, const EncryptionContext* context) {
  if (!PrincipalMatches(grant.grantee_principal, caller, partition) ||
      grant.grantee_principal == "*") {
    return false;
  }
  bool listed = false;
  for (const std::string& op : grant.operations) listed = listed || op == operation;
  if (!listed) return false;
  if (grant.context_equals.empty() && grant.context_subset.empty()) return true;
  if (context == nullptr) return false;
  if (!grant.context_equals.empty() && grant.context_equals != *context) return false;
  for (const auto& [k, v] : grant.context_subset) {
    auto it = context->find(k);
    if (it == context->end() || it->second != v) return false;
  }
  return true;
}

}  // namespace envelope::kms::server
