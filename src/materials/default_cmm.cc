// The default CMM: suite selection under the commitment policy, the signing key pair, and the
// reproduced-context checks, around one keyring.
//
// Spec: reference/message-format.md §1.9, §2 (commitment policies) and §4 step 3.
#include <string>
#include <utility>

#include "core/encoding.h"
#include "crypto/asymmetric.h"
#include "envelope/keyrings.h"
#include "format/suites.h"
#include "materials/common.h"

namespace envelope {
namespace {

class DefaultCmm final : public CryptoMaterialsManager {
 public:
  explicit DefaultCmm(KeyringPtr keyring) : keyring_(std::move(keyring)) {}

  Result<EncryptionMaterials> GetEncryptionMaterials(
      const EncryptionMaterialsRequest& request) override;
  Result<DecryptionMaterials> DecryptMaterials(const DecryptMaterialsRequest& request) override;

 private:
  const KeyringPtr keyring_;
};

Status CheckNoReservedKeys(const EncryptionContext& context) {
  for (const auto& [key, value] : context) {
    if (key.starts_with(kReservedContextPrefix)) {
      return InvalidArgument("encryption context key '" + key + "' uses the reserved prefix '" +
                             std::string(kReservedContextPrefix) + "'");
    }
  }
  return OkStatus();
}

// Makes the message signing key pair: the private scalar goes to the materials, the compressed
// public point (base64) to the context, where the decryptor finds it.
Status AddSigningKey(const format::SuiteInfo& suite, EncryptionMaterials& materials) {
  const crypto::EcCurve curve = suite.signing == format::Signing::kEcdsaP256Sha256
                                    ? crypto::EcCurve::kP256
                                    : crypto::EcCurve::kP384;
  ENVELOPE_ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::GenerateEc(curve));
  ENVELOPE_ASSIGN_OR_RETURN(Bytes point, key.Public().CompressedPoint());
  ENVELOPE_ASSIGN_OR_RETURN(materials.signing_key, key.EcScalar());
  materials.encryption_context[std::string(kPublicKeyContextKey)] = Base64Encode(point);
  return OkStatus();
}

Result<EncryptionMaterials> DefaultCmm::GetEncryptionMaterials(
    const EncryptionMaterialsRequest& request) {
  if (keyring_ == nullptr) {
    return InvalidArgument("default CMM: no keyring");
  }
  const AlgorithmSuite id = request.suite.value_or(DefaultSuite(request.commitment_policy));
  ENVELOPE_ASSIGN_OR_RETURN(const format::SuiteInfo* suite, internal::LookUpSuite(id));
  if (!format::EncryptAllowed(request.commitment_policy, *suite)) {
    return InvalidArgument("suite " + internal::DescribeSuite(*suite) +
                           " is not allowed by commitment policy " +
                           std::string(CommitmentPolicyName(request.commitment_policy)));
  }
  ENVELOPE_RETURN_IF_ERROR(CheckNoReservedKeys(request.encryption_context));

  EncryptionMaterials materials;
  materials.suite = id;
  materials.encryption_context = request.encryption_context;
  if (suite->signs()) {
    ENVELOPE_RETURN_IF_ERROR(AddSigningKey(*suite, materials));
  }
  ENVELOPE_RETURN_IF_ERROR(keyring_->OnEncrypt(materials));
  if (materials.data_key.size() != suite->key_bytes) {
    return InvalidArgument(materials.data_key.empty()
                               ? "default CMM: the keyring produced no data key (no generator?)"
                               : "default CMM: the keyring produced a data key of the wrong size");
  }
  if (materials.encrypted_data_keys.empty()) {
    return InvalidArgument("default CMM: the keyring produced no encrypted data key");
  }
  return materials;
}

// Signing suite <=> the header context carries the public key. Sets the verification key.
Status TakeVerificationKey(const format::SuiteInfo& suite, DecryptionMaterials& materials) {
  auto it = materials.encryption_context.find(std::string(kPublicKeyContextKey));
  const bool present = it != materials.encryption_context.end();
  if (suite.signs() && !present) {
    return Corrupt("signing suite " + internal::DescribeSuite(suite) +
                   " but the encryption context has no " + std::string(kPublicKeyContextKey));
  }
  if (!suite.signs() && present) {
    return Corrupt("non-signing suite " + internal::DescribeSuite(suite) +
                   " but the encryption context has " + std::string(kPublicKeyContextKey));
  }
  if (present) {
    Result<Bytes> point = Base64Decode(it->second);
    if (!point.ok() || point->empty()) {
      return Corrupt(std::string(kPublicKeyContextKey) + " is not valid base64");
    }
    materials.verification_key = std::move(point).value();
  }
  return OkStatus();
}

// Shared keys must agree; reproduced pairs missing from the header join the context and become
// required (authenticated but not stored), as the message engine expects.
Status MergeReproducedContext(const EncryptionContext& reproduced, DecryptionMaterials& materials) {
  for (const auto& [key, value] : reproduced) {
    auto it = materials.encryption_context.find(key);
    if (it == materials.encryption_context.end()) {
      materials.encryption_context.emplace(key, value);
      materials.required_encryption_context_keys.push_back(key);
    } else if (it->second != value) {
      return InvalidArgument("encryption context mismatch: the message's value for key '" + key +
                             "' differs from the one given");
    }
  }
  return OkStatus();
}

Result<DecryptionMaterials> DefaultCmm::DecryptMaterials(const DecryptMaterialsRequest& request) {
  if (keyring_ == nullptr) {
    return InvalidArgument("default CMM: no keyring");
  }
  ENVELOPE_ASSIGN_OR_RETURN(const format::SuiteInfo* suite, internal::LookUpSuite(request.suite));
  if (!format::DecryptAllowed(request.commitment_policy, *suite)) {
    return InvalidArgument("suite " + internal::DescribeSuite(*suite) +
                           " is not allowed for decryption by commitment policy " +
                           std::string(CommitmentPolicyName(request.commitment_policy)));
  }
  DecryptionMaterials materials;
  materials.suite = request.suite;
  materials.encryption_context = request.encryption_context;
  ENVELOPE_RETURN_IF_ERROR(TakeVerificationKey(*suite, materials));
  ENVELOPE_RETURN_IF_ERROR(
      MergeReproducedContext(request.reproduced_encryption_context, materials));
  ENVELOPE_RETURN_IF_ERROR(keyring_->OnDecrypt(materials, request.encrypted_data_keys));
  if (materials.data_key.empty()) {
    return NotFound("no keyring could decrypt any of the " +
                    std::to_string(request.encrypted_data_keys.size()) + " encrypted data keys");
  }
  if (materials.data_key.size() != suite->key_bytes) {
    return Internal("default CMM: the keyring returned a data key of the wrong size");
  }
  return materials;
}

}  // namespace

CmmPtr MakeDefaultCmm(KeyringPtr keyring) {
  return std::make_shared<DefaultCmm>(std::move(keyring));
}

}  // namespace envelope
