// Raw RSA keyring: wraps data keys with RSA encryption under a local key pair.
//
// Spec: reference/message-format.md §3.2. Wire layout of one EDK:
//   provider id   = key namespace (UTF-8)
//   provider info = key name (UTF-8)
//   ciphertext    = RSA-Encrypt(public key, padding, data key); the context is not bound.
#include <optional>
#include <string>
#include <utility>

#include "core/random.h"
#include "crypto/asymmetric.h"
#include "envelope/keyrings.h"
#include "format/suites.h"
#include "materials/common.h"

namespace envelope {
namespace {

class RawRsaKeyring final : public Keyring {
 public:
  RawRsaKeyring(std::string key_namespace, std::string key_name,
                crypto::RsaEncryptionPadding padding, std::optional<crypto::PublicKey> public_key,
                std::optional<crypto::PrivateKey> private_key)
      : namespace_(std::move(key_namespace)),
        name_(std::move(key_name)),
        padding_(padding),
        public_key_(std::move(public_key)),
        private_key_(std::move(private_key)) {}

  Status OnEncrypt(EncryptionMaterials& materials) const override;
  Status OnDecrypt(DecryptionMaterials& materials,
                   std::span<const EncryptedDataKey> edks) const override;

 private:
  bool IsMine(const EncryptedDataKey& edk) const {
    return edk.provider_id == namespace_ && AsChars(edk.provider_info) == name_;
  }

  const std::string namespace_;
  const std::string name_;
  const crypto::RsaEncryptionPadding padding_;
  const std::optional<crypto::PublicKey> public_key_;    // absent: cannot encrypt
  const std::optional<crypto::PrivateKey> private_key_;  // absent: cannot decrypt
};

Status RawRsaKeyring::OnEncrypt(EncryptionMaterials& materials) const {
  // The public key is never derived from the private one: a keyring configured for decryption
  // only must not start producing messages.
  if (!public_key_.has_value()) {
    return InvalidArgument("raw RSA keyring '" + name_ + "': no public key; cannot encrypt");
  }
  ENVELOPE_ASSIGN_OR_RETURN(const format::SuiteInfo* suite, internal::LookUpSuite(materials.suite));
  if (materials.data_key.empty()) {
    ENVELOPE_ASSIGN_OR_RETURN(materials.data_key, RandomSecret(SystemRandom(), suite->key_bytes));
  } else if (materials.data_key.size() != suite->key_bytes) {
    return InvalidArgument("raw RSA keyring: data key length does not match the suite");
  }
  auto ciphertext = public_key_->Encrypt(padding_, materials.data_key.span());
  if (!ciphertext.ok()) {
    return ciphertext.status().Annotate("raw RSA keyring '" + name_ + "'");
  }
  EncryptedDataKey edk;
  edk.provider_id = namespace_;
  edk.provider_info = ToBytes(name_);
  edk.ciphertext = std::move(ciphertext).value();
  materials.encrypted_data_keys.push_back(std::move(edk));
  return OkStatus();
}

Status RawRsaKeyring::OnDecrypt(DecryptionMaterials& materials,
                                std::span<const EncryptedDataKey> edks) const {
  if (!materials.data_key.empty()) {
    return OkStatus();
  }
  if (!private_key_.has_value()) {
    return InvalidArgument("raw RSA keyring '" + name_ + "': no private key; cannot decrypt");
  }
  ENVELOPE_ASSIGN_OR_RETURN(const format::SuiteInfo* suite, internal::LookUpSuite(materials.suite));
  for (const EncryptedDataKey& edk : edks) {
    if (!IsMine(edk)) {
      continue;
    }
    Result<SecretBytes> data_key = private_key_->Decrypt(padding_, edk.ciphertext);
    if (data_key.ok() && data_key->size() == suite->key_bytes) {
      materials.data_key = std::move(data_key).value();
      return OkStatus();
    }
    if (!data_key.ok() && data_key.status().code() != Code::kCorrupt) {
      return data_key.status().Annotate("raw RSA keyring '" + name_ + "'");
    }
    // Wrong key, padding or length: another EDK may still be ours.
  }
  return OkStatus();
}

Result<std::optional<crypto::PublicKey>> ParsePublic(const std::string& pem) {
  if (pem.empty()) {
    return std::optional<crypto::PublicKey>();
  }
  auto key = crypto::PublicKey::FromPem(pem);
  if (!key.ok()) {
    return InvalidArgument("raw RSA keyring: cannot parse the public key: " +
                           key.status().message());
  }
  if (!key->is_rsa()) {
    return InvalidArgument("raw RSA keyring: the public key is not an RSA key");
  }
  return std::optional<crypto::PublicKey>(std::move(key).value());
}

Result<std::optional<crypto::PrivateKey>> ParsePrivate(const SecretBytes& pem) {
  if (pem.empty()) {
    return std::optional<crypto::PrivateKey>();
  }
  auto key = crypto::PrivateKey::FromPem(AsChars(pem.span()));
  if (!key.ok()) {
    // The parser's message is not repeated: it could quote key material.
    return InvalidArgument("raw RSA keyring: cannot parse the private key");
  }
  if (!key->is_rsa()) {
    return InvalidArgument("raw RSA keyring: the private key is not an RSA key");
  }
  return std::optional<crypto::PrivateKey>(std::move(key).value());
}

}  // namespace

Result<KeyringPtr> MakeRawRsaKeyring(std::string key_namespace, std::string key_name,
                                     RsaPadding padding, std::string public_key_pem,
                                     SecretBytes private_key_pem) {
  ENVELOPE_RETURN_IF_ERROR(
      internal::CheckRawKeyringNames("raw RSA keyring", key_namespace, key_name));
  if (public_key_pem.empty() && private_key_pem.empty()) {
    return InvalidArgument("raw RSA keyring: a public key, a private key or both are required");
  }
  ENVELOPE_ASSIGN_OR_RETURN(auto public_key, ParsePublic(public_key_pem));
  ENVELOPE_ASSIGN_OR_RETURN(auto private_key, ParsePrivate(private_key_pem));
  return KeyringPtr(std::make_shared<RawRsaKeyring>(std::move(key_namespace), std::move(key_name),
                                                    internal::ToCryptoPadding(padding),
                                                    std::move(public_key), std::move(private_key)));
}

}  // namespace envelope
