#include "kms/server/key_specs.h"

#include <array>

namespace envelope::kms::server {
namespace {

using crypto::EcCurve;
using crypto::HashAlg;

constexpr std::array kSpecs = {
    KeySpecInfo{"SYMMETRIC_DEFAULT", KeyFamily::kSymmetric},
    KeySpecInfo{"RSA_2048", KeyFamily::kRsa, 2048},
    KeySpecInfo{"RSA_3072", KeyFamily::kRsa, 3072},
    KeySpecInfo{"RSA_4096", KeyFamily::kRsa, 4096},
    KeySpecInfo{"ECC_NIST_P256", KeyFamily::kEcc, 0, EcCurve::kP256},
    KeySpecInfo{"ECC_NIST_P384", KeyFamily::kEcc, 0, EcCurve::kP384},
    KeySpecInfo{"ECC_NIST_P521", KeyFamily::kEcc, 0, EcCurve::kP521},
    KeySpecInfo{"ECC_SECG_P256K1", KeyFamily::kEcc, 0, EcCurve::kSecp256k1},
    // HMAC key lengths: the digest size (within the range KMS uses for each spec).
    KeySpecInfo{"HMAC_224", KeyFamily::kHmac, 0, EcCurve::kP256, HashAlg::kSha256, 28},
    KeySpecInfo{"HMAC_256", KeyFamily::kHmac, 0, EcCurve::kP256, HashAlg::kSha256, 32},
    KeySpecInfo{"HMAC_384", KeyFamily::kHmac, 0, EcCurve::kP256, HashAlg::kSha384, 48},
    KeySpecInfo{"HMAC_512", KeyFamily::kHmac, 0, EcCurve::kP256, HashAlg::kSha512, 64},
};

}  // namespace

const KeySpecInfo* FindKeySpec(std::string_view name) {
  for (const KeySpecInfo& s : kSpecs) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

bool IsKnownUnsupportedKeySpec(std::string_view name) {
  return name == "SM2" || name == "ML_DSA_44" || name == "ML_DSA_65" || name == "ML_DSA_87" ||
         name == "ECC_NIST_EDWARDS25519";
}

std::vector<std::string> EncryptionAlgorithmsFor(const KeySpecInfo& spec, std::string_view usage) {
  if (usage != "ENCRYPT_DECRYPT") return {};
  if (spec.family == KeyFamily::kSymmetric) return {"SYMMETRIC_DEFAULT"};
  if (spec.family == KeyFamily::kRsa) return {"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"};
  return {};
}

std::vector<std::string> SigningAlgorithmsFor(const KeySpecInfo& spec, std::string_view usage) {
  if (usage != "SIGN_VERIFY") return {};
  if (spec.family == KeyFamily::kRsa) {
    return {"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
            "RSASSA_PSS_SHA_256",        "RSASSA_PSS_SHA_384",        "RSASSA_PSS_SHA_512"};
  }
  if (spec.family != KeyFamily::kEcc) return {};
  switch (spec.curve) {
    case EcCurve::kP384: return {"ECDSA_SHA_384"};
    case EcCurve::kP521: return {"ECDSA_SHA_512"};
    default: return {"ECDSA_SHA_256"};
  }
}

std::vector<std::string> MacAlgorithmsFor(const KeySpecInfo& spec, std::string_view usage) {
  if (spec.family != KeyFamily::kHmac || usage != "GENERATE_VERIFY_MAC") return {};
  return {"HMAC_SHA_" + std::string(spec.name.substr(5))};
}

std::optional<crypto::SignatureScheme> SigningScheme(std::string_view a) {
  using S = crypto::SignatureScheme;
  if (a == "RSASSA_PSS_SHA_256") return S::kRsaPssSha256;
  if (a == "RSASSA_PSS_SHA_384") return S::kRsaPssSha384;
  if (a == "RSASSA_PSS_SHA_512") return S::kRsaPssSha512;
  if (a == "RSASSA_PKCS1_V1_5_SHA_256") return S::kRsaPkcs1Sha256;
  if (a == "RSASSA_PKCS1_V1_5_SHA_384") return S::kRsaPkcs1Sha384;
  if (a == "RSASSA_PKCS1_V1_5_SHA_512") return S::kRsaPkcs1Sha512;
  if (a == "ECDSA_SHA_256") return S::kEcdsaSha256;
  if (a == "ECDSA_SHA_384") return S::kEcdsaSha384;
  if (a == "ECDSA_SHA_512") return S::kEcdsaSha512;
  return std::nullopt;
}

std::optional<crypto::RsaEncryptionPadding> OaepPadding(std::string_view a) {
  if (a == "RSAES_OAEP_SHA_1") return crypto::RsaEncryptionPadding::kOaepSha1;
  if (a == "RSAES_OAEP_SHA_256") return crypto::RsaEncryptionPadding::kOaepSha256;
  return std::nullopt;
}

std::size_t MaxOaepPlaintext(int bits, crypto::RsaEncryptionPadding padding) {
  std::size_t hash = padding == crypto::RsaEncryptionPadding::kOaepSha1 ? 20 : 32;
  return static_cast<std::size_t>(bits / 8) - 2 * hash - 2;
}

}  // namespace envelope::kms::server
