#include "kms/server/local_kms.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "kms/server/ciphertext_blob.h"
#include "kms/server/key_store.h"
#include "kms/server/master_key.h"
#include "kms/server/service_test_util.h"

namespace envelope::kms::server {
namespace {

using Json = nlohmann::json;

class LocalKmsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv(kMasterKeyEnv);
    dir_ = testing::MakeTempDir();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<LocalKms> Open(const std::string& master_file = "") {
    auto kms = LocalKms::Open({dir_, master_file});
    EXPECT_TRUE(kms.ok()) << kms.status().ToString();
    return kms.ok() ? std::move(*kms) : nullptr;
  }
  static Json Call(LocalKms& kms, const std::string& op, const Json& body) {
    auto r = kms.dispatcher().Dispatch(DefaultLocalCaller("us-east-1"), op, body.dump());
    if (!r.ok()) return Json{{"__type", r.status().error_type()}};
    return Json::parse(*r);
  }
  // Polls `describe` (bounded) until it answers `want`: another process's commits appear within
  // KeyStore::kRefreshInterval.
  static bool EventuallyDescribes(LocalKms& kms, const std::string& key,
                                  const std::string& field, const Json& want) {
    const auto deadline = std::chrono::steady_clock::now() + 10 * KeyStore::kRefreshInterval;
    do {
      Json got = Call(kms, "DescribeKey", {{"KeyId", key}});
      if (got.contains("KeyMetadata") && got["KeyMetadata"][field] == want) return true;
      std::this_thread::sleep_for(KeyStore::kRefreshInterval / 4);
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
  }
  std::string dir_;
};

TEST_F(LocalKmsTest, CreatesMasterKeyWithMode0600) {
  auto kms = Open();
  ASSERT_NE(kms, nullptr);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/master.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
}

TEST_F(LocalKmsTest, KeysAndCiphertextsSurviveReopen) {
  std::string arn, blob;
  {
    auto kms = Open();
    arn = Call(*kms, "CreateKey", Json::object())["KeyMetadata"]["Arn"];
    Call(*kms, "CreateAlias", {{"AliasName", "alias/durable"}, {"TargetKeyId", arn}});
    blob = Call(*kms, "Encrypt", {{"KeyId", "alias/durable"}, {"Plaintext", "aGk="}})["CiphertextBlob"];
  }
  auto kms = Open();
  EXPECT_EQ(Call(*kms, "DescribeKey", {{"KeyId", "alias/durable"}})["KeyMetadata"]["Arn"], arn);
  EXPECT_EQ(Call(*kms, "Decrypt", {{"CiphertextBlob", blob}})["Plaintext"], "aGk=");
}

// Two opens of one data directory stand for two processes (a server and `envelope encrypt`).
TEST_F(LocalKmsTest, KeysAndAliasesMadeByAnotherProcessAppearWithoutRestart) {
  auto server = Open();
  auto other = Open();
  ASSERT_EQ(Call(*server, "DescribeKey", {{"KeyId", "alias/later"}})["__type"],
            "NotFoundException");
  const std::string arn = Call(*other, "CreateKey", Json::object())["KeyMetadata"]["Arn"];
  Call(*other, "CreateAlias", {{"AliasName", "alias/later"}, {"TargetKeyId", arn}});
  EXPECT_TRUE(EventuallyDescribes(*server, "alias/later", "Arn", arn));
  const Json blob = Call(*other, "Encrypt", {{"KeyId", "alias/later"}, {"Plaintext", "aGk="}});
  EXPECT_EQ(Call(*server, "Decrypt", {{"CiphertextBlob", blob["CiphertextBlob"]}})["Plaintext"],
            "aGk=");
}

TEST_F(LocalKmsTest, AKeyDisabledByAnotherProcessIsSeenDisabled) {
  auto server = Open();
  auto other = Open();
  const std::string arn = Call(*server, "CreateKey", Json::object())["KeyMetadata"]["Arn"];
  ASSERT_TRUE(EventuallyDescribes(*other, arn, "Enabled", true));
  Call(*other, "DisableKey", {{"KeyId", arn}});
  EXPECT_TRUE(EventuallyDescribes(*server, arn, "KeyState", "Disabled"));
}

TEST_F(LocalKmsTest, RotationKeepsOldMaterialAcrossReopen) {
  std::string arn, old_blob;
  {
    auto kms = Open();
    arn = Call(*kms, "CreateKey", Json::object())["KeyMetadata"]["Arn"];
    old_blob = Call(*kms, "Encrypt", {{"KeyId", arn}, {"Plaintext", "b2xk"}})["CiphertextBlob"];
    EXPECT_EQ(Call(*kms, "RotateKeyOnDemand", {{"KeyId", arn}})["KeyId"], arn);
  }
  auto kms = Open();
  EXPECT_EQ(Call(*kms, "Decrypt", {{"CiphertextBlob", old_blob}})["Plaintext"], "b2xk");
  std::string new_blob = Call(*kms, "Encrypt", {{"KeyId", arn}, {"Plaintext", "bmV3"}})["CiphertextBlob"];
  EXPECT_EQ(ParseBlobHeader(*Base64Decode(new_blob))->material_version, 2u);
  EXPECT_EQ(ParseBlobHeader(*Base64Decode(old_blob))->material_version, 1u);
  EXPECT_EQ(Call(*kms, "Decrypt", {{"CiphertextBlob", new_blob}})["Plaintext"], "bmV3");
  EXPECT_EQ(Call(*kms, "ListKeyRotations", {{"KeyId", arn}})["Rotations"].size(), 1u);
}

TEST_F(LocalKmsTest, WrongMasterKeyIsRefused) {
  { ASSERT_NE(Open(), nullptr); }
  std::string other = dir_ + "/other.key";
  {
    std::ofstream f(other, std::ios::binary);
    f << std::string(32, 'x');
  }
  ::chmod(other.c_str(), 0600);
  auto kms = LocalKms::Open({dir_, other});
  ASSERT_FALSE(kms.ok());
  EXPECT_EQ(kms.status().code(), Code::kInvalidArgument);
}

TEST_F(LocalKmsTest, GroupReadableMasterKeyIsRefused) {
  std::string file = dir_ + "/loose.key";
  {
    std::ofstream f(file, std::ios::binary);
    f << std::string(32, 'y');
  }
  ::chmod(file.c_str(), 0644);
  EXPECT_FALSE(LocalKms::Open({dir_, file}).ok());
}

TEST_F(LocalKmsTest, MasterKeyFromEnvironmentIsUsed) {
  ::setenv(kMasterKeyEnv, Base64Encode(Bytes(32, 3)).c_str(), 1);
  auto kms = LocalKms::Open({dir_, ""});
  ::unsetenv(kMasterKeyEnv);
  ASSERT_TRUE(kms.ok()) << kms.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/master.key"));
}

TEST_F(LocalKmsTest, EmbeddedApiEncryptsAndDecrypts) {
  auto kms = Open();
  auto api = kms->ApiFor(DefaultLocalCaller("eu-west-1"));
  auto key = api->CreateKey({});
  ASSERT_TRUE(key.ok());
  EncryptRequest enc;
  enc.key_id = key->key_metadata.arn;
  enc.plaintext = SecretBytes(ToBytes("embedded"));
  enc.encryption_context = {{"k", "v"}};
  auto ct = api->Encrypt(enc);
  ASSERT_TRUE(ct.ok()) << ct.status().ToString();
  DecryptRequest dec;
  dec.ciphertext_blob = ct->ciphertext_blob;
  dec.encryption_context = {{"k", "v"}};
  auto pt = api->Decrypt(dec);
  ASSERT_TRUE(pt.ok());
  EXPECT_TRUE(pt->plaintext.Equals(ToBytes("embedded")));
}

}  // namespace
}  // namespace envelope::kms::server
