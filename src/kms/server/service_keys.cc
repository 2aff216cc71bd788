// KmsService: key lifecycle — CreateKey, DescribeKey, ListKeys, UpdateKeyDescription,
// EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion.
#include "crypto/asymmetric.h"
#include "kms/api/arn.h"
#include "kms/api/errors.h"
#include "kms/server/kms_service.h"
#include "kms/server/policy.h"
#include "kms/server/service_internal.h"

namespace envelope::kms::server {
namespace {

const std::vector<std::string_view> kUsages = {"SIGN_VERIFY", "ENCRYPT_DECRYPT",
                                               "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"};
const std::vector<std::string_view> kKeySpecs = {
    "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
    "ECC_SECG_P256K1", "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512",
    "SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519"};
const std::vector<std::string_view> kOrigins = {"AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM",
                                                "EXTERNAL_KEY_STORE"};
constexpr std::size_t kMaxTagsPerKey = 50;

bool Contains(const std::vector<std::string_view>& set, std::string_view v) {
  for (std::string_view s : set) {
    if (s == v) return true;
  }
  return false;
}

Status CheckUsage(const KeySpecInfo& spec, const std::string& usage) {
  bool ok = false;
  switch (spec.family) {
    case KeyFamily::kSymmetric: ok = usage == "ENCRYPT_DECRYPT"; break;
    case KeyFamily::kRsa: ok = usage == "ENCRYPT_DECRYPT" || usage == "SIGN_VERIFY"; break;
    case KeyFamily::kEcc: ok = usage == "SIGN_VERIFY"; break;
    case KeyFamily::kHmac: ok = usage == "GENERATE_VERIFY_MAC"; break;
  }
  if (ok) return OkStatus();
  if (usage == "KEY_AGREEMENT" && spec.family == KeyFamily::kEcc) {
    return UnsupportedOperationError("KeyUsage KEY_AGREEMENT is not supported by this server.");
  }
  return ValidationError("KeyUsage " + usage + " is not compatible with KeySpec " +
                         std::string(spec.name) + ".");
}

Status ValidateCustomKeyStore(const std::string& store_id, const std::string& origin) {
  if (store_id.empty()) return LengthViolation(store_id, "customKeyStoreId", 1, false);
  if (store_id.size() > 64) return LengthViolation(store_id, "customKeyStoreId", 64, true);
  if (origin != "AWS_CLOUDHSM" && origin != "EXTERNAL_KEY_STORE") {
    return ValidationError("When CustomKeyStoreId is specified, Origin must be AWS_CLOUDHSM or "
                           "EXTERNAL_KEY_STORE.");
  }
  return OkStatus();
}

}  // namespace

// Validates tags (lengths, the reserved aws: prefix). Shared with TagResource.
Status ValidateTags(const std::vector<Tag>& tags) {
  for (const Tag& t : tags) {
    if (t.key.empty()) return LengthViolation(t.key, "tags.member.tagKey", 1, false);
    if (t.key.size() > 128) return LengthViolation(t.key, "tags.member.tagKey", 128, true);
    if (t.value.size() > 256) return LengthViolation(t.value, "tags.member.tagValue", 256, true);
    if (t.key.starts_with("aws:")) {
      return TagError("Tags beginning with aws: are reserved and cannot be used.");
    }
  }
  return OkStatus();
}

Status ValidatePolicyText(const std::string& policy) {
  if (policy.empty()) return LengthViolation(policy, "policy", 1, false);
  if (policy.size() > 131072) return LengthViolation("...", "policy", 131072, true);
  if (policy.size() > 32768) {
    return LimitExceededError("The key policy exceeds the 32 KB key policy document quota.");
  }
  return ValidatePolicyDocument(policy);
}

Result<SecretBytes> KmsService::NewMaterial(const KeySpecInfo& spec) {
  switch (spec.family) {
    case KeyFamily::kSymmetric: return RandomSecret(random_, 32);
    case KeyFamily::kHmac: return RandomSecret(random_, spec.hmac_key_bytes);
    case KeyFamily::kRsa: {
      ENVELOPE_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::GenerateRsa(spec.rsa_bits));
      return key.ToPkcs8Der();
    }
    case KeyFamily::kEcc: {
      ENVELOPE_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::GenerateEc(spec.curve));
      return key.ToPkcs8Der();
    }
  }
  return KmsInternalError("unknown key family");
}

