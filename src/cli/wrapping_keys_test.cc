#include "cli/wrapping_keys.h"

#include <gtest/gtest.h>

#include "cli/exit_codes.h"
#include "cli/temp_dir_for_test.h"

namespace envelope::cli {
namespace {

using testing::TempDir;

TEST(ParseWrappingKeySpec, SplitsProviderAndAttributes) {
  auto spec = ParseWrappingKeySpec("provider=raw-aes key-namespace=ns  key-name=k key-file=/a=b");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->provider, "raw-aes");
  EXPECT_EQ(spec->attributes.at("key-namespace"), "ns");
  EXPECT_EQ(spec->attributes.at("key-name"), "k");
  EXPECT_EQ(spec->attributes.at("key-file"), "/a=b");
}

TEST(ParseWrappingKeySpec, MissingProviderIsInvalid) {
  EXPECT_EQ(ParseWrappingKeySpec("key-name=k").status().code(), Code::kInvalidArgument);
}

TEST(ParseWrappingKeySpec, TokenWithoutEqualsIsInvalid) {
  EXPECT_EQ(ParseWrappingKeySpec("provider=raw-aes oops").status().code(),
            Code::kInvalidArgument);
}

TEST(ParseWrappingKeySpec, RepeatedAttributeIsInvalid) {
  EXPECT_EQ(ParseWrappingKeySpec("provider=raw-aes key-name=a key-name=b").status().code(),
            Code::kInvalidArgument);
}

TEST(MakeKeyring, UnknownProviderNamesTheSupportedOnes) {
  auto keyring = MakeKeyring({"aws-kmz", {}}, KeyUse::kEncrypt);
  ASSERT_FALSE(keyring.ok());
  EXPECT_EQ(keyring.status().code(), Code::kInvalidArgument);
  EXPECT_NE(keyring.status().message().find("raw-aes, raw-rsa"), std::string::npos);
}

TEST(MakeKeyring, RawAesWithoutKeyFileNamesTheMissingAttribute) {
  auto keyring = MakeKeyring({"raw-aes", {{"key-namespace", "n"}, {"key-name", "k"}}},
                             KeyUse::kEncrypt);
  ASSERT_FALSE(keyring.ok());
  EXPECT_NE(keyring.status().message().find("key-file"), std::string::npos);
}

TEST(MakeKeyring, RawAesUnknownAttributeIsInvalid) {
  TempDir dir;
  auto keyring = MakeKeyring({"raw-aes", {{"key-namespace", "n"}, {"key-name", "k"},
                                          {"key-file", dir.Write("k", std::string(32, 'k'))},
                                          {"colour", "blue"}}},
                             KeyUse::kEncrypt);
  ASSERT_FALSE(keyring.ok());
  EXPECT_NE(keyring.status().message().find("colour"), std::string::npos);
}

TEST(MakeKeyring, RawAesKeyFileOfWrongSizeIsInvalid) {
  TempDir dir;
  auto keyring = MakeKeyring({"raw-aes", {{"key-namespace", "n"}, {"key-name", "k"},
                                          {"key-file", dir.Write("k", std::string(20, 'k'))}}},
                             KeyUse::kEncrypt);
  ASSERT_FALSE(keyring.ok());
  EXPECT_EQ(keyring.status().code(), Code::kInvalidArgument);
}

TEST(MakeKeyring, RawAesMissingKeyFileIsIoError) {
  TempDir dir;
  auto keyring = MakeKeyring(
      {"raw-aes", {{"key-namespace", "n"}, {"key-name", "k"}, {"key-file", dir.File("none")}}},
      KeyUse::kEncrypt);
  ASSERT_FALSE(keyring.ok());
  EXPECT_TRUE(IsIoError(keyring.status()));
}

TEST(MakeKeyring, RawAesWithA32ByteKeyFileMakesAKeyring) {
  TempDir dir;
  auto keyring = MakeKeyring({"raw-aes", {{"key-namespace", "n"}, {"key-name", "k"},
                                          {"key-file", dir.Write("k", std::string(32, 'k'))}}},
                             KeyUse::kEncrypt);
  ASSERT_TRUE(keyring.ok()) << keyring.status().ToString();
  EXPECT_NE(*keyring, nullptr);
}

TEST(MakeKeyring, RawRsaEncryptNeedsThePublicKey) {
  auto keyring = MakeKeyring(
      {"raw-rsa", {{"key-namespace", "n"}, {"key-name", "k"}, {"padding", "oaep-sha256"},
                   {"private-key-file", "/nonexistent"}}},
      KeyUse::kEncrypt);
  ASSERT_FALSE(keyring.ok());
  EXPECT_NE(keyring.status().message().find("public-key-file"), std::string::npos);
}

TEST(MakeKeyring, RawRsaBadPaddingListsTheChoices) {
  auto keyring = MakeKeyring(
      {"raw-rsa", {{"key-namespace", "n"}, {"key-name", "k"}, {"padding", "oaep-md5"},
                   {"public-key-file", "/nonexistent"}}},
      KeyUse::kEncrypt);
  ASSERT_FALSE(keyring.ok());
  EXPECT_NE(keyring.status().message().find("oaep-sha256"), std::string::npos);
}

TEST(MakeKeyringFromSpecs, NoSpecsIsInvalid) {
  EXPECT_EQ(MakeKeyringFromSpecs({}, KeyUse::kEncrypt).status().code(), Code::kInvalidArgument);
}

TEST(MakeKeyringFromSpecs, SeveralSpecsMakeAMultiKeyring) {
  TempDir dir;
  const std::string key = dir.Write("k", std::string(16, 'k'));
  std::vector<std::string> specs = {
      "provider=raw-aes key-namespace=n key-name=a key-file=" + key,
      "provider=raw-aes key-namespace=n key-name=b key-file=" + key};
  auto keyring = MakeKeyringFromSpecs(specs, KeyUse::kEncrypt);
  ASSERT_TRUE(keyring.ok()) << keyring.status().ToString();
}

TEST(ParseWrappingKeySpec, KeyWithoutProviderMeansAwsKms) {
  auto spec = ParseWrappingKeySpec("key=alias/a");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->provider, "aws-kms");
}

