// KmsService: aliases — CreateAlias, UpdateAlias, DeleteAlias, ListAliases.
#include "kms/api/arn.h"
#include "kms/api/errors.h"
#include "kms/server/kms_service.h"
#include "kms/server/service_internal.h"

namespace envelope::kms::server {
namespace {

constexpr std::size_t kMaxAliasesPerKey = 50;
constexpr std::string_view kAliasPattern = "^[a-zA-Z0-9:/_-]+$";

bool MatchesAliasPattern(const std::string& s) {
  for (char ch : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(ch)) || ch == ':' || ch == '/' ||
              ch == '_' || ch == '-';
    if (!ok) return false;
  }
  return !s.empty();
}

}  // namespace

Status ValidateAliasName(const std::string& name) {
  if (name.empty()) return LengthViolation(name, "aliasName", 1, false);
  if (name.size() > 256) return LengthViolation(name, "aliasName", 256, true);
  if (!MatchesAliasPattern(name)) return PatternViolation(name, "aliasName", kAliasPattern);
  if (!name.starts_with("alias/") || name.size() == 6) {
    return InvalidAliasNameError("Alias must start with the prefix \"alias/\". Please see "
                                 "https://docs.aws.amazon.com/kms/latest/developerguide/"
                                 "kms-alias.html");
  }
  if (name.starts_with("alias/aws/")) {
    return InvalidAliasNameError("Alias " + name + " must not begin with the reserved prefix "
                                 "alias/aws/.");
  }
  return OkStatus();
}

Result<Empty> KmsService::CreateAlias(const Caller& c, const CreateAliasRequest& r) {
  ENVELOPE_RETURN_IF_ERROR(ValidateAliasName(r.alias_name));
  if (r.target_key_id.starts_with("alias/") || r.target_key_id.find(":alias/") != std::string::npos) {
    return ValidationError("TargetKeyId must be a key ID or key ARN, not an alias.");
  }
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k,
                            ResolveKey(c, r.target_key_id, {"CreateAlias", false, nullptr,
                                                            "targetKeyId"}));
  ENVELOPE_RETURN_IF_ERROR(RequireNotPendingDeletion(k));
  std::lock_guard lock(mutation_mu_);
  std::string partition = PartitionForRegion(c.region);
  if (store_.GetAlias(c.account_id, c.region, r.alias_name) != nullptr) {
    return AlreadyExistsError("An alias with the name " +
                              AliasArn(partition, c.region, c.account_id, r.alias_name) +
                              " already exists");
  }
  std::size_t on_key = 0;
  for (const AliasPtr& a : store_.ListAliases(c.account_id, c.region)) {
    on_key += a->key_id == k.key->key_id ? 1 : 0;
  }
  if (on_key >= kMaxAliasesPerKey) {
    return LimitExceededError("A key can have at most 50 aliases.");
  }
  double now = Now();
  ENVELOPE_RETURN_IF_ERROR(
      store_.PutAlias({c.account_id, c.region, r.alias_name, k.key->key_id, now, now}));
  return Empty{};
}

Result<Json> KmsService::UpdateAlias(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string name, r.String("AliasName", 1, 256));
  ENVELOPE_ASSIGN_OR_RETURN(std::string target, r.String("TargetKeyId", 1, 2048));
  if (!name.starts_with("alias/") || name.starts_with("alias/aws/")) {
    ENVELOPE_RETURN_IF_ERROR(ValidateAliasName(name));
  }
  std::string partition = PartitionForRegion(c.region);
  AliasPtr alias = store_.GetAlias(c.account_id, c.region, name);
  if (alias == nullptr) {
    return NotFoundError("Alias " + AliasArn(partition, c.region, c.account_id, name) +
                         " is not found.");
  }
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k,
                            ResolveKey(c, target, {"UpdateAlias", false, nullptr, "targetKeyId"}));
  if (k.key->state == "PendingDeletion") {
    return InvalidStateError(k.arn + " is pending deletion.");
  }
  KeyPtr old_key = store_.GetKey(c.account_id, c.region, alias->key_id);
  if (old_key != nullptr &&
      (old_key->key_spec != k.key->key_spec || old_key->key_usage != k.key->key_usage)) {
    return ValidationError("The new target key must have the same key spec and key usage as the "
                           "alias's current key.");
  }
  std::lock_guard lock(mutation_mu_);
  AliasRecord updated = *alias;
  updated.key_id = k.key->key_id;
  updated.last_updated_date = Now();
  ENVELOPE_RETURN_IF_ERROR(store_.PutAlias(updated));
  return Json::object();
}

Result<Json> KmsService::DeleteAlias(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string name, r.String("AliasName", 1, 256));
  std::lock_guard lock(mutation_mu_);
  if (store_.GetAlias(c.account_id, c.region, name) == nullptr) {
    return NotFoundError("Alias " +
                         AliasArn(PartitionForRegion(c.region), c.region, c.account_id, name) +
                         " is not found.");
  }
  ENVELOPE_RETURN_IF_ERROR(store_.DeleteAlias(c.account_id, c.region, name));
  return Json::object();
}

Result<ListAliasesResponse> KmsService::ListAliases(const Caller& c, const ListAliasesRequest& r) {
  if (r.limit && (*r.limit < 1 || *r.limit > 1000)) {
    return RangeViolation(*r.limit, "limit", *r.limit < 1 ? 1 : 1000, *r.limit > 1000);
  }
  std::optional<std::string> only_key;
  if (r.key_id) {
    ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, *r.key_id, {"ListAliases"}));
    only_key = k.key->key_id;
  }
  std::vector<AliasPtr> aliases;
  std::vector<std::string> names;
  for (const AliasPtr& a : store_.ListAliases(c.account_id, c.region)) {
    if (only_key && a->key_id != *only_key) continue;
    aliases.push_back(a);
    names.push_back(a->name);
  }
  ENVELOPE_ASSIGN_OR_RETURN(Page page, Paginate(names, r.limit, r.marker, 50));
  ListAliasesResponse out;
  std::string partition = PartitionForRegion(c.region);
  for (std::size_t i = page.begin; i < page.end; ++i) {
    const AliasRecord& a = *aliases[i];
    out.aliases.push_back({a.name, AliasArn(partition, c.region, c.account_id, a.name), a.key_id,
                           a.creation_date, a.last_updated_date});
  }
  out.truncated = page.truncated;
  out.next_marker = page.next_marker;
  return out;
}

}  // namespace envelope::kms::server