Result<CreateKeyResponse> KmsService::CreateKey(const Caller& c, const CreateKeyRequest& r) {
  if (r.description && r.description->size() > 8192) {
    return LengthViolation(*r.description, "description", 8192, true);
  }
  if (r.key_spec && r.customer_master_key_spec) {
    return ValidationError("You cannot specify KeySpec and CustomerMasterKeySpec in the same "
                           "request. CustomerMasterKeySpec is deprecated.");
  }
  std::string spec_name = r.key_spec.value_or(r.customer_master_key_spec.value_or("SYMMETRIC_DEFAULT"));
  if (!Contains(kKeySpecs, spec_name)) return EnumViolation(spec_name, "keySpec", kKeySpecs);
  std::string usage = r.key_usage.value_or("ENCRYPT_DECRYPT");
  if (!Contains(kUsages, usage)) return EnumViolation(usage, "keyUsage", kUsages);
  std::string origin = r.origin.value_or(r.custom_key_store_id ? "AWS_CLOUDHSM" : "AWS_KMS");
  if (!Contains(kOrigins, origin)) return EnumViolation(origin, "origin", kOrigins);
  // Custom key stores are emulated: the key is an ordinary key of this server that remembers its
  // store, so that its requests count against the store's request quota too.
  if (r.custom_key_store_id) {
    ENVELOPE_RETURN_IF_ERROR(ValidateCustomKeyStore(*r.custom_key_store_id, origin));
  } else if (origin != "AWS_KMS") {
    return UnsupportedOperationError("Origin " + origin + " is not supported by this server.");
  }
  const KeySpecInfo* spec = FindKeySpec(spec_name);
  if (spec == nullptr) {
    return UnsupportedOperationError("KeySpec " + spec_name + " is not supported by this server.");
  }
  ENVELOPE_RETURN_IF_ERROR(CheckUsage(*spec, usage));
  if (r.policy) ENVELOPE_RETURN_IF_ERROR(ValidatePolicyText(*r.policy));
  if (r.tags.size() > kMaxTagsPerKey) return TagError("A key can have at most 50 tags.");
  ENVELOPE_RETURN_IF_ERROR(ValidateTags(r.tags));

  auto key = std::make_shared<KeyRecord>();
  key->account = c.account_id;
  key->region = c.region;
  ENVELOPE_ASSIGN_OR_RETURN(key->key_id, NewKeyId(random_, r.multi_region));
  key->creation_date = Now();
  key->description = r.description.value_or("");
  key->key_usage = usage;
  key->key_spec = spec_name;
  key->multi_region = r.multi_region;
  key->origin = origin;
  key->custom_key_store_id = r.custom_key_store_id.value_or("");
  std::string partition = PartitionForRegion(c.region);
  key->policy = r.policy.value_or(DefaultKeyPolicy(partition, c.account_id));
  for (const Tag& t : r.tags) key->tags[t.key] = t.value;
  auto material = std::make_shared<KeyMaterial>();
  material->version = 1;
  material->created = key->creation_date;
  ENVELOPE_ASSIGN_OR_RETURN(material->secret, NewMaterial(*spec));
  key->materials.push_back(std::move(material));
  ENVELOPE_RETURN_IF_ERROR(store_.PutKey(*key));
  Resolved res{key, KeyArn(partition, c.region, c.account_id, key->key_id), partition, spec};
  return CreateKeyResponse{Metadata(res)};
}

Result<DescribeKeyResponse> KmsService::DescribeKey(const Caller& c, const DescribeKeyRequest& r) {
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, r.key_id, {"DescribeKey", true}));
  return DescribeKeyResponse{Metadata(k)};
}

