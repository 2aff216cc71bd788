// KmsService::KeyTypeFor: the quota engine's look-up of the key a request names.
#include "kms/api/arn.h"
#include "kms/server/kms_service.h"

namespace envelope::kms::server {

std::optional<KmsService::KeyTypeInfo> KmsService::KeyTypeFor(const Caller& c,
                                                              std::string_view key_id) const {
  if (key_id.empty() || key_id.size() > 2048) return std::nullopt;
  Result<KeyIdentifier> id = ParseKeyIdentifier(key_id);
  if (!id.ok()) return std::nullopt;
  const std::string account = id->is_arn() ? id->account_id : c.account_id;
  const std::string region = id->is_arn() ? id->region : c.region;
  std::string bare_id = id->key_id;
  if (id->is_alias()) {
    AliasPtr alias = store_.GetAlias(account, region, id->alias_name);
    if (alias == nullptr) return std::nullopt;
    bare_id = alias->key_id;
  }
  KeyPtr key = store_.GetKey(account, region, bare_id);
  if (key == nullptr) return std::nullopt;
  const KeySpecInfo* spec = FindKeySpec(key->key_spec);
  KeyTypeInfo info;
  info.account = account;
  info.region = region;
  info.key_id = key->key_id;
  info.family = spec ? spec->family : KeyFamily::kSymmetric;
  info.key_spec = key->key_spec;
  info.custom_key_store_id = key->custom_key_store_id;
  return info;
}

}  // namespace envelope::kms::server
