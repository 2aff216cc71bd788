// KmsService: symmetric and RSA encryption — Encrypt, Decrypt, ReEncrypt, GenerateDataKey,
// GenerateDataKeyWithoutPlaintext, GenerateRandom.
#include "crypto/aes_gcm.h"
#include "kms/api/errors.h"
#include "kms/server/ciphertext_blob.h"
#include "kms/server/kms_service.h"
#include "kms/server/service_internal.h"

namespace envelope::kms::server {
namespace {

constexpr std::size_t kMaxPlaintext = 4096;
constexpr std::size_t kMaxCiphertext = 6144;
const std::vector<std::string_view> kEncryptionAlgorithms = {
    "SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"};

Status CheckAlgorithmName(const std::optional<std::string>& alg, std::string_view label) {
  if (!alg) return OkStatus();
  for (std::string_view a : kEncryptionAlgorithms) {
    if (*alg == a) return OkStatus();
  }
  return EnumViolation(*alg, label, kEncryptionAlgorithms);
}

Status RequireEncryptUsage(const KmsService::Resolved& k, std::string_view op) {
  if (k.key->key_usage == "ENCRYPT_DECRYPT") return OkStatus();
  return InvalidKeyUsageError(k.arn + " key usage is " + k.key->key_usage +
                              " which is not valid for " + std::string(op) + ".");
}

Status Incompatible(std::string_view alg, const KmsService::Resolved& k) {
  return InvalidKeyUsageError("Algorithm " + std::string(alg) + " is incompatible with key spec " +
                              k.key->key_spec + ".");
}

Status CiphertextRefersToUnknownKey() {
  return AccessDeniedError("The ciphertext refers to a customer master key that does not exist, "
                           "does not exist in this region, or you are not allowed to access.");
}

}  // namespace

Result<Bytes> KmsService::SealSymmetric(const Resolved& r, const EncryptionContext& context,
                                        ByteView plaintext) {
  const KeyMaterial& m = r.key->current();
  std::uint8_t iv[crypto::kGcmIvBytes];
  ENVELOPE_RETURN_IF_ERROR(random_.Fill(iv));
  return SealBlob({r.key->account, r.key->region, r.key->key_id, m.version}, m.secret.span(), iv,
                  context, plaintext);
}

Result<KmsService::Sealed> KmsService::SealWith(const Caller& c, const std::string& key_id,
                                                ByteView plaintext,
                                                const EncryptionContext& context,
                                                const std::optional<std::string>& algorithm,
                                                std::string_view action, std::string_view label) {
  ENVELOPE_RETURN_IF_ERROR(CheckAlgorithmName(algorithm, "encryptionAlgorithm"));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {action, true, &context, label}));
  ENVELOPE_RETURN_IF_ERROR(RequireEnabled(k));
  ENVELOPE_RETURN_IF_ERROR(RequireEncryptUsage(k, "Encrypt"));
  std::string alg = algorithm.value_or("SYMMETRIC_DEFAULT");
  if (k.spec->family == KeyFamily::kSymmetric) {
    if (alg != "SYMMETRIC_DEFAULT") return Incompatible(alg, k);
    ENVELOPE_ASSIGN_OR_RETURN(Bytes blob, SealSymmetric(k, context, plaintext));
    return Sealed{std::move(k), std::move(blob), alg};
  }
  if (alg == "SYMMETRIC_DEFAULT" || alg == "SM2PKE") return Incompatible(alg, k);
  if (!context.empty()) {
    return ValidationError("EncryptionContext is not supported with asymmetric KMS keys.");
  }
  ENVELOPE_ASSIGN_OR_RETURN(Bytes blob, RsaOaepEncrypt(k.key->current().secret, alg, plaintext));
  return Sealed{std::move(k), std::move(blob), alg};
}

