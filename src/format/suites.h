#pragma once
// The algorithm suite table. Spec: docs/format.md#suites.
#include <cstdint>
#include <span>
#include <string_view>

#include "envelope/algorithm_suite.h"

namespace envelope::format {

inline constexpr std::size_t kIvBytes = 12;
inline constexpr std::size_t kTagBytes = 16;
inline constexpr std::size_t kCommitKeyBytes = 32;

enum class Kdf { kIdentity, kHkdfSha256, kHkdfSha384, kHkdfSha512Committing };
enum class Signing { kNone, kEcdsaP256Sha256, kEcdsaP384Sha384 };

struct SuiteInfo {
  AlgorithmSuite id;
  std::uint8_t message_version;  // 1 or 2
  std::size_t key_bytes;         // data key and encryption key length: 16, 24 or 32
  Kdf kdf;
  Signing signing;
  std::string_view name;  // spec name without the ALG_ prefix

  bool committing() const { return kdf == Kdf::kHkdfSha512Committing; }
  bool signs() const { return signing != Signing::kNone; }
  std::size_t message_id_bytes() const { return message_version == 1 ? 16 : 32; }
  std::uint16_t wire_id() const { return static_cast<std::uint16_t>(id); }
};

// nullptr for ids that are not ESDK suites (including the S3EC and DBE ids).
const SuiteInfo* FindSuite(std::uint16_t id);
const SuiteInfo& Info(AlgorithmSuite suite);
std::span<const SuiteInfo> AllSuites();

// Whether a policy lets encrypt use / decrypt accept the suite.
bool EncryptAllowed(CommitmentPolicy policy, const SuiteInfo& suite);
bool DecryptAllowed(CommitmentPolicy policy, const SuiteInfo& suite);

}  // namespace envelope::format
