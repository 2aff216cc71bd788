#pragma once
// KmsService: all of the local KMS's logic, no HTTP. Each operation runs for a Caller (account,
// region, principal from authentication): keys live per account and region, and another
// account's key is usable only where its key policy or a grant allows.
//
// The operations keyrings and clients need take and return the typed kms/api structs (and a
// caller-bound KmsApi wraps them, see BindCaller). The management and less common operations take
// the request's JSON object and return the response's JSON object, validated with the same rules.
// Errors are KMS errors (kms/api/errors.h) with the exact wire `__type` and KMS wording.
//
// Thread-safe. The store, clock and random must outlive the service.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "kms/api/caller.h"
#include "kms/api/kms_api.h"
#include "kms/server/json_fields.h"
#include "kms/server/key_specs.h"
#include "kms/server/key_store.h"

namespace envelope::kms::server {

class KmsService {
 public:
  KmsService(KeyStore& store, Clock& clock, Random& random)
      : store_(store), clock_(clock), random_(random) {}

  // Typed operations (the KmsApi set).
  Result<EncryptResponse> Encrypt(const Caller& c, const EncryptRequest& r);
  Result<DecryptResponse> Decrypt(const Caller& c, const DecryptRequest& r);
  Result<ReEncryptResponse> ReEncrypt(const Caller& c, const ReEncryptRequest& r);
  Result<GenerateDataKeyResponse> GenerateDataKey(const Caller& c, const GenerateDataKeyRequest& r);
  Result<GenerateDataKeyResponse> GenerateDataKeyWithoutPlaintext(
      const Caller& c, const GenerateDataKeyRequest& r);
  Result<GenerateRandomResponse> GenerateRandom(const Caller& c, const GenerateRandomRequest& r);
  Result<DescribeKeyResponse> DescribeKey(const Caller& c, const DescribeKeyRequest& r);
  Result<CreateKeyResponse> CreateKey(const Caller& c, const CreateKeyRequest& r);
  Result<ListKeysResponse> ListKeys(const Caller& c, const ListKeysRequest& r);
  Result<ListAliasesResponse> ListAliases(const Caller& c, const ListAliasesRequest& r);
  Result<Empty> CreateAlias(const Caller& c, const CreateAliasRequest& r);
  Result<Empty> EnableKey(const Caller& c, const KeyIdRequest& r);
  Result<Empty> DisableKey(const Caller& c, const KeyIdRequest& r);
  Result<ScheduleKeyDeletionResponse> ScheduleKeyDeletion(const Caller& c,
                                                          const ScheduleKeyDeletionRequest& r);

  // JSON-shaped operations: request object in, response object out.
  Result<Json> UpdateKeyDescription(const Caller& c, const Json& r);
  Result<Json> CancelKeyDeletion(const Caller& c, const Json& r);
  Result<Json> UpdateAlias(const Caller& c, const Json& r);
  Result<Json> DeleteAlias(const Caller& c, const Json& r);
  Result<Json> GenerateDataKeyPair(const Caller& c, const Json& r);
  Result<Json> GenerateDataKeyPairWithoutPlaintext(const Caller& c, const Json& r);
  Result<Json> Sign(const Caller& c, const Json& r);
  Result<Json> Verify(const Caller& c, const Json& r);
  Result<Json> GetPublicKey(const Caller& c, const Json& r);
  Result<Json> GenerateMac(const Caller& c, const Json& r);
  Result<Json> VerifyMac(const Caller& c, const Json& r);
  Result<Json> EnableKeyRotation(const Caller& c, const Json& r);
  Result<Json> DisableKeyRotation(const Caller& c, const Json& r);
  Result<Json> GetKeyRotationStatus(const Caller& c, const Json& r);
  Result<Json> RotateKeyOnDemand(const Caller& c, const Json& r);
  Result<Json> ListKeyRotations(const Caller& c, const Json& r);
  Result<Json> TagResource(const Caller& c, const Json& r);
  Result<Json> UntagResource(const Caller& c, const Json& r);
  Result<Json> ListResourceTags(const Caller& c, const Json& r);
  Result<Json> GetKeyPolicy(const Caller& c, const Json& r);
  Result<Json> PutKeyPolicy(const Caller& c, const Json& r);
  Result<Json> ListKeyPolicies(const Caller& c, const Json& r);
  Result<Json> CreateGrant(const Caller& c, const Json& r);
  Result<Json> ListGrants(const Caller& c, const Json& r);
  Result<Json> RetireGrant(const Caller& c, const Json& r);
  Result<Json> RevokeGrant(const Caller& c, const Json& r);

