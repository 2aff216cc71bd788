// The AWS KMS keyring (strict and discovery). Spec: reference/message-format.md §3.3.
#include "materials/aws_kms_keyring.h"

#include <map>
#include <mutex>
#include <utility>

#include "core/bytes.h"
#include "envelope/keyrings.h"
#include "format/suites.h"
#include "kms/api/arn.h"
#include "materials/common.h"

namespace envelope {
namespace {

using kms::KmsApi;

// Decrypt failures of the EDKs a keyring tried, reported together when none succeeded.
class ErrorCollector {
 public:
  void Add(const std::string& arn, const Status& status) {
    if (first_.ok()) {
      first_ = status;
    }
    text_ += (text_.empty() ? "" : "; ") + arn + ": " + status.message();
  }
  // OK when nothing was tried; else the first error's code and type with every message.
  Status Result() const {
    if (first_.ok()) {
      return OkStatus();
    }
    return Status(first_.code(), "AWS KMS keyring: no encrypted data key decrypted (" + text_ + ")",
                  first_.error_type());
  }

 private:
  Status first_;
  std::string text_;
};

// A key ARN (not an alias ARN), or nullopt.
std::optional<kms::KeyIdentifier> AsKeyArn(std::string_view text) {
  Result<kms::KeyIdentifier> id = kms::ParseKeyArn(text);
  if (!id.ok() || id->kind != kms::KeyIdKind::kKeyArn) {
    return std::nullopt;
  }
  return std::move(id).value();
}

// The KMS response's KeyId must be a key ARN: it becomes the EDK's provider info.
Status CheckResponseArn(const std::string& key_id, std::string_view operation) {
  if (!AsKeyArn(key_id)) {
    return Internal("AWS KMS keyring: " + std::string(operation) + " returned KeyId '" + key_id +
                    "', which is not a key ARN");
  }
  return OkStatus();
}

// Unwraps one EDK with Decrypt under `arn`. The response must name the same key and hold a key of
// the suite's length.
Result<SecretBytes> DecryptEdk(KmsApi& kms, const std::string& arn, const EncryptedDataKey& edk,
                               const DecryptionMaterials& materials,
                               const std::vector<std::string>& grant_tokens,
                               std::size_t key_bytes) {
  kms::DecryptRequest request;
  request.key_id = arn;
  request.ciphertext_blob = Bytes(edk.ciphertext.begin(), edk.ciphertext.end());
  request.encryption_context = materials.encryption_context;
  request.grant_tokens = grant_tokens;
  ENVELOPE_ASSIGN_OR_RETURN(kms::DecryptResponse response, kms.Decrypt(request));
  if (response.key_id != arn) {
    return Corrupt("Decrypt answered for key '" + response.key_id + "', not the one asked for");
  }
  if (response.plaintext.size() != key_bytes) {
    return Corrupt("Decrypt returned " + std::to_string(response.plaintext.size()) +
                   " bytes; the suite's data key is " + std::to_string(key_bytes));
  }
  return std::move(response.plaintext);
}

// The EDK's provider info when the EDK is a KMS one with a key ARN there, else nullopt.
std::optional<kms::KeyIdentifier> KmsEdkArn(const EncryptedDataKey& edk) {
  if (edk.provider_id != kAwsKmsProviderId) {
    return std::nullopt;
  }
  return AsKeyArn(AsChars(edk.provider_info));
}

class StrictKeyring final : public Keyring {
 public:
  StrictKeyring(std::string key_id, std::vector<std::string> grant_tokens,
                std::shared_ptr<KmsApi> kms)
      : key_id_(std::move(key_id)), grant_tokens_(std::move(grant_tokens)), kms_(std::move(kms)) {}

  Status OnEncrypt(EncryptionMaterials& materials) const override {
    ENVELOPE_ASSIGN_OR_RETURN(const format::SuiteInfo* suite,
                              internal::LookUpSuite(materials.suite));
    if (materials.data_key.empty()) {
      return Generate(*suite, materials).Annotate("AWS KMS keyring " + key_id_);
    }
    return Wrap(materials).Annotate("AWS KMS keyring " + key_id_);
  }

