// KmsService: RSA-OAEP helpers used by Encrypt/Decrypt/ReEncrypt.
#include "crypto/asymmetric.h"
#include "kms/api/errors.h"
#include "kms/server/key_specs.h"
#include "kms/server/service_internal.h"

namespace envelope::kms::server {

Result<Bytes> RsaOaepEncrypt(const SecretBytes& pkcs8, std::string_view algorithm,
                             ByteView plaintext) {
  auto padding = OaepPadding(algorithm);
  if (!padding) return InvalidKeyUsageError("Unsupported encryption algorithm " + std::string(algorithm));
  auto key = crypto::PrivateKey::FromPkcs8Der(pkcs8.span());
  if (!key.ok()) return KmsInternalError("stored key material does not parse");
  if (plaintext.size() > MaxOaepPlaintext(key->bits(), *padding)) {
    return ValidationError("Plaintext of " + std::to_string(plaintext.size()) +
                           " bytes is too long for " + std::string(algorithm) + " with a " +
                           std::to_string(key->bits()) + "-bit key.");
  }
  return key->Public().Encrypt(*padding, plaintext);
}

Result<SecretBytes> RsaOaepDecrypt(const SecretBytes& pkcs8, std::string_view algorithm,
                                   ByteView ciphertext) {
  auto padding = OaepPadding(algorithm);
  if (!padding) return InvalidKeyUsageError("Unsupported encryption algorithm " + std::string(algorithm));
  auto key = crypto::PrivateKey::FromPkcs8Der(pkcs8.span());
  if (!key.ok()) return KmsInternalError("stored key material does not parse");
  auto plaintext = key->Decrypt(*padding, ciphertext);
  if (!plaintext.ok()) return InvalidCiphertextError("");
  return plaintext;
}

}  // namespace envelope::kms::server