Result<KmsService::Opened> KmsService::OpenCiphertext(
    const Caller& c, ByteView blob, const EncryptionContext& context,
    const std::optional<std::string>& key_id, const std::optional<std::string>& algorithm,
    std::string_view action) {
  ENVELOPE_RETURN_IF_ERROR(CheckAlgorithmName(algorithm, "encryptionAlgorithm"));
  auto header = ParseBlobHeader(blob);
  Use use{action, true, &context};
  std::optional<Resolved> named;
  if (key_id) {
    ENVELOPE_ASSIGN_OR_RETURN(named, ResolveKey(c, *key_id, use));
    bool same = header.ok() && header->account == named->key->account &&
                header->region == named->key->region && header->key_id == named->key->key_id;
    if (header.ok() && !same) {
      return IncorrectKeyError("The key ID in the request does not identify a CMK that can "
                               "perform this operation.");
    }
    if (named->spec->family == KeyFamily::kRsa && !same) {
      ENVELOPE_RETURN_IF_ERROR(RequireEnabled(*named));
      ENVELOPE_RETURN_IF_ERROR(RequireEncryptUsage(*named, "Decrypt"));
      if (!algorithm || *algorithm == "SYMMETRIC_DEFAULT" || *algorithm == "SM2PKE") {
        return Incompatible(algorithm.value_or("SYMMETRIC_DEFAULT"), *named);
      }
      if (!context.empty()) {
        return ValidationError("EncryptionContext is not supported with asymmetric KMS keys.");
      }
      ENVELOPE_ASSIGN_OR_RETURN(SecretBytes pt,
                                RsaOaepDecrypt(named->key->current().secret, *algorithm, blob));
      return Opened{std::move(*named), std::move(pt), *algorithm};
    }
  }
  if (!header.ok()) return header.status();  // InvalidCiphertextException
  Resolved k;
  if (named) {
    k = std::move(*named);
  } else {
    if (header->region != c.region) return CiphertextRefersToUnknownKey();
    auto found = ResolveById(c, header->account, header->region, header->key_id, use);
    if (!found.ok()) {
      if (found.status().code() == Code::kNotFound) return CiphertextRefersToUnknownKey();
      return found.status();
    }
    k = std::move(*found);
  }
  ENVELOPE_RETURN_IF_ERROR(RequireEnabled(k));
  if (algorithm && *algorithm != "SYMMETRIC_DEFAULT") return Incompatible(*algorithm, k);
  const KeyMaterial* m = k.key->material(header->material_version);
  if (m == nullptr || k.spec->family != KeyFamily::kSymmetric) return InvalidCiphertextError("");
  ENVELOPE_ASSIGN_OR_RETURN(SecretBytes pt, OpenBlob(blob, m->secret.span(), context));
  return Opened{std::move(k), std::move(pt), "SYMMETRIC_DEFAULT"};
}

Result<EncryptResponse> KmsService::Encrypt(const Caller& c, const EncryptRequest& r) {
  if (r.plaintext.empty()) return SecretLengthViolation("plaintext", 1, false);
  if (r.plaintext.size() > kMaxPlaintext) return SecretLengthViolation("plaintext", 4096, true);
  ENVELOPE_ASSIGN_OR_RETURN(Sealed s, SealWith(c, r.key_id, r.plaintext.span(),
                                               r.encryption_context, r.encryption_algorithm,
                                               "Encrypt", "keyId"));
  return EncryptResponse{std::move(s.blob), s.key.arn, s.algorithm};
}

Result<DecryptResponse> KmsService::Decrypt(const Caller& c, const DecryptRequest& r) {
  if (r.ciphertext_blob.empty()) return SecretLengthViolation("ciphertextBlob", 1, false);
  if (r.ciphertext_blob.size() > kMaxCiphertext) {
    return SecretLengthViolation("ciphertextBlob", kMaxCiphertext, true);
  }
  ENVELOPE_ASSIGN_OR_RETURN(Opened o, OpenCiphertext(c, r.ciphertext_blob, r.encryption_context,
                                                     r.key_id, r.encryption_algorithm, "Decrypt"));
  return DecryptResponse{o.key.arn, std::move(o.plaintext), o.algorithm};
}

