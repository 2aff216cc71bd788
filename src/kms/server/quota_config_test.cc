#include <gtest/gtest.h>

#include "kms/server/quota_engine.h"

namespace envelope::kms::server {
namespace {

TEST(QuotaConfig, AbsentSectionGivesTheRequirementsEditionEnabled) {
  Result<QuotaConfig> c = QuotaConfig::FromConfigJson(R"({"accounts": []})");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(c->enabled);
  EXPECT_EQ(c->edition, QuotaEdition::k2023);
  EXPECT_EQ(c->scale, 1.0);
  EXPECT_TRUE(c->count_failed_requests);
}

TEST(QuotaConfig, ReadsEveryMember) {
  Result<QuotaConfig> c = QuotaConfig::FromConfigJson(R"({"quotas": {
      "edition": "current", "enabled": false, "scale": 0.01, "count_failed_requests": false,
      "overrides": [{"quota": "CreateKey request rate", "account": "111122223333",
                     "region": "eu-west-1", "value": 2}],
      "aws_owned_keys": ["k1"]}})");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->edition, QuotaEdition::kCurrent);
  EXPECT_FALSE(c->enabled);
  EXPECT_DOUBLE_EQ(c->scale, 0.01);
  EXPECT_FALSE(c->count_failed_requests);
  ASSERT_EQ(c->overrides.size(), 1u);
  EXPECT_EQ(c->overrides[0].quota, "CreateKey");
  EXPECT_EQ(c->overrides[0].value, 2);
  EXPECT_EQ(c->aws_owned_keys.count("k1"), 1u);
}

TEST(QuotaConfig, UnknownMemberIsRejected) {
  EXPECT_FALSE(QuotaConfig::FromConfigJson(R"({"quotas": {"scael": 1}})").ok());
}

TEST(QuotaConfig, UnknownQuotaIsRejected) {
  EXPECT_FALSE(
      QuotaConfig::FromConfigJson(R"({"quotas": {"overrides": [{"quota": "X", "value": 1}]}})")
          .ok());
}

TEST(QuotaConfig, NegativeValueIsRejected) {
  EXPECT_FALSE(QuotaConfig::FromConfigJson(R"({"quotas": {"scale": -1}})").ok());
}

TEST(QuotaConfig, UnknownEditionIsRejected) {
  EXPECT_FALSE(QuotaConfig::FromConfigJson(R"({"quotas": {"edition": "2019"}})").ok());
}

TEST(QuotaTable, SymmetricQuotaFollowsRegionTiers) {
  const QuotaDef& q = *FindQuota(kQuotaSymmetric);
  EXPECT_EQ(DefaultQuotaValue(q, QuotaEdition::k2023, "eu-north-1"), 5500);
  EXPECT_EQ(DefaultQuotaValue(q, QuotaEdition::k2023, "eu-west-2"), 10000);
  EXPECT_EQ(DefaultQuotaValue(q, QuotaEdition::k2023, "us-east-1"), 50000);
  EXPECT_EQ(DefaultQuotaValue(q, QuotaEdition::kCurrent, "eu-north-1"), 10000);
  EXPECT_EQ(DefaultQuotaValue(q, QuotaEdition::kCurrent, "ap-northeast-1"), 20000);
  EXPECT_EQ(DefaultQuotaValue(q, QuotaEdition::kCurrent, "us-west-2"), 100000);
}

TEST(QuotaTable, EditionsDiffer) {
  EXPECT_EQ(DefaultQuotaValue(*FindQuota(kQuotaRsa), QuotaEdition::k2022, "x"), 500);
  EXPECT_EQ(DefaultQuotaValue(*FindQuota(kQuotaRsa), QuotaEdition::k2023, "x"), 1000);
  EXPECT_EQ(DefaultQuotaValue(*FindQuota("GetParametersForImport"), QuotaEdition::k2023, "x"),
            0.25);
  EXPECT_EQ(DefaultQuotaValue(*FindQuota("GenerateDataKeyPair_RSA_2048"),
                              QuotaEdition::kCurrent, "x"),
            20);
}

}  // namespace
}  // namespace envelope::kms::server
