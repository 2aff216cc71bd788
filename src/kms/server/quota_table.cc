#include "kms/server/quota_table.h"

#include <algorithm>
#include <string>

namespace envelope::kms::server {
namespace {

// Values where an edition does not list a quota (it did not exist yet) take the next edition's
// value, so every operation is always limited.
const std::vector<QuotaDef> kQuotas = {
    {kQuotaSymmetric, "Cryptographic operations (symmetric) request rate", 5500, 5500, 10000},
    {kQuotaRsa, "Cryptographic operations (RSA) request rate", 500, 1000, 1000},
    {kQuotaMlDsa, "Cryptographic operations (ML-DSA) request rate", 1000, 1000, 1000},
    {kQuotaEcc, "Cryptographic operations (ECC and SM2) request rate", 300, 1000, 1000},
    {kQuotaCustomKeyStore, "Custom key store request quota", 1800, 1800, 1800},
    {"CancelKeyDeletion", "CancelKeyDeletion request rate", 5, 5, 5},
    {"ConnectCustomKeyStore", "ConnectCustomKeyStore request rate", 5, 5, 5},
    {"CreateAlias", "CreateAlias request rate", 5, 5, 5},
    {"CreateCustomKeyStore", "CreateCustomKeyStore request rate", 5, 5, 5},
    {"CreateGrant", "CreateGrant request rate", 50, 50, 50},
    {"CreateKey", "CreateKey request rate", 5, 5, 5},
    {"DeleteAlias", "DeleteAlias request rate", 15, 15, 15},
    {"DeleteCustomKeyStore", "DeleteCustomKeyStore request rate", 5, 5, 5},
    {"DeleteImportedKeyMaterial", "DeleteImportedKeyMaterial request rate", 5, 15, 15},
    {"DescribeCustomKeyStores", "DescribeCustomKeyStores request rate", 5, 5, 5},
    {"DescribeKey", "DescribeKey request rate", 2000, 2000, 2000},
    {"DisableKey", "DisableKey request rate", 5, 5, 5},
    {"DisableKeyRotation", "DisableKeyRotation request rate", 5, 5, 5},
    {"DisconnectCustomKeyStore", "DisconnectCustomKeyStore request rate", 5, 5, 5},
    {"EnableKey", "EnableKey request rate", 5, 5, 5},
    {"EnableKeyRotation", "EnableKeyRotation request rate", 15, 15, 15},
    {"GenerateDataKeyPair_ECC_NIST_P256", "GenerateDataKeyPair (ECC_NIST_P256) request rate", 25,
     100, 100},
    {"GenerateDataKeyPair_ECC_NIST_P384", "GenerateDataKeyPair (ECC_NIST_P384) request rate", 10,
     100, 100},
    {"GenerateDataKeyPair_ECC_NIST_P521", "GenerateDataKeyPair (ECC_NIST_P521) request rate", 5,
     100, 100},
    {"GenerateDataKeyPair_ECC_SECG_P256K1", "GenerateDataKeyPair (ECC_SECG_P256K1) request rate",
     25, 100, 100},
    {"GenerateDataKeyPair_ECC_NIST_EDWARDS25519",
     "GenerateDataKeyPair (ECC_NIST_EDWARDS25519) request rate", 100, 100, 100},
    {"GenerateDataKeyPair_RSA_2048", "GenerateDataKeyPair (RSA_2048) request rate", 1, 1, 20},
    {"GenerateDataKeyPair_RSA_3072", "GenerateDataKeyPair (RSA_3072) request rate", 0.5, 0.5, 4},
    {"GenerateDataKeyPair_RSA_4096", "GenerateDataKeyPair (RSA_4096) request rate", 0.1, 0.1, 1},
    {"GenerateDataKeyPair_SM2", "GenerateDataKeyPair (SM2 — China Regions only) request rate", 25,
     25, 25},
    {"GetKeyLastUsage", "GetKeyLastUsage request rate", 5, 5, 5},
    {"GetKeyPolicy", "GetKeyPolicy request rate", 1000, 1000, 1000},
    {"GetKeyRotationStatus", "GetKeyRotationStatus request rate", 1000, 1000, 1000},
    {"GetParametersForImport", "GetParametersForImport request rate", 0.25, 0.25, 1},
    {"GetPublicKey", "GetPublicKey request rate", 2000, 2000, 2000},
    {"ImportKeyMaterial", "ImportKeyMaterial request rate", 5, 15, 15},
    {"ListAliases", "ListAliases request rate", 500, 500, 500},
    {"ListGrants", "ListGrants request rate", 100, 100, 100},
    {"ListKeyPolicies", "ListKeyPolicies request rate", 100, 100, 100},
    {"ListKeys", "ListKeys request rate", 500, 500, 500},
    {"ListKeyRotations", "ListKeyRotations request rate", 100, 100, 100},
    {"ListResourceTags", "ListResourceTags request rate", 2000, 2000, 2000},
    {"ListRetirableGrants", "ListRetirableGrants request rate", 100, 100, 100},
    {"PutKeyPolicy", "PutKeyPolicy request rate", 15, 15, 15},
    {"ReplicateKey", "ReplicateKey request rate", 5, 5, 5},
    {"RetireGrant", "RetireGrant request rate", 30, 50, 50},
    {"RevokeGrant", "RevokeGrant request rate", 30, 50, 50},
    {"RotateKeyOnDemand", "RotateKeyOnDemand request rate", 5, 5, 5},
    {"ScheduleKeyDeletion", "ScheduleKeyDeletion request rate", 15, 15, 15},
    {"TagResource", "TagResource request rate", 10, 10, 10},
    {"UntagResource", "UntagResource request rate", 5, 5, 5},
    {"UpdateAlias", "UpdateAlias request rate", 5, 5, 5},
    {"UpdateCustomKeyStore", "UpdateCustomKeyStore request rate", 5, 5, 5},
    {"UpdateKeyDescription", "UpdateKeyDescription request rate", 5, 5, 5},
    {"UpdatePrimaryRegion", "UpdatePrimaryRegion request rate", 5, 5, 5},
};

constexpr std::string_view kMiddleTier[] = {"us-east-2",      "ap-southeast-1", "ap-southeast-2",
                                            "ap-northeast-1", "eu-central-1",   "eu-west-2"};
constexpr std::string_view kTopTier[] = {"us-east-1", "us-west-2", "eu-west-1"};

template <std::size_t N>
bool In(const std::string_view (&set)[N], std::string_view v) {
  return std::find(std::begin(set), std::end(set), v) != std::end(set);
}

constexpr std::string_view kKeyTypeOps[] = {
    "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
    "GenerateMac", "VerifyMac", "Sign", "Verify", "DeriveSharedSecret"};
constexpr std::string_view kStoreOps[] = {
    "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
    "GenerateRandom", "DeriveSharedSecret"};

}  // namespace

Result<QuotaEdition> ParseQuotaEdition(std::string_view name) {
  if (name == "2022") return QuotaEdition::k2022;
  if (name == "2023" || name == "requirements" || name == "default") return QuotaEdition::k2023;
  if (name == "current") return QuotaEdition::kCurrent;
  return InvalidArgument("quotas.edition must be \"2022\", \"2023\" or \"current\"; got \"" +
                         std::string(name.substr(0, 32)) + "\"");
}

std::string_view QuotaEditionName(QuotaEdition edition) {
  switch (edition) {
    case QuotaEdition::k2022: return "2022";
    case QuotaEdition::k2023: return "2023";
    case QuotaEdition::kCurrent: return "current";
  }
  return "2023";
}

const std::vector<QuotaDef>& AllQuotas() { return kQuotas; }

const QuotaDef* FindQuota(std::string_view id_or_name) {
  for (const QuotaDef& q : kQuotas) {
    if (q.id == id_or_name || q.name == id_or_name) return &q;
  }
  return nullptr;
}

double DefaultQuotaValue(const QuotaDef& quota, QuotaEdition edition, std::string_view region) {
  double value = edition == QuotaEdition::k2022   ? quota.v2022
                 : edition == QuotaEdition::k2023 ? quota.v2023
                                                  : quota.current;
  if (quota.id != kQuotaSymmetric) return value;
  const bool current = edition == QuotaEdition::kCurrent;
  if (In(kTopTier, region)) return current ? 100000 : 50000;
  if (In(kMiddleTier, region)) return current ? 20000 : 10000;
  return value;
}

QuotaClass QuotaClassFor(std::string_view operation) {
  if (In(kKeyTypeOps, operation)) return QuotaClass::kKeyType;
  if (operation == "GenerateRandom") return QuotaClass::kRandom;
  if (operation == "GenerateDataKeyPair" || operation == "GenerateDataKeyPairWithoutPlaintext") {
    return QuotaClass::kKeyPairSpec;
  }
  return FindQuota(operation) != nullptr ? QuotaClass::kOwn : QuotaClass::kNone;
}

bool CountsAgainstKeyStore(std::string_view operation) { return In(kStoreOps, operation); }

}  // namespace envelope::kms::server