TEST(ParseWrappingKeySpec, DiscoveryWithoutProviderMeansAwsKms) {
  auto spec = ParseWrappingKeySpec("discovery=true discovery-account=111122223333");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->provider, "aws-kms");
}

TEST(ParseWrappingKeySpec, KeyAndDiscoveryAccountMayRepeat) {
  auto spec = ParseWrappingKeySpec("provider=local key=alias/a key=alias/b");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->All("key"), (std::vector<std::string>{"alias/a", "alias/b"}));
  EXPECT_FALSE(ParseWrappingKeySpec("provider=local region=a region=b").ok());
}

KeyContext LocalContext(const TempDir& dir, KeyUse use) {
  KeyContext context;
  context.use = use;
  context.kms.data_dir = dir.File("store");
  return context;
}

TEST(MakeKeyring, LocalProviderCreatesAMissingAliasOnEncrypt) {
  TempDir dir;
  auto spec = ParseWrappingKeySpec("provider=local key=alias/app");
  ASSERT_TRUE(spec.ok());
  auto keyring = MakeKeyring(*spec, LocalContext(dir, KeyUse::kEncrypt));
  ASSERT_TRUE(keyring.ok()) << keyring.status().ToString();
  EncryptionMaterials enc;
  enc.suite = AlgorithmSuite::kAes256GcmHkdfSha512CommitKey;
  ASSERT_TRUE((*keyring)->OnEncrypt(enc).ok());
  ASSERT_EQ(enc.encrypted_data_keys.size(), 1u);
  EXPECT_EQ(enc.encrypted_data_keys[0].provider_id, "aws-kms");
}

TEST(MakeKeyring, LocalProviderDecryptOfAMissingAliasIsNotFound) {
  TempDir dir;
  auto spec = ParseWrappingKeySpec("provider=local key=alias/nothing");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(MakeKeyring(*spec, LocalContext(dir, KeyUse::kDecrypt)).status().code(),
            Code::kNotFound);
}

TEST(MakeKeyring, LocalProviderDiscoveryCannotEncrypt) {
  TempDir dir;
  auto spec = ParseWrappingKeySpec("provider=local discovery=true");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(MakeKeyring(*spec, LocalContext(dir, KeyUse::kEncrypt)).status().code(),
            Code::kInvalidArgument);
}

TEST(MakeKeyring, AwsKmsDecryptNeedsKeyArns) {
  auto spec = ParseWrappingKeySpec("key=alias/a");
  ASSERT_TRUE(spec.ok());
  auto keyring = MakeKeyring(*spec, KeyUse::kDecrypt);
  ASSERT_FALSE(keyring.ok());
  EXPECT_NE(keyring.status().message().find("key ARNs"), std::string::npos);
}

TEST(MakeKeyring, AwsKmsDiscoveryAccountNeedsDiscovery) {
  auto spec = ParseWrappingKeySpec(
      "key=arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555 "
      "discovery-account=111122223333");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(MakeKeyring(*spec, KeyUse::kDecrypt).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace envelope::cli
