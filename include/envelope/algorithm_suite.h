#pragma once
// The 11 AWS Encryption SDK algorithm suites and the three commitment policies.
// Spec: docs/format.md#suites.
#include <cstdint>
#include <string_view>

#include "envelope/result.h"

namespace envelope {

enum class AlgorithmSuite : std::uint16_t {
  kAes128GcmIv12Tag16NoKdf = 0x0014,
  kAes192GcmIv12Tag16NoKdf = 0x0046,
  kAes256GcmIv12Tag16NoKdf = 0x0078,
  kAes128GcmIv12Tag16HkdfSha256 = 0x0114,
  kAes192GcmIv12Tag16HkdfSha256 = 0x0146,
  kAes256GcmIv12Tag16HkdfSha256 = 0x0178,
  kAes128GcmIv12Tag16HkdfSha256EcdsaP256 = 0x0214,
  kAes192GcmIv12Tag16HkdfSha384EcdsaP384 = 0x0346,
  kAes256GcmIv12Tag16HkdfSha384EcdsaP384 = 0x0378,
  kAes256GcmHkdfSha512CommitKey = 0x0478,
  kAes256GcmHkdfSha512CommitKeyEcdsaP384 = 0x0578,
};

enum class CommitmentPolicy : std::uint8_t {
  kForbidEncryptAllowDecrypt,
  kRequireEncryptAllowDecrypt,
  kRequireEncryptRequireDecrypt,  // the default
};

// Accepts "0x0578", "0578", "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384" or the same with the
// "ALG_" prefix (case-insensitive). kInvalidArgument for anything else.
Result<AlgorithmSuite> ParseAlgorithmSuite(std::string_view text);
// The spec name without the ALG_ prefix, e.g. "AES_256_GCM_HKDF_SHA512_COMMIT_KEY".
std::string_view AlgorithmSuiteName(AlgorithmSuite suite);

// "forbid-encrypt-allow-decrypt" | "require-encrypt-allow-decrypt" |
// "require-encrypt-require-decrypt" (also accepts the upper-case spec names).
Result<CommitmentPolicy> ParseCommitmentPolicy(std::string_view text);
std::string_view CommitmentPolicyName(CommitmentPolicy policy);

// The suite an encrypt uses when the caller names none (0x0378 under FORBID, else 0x0578).
AlgorithmSuite DefaultSuite(CommitmentPolicy policy);

}  // namespace envelope