Result<ReEncryptResponse> KmsService::ReEncrypt(const Caller& c, const ReEncryptRequest& r) {
  if (r.ciphertext_blob.empty()) return SecretLengthViolation("ciphertextBlob", 1, false);
  if (r.ciphertext_blob.size() > kMaxCiphertext) {
    return SecretLengthViolation("ciphertextBlob", kMaxCiphertext, true);
  }
  ENVELOPE_RETURN_IF_ERROR(
      CheckAlgorithmName(r.destination_encryption_algorithm, "destinationEncryptionAlgorithm"));
  ENVELOPE_ASSIGN_OR_RETURN(
      Opened o, OpenCiphertext(c, r.ciphertext_blob, r.source_encryption_context, r.source_key_id,
                               r.source_encryption_algorithm, "ReEncryptFrom"));
  ENVELOPE_ASSIGN_OR_RETURN(
      Sealed s, SealWith(c, r.destination_key_id, o.plaintext.span(),
                         r.destination_encryption_context, r.destination_encryption_algorithm,
                         "ReEncryptTo", "destinationKeyId"));
  return ReEncryptResponse{std::move(s.blob), o.key.arn, s.key.arn, o.algorithm, s.algorithm};
}

Result<GenerateDataKeyResponse> KmsService::MakeDataKey(const Caller& c,
                                                        const GenerateDataKeyRequest& r,
                                                        std::string_view action,
                                                        bool with_plaintext) {
  if (r.number_of_bytes.has_value() == r.key_spec.has_value()) {
    return ValidationError("Please specify either number of bytes or key spec.");
  }
  std::size_t n = 0;
  if (r.key_spec) {
    if (*r.key_spec == "AES_256") n = 32;
    else if (*r.key_spec == "AES_128") n = 16;
    else return EnumViolation(*r.key_spec, "keySpec", {"AES_256", "AES_128"});
  } else {
    if (*r.number_of_bytes < 1) return RangeViolation(*r.number_of_bytes, "numberOfBytes", 1, false);
    if (*r.number_of_bytes > 1024) {
      return RangeViolation(*r.number_of_bytes, "numberOfBytes", 1024, true);
    }
    n = static_cast<std::size_t>(*r.number_of_bytes);
  }
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, r.key_id, {action, true, &r.encryption_context}));
  ENVELOPE_RETURN_IF_ERROR(RequireEnabled(k));
  if (k.spec->family != KeyFamily::kSymmetric) {
    return InvalidKeyUsageError(k.arn + " key usage is " + k.key->key_usage + " with key spec " +
                                k.key->key_spec + ", which is not valid for " +
                                std::string(action) + ".");
  }
  ENVELOPE_ASSIGN_OR_RETURN(SecretBytes data_key, RandomSecret(random_, n));
  ENVELOPE_ASSIGN_OR_RETURN(Bytes blob, SealSymmetric(k, r.encryption_context, data_key.span()));
  GenerateDataKeyResponse out;
  out.ciphertext_blob = std::move(blob);
  if (with_plaintext) out.plaintext = std::move(data_key);
  out.key_id = k.arn;
  return out;
}

Result<GenerateDataKeyResponse> KmsService::GenerateDataKey(const Caller& c,
                                                            const GenerateDataKeyRequest& r) {
  return MakeDataKey(c, r, "GenerateDataKey", true);
}

Result<GenerateDataKeyResponse> KmsService::GenerateDataKeyWithoutPlaintext(
    const Caller& c, const GenerateDataKeyRequest& r) {
  return MakeDataKey(c, r, "GenerateDataKeyWithoutPlaintext", false);
}

Result<GenerateRandomResponse> KmsService::GenerateRandom(const Caller& c,
                                                          const GenerateRandomRequest& r) {
  if (!r.number_of_bytes) {
    return ValidationError("1 validation error detected: Value null at 'numberOfBytes' failed to "
                           "satisfy constraint: Member must not be null");
  }
  if (*r.number_of_bytes < 1) return RangeViolation(*r.number_of_bytes, "numberOfBytes", 1, false);
  if (*r.number_of_bytes > 1024) {
    return RangeViolation(*r.number_of_bytes, "numberOfBytes", 1024, true);
  }
  ENVELOPE_ASSIGN_OR_RETURN(SecretBytes bytes,
                            RandomSecret(random_, static_cast<std::size_t>(*r.number_of_bytes)));
  return GenerateRandomResponse{std::move(bytes)};
}

}  // namespace envelope::kms::server
