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

}  // namespace
}  // namespace envelope::cli
