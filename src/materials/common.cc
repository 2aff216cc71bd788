#include "materials/common.h"

#include <cstdio>
#include <string>

namespace envelope::internal {

namespace {
// Provider ids starting with this are reserved for the AWS KMS keyrings.
// Spec: reference/message-format.md §3.3.
constexpr std::string_view kKmsProviderPrefix = "aws-kms";
}  // namespace

Status CheckRawKeyringNames(std::string_view kind, std::string_view key_namespace,
                            std::string_view key_name) {
  if (key_namespace.empty() || key_name.empty()) {
    return InvalidArgument(std::string(kind) + ": key namespace and key name are required");
  }
  if (key_namespace.starts_with(kKmsProviderPrefix)) {
    return InvalidArgument(std::string(kind) + ": key namespace '" + std::string(key_namespace) +
                           "' uses the reserved prefix 'aws-kms'");
  }
  return OkStatus();
}

crypto::RsaEncryptionPadding ToCryptoPadding(RsaPadding padding) {
  switch (padding) {
    case RsaPadding::kPkcs1:
      return crypto::RsaEncryptionPadding::kPkcs1;
    case RsaPadding::kOaepSha1:
      return crypto::RsaEncryptionPadding::kOaepSha1;
    case RsaPadding::kOaepSha256:
      return crypto::RsaEncryptionPadding::kOaepSha256;
    case RsaPadding::kOaepSha384:
      return crypto::RsaEncryptionPadding::kOaepSha384;
    case RsaPadding::kOaepSha512:
      return crypto::RsaEncryptionPadding::kOaepSha512;
  }
  return crypto::RsaEncryptionPadding::kOaepSha256;  // unreachable for valid enum values
}

Result<const format::SuiteInfo*> LookUpSuite(AlgorithmSuite suite) {
  const format::SuiteInfo* info = format::FindSuite(static_cast<std::uint16_t>(suite));
  if (info == nullptr) {
    char id[8];
    std::snprintf(id, sizeof(id), "0x%04X", static_cast<unsigned>(suite));
    return InvalidArgument(std::string("unknown algorithm suite ") + id);
  }
  return info;
}

std::string DescribeSuite(const format::SuiteInfo& suite) {
  char id[8];
  std::snprintf(id, sizeof(id), "0x%04X", static_cast<unsigned>(suite.wire_id()));
  return std::string(id) + " " + std::string(suite.name);
}

}  // namespace envelope::internal
