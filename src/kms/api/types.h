#pragma once
// Request and response types of the KMS operations in the KmsApi interface. Field names follow the
// KMS API (KeyId, EncryptionContext, ...); enumerations travel as their wire strings
// ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT") so that new values need no code change here.
// Optional request fields are std::optional; blobs are raw bytes (base64 only on the wire);
// plaintext key material is SecretBytes.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "envelope/secret_bytes.h"

namespace envelope::kms {

using EncryptionContext = std::map<std::string, std::string>;

struct Tag {
  std::string key;
  std::string value;
};

struct EncryptRequest {
  std::string key_id;
  SecretBytes plaintext;
  EncryptionContext encryption_context;
  std::vector<std::string> grant_tokens;
  std::optional<std::string> encryption_algorithm;  // default SYMMETRIC_DEFAULT
};
struct EncryptResponse {
  Bytes ciphertext_blob;
  std::string key_id;  // key ARN
  std::string encryption_algorithm;
};

struct DecryptRequest {
  Bytes ciphertext_blob;
  EncryptionContext encryption_context;
  std::vector<std::string> grant_tokens;
  std::optional<std::string> key_id;  // required for asymmetric keys
  std::optional<std::string> encryption_algorithm;
};
struct DecryptResponse {
  std::string key_id;  // key ARN
  SecretBytes plaintext;
  std::string encryption_algorithm;
};

struct ReEncryptRequest {
  Bytes ciphertext_blob;
  EncryptionContext source_encryption_context;
  std::optional<std::string> source_key_id;
  std::string destination_key_id;
  EncryptionContext destination_encryption_context;
  std::optional<std::string> source_encryption_algorithm;
  std::optional<std::string> destination_encryption_algorithm;
  std::vector<std::string> grant_tokens;
};
struct ReEncryptResponse {
  Bytes ciphertext_blob;
  std::string source_key_id;  // key ARN
  std::string key_id;         // destination key ARN
  std::string source_encryption_algorithm;
  std::string destination_encryption_algorithm;
};

struct GenerateDataKeyRequest {
  std::string key_id;
  EncryptionContext encryption_context;
  std::optional<std::int64_t> number_of_bytes;  // exactly one of number_of_bytes / key_spec
  std::optional<std::string> key_spec;          // AES_128 | AES_256
  std::vector<std::string> grant_tokens;
};
struct GenerateDataKeyResponse {
  Bytes ciphertext_blob;
  SecretBytes plaintext;  // empty for GenerateDataKeyWithoutPlaintext
  std::string key_id;     // key ARN
};

struct GenerateRandomRequest {
  std::optional<std::int64_t> number_of_bytes;
};
struct GenerateRandomResponse {
  SecretBytes plaintext;
};

struct KeyMetadata {
  std::string aws_account_id;
  std::string key_id;
  std::string arn;
  double creation_date = 0;  // epoch seconds
  bool enabled = false;
  std::string description;
  std::string key_usage;
  std::string key_state;
  std::optional<double> deletion_date;
  std::optional<int> pending_deletion_window_in_days;
  std::string origin;
  std::string key_manager;
  std::string key_spec;
  std::vector<std::string> encryption_algorithms;
  std::vector<std::string> signing_algorithms;
  std::vector<std::string> mac_algorithms;
  bool multi_region = false;
  std::optional<std::string> custom_key_store_id;  // keys in a custom key store
};

struct DescribeKeyRequest {
  std::string key_id;
  std::vector<std::string> grant_tokens;
};
struct DescribeKeyResponse {
  KeyMetadata key_metadata;
};

struct CreateKeyRequest {
  std::optional<std::string> description;
  std::optional<std::string> key_usage;                 // default ENCRYPT_DECRYPT
  std::optional<std::string> key_spec;                  // default SYMMETRIC_DEFAULT
  std::optional<std::string> customer_master_key_spec;  // deprecated synonym of key_spec
  std::optional<std::string> origin;                    // default AWS_KMS
  std::optional<std::string> policy;                    // default: the account may do kms:*
  bool bypass_policy_lockout_safety_check = false;
  std::vector<Tag> tags;
  bool multi_region = false;
  std::optional<std::string> custom_key_store_id;  // the custom key store to create the key in
};
struct CreateKeyResponse {
  KeyMetadata key_metadata;
};

struct ListKeysRequest {
  std::optional<std::int64_t> limit;  // 1..1000
  std::optional<std::string> marker;
};
struct KeyListEntry {
  std::string key_id;
  std::string key_arn;
};
struct ListKeysResponse {
  std::vector<KeyListEntry> keys;
  bool truncated = false;
  std::optional<std::string> next_marker;
};

struct AliasListEntry {
  std::string alias_name;
  std::string alias_arn;
  std::optional<std::string> target_key_id;
  std::optional<double> creation_date;
  std::optional<double> last_updated_date;
};
struct ListAliasesRequest {
  std::optional<std::string> key_id;
  std::optional<std::int64_t> limit;
  std::optional<std::string> marker;
};
struct ListAliasesResponse {
  std::vector<AliasListEntry> aliases;
  bool truncated = false;
  std::optional<std::string> next_marker;
};

struct CreateAliasRequest {
  std::string alias_name;
  std::string target_key_id;
};

struct KeyIdRequest {  // EnableKey, DisableKey, CancelKeyDeletion, GetKeyRotationStatus, ...
  std::string key_id;
};

struct ScheduleKeyDeletionRequest {
  std::string key_id;
  std::optional<std::int64_t> pending_window_in_days;  // 7..30, default 30
};
struct ScheduleKeyDeletionResponse {
  std::string key_id;  // key ARN
  double deletion_date = 0;
  std::string key_state;
  int pending_window_in_days = 0;
};

}  // namespace envelope::kms
