#include "kms/server/quota_engine.h"

#include <gtest/gtest.h>

#include "kms/server/service_test_util.h"

namespace envelope::kms::server {
namespace {

using testing::kAlice;
using testing::kBob;

class QuotaEngineTest : public testing::KmsServiceTest {
 protected:
  void MakeEngine(QuotaConfig config) {
    engine_ = std::make_unique<QuotaEngine>(
        std::move(config),
        [this](const Caller& c, std::string_view id) { return service_->KeyTypeFor(c, id); },
        clock_);
  }
  // Admits `n` requests of `op` with `body`; returns how many were admitted.
  int Admit(int n, std::string_view op, const Json& body, const Caller& c = kAlice) {
    int admitted = 0;
    const std::string text = body.dump();
    for (int i = 0; i < n; ++i) {
      if (!engine_->Admit(c, op, text).throttled) ++admitted;
    }
    return admitted;
  }
  static QuotaConfig WithOverride(std::string_view quota, double value) {
    QuotaConfig c;
    c.overrides.push_back({std::string(quota), "", "", value});
    return c;
  }
  std::unique_ptr<QuotaEngine> engine_;
};

TEST_F(QuotaEngineTest, CreateKeyAdmitsFivePerSecond) {
  MakeEngine({});
  EXPECT_EQ(Admit(8, "CreateKey", Json::object()), 5);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(Admit(8, "CreateKey", Json::object()), 5);
}

TEST_F(QuotaEngineTest, ThrottledRequestIsNotCounted) {
  MakeEngine({});
  Admit(8, "CreateKey", Json::object());
  auto rows = engine_->Usage(kAlice.account_id, kAlice.region);
  for (const auto& r : rows) {
    if (r.quota_id == "CreateKey") EXPECT_EQ(r.usage, 5u);
  }
}

TEST_F(QuotaEngineTest, ManagementQuotasAreIndependent) {
  MakeEngine({});
  EXPECT_EQ(Admit(5, "CreateKey", Json::object()), 5);
  EXPECT_EQ(Admit(5, "CreateAlias", Json::object()), 5);
}

TEST_F(QuotaEngineTest, GenerateDataKeyEncryptAndDecryptShareTheSymmetricQuota) {
  MakeEngine(WithOverride(kQuotaSymmetric, 20));
  const std::string key = CreateKey();
  // The docs' 7,000 GDK + 2,000 Decrypt of 10,000 pass; 9,500 GDK + 1,000 Encrypt do not (÷500).
  EXPECT_EQ(Admit(14, "GenerateDataKey", {{"KeyId", key}}), 14);
  EXPECT_EQ(Admit(4, "Decrypt", {{"KeyId", key}}), 4);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(Admit(19, "GenerateDataKey", {{"KeyId", key}}), 19);
  EXPECT_EQ(Admit(2, "Encrypt", {{"KeyId", key}}), 1);
}

TEST_F(QuotaEngineTest, RsaAndSymmetricQuotasAreIndependent) {
  QuotaConfig c = WithOverride(kQuotaSymmetric, 3);
  c.overrides.push_back({std::string(kQuotaRsa), "", "", 2});
  MakeEngine(c);
  const std::string sym = CreateKey();
  const std::string rsa = CreateKey({{"KeySpec", "RSA_2048"}, {"KeyUsage", "SIGN_VERIFY"}});
  EXPECT_EQ(Admit(5, "Encrypt", {{"KeyId", sym}}), 3);
  EXPECT_EQ(Admit(5, "Sign", {{"KeyId", rsa}}), 2);
}

TEST_F(QuotaEngineTest, GenerateDataKeyPairUsesItsKeyPairSpecQuotaNotTheSharedOne) {
  MakeEngine(WithOverride(kQuotaSymmetric, 2));
  const std::string sym = CreateKey();
  const Json body = {{"KeyId", sym}, {"KeyPairSpec", "ECC_NIST_P256"}};
  EXPECT_EQ(Admit(100, "GenerateDataKeyPair", body), 100);
  EXPECT_EQ(Admit(1, "GenerateDataKeyPairWithoutPlaintext", body), 0);
  EXPECT_EQ(Admit(2, "Encrypt", {{"KeyId", sym}}), 2);
}

TEST_F(QuotaEngineTest, CustomKeyStoreRequestsCountAgainstTheStoreAcrossAccounts) {
  QuotaConfig c = WithOverride(kQuotaCustomKeyStore, 3);
  MakeEngine(c);
  const std::string store_key =
      CreateKey({{"CustomKeyStoreId", "cks-1234567890abcdef0"}, {"Origin", "AWS_CLOUDHSM"}});
  const std::string bob_key = CreateKey(
      {{"CustomKeyStoreId", "cks-1234567890abcdef0"}}, kBob);
  EXPECT_EQ(Admit(2, "Encrypt", {{"KeyId", store_key}}), 2);
  EXPECT_EQ(Admit(2, "Encrypt", {{"KeyId", bob_key}}, kBob), 1);
  // The account's symmetric quota was charged too, and the refused request charged nothing.
  for (const auto& r : engine_->Usage(kBob.account_id, kBob.region)) {
    if (r.quota_id == kQuotaSymmetric) EXPECT_EQ(r.usage, 1u);
  }
}

TEST_F(QuotaEngineTest, DecryptWithoutKeyIdFindsTheStoreKeyInTheBlob) {
  MakeEngine(WithOverride(kQuotaCustomKeyStore, 1));
  const std::string key = CreateKey({{"CustomKeyStoreId", "cks-1"}});
  Json enc = Call("Encrypt", {{"KeyId", key}, {"Plaintext", B64("x")}});
  ASSERT_TRUE(enc.contains("CiphertextBlob")) << enc.dump();
  EXPECT_EQ(Admit(2, "Decrypt", {{"CiphertextBlob", enc["CiphertextBlob"]}}), 1);
}

TEST_F(QuotaEngineTest, CrossAccountUseChargesTheCaller) {
  MakeEngine(WithOverride(kQuotaSymmetric, 2));
  const std::string alice_key = CreateKey();
  EXPECT_EQ(Admit(2, "Encrypt", {{"KeyId", alice_key}}, kBob), 2);
  EXPECT_EQ(Admit(2, "Encrypt", {{"KeyId", alice_key}}, kAlice), 2);
  EXPECT_EQ(Admit(1, "Encrypt", {{"KeyId", alice_key}}, kBob), 0);
}

TEST_F(QuotaEngineTest, AwsOwnedKeysAreFree) {
  const std::string arn = CreateKey();
  QuotaConfig c = WithOverride(kQuotaSymmetric, 1);
  c.aws_owned_keys.insert(arn.substr(arn.rfind('/') + 1));
  MakeEngine(c);
  EXPECT_EQ(Admit(10, "Encrypt", {{"KeyId", arn}}), 10);
}

TEST_F(QuotaEngineTest, UnknownKeyIsChargedAgainstTheSymmetricQuota) {
  MakeEngine(WithOverride(kQuotaSymmetric, 1));
  EXPECT_EQ(Admit(2, "Encrypt", {{"KeyId", "alias/none"}}), 1);
}

TEST_F(QuotaEngineTest, FailedRequestsAreRefundedWhenNotCounted) {
  QuotaConfig c;
  c.count_failed_requests = false;
  MakeEngine(c);
  for (int i = 0; i < 10; ++i) {
    QuotaDecision d = engine_->Admit(kAlice, "CreateKey", "{}");
    ASSERT_FALSE(d.throttled);
    engine_->Settle(d, /*failed=*/true);
  }
  EXPECT_EQ(Admit(6, "CreateKey", Json::object()), 5);
}

TEST_F(QuotaEngineTest, FailedRequestsCountByDefault) {
  MakeEngine({});
  QuotaDecision d = engine_->Admit(kAlice, "CreateKey", "{}");
  engine_->Settle(d, /*failed=*/true);
  EXPECT_EQ(Admit(5, "CreateKey", Json::object()), 4);
}

TEST_F(QuotaEngineTest, ScaleMultipliesDefaultsButNotOverrides) {
  QuotaConfig c = WithOverride("CreateKey", 2);
  c.scale = 0.001;  // symmetric in us-east-1: 50,000 -> 50
  MakeEngine(c);
  const std::string key = CreateKey();
  EXPECT_EQ(Admit(60, "Encrypt", {{"KeyId", key}}), 50);
  EXPECT_EQ(Admit(3, "CreateKey", Json::object()), 2);
}

TEST_F(QuotaEngineTest, MostSpecificOverrideWins) {
  QuotaConfig c = WithOverride("CreateKey", 1);
  c.overrides.push_back({"CreateKey", kAlice.account_id, "", 3});
  MakeEngine(c);
  EXPECT_EQ(Admit(5, "CreateKey", Json::object()), 3);
  EXPECT_EQ(Admit(5, "CreateKey", Json::object(), kBob), 1);
}

TEST_F(QuotaEngineTest, DisabledEngineAdmitsEverything) {
  QuotaConfig c;
  c.enabled = false;
  MakeEngine(c);
  EXPECT_EQ(Admit(50, "CreateKey", Json::object()), 50);
}

TEST_F(QuotaEngineTest, RegionsHaveSeparateBuckets) {
  MakeEngine({});
  Caller other = kAlice;
  other.region = "eu-west-1";
  EXPECT_EQ(Admit(5, "CreateKey", Json::object()), 5);
  EXPECT_EQ(Admit(5, "CreateKey", Json::object(), other), 5);
}

}  // namespace
}  // namespace envelope::kms::server
