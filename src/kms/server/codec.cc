#include "kms/server/codec.h"

#include "core/encoding.h"
#include "kms/server/service_internal.h"

namespace envelope::kms::server {
namespace {

Result<SecretBytes> SecretBlob(const RequestReader& r, std::string_view name) {
  ENVELOPE_ASSIGN_OR_RETURN(auto b, r.OptBlob(name, 0, SIZE_MAX));
  if (!b) {
    return ValidationErrorNull(name);
  }
  SecretBytes s(*b);
  std::fill(b->begin(), b->end(), 0);
  return s;
}

void Paging(Json& j, bool truncated, const std::optional<std::string>& marker) {
  j["Truncated"] = truncated;
  if (marker) j["NextMarker"] = *marker;
}

}  // namespace

Result<EncryptRequest> ParseEncryptRequest(const Json& j) {
  RequestReader r(j);
  EncryptRequest q;
  ENVELOPE_ASSIGN_OR_RETURN(q.key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(q.plaintext, SecretBlob(r, "Plaintext"));
  ENVELOPE_ASSIGN_OR_RETURN(q.encryption_context, r.StringMap("EncryptionContext"));
  ENVELOPE_ASSIGN_OR_RETURN(q.grant_tokens, r.GrantTokens());
  ENVELOPE_ASSIGN_OR_RETURN(q.encryption_algorithm, r.OptString("EncryptionAlgorithm"));
  return q;
}

Result<DecryptRequest> ParseDecryptRequest(const Json& j) {
  RequestReader r(j);
  DecryptRequest q;
  ENVELOPE_ASSIGN_OR_RETURN(q.ciphertext_blob, r.Blob("CiphertextBlob", 0, SIZE_MAX));
  ENVELOPE_ASSIGN_OR_RETURN(q.encryption_context, r.StringMap("EncryptionContext"));
  ENVELOPE_ASSIGN_OR_RETURN(q.grant_tokens, r.GrantTokens());
  ENVELOPE_ASSIGN_OR_RETURN(q.key_id, r.OptString("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(q.encryption_algorithm, r.OptString("EncryptionAlgorithm"));
  return q;
}

Result<ReEncryptRequest> ParseReEncryptRequest(const Json& j) {
  RequestReader r(j);
  ReEncryptRequest q;
  ENVELOPE_ASSIGN_OR_RETURN(q.ciphertext_blob, r.Blob("CiphertextBlob", 0, SIZE_MAX));
  ENVELOPE_ASSIGN_OR_RETURN(q.source_encryption_context, r.StringMap("SourceEncryptionContext"));
  ENVELOPE_ASSIGN_OR_RETURN(q.source_key_id, r.OptString("SourceKeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(q.destination_key_id, r.String("DestinationKeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(q.destination_encryption_context,
                            r.StringMap("DestinationEncryptionContext"));
  ENVELOPE_ASSIGN_OR_RETURN(q.source_encryption_algorithm,
                            r.OptString("SourceEncryptionAlgorithm"));
  ENVELOPE_ASSIGN_OR_RETURN(q.destination_encryption_algorithm,
                            r.OptString("DestinationEncryptionAlgorithm"));
  ENVELOPE_ASSIGN_OR_RETURN(q.grant_tokens, r.GrantTokens());
  return q;
}

Result<GenerateDataKeyRequest> ParseGenerateDataKeyRequest(const Json& j) {
  RequestReader r(j);
  GenerateDataKeyRequest q;
  ENVELOPE_ASSIGN_OR_RETURN(q.key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(q.encryption_context, r.StringMap("EncryptionContext"));
  ENVELOPE_ASSIGN_OR_RETURN(q.number_of_bytes, r.OptInt("NumberOfBytes", INT64_MIN, INT64_MAX));
  ENVELOPE_ASSIGN_OR_RETURN(q.key_spec, r.OptString("KeySpec"));
  ENVELOPE_ASSIGN_OR_RETURN(q.grant_tokens, r.GrantTokens());
  return q;
}

Result<GenerateRandomRequest> ParseGenerateRandomRequest(const Json& j) {
  RequestReader r(j);
  GenerateRandomRequest q;
  ENVELOPE_ASSIGN_OR_RETURN(q.number_of_bytes, r.OptInt("NumberOfBytes", INT64_MIN, INT64_MAX));
  return q;
}

Result<DescribeKeyRequest> ParseDescribeKeyRequest(const Json& j) {
  RequestReader r(j);
  DescribeKeyRequest q;
  ENVELOPE_ASSIGN_OR_RETURN(q.key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(q.grant_tokens, r.GrantTokens());
  return q;
}

Result<CreateKeyRequest> ParseCreateKeyRequest(const Json& j) {
  RequestReader r(j);
  CreateKeyRequest q;
  ENVELOPE_ASSIGN_OR_RETURN(q.description, r.OptString("Description"));
  ENVELOPE_ASSIGN_OR_RETURN(q.key_usage, r.OptString("KeyUsage"));
  ENVELOPE_ASSIGN_OR_RETURN(q.key_spec, r.OptString("KeySpec"));
  ENVELOPE_ASSIGN_OR_RETURN(q.customer_master_key_spec, r.OptString("CustomerMasterKeySpec"));
  ENVELOPE_ASSIGN_OR_RETURN(q.origin, r.OptString("Origin"));
  ENVELOPE_ASSIGN_OR_RETURN(q.policy, r.OptString("Policy"));
  ENVELOPE_ASSIGN_OR_RETURN(auto bypass, r.OptBool("BypassPolicyLockoutSafetyCheck"));
  q.bypass_policy_lockout_safety_check = bypass.value_or(false);
  ENVELOPE_ASSIGN_OR_RETURN(q.tags, ReadTags(r, "Tags"));
  ENVELOPE_ASSIGN_OR_RETURN(auto multi, r.OptBool("MultiRegion"));
  q.multi_region = multi.value_or(false);
  ENVELOPE_ASSIGN_OR_RETURN(q.custom_key_store_id, r.OptString("CustomKeyStoreId"));
  return q;
}

Result<ListKeysRequest> ParseListKeysRequest(const Json& j) {
  RequestReader r(j);
  ENVELOPE_ASSIGN_OR_RETURN(auto paging, ReadPaging(r));
  return ListKeysRequest{paging.first, paging.second};
}

Result<ListAliasesRequest> ParseListAliasesRequest(const Json& j) {
  RequestReader r(j);
  ListAliasesRequest q;
  ENVELOPE_ASSIGN_OR_RETURN(q.key_id, r.OptString("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(auto paging, ReadPaging(r));
  q.limit = paging.first;
  q.marker = paging.second;
  return q;
}

Result<CreateAliasRequest> ParseCreateAliasRequest(const Json& j) {
  RequestReader r(j);
  CreateAliasRequest q;
  ENVELOPE_ASSIGN_OR_RETURN(q.alias_name, r.String("AliasName", 1, 256));
  ENVELOPE_ASSIGN_OR_RETURN(q.target_key_id, r.String("TargetKeyId", 1, 2048));
  return q;
}

Result<KeyIdRequest> ParseKeyIdRequest(const Json& j) {
  RequestReader r(j);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  return KeyIdRequest{std::move(key_id)};
}

Result<ScheduleKeyDeletionRequest> ParseScheduleKeyDeletionRequest(const Json& j) {
  RequestReader r(j);
  ScheduleKeyDeletionRequest q;
  ENVELOPE_ASSIGN_OR_RETURN(q.key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(q.pending_window_in_days,
                            r.OptInt("PendingWindowInDays", INT64_MIN, INT64_MAX));
  return q;
}

Json ToJson(const EncryptResponse& r) {
  return {{"CiphertextBlob", Base64Encode(r.ciphertext_blob)},
          {"KeyId", r.key_id},
          {"EncryptionAlgorithm", r.encryption_algorithm}};
}

Json ToJson(const DecryptResponse& r) {
  return {{"KeyId", r.key_id},
          {"Plaintext", Base64Encode(r.plaintext.span())},
          {"EncryptionAlgorithm", r.encryption_algorithm}};
}

Json ToJson(const ReEncryptResponse& r) {
  return {{"CiphertextBlob", Base64Encode(r.ciphertext_blob)},
          {"SourceKeyId", r.source_key_id},
          {"KeyId", r.key_id},
          {"SourceEncryptionAlgorithm", r.source_encryption_algorithm},
          {"DestinationEncryptionAlgorithm", r.destination_encryption_algorithm}};
}

Json ToJson(const GenerateDataKeyResponse& r, bool with_plaintext) {
  Json j = {{"CiphertextBlob", Base64Encode(r.ciphertext_blob)}, {"KeyId", r.key_id}};
  if (with_plaintext) j["Plaintext"] = Base64Encode(r.plaintext.span());
  return j;
}

Json ToJson(const GenerateRandomResponse& r) {
  return {{"Plaintext", Base64Encode(r.plaintext.span())}};
}

Json ToJson(const DescribeKeyResponse& r) { return {{"KeyMetadata", KeyMetadataJson(r.key_metadata)}}; }
Json ToJson(const CreateKeyResponse& r) { return {{"KeyMetadata", KeyMetadataJson(r.key_metadata)}}; }

Json ToJson(const ListKeysResponse& r) {
  Json keys = Json::array();
  for (const KeyListEntry& k : r.keys) keys.push_back({{"KeyId", k.key_id}, {"KeyArn", k.key_arn}});
  Json j = {{"Keys", std::move(keys)}};
  Paging(j, r.truncated, r.next_marker);
  return j;
}

Json ToJson(const ListAliasesResponse& r) {
  Json aliases = Json::array();
  for (const AliasListEntry& a : r.aliases) {
    Json e = {{"AliasName", a.alias_name}, {"AliasArn", a.alias_arn}};
    if (a.target_key_id) e["TargetKeyId"] = *a.target_key_id;
    if (a.creation_date) e["CreationDate"] = *a.creation_date;
    if (a.last_updated_date) e["LastUpdatedDate"] = *a.last_updated_date;
    aliases.push_back(std::move(e));
  }
  Json j = {{"Aliases", std::move(aliases)}};
  Paging(j, r.truncated, r.next_marker);
  return j;
}

Json ToJson(const ScheduleKeyDeletionResponse& r) {
  return {{"KeyId", r.key_id},
          {"DeletionDate", r.deletion_date},
          {"KeyState", r.key_state},
          {"PendingWindowInDays", r.pending_window_in_days}};
}

}  // namespace envelope::kms::server
