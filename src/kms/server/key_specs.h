#pragma once
// What each KMS key spec is and may do: its family, the key usages it allows, and the encryption,
// signing and MAC algorithms it supports (the lists DescribeKey reports).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/asymmetric.h"
#include "crypto/hash.h"

namespace envelope::kms::server {

enum class KeyFamily { kSymmetric, kRsa, kEcc, kHmac };

struct KeySpecInfo {
  std::string_view name;
  KeyFamily family;
  int rsa_bits = 0;                       // kRsa
  crypto::EcCurve curve = crypto::EcCurve::kP256;  // kEcc
  crypto::HashAlg hmac_hash = crypto::HashAlg::kSha256;  // kHmac
  std::size_t hmac_key_bytes = 0;         // kHmac
};

// nullptr for a name that is not a supported key spec.
const KeySpecInfo* FindKeySpec(std::string_view name);
// True for specs in the KMS model that this server does not implement (SM2, ML_DSA_*, Ed25519).
bool IsKnownUnsupportedKeySpec(std::string_view name);

std::vector<std::string> EncryptionAlgorithmsFor(const KeySpecInfo& spec, std::string_view usage);
std::vector<std::string> SigningAlgorithmsFor(const KeySpecInfo& spec, std::string_view usage);
std::vector<std::string> MacAlgorithmsFor(const KeySpecInfo& spec, std::string_view usage);

// Signing algorithm name -> scheme; nullopt for unknown names.
std::optional<crypto::SignatureScheme> SigningScheme(std::string_view algorithm);
// RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256 -> padding.
std::optional<crypto::RsaEncryptionPadding> OaepPadding(std::string_view algorithm);
// Largest plaintext RSA-OAEP can encrypt with `bits`-bit keys under `padding`.
std::size_t MaxOaepPlaintext(int bits, crypto::RsaEncryptionPadding padding);

}  // namespace envelope::kms::server