Result<ListKeysResponse> KmsService::ListKeys(const Caller& c, const ListKeysRequest& r) {
  if (r.limit && (*r.limit < 1 || *r.limit > 1000)) {
    return RangeViolation(*r.limit, "limit", *r.limit < 1 ? 1 : 1000, *r.limit > 1000);
  }
  std::vector<KeyPtr> keys = store_.ListKeys(c.account_id, c.region);
  std::vector<std::string> ids;
  for (const KeyPtr& k : keys) ids.push_back(k->key_id);
  ENVELOPE_ASSIGN_OR_RETURN(Page page, Paginate(ids, r.limit, r.marker, 100));
  ListKeysResponse out;
  std::string partition = PartitionForRegion(c.region);
  for (std::size_t i = page.begin; i < page.end; ++i) {
    out.keys.push_back({ids[i], KeyArn(partition, c.region, c.account_id, ids[i])});
  }
  out.truncated = page.truncated;
  out.next_marker = page.next_marker;
  return out;
}

Result<Json> KmsService::UpdateKeyDescription(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(std::string description, r.String("Description", 0, 8192));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"UpdateKeyDescription"}));
  ENVELOPE_RETURN_IF_ERROR(RequireNotPendingDeletion(k));
  ENVELOPE_RETURN_IF_ERROR(MutateKey(k, [&](KeyRecord& rec) {
    rec.description = description;
    return OkStatus();
  }));
  return Json::object();
}

Result<Empty> KmsService::EnableKey(const Caller& c, const KeyIdRequest& r) {
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, r.key_id, {"EnableKey"}));
  ENVELOPE_RETURN_IF_ERROR(RequireNotPendingDeletion(k));
  ENVELOPE_RETURN_IF_ERROR(MutateKey(k, [](KeyRecord& rec) {
    rec.state = "Enabled";
    return OkStatus();
  }));
  return Empty{};
}

Result<Empty> KmsService::DisableKey(const Caller& c, const KeyIdRequest& r) {
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, r.key_id, {"DisableKey"}));
  ENVELOPE_RETURN_IF_ERROR(RequireNotPendingDeletion(k));
  ENVELOPE_RETURN_IF_ERROR(MutateKey(k, [](KeyRecord& rec) {
    rec.state = "Disabled";
    return OkStatus();
  }));
  return Empty{};
}

Result<ScheduleKeyDeletionResponse> KmsService::ScheduleKeyDeletion(
    const Caller& c, const ScheduleKeyDeletionRequest& r) {
  std::int64_t days = r.pending_window_in_days.value_or(30);
  if (days < 7) return RangeViolation(days, "pendingWindowInDays", 7, false);
  if (days > 30) return RangeViolation(days, "pendingWindowInDays", 30, true);
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, r.key_id, {"ScheduleKeyDeletion"}));
  ENVELOPE_RETURN_IF_ERROR(RequireNotPendingDeletion(k));
  double when = Now() + static_cast<double>(days) * 86400.0;
  ENVELOPE_RETURN_IF_ERROR(MutateKey(k, [&](KeyRecord& rec) {
    rec.state = "PendingDeletion";
    rec.deletion_date = when;
    rec.pending_window_days = static_cast<int>(days);
    return OkStatus();
  }));
  return ScheduleKeyDeletionResponse{k.arn, when, "PendingDeletion", static_cast<int>(days)};
}

Result<Json> KmsService::CancelKeyDeletion(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"CancelKeyDeletion"}));
  if (k.key->state != "PendingDeletion") {
    return InvalidStateError(k.arn + " is not pending deletion.");
  }
  ENVELOPE_RETURN_IF_ERROR(MutateKey(k, [](KeyRecord& rec) {
    rec.state = "Disabled";  // as in KMS: a cancelled deletion leaves the key disabled
    rec.deletion_date.reset();
    rec.pending_window_days = 0;
    return OkStatus();
  }));
  return Json{{"KeyId", k.arn}};
}

}  // namespace envelope::kms::server
