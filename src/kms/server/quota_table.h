#pragma once
// The AWS KMS request quotas, as data: every quota's id, its Service Quotas name and its default
// value (requests per second) in each built-in edition, the symmetric quota's Region tiers, and
// which quota an operation is charged against.
//
// Spec: docs/kms-server.md#request-quotas; facts: shared/reference/kms-server.md §3.
#include <string_view>
#include <vector>

#include "envelope/result.h"

namespace envelope::kms::server {

enum class QuotaEdition {
  k2022,      // the 2022-12 page
  k2023,      // the ≈2023–24 page the project's requirements quote: the default
  kCurrent,   // the live page
};

// "2022", "2023" (also "requirements", "default"), "current". kInvalidArgument otherwise.
Result<QuotaEdition> ParseQuotaEdition(std::string_view name);
std::string_view QuotaEditionName(QuotaEdition edition);

// Ids of the quotas that do not carry an operation's name.
inline constexpr std::string_view kQuotaSymmetric = "CryptographicOperationsSymmetric";
inline constexpr std::string_view kQuotaRsa = "CryptographicOperationsRSA";
inline constexpr std::string_view kQuotaEcc = "CryptographicOperationsECC";
inline constexpr std::string_view kQuotaMlDsa = "CryptographicOperationsMLDSA";
inline constexpr std::string_view kQuotaCustomKeyStore = "CustomKeyStore";
// GenerateDataKeyPair quotas are "GenerateDataKeyPair_" + the KeyPairSpec.
inline constexpr std::string_view kQuotaKeyPairPrefix = "GenerateDataKeyPair_";

struct QuotaDef {
  std::string_view id;    // "CreateKey", "CryptographicOperationsSymmetric", ...
  std::string_view name;  // the Service Quotas name: "CreateKey request rate"
  // Values per edition (requests per second); for the symmetric quota, the default tier.
  double v2022;
  double v2023;
  double current;
};

// All quotas in the order of the Service Quotas page.
const std::vector<QuotaDef>& AllQuotas();
// nullptr for an unknown id; also accepts the Service Quotas name.
const QuotaDef* FindQuota(std::string_view id_or_name);

// A quota's default value in `edition` for `region`: the symmetric quota follows the Region
// tiers (default / us-east-2, ap-southeast-1, ap-southeast-2, ap-northeast-1, eu-central-1,
// eu-west-2 / us-east-1, us-west-2, eu-west-1); every other quota is the same in every Region.
double DefaultQuotaValue(const QuotaDef& quota, QuotaEdition edition, std::string_view region);

// How an operation is charged.
enum class QuotaClass {
  kNone,        // not throttled (unknown operation)
  kOwn,         // its own quota, id = the operation name
  kKeyType,     // the shared cryptographic quota of the resolved key's type
  kRandom,      // GenerateRandom: symmetric, plus the store quota with a CustomKeyStoreId
  kKeyPairSpec  // GenerateDataKeyPair(+WithoutPlaintext): the KeyPairSpec's quota
};
QuotaClass QuotaClassFor(std::string_view operation);
// True for the operations that also count against a custom key store's quota.
bool CountsAgainstKeyStore(std::string_view operation);

}  // namespace envelope::kms::server