  Status OnDecrypt(DecryptionMaterials& materials,
                   std::span<const EncryptedDataKey> edks) const override {
    if (!materials.data_key.empty()) {
      return OkStatus();
    }
    ENVELOPE_ASSIGN_OR_RETURN(const format::SuiteInfo* suite,
                              internal::LookUpSuite(materials.suite));
    ErrorCollector errors;
    for (const EncryptedDataKey& edk : edks) {
      std::optional<kms::KeyIdentifier> arn = KmsEdkArn(edk);
      if (!arn || AsChars(edk.provider_info) != key_id_) {
        continue;
      }
      Result<SecretBytes> key =
          DecryptEdk(*kms_, key_id_, edk, materials, grant_tokens_, suite->key_bytes);
      if (key.ok()) {
        materials.data_key = std::move(key).value();
        return OkStatus();
      }
      errors.Add(key_id_, key.status());
    }
    return errors.Result();
  }

 private:
  Status Generate(const format::SuiteInfo& suite, EncryptionMaterials& materials) const {
    kms::GenerateDataKeyRequest request;
    request.key_id = key_id_;
    request.number_of_bytes = static_cast<std::int64_t>(suite.key_bytes);
    request.encryption_context = materials.encryption_context;
    request.grant_tokens = grant_tokens_;
    ENVELOPE_ASSIGN_OR_RETURN(kms::GenerateDataKeyResponse response,
                              kms_->GenerateDataKey(request));
    if (response.plaintext.size() != suite.key_bytes) {
      return Internal("GenerateDataKey returned a data key of " +
                      std::to_string(response.plaintext.size()) + " bytes, not " +
                      std::to_string(suite.key_bytes));
    }
    ENVELOPE_RETURN_IF_ERROR(CheckResponseArn(response.key_id, "GenerateDataKey"));
    materials.data_key = std::move(response.plaintext);
    materials.encrypted_data_keys.push_back(
        {std::string(kAwsKmsProviderId), ToBytes(response.key_id),
         std::move(response.ciphertext_blob)});
    return OkStatus();
  }

  Status Wrap(EncryptionMaterials& materials) const {
    kms::EncryptRequest request;
    request.key_id = key_id_;
    request.plaintext = materials.data_key.Clone();
    request.encryption_context = materials.encryption_context;
    request.grant_tokens = grant_tokens_;
    ENVELOPE_ASSIGN_OR_RETURN(kms::EncryptResponse response, kms_->Encrypt(request));
    ENVELOPE_RETURN_IF_ERROR(CheckResponseArn(response.key_id, "Encrypt"));
    materials.encrypted_data_keys.push_back(
        {std::string(kAwsKmsProviderId), ToBytes(response.key_id),
         std::move(response.ciphertext_blob)});
    return OkStatus();
  }

  const std::string key_id_;
  const std::vector<std::string> grant_tokens_;
  const std::shared_ptr<KmsApi> kms_;
};

class DiscoveryKeyring final : public Keyring {
 public:
  explicit DiscoveryKeyring(AwsKmsDiscoveryOptions options) : options_(std::move(options)) {}

  Status OnEncrypt(EncryptionMaterials&) const override {
    return InvalidArgument("an AWS KMS discovery keyring cannot encrypt; name a key");
  }

