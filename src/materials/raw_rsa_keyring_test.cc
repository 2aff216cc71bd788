#include <gtest/gtest.h>

#include "crypto/asymmetric.h"
#include "envelope/keyrings.h"
#include "materials/test_util.h"

namespace envelope {
namespace {

using testing::DecMaterials;
using testing::EncMaterials;

constexpr AlgorithmSuite kSuite = AlgorithmSuite::kAes256GcmHkdfSha512CommitKey;

struct Pems {
  std::string public_pem;
  SecretBytes private_pem;
};

// One 2048-bit key pair per test binary: generation is slow.
const Pems& TestKeyPair() {
  static const Pems* pems = [] {
    auto key = crypto::PrivateKey::GenerateRsa(2048);
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    auto pub = key->Public().ToPem();
    auto priv = key->ToPkcs8Pem();
    EXPECT_TRUE(pub.ok() && priv.ok());
    return new Pems{*pub, std::move(priv).value()};
  }();
  return *pems;
}

Result<KeyringPtr> MakeRsa(RsaPadding padding, bool with_public = true, bool with_private = true,
                           std::string name = "rsa-key") {
  const Pems& pems = TestKeyPair();
  return MakeRawRsaKeyring("ns", std::move(name), padding, with_public ? pems.public_pem : "",
                           with_private ? pems.private_pem.Clone() : SecretBytes());
}

class RawRsaKeyringPaddings : public ::testing::TestWithParam<const char*> {};

TEST_P(RawRsaKeyringPaddings, RoundTripRecoversTheGeneratedDataKey) {
  auto padding = ParseRsaPadding(GetParam());
  ASSERT_TRUE(padding.ok());
  auto keyring = MakeRsa(*padding);
  ASSERT_TRUE(keyring.ok()) << keyring.status().ToString();
  EncryptionMaterials enc = EncMaterials(kSuite, {{"a", "b"}});
  ASSERT_TRUE((*keyring)->OnEncrypt(enc).ok());
  ASSERT_EQ(enc.data_key.size(), 32u);
  ASSERT_EQ(enc.encrypted_data_keys.size(), 1u);
  EXPECT_EQ(enc.encrypted_data_keys[0].provider_id, "ns");
  EXPECT_EQ(AsChars(enc.encrypted_data_keys[0].provider_info), "rsa-key");
  EXPECT_EQ(enc.encrypted_data_keys[0].ciphertext.size(), 256u);
  DecryptionMaterials dec = DecMaterials(kSuite);  // RSA binds no context
  ASSERT_TRUE((*keyring)->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.Equals(enc.data_key.span()));
}

INSTANTIATE_TEST_SUITE_P(AllPaddings, RawRsaKeyringPaddings,
                         ::testing::Values("pkcs1", "oaep-sha1", "oaep-sha256", "oaep-sha384",
                                           "oaep-sha512"));

TEST(RawRsaKeyring, EncryptFailsWithoutPublicKey) {
  auto keyring = MakeRsa(RsaPadding::kOaepSha256, /*with_public=*/false);
  ASSERT_TRUE(keyring.ok());
  EncryptionMaterials enc = EncMaterials(kSuite);
  Status s = (*keyring)->OnEncrypt(enc);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_TRUE(enc.encrypted_data_keys.empty());
}

TEST(RawRsaKeyring, DecryptFailsWithoutPrivateKey) {
  auto keyring = MakeRsa(RsaPadding::kOaepSha256, true, /*with_private=*/false);
  ASSERT_TRUE(keyring.ok());
  EncryptionMaterials enc = EncMaterials(kSuite);
  ASSERT_TRUE((*keyring)->OnEncrypt(enc).ok());
  DecryptionMaterials dec = DecMaterials(kSuite);
  EXPECT_EQ((*keyring)->OnDecrypt(dec, enc.encrypted_data_keys).code(), Code::kInvalidArgument);
  EXPECT_TRUE(dec.data_key.empty());
}

TEST(RawRsaKeyring, DecryptSkipsEdkWithOtherKeyName) {
  auto writer = MakeRsa(RsaPadding::kOaepSha256);
  auto reader = MakeRsa(RsaPadding::kOaepSha256, true, true, "other-name");
  ASSERT_TRUE(writer.ok() && reader.ok());
  EncryptionMaterials enc = EncMaterials(kSuite);
  ASSERT_TRUE((*writer)->OnEncrypt(enc).ok());
  DecryptionMaterials dec = DecMaterials(kSuite);
  ASSERT_TRUE((*reader)->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.empty());
}

TEST(RawRsaKeyring, DecryptYieldsNoKeyUnderAnotherPadding) {
  auto writer = MakeRsa(RsaPadding::kOaepSha256);
  auto reader = MakeRsa(RsaPadding::kOaepSha512);
  ASSERT_TRUE(writer.ok() && reader.ok());
  EncryptionMaterials enc = EncMaterials(kSuite);
  ASSERT_TRUE((*writer)->OnEncrypt(enc).ok());
  DecryptionMaterials dec = DecMaterials(kSuite);
  ASSERT_TRUE((*reader)->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.empty());
}

TEST(RawRsaKeyring, CreateRejectsUnparsablePublicKey) {
  auto keyring = MakeRawRsaKeyring("ns", "k", RsaPadding::kPkcs1, "not a pem", SecretBytes());
  ASSERT_FALSE(keyring.ok());
  EXPECT_EQ(keyring.status().code(), Code::kInvalidArgument);
}

TEST(RawRsaKeyring, CreateRejectsMissingKeys) {
  auto keyring = MakeRawRsaKeyring("ns", "k", RsaPadding::kPkcs1, "", SecretBytes());
  ASSERT_FALSE(keyring.ok());
  EXPECT_EQ(keyring.status().code(), Code::kInvalidArgument);
}

TEST(ParseRsaPadding, RejectsUnknownName) {
  auto padding = ParseRsaPadding("oaep-md5");
  ASSERT_FALSE(padding.ok());
  EXPECT_EQ(padding.status().code(), Code::kInvalidArgument);
}

TEST(ParseRsaPadding, AcceptsPkcs1) {
  auto padding = ParseRsaPadding("pkcs1");
  ASSERT_TRUE(padding.ok());
  EXPECT_EQ(*padding, RsaPadding::kPkcs1);
}

}  // namespace
}  // namespace envelope
