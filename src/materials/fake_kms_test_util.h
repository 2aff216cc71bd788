#pragma once
// A counting fake KmsApi for the KMS keyring and caching CMM tests. Keys are named by ARN (and
// optionally an alias). The "ciphertext" is the key ARN, the serialized context and the data key
// in clear — it is a fake: it only has to round-trip and to notice a wrong key or context.
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/encoding.h"
#include "core/random.h"
#include "format/encryption_context.h"
#include "kms/api/errors.h"
#include "kms/api/kms_api.h"

namespace envelope::testing {

inline constexpr char kArnA[] =
    "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555";
inline constexpr char kArnB[] =
    "arn:aws:kms:us-west-2:444455556666:key/66666666-7777-8888-9999-000000000000";

class FakeKms final : public kms::KmsApi {
 public:
  explicit FakeKms(std::string region = "us-east-1") : region_(std::move(region)) {}

  void AddKey(const std::string& arn, const std::string& alias = "") {
    std::lock_guard<std::mutex> lock(mutex_);
    keys_[arn] = arn;
    if (!alias.empty()) {
      keys_[alias] = arn;
    }
  }

  // Test hooks: fail every call of an operation; lie about the KeyId or the plaintext length.
  Status fail_generate, fail_encrypt, fail_decrypt;
  std::string response_key_id_override;
  int plaintext_length_delta = 0;

  std::atomic<int> generate_calls{0}, encrypt_calls{0}, decrypt_calls{0};
  std::vector<std::string> last_grant_tokens;  // of the last GenerateDataKey (single-threaded use)
  const std::string& region() const { return region_; }

  Result<kms::GenerateDataKeyResponse> GenerateDataKey(
      const kms::GenerateDataKeyRequest& request) override {
    ++generate_calls;
    last_grant_tokens = request.grant_tokens;
    if (!fail_generate.ok()) {
      return fail_generate;
    }
    ENVELOPE_ASSIGN_OR_RETURN(std::string arn, Resolve(request.key_id));
    const auto size = static_cast<std::size_t>(request.number_of_bytes.value_or(32));
    ENVELOPE_ASSIGN_OR_RETURN(SecretBytes key,
                              RandomSecret(SystemRandom(), size + plaintext_length_delta));
    kms::GenerateDataKeyResponse response;
    ENVELOPE_ASSIGN_OR_RETURN(response.ciphertext_blob,
                              Seal(arn, request.encryption_context, key.span()));
    response.plaintext = std::move(key);
    response.key_id = ResponseKeyId(arn);
    return response;
  }

  Result<kms::EncryptResponse> Encrypt(const kms::EncryptRequest& request) override {
    ++encrypt_calls;
    if (!fail_encrypt.ok()) {
      return fail_encrypt;
    }
    ENVELOPE_ASSIGN_OR_RETURN(std::string arn, Resolve(request.key_id));
    kms::EncryptResponse response;
    ENVELOPE_ASSIGN_OR_RETURN(response.ciphertext_blob,
                              Seal(arn, request.encryption_context, request.plaintext.span()));
    response.key_id = ResponseKeyId(arn);
    return response;
  }

  Result<kms::DecryptResponse> Decrypt(const kms::DecryptRequest& request) override {
    ++decrypt_calls;
    if (!fail_decrypt.ok()) {
      return fail_decrypt;
    }
    const std::string blob(AsChars(request.ciphertext_blob));
    const std::size_t bar1 = blob.find('|');
    const std::size_t bar2 = blob.find('|', bar1 + 1);
    if (bar1 == std::string::npos || bar2 == std::string::npos) {
      return kms::InvalidCiphertextError("not a fake blob");
    }
    const std::string arn = blob.substr(0, bar1);
    ENVELOPE_ASSIGN_OR_RETURN(Bytes context,
                              format::SerializeEncryptionContext(request.encryption_context));
    if (!Known(arn) || HexEncode(context) != blob.substr(bar1 + 1, bar2 - bar1 - 1)) {
      return kms::InvalidCiphertextError("wrong key or context");
    }
    if (request.key_id) {
      ENVELOPE_ASSIGN_OR_RETURN(std::string asked, Resolve(*request.key_id));
      if (asked != arn) {
        return kms::IncorrectKeyError("ciphertext is for another key");
      }
    }
    ENVELOPE_ASSIGN_OR_RETURN(Bytes key, HexDecode(blob.substr(bar2 + 1)));
    key.resize(key.size() + plaintext_length_delta);
    kms::DecryptResponse response;
    response.plaintext = SecretBytes(key);
    response.key_id = ResponseKeyId(arn);
    return response;
  }

  // Not used by the keyring.
  Result<kms::ReEncryptResponse> ReEncrypt(const kms::ReEncryptRequest&) override {
    return Unimplemented("fake");
  }
  Result<kms::GenerateDataKeyResponse> GenerateDataKeyWithoutPlaintext(
      const kms::GenerateDataKeyRequest&) override {
    return Unimplemented("fake");
  }
  Result<kms::GenerateRandomResponse> GenerateRandom(const kms::GenerateRandomRequest&) override {
    return Unimplemented("fake");
  }
  Result<kms::DescribeKeyResponse> DescribeKey(const kms::DescribeKeyRequest&) override {
    return Unimplemented("fake");
  }
  Result<kms::CreateKeyResponse> CreateKey(const kms::CreateKeyRequest&) override {
    return Unimplemented("fake");
  }
  Result<kms::ListKeysResponse> ListKeys(const kms::ListKeysRequest&) override {
    return Unimplemented("fake");
  }
  Result<kms::ListAliasesResponse> ListAliases(const kms::ListAliasesRequest&) override {
    return Unimplemented("fake");
  }
  Result<kms::Empty> CreateAlias(const kms::CreateAliasRequest&) override {
    return Unimplemented("fake");
  }
  Result<kms::Empty> EnableKey(const kms::KeyIdRequest&) override { return Unimplemented("fake"); }
  Result<kms::Empty> DisableKey(const kms::KeyIdRequest&) override {
    return Unimplemented("fake");
  }
  Result<kms::ScheduleKeyDeletionResponse> ScheduleKeyDeletion(
      const kms::ScheduleKeyDeletionRequest&) override {
    return Unimplemented("fake");
  }

 private:
  bool Known(const std::string& arn) {
    std::lock_guard<std::mutex> lock(mutex_);
    return keys_.count(arn) > 0;
  }
  Result<std::string> Resolve(const std::string& key_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = keys_.find(key_id);
    if (it == keys_.end()) {
      return kms::NotFoundError("Key '" + key_id + "' does not exist");
    }
    return it->second;
  }
  std::string ResponseKeyId(const std::string& arn) const {
    return response_key_id_override.empty() ? arn : response_key_id_override;
  }
  static Result<Bytes> Seal(const std::string& arn, const kms::EncryptionContext& context,
                            ByteView key) {
    ENVELOPE_ASSIGN_OR_RETURN(Bytes serialized, format::SerializeEncryptionContext(context));
    return ToBytes(arn + "|" + HexEncode(serialized) + "|" + HexEncode(key));
  }

  const std::string region_;
  std::mutex mutex_;
  std::map<std::string, std::string> keys_;  // key ARN or alias -> key ARN
};

}  // namespace envelope::testing