  Status OnDecrypt(DecryptionMaterials& materials,
                   std::span<const EncryptedDataKey> edks) const override {
    if (!materials.data_key.empty()) {
      return OkStatus();
    }
    ENVELOPE_ASSIGN_OR_RETURN(const format::SuiteInfo* suite,
                              internal::LookUpSuite(materials.suite));
    ErrorCollector errors;
    for (const EncryptedDataKey& edk : edks) {
      std::optional<kms::KeyIdentifier> arn = KmsEdkArn(edk);
      if (!arn || !Accepts(*arn)) {
        continue;
      }
      const std::string arn_text(AsChars(edk.provider_info));
      Result<std::shared_ptr<KmsApi>> kms = ClientFor(arn->region);
      if (!kms.ok()) {
        errors.Add(arn_text, kms.status());
        continue;
      }
      Result<SecretBytes> key = DecryptEdk(**kms, arn_text, edk, materials,
                                           options_.grant_tokens, suite->key_bytes);
      if (key.ok()) {
        materials.data_key = std::move(key).value();
        return OkStatus();
      }
      errors.Add(arn_text, key.status());
    }
    return errors.Result();
  }

 private:
  bool Accepts(const kms::KeyIdentifier& arn) const {
    if (!options_.filter) {
      return true;
    }
    const DiscoveryFilter& filter = *options_.filter;
    if (arn.partition != filter.partition) {
      return false;
    }
    for (const std::string& account : filter.account_ids) {
      if (account == arn.account_id) {
        return true;
      }
    }
    return false;
  }

  // One client per region, made on first use.
  Result<std::shared_ptr<KmsApi>> ClientFor(const std::string& region) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = clients_.find(region);
    if (it != clients_.end()) {
      return it->second;
    }
    ENVELOPE_ASSIGN_OR_RETURN(std::shared_ptr<KmsApi> client, options_.client_supplier(region));
    if (client == nullptr) {
      return InvalidArgument("no KMS client for region '" + region + "'");
    }
    clients_.emplace(region, client);
    return client;
  }

  const AwsKmsDiscoveryOptions options_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<KmsApi>> clients_;
};

}  // namespace

Result<KeyringPtr> MakeAwsKmsKeyring(AwsKmsKeyringOptions options) {
  if (options.key_ids.empty()) {
    return InvalidArgument("AWS KMS keyring: no key id");
  }
  if (!options.client_supplier) {
    return InvalidArgument("AWS KMS keyring: no KMS client supplier");
  }
  std::vector<KeyringPtr> keyrings;
  for (const std::string& key_id : options.key_ids) {
    Result<kms::KeyIdentifier> id = kms::ParseKeyIdentifier(key_id);
    if (key_id.empty() || !id.ok()) {
      return InvalidArgument("AWS KMS keyring: '" + key_id +
                             "' is not a key ARN, alias name, alias ARN or key id");
    }
    Result<std::shared_ptr<KmsApi>> kms = options.client_supplier(id->is_arn() ? id->region : "");
    if (!kms.ok()) {
      return kms.status().Annotate("AWS KMS keyring " + key_id);
    }
    if (*kms == nullptr) {
      return InvalidArgument("AWS KMS keyring " + key_id + ": no KMS client");
    }
    keyrings.push_back(
        std::make_shared<StrictKeyring>(key_id, options.grant_tokens, std::move(kms).value()));
  }
  if (keyrings.size() == 1) {
    return keyrings.front();
  }
  KeyringPtr generator = std::move(keyrings.front());
  keyrings.erase(keyrings.begin());
  return MakeMultiKeyring(std::move(generator), std::move(keyrings));
}

Result<KeyringPtr> MakeAwsKmsDiscoveryKeyring(AwsKmsDiscoveryOptions options) {
  if (!options.client_supplier) {
    return InvalidArgument("AWS KMS discovery keyring: no KMS client supplier");
  }
  if (options.filter) {
    if (options.filter->account_ids.empty() || options.filter->partition.empty()) {
      return InvalidArgument("AWS KMS discovery filter: needs accounts and a partition");
    }
    for (const std::string& account : options.filter->account_ids) {
      if (!kms::IsValidAccountId(account)) {
        return InvalidArgument("AWS KMS discovery filter: '" + account +
                               "' is not a 12-digit account id");
      }
    }
  }
  return KeyringPtr(std::make_shared<DiscoveryKeyring>(std::move(options)));
}

}  // namespace envelope
