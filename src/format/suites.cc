// The algorithm suite table, commitment policies, and their textual names.
#include "format/suites.h"

#include <array>
#include <cctype>
#include <cstdlib>
#include <string>

namespace envelope {
namespace format {
namespace {

using S = AlgorithmSuite;

// The 11 ESDK suites, in wire-id order. Every suite uses AES-GCM with a 12-byte IV and a
// 16-byte tag; the data key and the derived encryption key have the same length.
constexpr std::array<SuiteInfo, 11> kSuites = {{
    {S::kAes128GcmIv12Tag16NoKdf, 1, 16, Kdf::kIdentity, Signing::kNone,
     "AES_128_GCM_IV12_TAG16_NO_KDF"},
    {S::kAes192GcmIv12Tag16NoKdf, 1, 24, Kdf::kIdentity, Signing::kNone,
     "AES_192_GCM_IV12_TAG16_NO_KDF"},
    {S::kAes256GcmIv12Tag16NoKdf, 1, 32, Kdf::kIdentity, Signing::kNone,
     "AES_256_GCM_IV12_TAG16_NO_KDF"},
    {S::kAes128GcmIv12Tag16HkdfSha256, 1, 16, Kdf::kHkdfSha256, Signing::kNone,
     "AES_128_GCM_IV12_TAG16_HKDF_SHA256"},
    {S::kAes192GcmIv12Tag16HkdfSha256, 1, 24, Kdf::kHkdfSha256, Signing::kNone,
     "AES_192_GCM_IV12_TAG16_HKDF_SHA256"},
    {S::kAes256GcmIv12Tag16HkdfSha256, 1, 32, Kdf::kHkdfSha256, Signing::kNone,
     "AES_256_GCM_IV12_TAG16_HKDF_SHA256"},
    {S::kAes128GcmIv12Tag16HkdfSha256EcdsaP256, 1, 16, Kdf::kHkdfSha256,
     Signing::kEcdsaP256Sha256, "AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256"},
    // 0x0346 derives with SHA-384, not SHA-256.
    {S::kAes192GcmIv12Tag16HkdfSha384EcdsaP384, 1, 24, Kdf::kHkdfSha384,
     Signing::kEcdsaP384Sha384, "AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384"},
    {S::kAes256GcmIv12Tag16HkdfSha384EcdsaP384, 1, 32, Kdf::kHkdfSha384,
     Signing::kEcdsaP384Sha384, "AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384"},
    {S::kAes256GcmHkdfSha512CommitKey, 2, 32, Kdf::kHkdfSha512Committing, Signing::kNone,
     "AES_256_GCM_HKDF_SHA512_COMMIT_KEY"},
    {S::kAes256GcmHkdfSha512CommitKeyEcdsaP384, 2, 32, Kdf::kHkdfSha512Committing,
     Signing::kEcdsaP384Sha384, "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384"},
}};

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) {
      return false;
    }
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

// Parses 1..4 hex digits; false for anything else.
bool ParseHex16(std::string_view text, std::uint16_t& out) {
  if (text.empty() || text.size() > 4) {
    return false;
  }
  std::uint16_t value = 0;
  for (char c : text) {
    const char l = Lower(c);
    int digit;
    if (l >= '0' && l <= '9') {
      digit = l - '0';
    } else if (l >= 'a' && l <= 'f') {
      digit = l - 'a' + 10;
    } else {
      return false;
    }
    value = static_cast<std::uint16_t>(value * 16 + digit);
  }
  out = value;
  return true;
}

}  // namespace

const SuiteInfo* FindSuite(std::uint16_t id) {
  for (const SuiteInfo& suite : kSuites) {
    if (suite.wire_id() == id) {
      return &suite;
    }
  }
  return nullptr;
}

const SuiteInfo& Info(AlgorithmSuite suite) {
  const SuiteInfo* info = FindSuite(static_cast<std::uint16_t>(suite));
  if (info == nullptr) {
    std::abort();  // only reachable by casting an arbitrary integer to AlgorithmSuite
  }
  return *info;
}

std::span<const SuiteInfo> AllSuites() { return kSuites; }

bool EncryptAllowed(CommitmentPolicy policy, const SuiteInfo& suite) {
  if (policy == CommitmentPolicy::kForbidEncryptAllowDecrypt) {
    return !suite.committing();
  }
  return suite.committing();
}

bool DecryptAllowed(CommitmentPolicy policy, const SuiteInfo& suite) {
  if (policy == CommitmentPolicy::kRequireEncryptRequireDecrypt) {
    return suite.committing();
  }
  return true;
}

}  // namespace format

Result<AlgorithmSuite> ParseAlgorithmSuite(std::string_view text) {
  std::uint16_t id = 0;
  const bool hex_prefix = format::StartsWithIgnoreCase(text, "0x");
  const bool is_hex = hex_prefix ? format::ParseHex16(text.substr(2), id)
                                 : (text.size() == 4 && format::ParseHex16(text, id));
  if (is_hex) {
    if (const format::SuiteInfo* suite = format::FindSuite(id)) {
      return suite->id;
    }
    return InvalidArgument("unknown algorithm suite: " + std::string(text));
  }
  std::string_view name = text;
  if (format::StartsWithIgnoreCase(name, "ALG_")) {
    name.remove_prefix(4);
  }
  for (const format::SuiteInfo& suite : format::kSuites) {
    if (format::EqualsIgnoreCase(name, suite.name)) {
      return suite.id;
    }
  }
  return InvalidArgument("unknown algorithm suite: " + std::string(text));
}

std::string_view AlgorithmSuiteName(AlgorithmSuite suite) {
  const format::SuiteInfo* info = format::FindSuite(static_cast<std::uint16_t>(suite));
  return info != nullptr ? info->name : std::string_view("UNKNOWN");
}

Result<CommitmentPolicy> ParseCommitmentPolicy(std::string_view text) {
  // Normalise the spec spelling (FORBID_ENCRYPT_ALLOW_DECRYPT) to the CLI one.
  std::string normal(text);
  for (char& c : normal) {
    c = c == '_' ? '-' : format::Lower(c);
  }
  for (CommitmentPolicy policy :
       {CommitmentPolicy::kForbidEncryptAllowDecrypt, CommitmentPolicy::kRequireEncryptAllowDecrypt,
        CommitmentPolicy::kRequireEncryptRequireDecrypt}) {
    if (normal == CommitmentPolicyName(policy)) {
      return policy;
    }
  }
  return InvalidArgument("unknown commitment policy: " + std::string(text));
}

std::string_view CommitmentPolicyName(CommitmentPolicy policy) {
  switch (policy) {
    case CommitmentPolicy::kForbidEncryptAllowDecrypt:
      return "forbid-encrypt-allow-decrypt";
    case CommitmentPolicy::kRequireEncryptAllowDecrypt:
      return "require-encrypt-allow-decrypt";
    case CommitmentPolicy::kRequireEncryptRequireDecrypt:
      return "require-encrypt-require-decrypt";
  }
  return "unknown";
}

AlgorithmSuite DefaultSuite(CommitmentPolicy policy) {
  // The spec says 0x0078 under FORBID; the C and Python SDKs use 0x0378 (signed), and so do we.
  return policy == CommitmentPolicy::kForbidEncryptAllowDecrypt
             ? AlgorithmSuite::kAes256GcmIv12Tag16HkdfSha384EcdsaP384
             : AlgorithmSuite::kAes256GcmHkdfSha512CommitKeyEcdsaP384;
}

}  // namespace envelope
