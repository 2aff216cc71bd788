// KmsService: key resolution, authorisation, key-state checks and shared helpers.
#include "kms/api/arn.h"
#include "kms/api/errors.h"
#include "kms/server/codec.h"
#include "kms/server/kms_service.h"
#include "kms/server/policy.h"

namespace envelope::kms::server {
namespace {

Status KeyNotFound(const std::string& arn) {
  return NotFoundError("Key '" + arn + "' does not exist");
}

Status NotAuthorized(const Caller& c, std::string_view action, const std::string& arn) {
  std::string who = c.principal_arn.empty() ? AccountRootArn("aws", c.account_id) : c.principal_arn;
  return AccessDeniedError("User: " + who + " is not authorized to perform: kms:" +
                           std::string(action) + " on resource: " + arn +
                           " because no resource-based policy allows the kms:" +
                           std::string(action) + " action");
}

}  // namespace

double KmsService::Now() const {
  auto since = clock_.WallNow().time_since_epoch();
  // Millisecond precision, as KMS reports dates.
  return static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(since).count()) /
         1000.0;
}

Result<KmsService::Resolved> KmsService::ResolveKey(const Caller& c, std::string_view key_id,
                                                    const Use& use) {
  if (key_id.empty()) return LengthViolation(key_id, use.label, 1, false);
  if (key_id.size() > 2048) return LengthViolation(key_id, use.label, 2048, true);
  ENVELOPE_ASSIGN_OR_RETURN(KeyIdentifier id, ParseKeyIdentifier(key_id));
  std::string account = id.is_arn() ? id.account_id : c.account_id;
  std::string region = id.is_arn() ? id.region : c.region;
  std::string partition = PartitionForRegion(c.region);
  if (id.is_alias()) {
    std::string alias_arn = AliasArn(partition, region, account, id.alias_name);
    if (account != c.account_id && !use.cross_account) return NotAuthorized(c, use.action, alias_arn);
    AliasPtr alias = region == c.region ? store_.GetAlias(account, region, id.alias_name) : nullptr;
    if (alias == nullptr) return NotFoundError("Alias " + alias_arn + " is not found.");
    id.key_id = alias->key_id;
  }
  if (id.is_arn() && (id.partition != partition || region != c.region)) {
    return KeyNotFound(KeyArn(id.partition, region, account, id.key_id));
  }
  return ResolveById(c, account, region, id.key_id, use);
}

Result<KmsService::Resolved> KmsService::ResolveById(const Caller& c, const std::string& account,
                                                     const std::string& region,
                                                     const std::string& key_id, const Use& use) {
  Resolved r;
  r.partition = PartitionForRegion(region);
  r.arn = KeyArn(r.partition, region, account, key_id);
  if (account != c.account_id && !use.cross_account) return NotAuthorized(c, use.action, r.arn);
  r.key = store_.GetKey(account, region, key_id);
  if (r.key == nullptr) return KeyNotFound(r.arn);
  // Deletion happens lazily: the first request after the deletion date removes the key.
  if (r.key->state == "PendingDeletion" && r.key->deletion_date &&
      *r.key->deletion_date <= Now()) {
    std::lock_guard lock(mutation_mu_);
    ENVELOPE_RETURN_IF_ERROR(store_.DeleteKey(account, region, key_id));
    return KeyNotFound(r.arn);
  }
  r.spec = FindKeySpec(r.key->key_spec);
  if (r.spec == nullptr) return KmsInternalError("key " + r.arn + " has an unknown key spec");
  ENVELOPE_RETURN_IF_ERROR(Authorize(c, r, use));
  if (r.key->rotation_enabled && r.key->next_rotation_date && *r.key->next_rotation_date <= Now()) {
    ENVELOPE_RETURN_IF_ERROR(RotateIfDue(r));
    r.key = store_.GetKey(account, region, key_id);
    if (r.key == nullptr) return KeyNotFound(r.arn);
  }
  return r;
}

// The owning account may do anything its key policy does not explicitly deny (the local KMS has
// no IAM policies to consult). Other accounts need an Allow in the key policy, or a grant.
Status KmsService::Authorize(const Caller& c, const Resolved& r, const Use& use) {
  std::string action = "kms:" + std::string(use.action);
  bool owner = c.account_id == r.key->account;
  // Fast path for the owner: a policy without a Deny cannot refuse it.
  bool may_deny = r.key->policy.find("Deny") != std::string::npos ||
                  r.key->policy.find("\\u") != std::string::npos;
  PolicyDecision d = PolicyDecision::kNoMatch;
  if (!owner || may_deny) d = EvaluatePolicy(r.key->policy, c, r.partition, action);
  if (d == PolicyDecision::kDeny) return NotAuthorized(c, use.action, r.arn);
  if (owner || d == PolicyDecision::kAllow) return OkStatus();
  for (const GrantPtr& g : store_.ListGrants(r.key->account, r.key->region, r.key->key_id)) {
    if (GrantAllows(*g, c, r.partition, use.action, use.context)) return OkStatus();
  }
  return NotAuthorized(c, use.action, r.arn);
}

