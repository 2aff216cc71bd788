// Raw AES keyring: wraps data keys with AES-GCM under a local key, bound to the encryption context.
//
// Spec: reference/message-format.md §3.1. Wire layout of one EDK:
//   provider id   = key namespace (UTF-8)
//   provider info = key name (UTF-8) | u32 tag length in bits (128) | u32 IV length (12) | IV (12)
//   ciphertext    = AES-GCM(wrapping key, IV, data key, AAD = serialized context) | tag (16)
#include <string>
#include <utility>

#include "core/bytes.h"
#include "core/random.h"
#include "crypto/aes_gcm.h"
#include "envelope/keyrings.h"
#include "format/encryption_context.h"
#include "format/suites.h"
#include "materials/common.h"

namespace envelope {
namespace {

constexpr std::uint32_t kTagBits = crypto::kGcmTagBytes * 8;           // 128
constexpr std::size_t kInfoSuffixBytes = 4 + 4 + crypto::kGcmIvBytes;  // tag bits, IV len, IV

class RawAesKeyring final : public Keyring {
 public:
  RawAesKeyring(std::string key_namespace, std::string key_name, SecretBytes wrapping_key)
      : namespace_(std::move(key_namespace)),
        name_(std::move(key_name)),
        wrapping_key_(std::move(wrapping_key)) {}

  Status OnEncrypt(EncryptionMaterials& materials) const override;
  Status OnDecrypt(DecryptionMaterials& materials,
                   std::span<const EncryptedDataKey> edks) const override;

 private:
  // Returns the IV when `edk` was written by this keyring (namespace, name, tag and IV lengths),
  // or an empty view otherwise.
  ByteView MatchingIv(const EncryptedDataKey& edk) const;

  const std::string namespace_;
  const std::string name_;
  const SecretBytes wrapping_key_;
};

Status RawAesKeyring::OnEncrypt(EncryptionMaterials& materials) const {
  ENVELOPE_ASSIGN_OR_RETURN(const format::SuiteInfo* suite, internal::LookUpSuite(materials.suite));
  if (materials.data_key.empty()) {
    ENVELOPE_ASSIGN_OR_RETURN(materials.data_key, RandomSecret(SystemRandom(), suite->key_bytes));
  } else if (materials.data_key.size() != suite->key_bytes) {
    return InvalidArgument("raw AES keyring: data key length does not match the suite");
  }
  ENVELOPE_ASSIGN_OR_RETURN(Bytes aad,
                            format::SerializeEncryptionContext(materials.encryption_context));
  Bytes iv(crypto::kGcmIvBytes);
  ENVELOPE_RETURN_IF_ERROR(SystemRandom().Fill(iv));
  // AesGcm is not thread-safe, so each call schedules its own key; wrapping is rare.
  ENVELOPE_ASSIGN_OR_RETURN(crypto::AesGcm gcm, crypto::AesGcm::Create(wrapping_key_.span()));
  const std::size_t key_size = materials.data_key.size();
  EncryptedDataKey edk;
  edk.provider_id = namespace_;
  edk.ciphertext.resize(key_size + crypto::kGcmTagBytes);
  ENVELOPE_RETURN_IF_ERROR(gcm.Encrypt(iv, aad, materials.data_key.span(), edk.ciphertext.data(),
                                       edk.ciphertext.data() + key_size));
  ByteWriter info(edk.provider_info);
  info.Append(name_);
  info.U32(kTagBits);
  info.U32(static_cast<std::uint32_t>(crypto::kGcmIvBytes));
  info.Append(iv);
  materials.encrypted_data_keys.push_back(std::move(edk));
  return OkStatus();
}

ByteView RawAesKeyring::MatchingIv(const EncryptedDataKey& edk) const {
  if (edk.provider_id != namespace_ ||
      edk.provider_info.size() != name_.size() + kInfoSuffixBytes) {
    return {};
  }
  ByteView info(edk.provider_info);
  if (AsChars(info.first(name_.size())) != name_) {
    return {};
  }
  const std::uint8_t* lengths = info.data() + name_.size();
  if (LoadU32(lengths) != kTagBits || LoadU32(lengths + 4) != crypto::kGcmIvBytes) {
    return {};
  }
  return info.last(crypto::kGcmIvBytes);
}

Status RawAesKeyring::OnDecrypt(DecryptionMaterials& materials,
                                std::span<const EncryptedDataKey> edks) const {
  if (!materials.data_key.empty()) {
    return OkStatus();
  }
  ENVELOPE_ASSIGN_OR_RETURN(const format::SuiteInfo* suite, internal::LookUpSuite(materials.suite));
  ENVELOPE_ASSIGN_OR_RETURN(Bytes aad,
                            format::SerializeEncryptionContext(materials.encryption_context));
  ENVELOPE_ASSIGN_OR_RETURN(crypto::AesGcm gcm, crypto::AesGcm::Create(wrapping_key_.span()));
  for (const EncryptedDataKey& edk : edks) {
    ByteView iv = MatchingIv(edk);
    if (iv.empty() || edk.ciphertext.size() != suite->key_bytes + crypto::kGcmTagBytes) {
      continue;
    }
    ByteView ciphertext(edk.ciphertext);
    SecretBytes data_key(suite->key_bytes);
    Status s = gcm.Decrypt(iv, aad, ciphertext.first(suite->key_bytes),
                           ciphertext.last(crypto::kGcmTagBytes), data_key.data());
    if (s.ok()) {
      materials.data_key = std::move(data_key);
      return OkStatus();
    }
    if (s.code() != Code::kCorrupt) {
      return s.Annotate("raw AES keyring");
    }
    // A tag mismatch (wrong key or context): another EDK may still be ours.
  }
  return OkStatus();
}

}  // namespace

Result<KeyringPtr> MakeRawAesKeyring(std::string key_namespace, std::string key_name,
                                     SecretBytes wrapping_key) {
  ENVELOPE_RETURN_IF_ERROR(
      internal::CheckRawKeyringNames("raw AES keyring", key_namespace, key_name));
  const std::size_t n = wrapping_key.size();
  if (n != 16 && n != 24 && n != 32) {
    return InvalidArgument("raw AES keyring: wrapping key must be 16, 24 or 32 bytes");
  }
  return KeyringPtr(std::make_shared<RawAesKeyring>(std::move(key_namespace), std::move(key_name),
                                                    std::move(wrapping_key)));
}

}  // namespace envelope
