// Sharing over HTTP: which requests share which quota. Each burst is sent at the start of a
// second (30 ms in) and takes well under a second, so it falls in one quota window.
#include <thread>

#include "tests/integration/kms_quotas/quota_server_fixture.h"

namespace envelope::kms::server::quota_it {
namespace {

// Waits for the next whole second + 30 ms: pacing into a fresh quota window, not a result wait.
void AtSecondStart() {
  const auto now = std::chrono::system_clock::now();
  const auto next = std::chrono::ceil<std::chrono::seconds>(now) + std::chrono::milliseconds(30);
  std::this_thread::sleep_until(next);
}

class QuotaSharingTest : public ::testing::Test {
 protected:
  void Start(const std::string& overrides) {
    server_ = std::make_unique<QuotaServer>(
        json::parse(R"({"quotas": {"overrides": )" + overrides + "}}"));
    ASSERT_TRUE(server_->ok());
    client_ = std::make_unique<RawHttpClient>(server_->Connect());
  }
  // How many of `n` calls were served (the rest must be ThrottlingException).
  int Served(int n, std::string_view op, const json& body, bool other = false) {
    int ok = 0;
    for (int i = 0; i < n; ++i) {
      RawHttpResponse r = server_->Call(*client_, op, body, other);
      if (r.status == 200) {
        ++ok;
      } else {
        EXPECT_EQ(QuotaServer::TypeOf(r), "ThrottlingException") << r.body;
      }
    }
    return ok;
  }
  std::unique_ptr<QuotaServer> server_;
  std::unique_ptr<RawHttpClient> client_;
};

TEST_F(QuotaSharingTest, GenerateDataKeyEncryptAndDecryptShareTheSymmetricQuota) {
  // The docs' example at 10,000/s, divided by 500: 7,000 GDK + 2,000 Decrypt pass (14 + 4 of 20);
  // 9,500 GDK + 1,000 Encrypt exceed it (19 + 2 of 20: one throttled).
  Start(R"([{"quota": "CryptographicOperationsSymmetric", "value": 20}])");
  const std::string key = server_->CreateKey();
  const json gdk = {{"KeyId", key}, {"KeySpec", "AES_256"}};
  RawHttpResponse enc =
      server_->Call(*client_, "Encrypt", {{"KeyId", key}, {"Plaintext", "aGVsbG8="}});
  ASSERT_EQ(enc.status, 200);
  const json dec = {{"CiphertextBlob", json::parse(enc.body)["CiphertextBlob"]}};
  AtSecondStart();
  EXPECT_EQ(Served(14, "GenerateDataKey", gdk), 14);
  EXPECT_EQ(Served(4, "Decrypt", dec), 4);
  AtSecondStart();
  EXPECT_EQ(Served(19, "GenerateDataKey", gdk), 19);
  EXPECT_EQ(Served(2, "Encrypt", {{"KeyId", key}, {"Plaintext", "aGVsbG8="}}), 1);
}

TEST_F(QuotaSharingTest, RsaAndSymmetricTrafficDoNotAffectEachOther) {
  Start(R"([{"quota": "CryptographicOperationsSymmetric", "value": 3},
            {"quota": "CryptographicOperationsRSA", "value": 2}])");
  const std::string sym = server_->CreateKey();
  const std::string rsa = server_->CreateKey({{"KeySpec", "RSA_2048"}, {"KeyUsage", "SIGN_VERIFY"}});
  AtSecondStart();
  EXPECT_EQ(Served(5, "GenerateDataKey", {{"KeyId", sym}, {"KeySpec", "AES_256"}}), 3);
  EXPECT_EQ(Served(4, "Sign", {{"KeyId", rsa}, {"Message", "aGVsbG8="},
                               {"SigningAlgorithm", "RSASSA_PSS_SHA_256"}}),
            2);
}

TEST_F(QuotaSharingTest, GenerateDataKeyPairDoesNotTouchTheSharedQuota) {
  Start(R"([{"quota": "CryptographicOperationsSymmetric", "value": 2}])");
  const std::string sym = server_->CreateKey();
  AtSecondStart();
  EXPECT_EQ(Served(4, "GenerateDataKeyPair", {{"KeyId", sym}, {"KeyPairSpec", "ECC_NIST_P256"}}),
            4);
  EXPECT_EQ(Served(2, "GenerateDataKey", {{"KeyId", sym}, {"KeySpec", "AES_256"}}), 2);
}

TEST_F(QuotaSharingTest, CustomKeyStoreRequestsCountAgainstTheStoreForEveryAccount) {
  Start(R"([{"quota": "CustomKeyStore", "value": 3}])");
  const json store = {{"CustomKeyStoreId", "cks-0123456789abcdef0"}};
  const std::string alice = server_->CreateKey(store);
  const std::string bob = server_->CreateKey(store, /*other=*/true);
  AtSecondStart();
  EXPECT_EQ(Served(2, "GenerateDataKey", {{"KeyId", alice}, {"KeySpec", "AES_256"}}), 2);
  EXPECT_EQ(Served(2, "GenerateDataKey", {{"KeyId", bob}, {"KeySpec", "AES_256"}}, true), 1);
}

TEST_F(QuotaSharingTest, CrossAccountUseChargesTheCaller) {
  Start(R"([{"quota": "CryptographicOperationsSymmetric", "value": 2}])");
  const std::string policy = json{
      {"Version", "2012-10-17"},
      {"Statement",
       {{{"Effect", "Allow"},
         {"Principal", {{"AWS", {"arn:aws:iam::111122223333:root",
                                 "arn:aws:iam::444455556666:root"}}}},
         {"Action", "kms:*"},
         {"Resource", "*"}}}}}.dump();
  const std::string key = server_->CreateKey({{"Policy", policy}});
  const json gdk = {{"KeyId", key}, {"KeySpec", "AES_256"}};
  AtSecondStart();
  EXPECT_EQ(Served(2, "GenerateDataKey", gdk, /*other=*/true), 2);  // Bob's bucket
  EXPECT_EQ(Served(2, "GenerateDataKey", gdk), 2);                  // Alice's is untouched
  EXPECT_EQ(Served(1, "GenerateDataKey", gdk, /*other=*/true), 0);
}

}  // namespace
}  // namespace envelope::kms::server::quota_it