Status KmsService::RequireEnabled(const Resolved& r) {
  const std::string& s = r.key->state;
  if (s == "Enabled") return OkStatus();
  if (s == "Disabled") return DisabledError(r.arn + " is disabled.");
  if (s == "PendingDeletion") return InvalidStateError(r.arn + " is pending deletion.");
  if (s == "PendingImport") return InvalidStateError(r.arn + " is pending import.");
  return InvalidStateError(r.arn + " is unavailable.");
}

Status KmsService::RequireNotPendingDeletion(const Resolved& r) {
  if (r.key->state == "PendingDeletion") {
    return InvalidStateError(r.arn + " is pending deletion.");
  }
  return OkStatus();
}

Status KmsService::MutateKey(const Resolved& r, const std::function<Status(KeyRecord&)>& change) {
  std::lock_guard lock(mutation_mu_);
  KeyPtr latest = store_.GetKey(r.key->account, r.key->region, r.key->key_id);
  if (latest == nullptr) return KeyNotFound(r.arn);
  KeyRecord copy = *latest;
  ENVELOPE_RETURN_IF_ERROR(change(copy));
  return store_.PutKey(copy);
}

KeyMetadata KmsService::Metadata(const Resolved& r) const {
  const KeyRecord& k = *r.key;
  KeyMetadata m;
  m.aws_account_id = k.account;
  m.key_id = k.key_id;
  m.arn = r.arn;
  m.creation_date = k.creation_date;
  m.enabled = k.state == "Enabled";
  m.description = k.description;
  m.key_usage = k.key_usage;
  m.key_state = k.state;
  if (k.state == "PendingDeletion") {
    m.deletion_date = k.deletion_date;
    m.pending_deletion_window_in_days = k.pending_window_days;
  }
  m.origin = k.origin;
  m.key_manager = "CUSTOMER";
  m.key_spec = k.key_spec;
  m.encryption_algorithms = EncryptionAlgorithmsFor(*r.spec, k.key_usage);
  m.signing_algorithms = SigningAlgorithmsFor(*r.spec, k.key_usage);
  m.mac_algorithms = MacAlgorithmsFor(*r.spec, k.key_usage);
  m.multi_region = k.multi_region;
  if (!k.custom_key_store_id.empty()) m.custom_key_store_id = k.custom_key_store_id;
  return m;
}

Json KeyMetadataJson(const KeyMetadata& m) {
  Json j = {{"AWSAccountId", m.aws_account_id},
            {"KeyId", m.key_id},
            {"Arn", m.arn},
            {"CreationDate", m.creation_date},
            {"Enabled", m.enabled},
            {"Description", m.description},
            {"KeyUsage", m.key_usage},
            {"KeyState", m.key_state},
            {"Origin", m.origin},
            {"KeyManager", m.key_manager},
            {"CustomerMasterKeySpec", m.key_spec},
            {"KeySpec", m.key_spec},
            {"MultiRegion", m.multi_region}};
  if (m.custom_key_store_id) j["CustomKeyStoreId"] = *m.custom_key_store_id;
  if (m.deletion_date) j["DeletionDate"] = *m.deletion_date;
  if (m.pending_deletion_window_in_days) {
    j["PendingDeletionWindowInDays"] = *m.pending_deletion_window_in_days;
  }
  if (!m.encryption_algorithms.empty()) j["EncryptionAlgorithms"] = m.encryption_algorithms;
  if (!m.signing_algorithms.empty()) j["SigningAlgorithms"] = m.signing_algorithms;
  if (!m.mac_algorithms.empty()) j["MacAlgorithms"] = m.mac_algorithms;
  if (m.multi_region) {
    std::string region = m.arn.substr(0, m.arn.find(":key/"));
    region = region.substr(0, region.rfind(':'));
    region = region.substr(region.rfind(':') + 1);
    j["MultiRegionConfiguration"] = {
        {"MultiRegionKeyType", "PRIMARY"},
        {"PrimaryKey", {{"Arn", m.arn}, {"Region", region}}},
        {"ReplicaKeys", Json::array()}};
  }
  return j;
}

}  // namespace envelope::kms::server