  // A key found for a request, with its ARN and spec.
  struct Resolved {
    KeyPtr key;
    std::string arn;
    std::string partition;
    const KeySpecInfo* spec = nullptr;
  };
  // How an operation uses a key: its IAM action ("Encrypt") which is also its grant operation,
  // whether it may name another account's key, and the context grant constraints check.
  struct Use {
    std::string_view action;
    bool cross_account = false;
    const EncryptionContext* context = nullptr;
    std::string_view label = "keyId";  // field name in validation messages
  };

  // Resolves a KeyId (id, ARN, alias name or alias ARN) and authorises the use. Errors:
  // ValidationException, NotFoundException, InvalidArnException, AccessDeniedException.
  Result<Resolved> ResolveKey(const Caller& c, std::string_view key_id, const Use& use);
  // What the quota engine needs to know about the key a request names, before the request runs.
  struct KeyTypeInfo {
    std::string account;  // the key's owner
    std::string region;
    std::string key_id;
    KeyFamily family = KeyFamily::kSymmetric;
    std::string key_spec;
    std::string custom_key_store_id;  // "" when not in a custom key store
  };
  // A cheap read-only lookup of `key_id` (id, ARN, alias name or alias ARN; another account's key
  // by ARN): no authorisation, no lazy deletion or rotation, no error detail. nullopt when it
  // names no stored key. Thread-safe; never blocks on SQLite.
  std::optional<KeyTypeInfo> KeyTypeFor(const Caller& c, std::string_view key_id) const;

  // Resolves a key in a known account and region by id (no alias forms).
  Result<Resolved> ResolveById(const Caller& c, const std::string& account,
                               const std::string& region, const std::string& key_id,
                               const Use& use);

 private:
  Status Authorize(const Caller& c, const Resolved& r, const Use& use);
  // DisabledException / KMSInvalidStateException unless the key is Enabled.
  static Status RequireEnabled(const Resolved& r);
  // KMSInvalidStateException when pending deletion (management operations).
  static Status RequireNotPendingDeletion(const Resolved& r);
  KeyMetadata Metadata(const Resolved& r) const;
  double Now() const;
  // Read-modify-write of one key under mutation_mu_.
  // The change is applied to the latest stored copy; NotFoundException if it vanished.
  Status MutateKey(const Resolved& r, const std::function<Status(KeyRecord&)>& change);
  struct Opened {
    Resolved key;
    SecretBytes plaintext;
    std::string algorithm;
  };
  // Decrypts a symmetric blob or (with an asymmetric KeyId) an RSA-OAEP ciphertext.
  Result<Opened> OpenCiphertext(const Caller& c, ByteView blob, const EncryptionContext& context,
                                const std::optional<std::string>& key_id,
                                const std::optional<std::string>& algorithm,
                                std::string_view action);
  struct Sealed {
    Resolved key;
    Bytes blob;
    std::string algorithm;
  };
  Result<Sealed> SealWith(const Caller& c, const std::string& key_id, ByteView plaintext,
                          const EncryptionContext& context,
                          const std::optional<std::string>& algorithm, std::string_view action,
                          std::string_view label);
  Result<Bytes> SealSymmetric(const Resolved& r, const EncryptionContext& context,
                              ByteView plaintext);
  Result<GenerateDataKeyResponse> MakeDataKey(const Caller& c, const GenerateDataKeyRequest& r,
                                              std::string_view action, bool with_plaintext);
  Result<Json> MakeDataKeyPair(const Caller& c, const Json& r, std::string_view action,
                               bool with_plaintext);
  // Automatic rotation, applied lazily when a key is used after its next rotation date.
  Status RotateIfDue(const Resolved& r);
  Result<Json> SetRotation(const Caller& c, const Json& r, bool enable);
  Result<SecretBytes> NewMaterial(const KeySpecInfo& spec);
  Result<Resolved> ResolveForGrantAdmin(const Caller& c, const Json& r, std::string_view action);

  KeyStore& store_;
  Clock& clock_;
  Random& random_;
  std::mutex mutation_mu_;  // serialises read-modify-write of stored records
};

// A KmsApi for one caller over an in-process service (the embedded key store). The service must
// outlive the returned object.
std::unique_ptr<KmsApi> BindCaller(KmsService& service, Caller caller);

}  // namespace envelope::kms::server
