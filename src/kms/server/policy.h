#pragma once
// Key policy evaluation and grant matching for cross-account access.
//
// Semantics (a documented subset of IAM's): a statement applies when its Principal (or
// NotPrincipal) and Action (or NotAction) match; Resource is not evaluated (a key policy only
// ever governs its own key). Principals match as "*", {"AWS":"*"}, an account id, the account's
// root ARN (any principal of that account), or an exact principal ARN. Actions match
// case-insensitively with * and ? wildcards ("kms:*", "kms:Encrypt*"). Condition blocks are not
// evaluated and fail closed: an Allow with a Condition never applies, a Deny with one always does.
// An explicit Deny wins over any Allow.
#include <string>
#include <string_view>

#include "envelope/status.h"
#include "kms/api/caller.h"
#include "kms/api/types.h"
#include "kms/server/key_model.h"

namespace envelope::kms::server {

enum class PolicyDecision { kNoMatch, kAllow, kDeny };

// `action` is the full action name, e.g. "kms:Encrypt". An unparsable policy never matches.
PolicyDecision EvaluatePolicy(std::string_view policy_json, const Caller& caller,
                              std::string_view partition, std::string_view action);

// MalformedPolicyDocumentException unless `policy` is a JSON object whose Statement is an object
// or an array of objects, each with Effect "Allow" or "Deny".
Status ValidatePolicyDocument(std::string_view policy);

// The policy CreateKey gives a key when none is specified: the owning account may do kms:*.
std::string DefaultKeyPolicy(std::string_view partition, std::string_view account);

// Glob match with * and ?; case-insensitive when asked.
bool WildcardMatch(std::string_view pattern, std::string_view text, bool ignore_case);

// True when `grant` lets `caller` perform grant operation `operation` ("Encrypt",
// "ReEncryptFrom", ...). Constraints need the request's encryption context; with `context`
// null a constrained grant does not apply.
bool GrantAllows(const GrantRecord& grant, const Caller& caller, std::string_view partition,
                 std::string_view operation, const EncryptionContext* context);

// True when `principal` (from a policy or grant) names the caller.
bool PrincipalMatches(std::string_view principal, const Caller& caller, std::string_view partition);

}  // namespace envelope::kms::server
