#include "materials/aws_kms_keyring.h"

#include <gtest/gtest.h>

#include <memory>

#include "materials/fake_kms_test_util.h"
#include "materials/test_util.h"

namespace envelope {
namespace {

using testing::DecMaterials;
using testing::EncMaterials;
using testing::FakeKms;
using testing::kArnA;
using testing::kArnB;

constexpr AlgorithmSuite kSuite = AlgorithmSuite::kAes256GcmHkdfSha512CommitKey;
const EncryptionContext kContext = {{"purpose", "test"}};

// Two fake KMS regions: us-east-1 holds key A (alias/a), us-west-2 holds key B.
struct Fixture {
  Fixture() {
    east->AddKey(kArnA, "alias/a");
    west->AddKey(kArnB);
  }
  KmsClientSupplier Supplier() {
    return [this](const std::string& region) -> Result<std::shared_ptr<kms::KmsApi>> {
      ++supplier_calls;
      if (region.empty() || region == "us-east-1") {
        return std::shared_ptr<kms::KmsApi>(east);
      }
      if (region == "us-west-2") {
        return std::shared_ptr<kms::KmsApi>(west);
      }
      return Unavailable("no client for " + region);
    };
  }
  KeyringPtr Strict(std::vector<std::string> ids, std::vector<std::string> grants = {}) {
    auto keyring = MakeAwsKmsKeyring({std::move(ids), std::move(grants), Supplier()});
    EXPECT_TRUE(keyring.ok()) << keyring.status().ToString();
    return keyring.ok() ? *keyring : nullptr;
  }
  KeyringPtr Discovery(std::optional<DiscoveryFilter> filter = std::nullopt) {
    auto keyring = MakeAwsKmsDiscoveryKeyring({std::move(filter), {}, Supplier()});
    EXPECT_TRUE(keyring.ok()) << keyring.status().ToString();
    return keyring.ok() ? *keyring : nullptr;
  }
  EncryptionMaterials Encrypt(std::vector<std::string> ids) {
    EncryptionMaterials enc = EncMaterials(kSuite, kContext);
    EXPECT_TRUE(Strict(std::move(ids))->OnEncrypt(enc).ok());
    return enc;
  }
  std::shared_ptr<FakeKms> east = std::make_shared<FakeKms>("us-east-1");
  std::shared_ptr<FakeKms> west = std::make_shared<FakeKms>("us-west-2");
  int supplier_calls = 0;
};

std::string Info(const EncryptedDataKey& edk) { return std::string(AsChars(edk.provider_info)); }

TEST(AwsKmsKeyring, GeneratorMakesOneEdkWithProviderAwsKmsAndTheKeyArn) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA});
  EXPECT_EQ(enc.data_key.size(), 32u);
  ASSERT_EQ(enc.encrypted_data_keys.size(), 1u);
  EXPECT_EQ(enc.encrypted_data_keys[0].provider_id, "aws-kms");
  EXPECT_EQ(Info(enc.encrypted_data_keys[0]), kArnA);
  EXPECT_EQ(f.east->generate_calls, 1);
}

TEST(AwsKmsKeyring, GeneratorConfiguredWithAnAliasRecordsTheResponseKeyArn) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({"alias/a"});
  ASSERT_EQ(enc.encrypted_data_keys.size(), 1u);
  EXPECT_EQ(Info(enc.encrypted_data_keys[0]), kArnA);
}

TEST(AwsKmsKeyring, GenerateAsksForTheSuiteKeyLength) {
  Fixture f;
  EncryptionMaterials enc = EncMaterials(AlgorithmSuite::kAes128GcmIv12Tag16HkdfSha256, kContext);
  ASSERT_TRUE(f.Strict({kArnA})->OnEncrypt(enc).ok());
  EXPECT_EQ(enc.data_key.size(), 16u);
}

TEST(AwsKmsKeyring, AdditionalKeysWrapTheSameDataKeyWithEncryptInTheirRegion) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA, kArnB});
  ASSERT_EQ(enc.encrypted_data_keys.size(), 2u);
  EXPECT_EQ(Info(enc.encrypted_data_keys[1]), kArnB);
  EXPECT_EQ(f.east->generate_calls, 1);
  EXPECT_EQ(f.west->encrypt_calls, 1);
  EXPECT_EQ(f.west->generate_calls, 0);
}

TEST(AwsKmsKeyring, EncryptFailsWhenGenerateReturnsTheWrongPlaintextLength) {
  Fixture f;
  f.east->plaintext_length_delta = -1;
  EncryptionMaterials enc = EncMaterials(kSuite, kContext);
  EXPECT_FALSE(f.Strict({kArnA})->OnEncrypt(enc).ok());
  EXPECT_TRUE(enc.encrypted_data_keys.empty());
}

TEST(AwsKmsKeyring, EncryptFailsWhenTheResponseKeyIdIsNotAKeyArn) {
  Fixture f;
  f.east->response_key_id_override = "alias/a";
  EncryptionMaterials enc = EncMaterials(kSuite, kContext);
  Status status = f.Strict({kArnA})->OnEncrypt(enc);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("not a key ARN"), std::string::npos) << status.message();
}

TEST(AwsKmsKeyring, EncryptKeepsTheKmsErrorCode) {
  Fixture f;
  f.east->fail_generate = kms::ThrottlingError("slow down");
  EncryptionMaterials enc = EncMaterials(kSuite, kContext);
  Status status = f.Strict({kArnA})->OnEncrypt(enc);
  EXPECT_EQ(status.code(), Code::kResourceExhausted);
  EXPECT_EQ(status.error_type(), "ThrottlingException");
}

TEST(AwsKmsKeyring, GrantTokensReachGenerateDataKey) {
  Fixture f;
  EncryptionMaterials enc = EncMaterials(kSuite, kContext);
  ASSERT_TRUE(f.Strict({kArnA}, {"grant-token-1"})->OnEncrypt(enc).ok());
  EXPECT_EQ(f.east->last_grant_tokens, std::vector<std::string>{"grant-token-1"});
}

TEST(AwsKmsKeyring, StrictDecryptUnwrapsItsOwnEdk) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA, kArnB});
  DecryptionMaterials dec = DecMaterials(kSuite, kContext);
  ASSERT_TRUE(f.Strict({kArnB})->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.Equals(enc.data_key.span()));
  EXPECT_EQ(f.east->decrypt_calls, 0);  // key A's EDK was never tried
  EXPECT_EQ(f.west->decrypt_calls, 1);
}

TEST(AwsKmsKeyring, StrictDecryptConfiguredWithAnAliasMatchesNoEdk) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA});
  DecryptionMaterials dec = DecMaterials(kSuite, kContext);
  EXPECT_TRUE(f.Strict({"alias/a"})->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.empty());
  EXPECT_EQ(f.east->decrypt_calls, 0);
}

TEST(AwsKmsKeyring, StrictDecryptSkipsEdksOfOtherProvidersEvenWithTheSameInfo) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA});
  enc.encrypted_data_keys[0].provider_id = "aws-kms-rsa";
  DecryptionMaterials dec = DecMaterials(kSuite, kContext);
  EXPECT_TRUE(f.Strict({kArnA})->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.empty());
  EXPECT_EQ(f.east->decrypt_calls, 0);
}

TEST(AwsKmsKeyring, DecryptRejectsAResponseForAnotherKey) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA});
  f.east->response_key_id_override = kArnB;
  DecryptionMaterials dec = DecMaterials(kSuite, kContext);
  EXPECT_FALSE(f.Strict({kArnA})->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.empty());
}

TEST(AwsKmsKeyring, DecryptRejectsAPlaintextOfTheWrongLength) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA});
  f.east->plaintext_length_delta = 1;
  DecryptionMaterials dec = DecMaterials(kSuite, kContext);
  EXPECT_FALSE(f.Strict({kArnA})->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.empty());
}

TEST(AwsKmsKeyring, DecryptCollectsErrorsAndTriesTheNextEdk) {
  Fixture f;
  EncryptionMaterials good = f.Encrypt({kArnA});
  EncryptedDataKey bad = good.encrypted_data_keys[0];
  bad.ciphertext = ToBytes("garbage");
  std::vector<EncryptedDataKey> edks = {bad, good.encrypted_data_keys[0]};
  DecryptionMaterials dec = DecMaterials(kSuite, kContext);
  ASSERT_TRUE(f.Strict({kArnA})->OnDecrypt(dec, edks).ok());
  EXPECT_TRUE(dec.data_key.Equals(good.data_key.span()));
  EXPECT_EQ(f.east->decrypt_calls, 2);
}

TEST(AwsKmsKeyring, DecryptReportsEveryCollectedErrorWhenAllFail) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA});
  std::vector<EncryptedDataKey> edks = {enc.encrypted_data_keys[0], enc.encrypted_data_keys[0]};
  f.east->fail_decrypt = kms::AccessDeniedError("no kms:Decrypt for you");
  DecryptionMaterials dec = DecMaterials(kSuite, kContext);
  Status status = f.Strict({kArnA})->OnDecrypt(dec, edks);
  EXPECT_EQ(status.code(), Code::kPermissionDenied);
  EXPECT_EQ(f.east->decrypt_calls, 2);
  const std::string& m = status.message();
  EXPECT_NE(m.find("no kms:Decrypt for you"), m.rfind("no kms:Decrypt for you")) << m;
}

TEST(AwsKmsKeyring, DecryptWithTheWrongContextFails) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA});
  DecryptionMaterials dec = DecMaterials(kSuite, {{"purpose", "other"}});
  EXPECT_EQ(f.Strict({kArnA})->OnDecrypt(dec, enc.encrypted_data_keys).code(), Code::kCorrupt);
}

TEST(AwsKmsKeyring, RejectsEmptyKeyListAndMalformedIds) {
  Fixture f;
  EXPECT_EQ(MakeAwsKmsKeyring({{}, {}, f.Supplier()}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(MakeAwsKmsKeyring({{"not a key"}, {}, f.Supplier()}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(MakeAwsKmsKeyring({{kArnA}, {}, nullptr}).status().code(), Code::kInvalidArgument);
}

TEST(AwsKmsKeyring, AsksTheSupplierForTheRegionOfEachArn) {
  Fixture f;
  auto keyring = MakeAwsKmsKeyring(
      {{"arn:aws:kms:eu-west-9:111122223333:key/11111111-2222-3333-4444-555555555555"}, {},
       f.Supplier()});
  EXPECT_EQ(keyring.status().code(), Code::kUnavailable);
}

TEST(AwsKmsDiscoveryKeyring, CannotEncrypt) {
  Fixture f;
  EncryptionMaterials enc = EncMaterials(kSuite, kContext);
  EXPECT_EQ(f.Discovery()->OnEncrypt(enc).code(), Code::kInvalidArgument);
}

TEST(AwsKmsDiscoveryKeyring, DecryptsWithTheClientOfTheArnRegion) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnB});
  DecryptionMaterials dec = DecMaterials(kSuite, kContext);
  ASSERT_TRUE(f.Discovery()->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.Equals(enc.data_key.span()));
  EXPECT_EQ(f.west->decrypt_calls, 1);
}

TEST(AwsKmsDiscoveryKeyring, FilterSkipsOtherAccounts) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA, kArnB});
  DecryptionMaterials dec = DecMaterials(kSuite, kContext);
  KeyringPtr keyring = f.Discovery(DiscoveryFilter{{"444455556666"}, "aws"});
  ASSERT_TRUE(keyring->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_FALSE(dec.data_key.empty());
  EXPECT_EQ(f.east->decrypt_calls, 0);  // account 111122223333 is filtered out
  EXPECT_EQ(f.west->decrypt_calls, 1);
}

TEST(AwsKmsDiscoveryKeyring, FilterSkipsOtherPartitions) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA});
  DecryptionMaterials dec = DecMaterials(kSuite, kContext);
  KeyringPtr keyring = f.Discovery(DiscoveryFilter{{"111122223333"}, "aws-cn"});
  ASSERT_TRUE(keyring->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.empty());
  EXPECT_EQ(f.east->decrypt_calls, 0);
}

TEST(AwsKmsDiscoveryKeyring, SkipsEdksWhoseInfoIsNotAKeyArn) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA});
  enc.encrypted_data_keys[0].provider_info =
      ToBytes("arn:aws:kms:us-east-1:111122223333:alias/a");
  DecryptionMaterials dec = DecMaterials(kSuite, kContext);
  EXPECT_TRUE(f.Discovery()->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.empty());
  EXPECT_EQ(f.east->decrypt_calls, 0);
}

TEST(AwsKmsDiscoveryKeyring, CollectsARegionWithoutClientAndTriesTheNextEdk) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA});
  EncryptedDataKey elsewhere = enc.encrypted_data_keys[0];
  elsewhere.provider_info =
      ToBytes("arn:aws:kms:eu-west-9:111122223333:key/11111111-2222-3333-4444-555555555555");
  std::vector<EncryptedDataKey> edks = {elsewhere, enc.encrypted_data_keys[0]};
  DecryptionMaterials dec = DecMaterials(kSuite, kContext);
  ASSERT_TRUE(f.Discovery()->OnDecrypt(dec, edks).ok());
  EXPECT_TRUE(dec.data_key.Equals(enc.data_key.span()));
}

TEST(AwsKmsDiscoveryKeyring, ReusesOneClientPerRegion) {
  Fixture f;
  EncryptionMaterials enc = f.Encrypt({kArnA});
  KeyringPtr keyring = f.Discovery();
  f.supplier_calls = 0;
  for (int i = 0; i < 3; ++i) {
    DecryptionMaterials dec = DecMaterials(kSuite, kContext);
    ASSERT_TRUE(keyring->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  }
  EXPECT_EQ(f.supplier_calls, 1);
}

TEST(AwsKmsDiscoveryKeyring, RejectsABadFilter) {
  Fixture f;
  EXPECT_FALSE(MakeAwsKmsDiscoveryKeyring({DiscoveryFilter{{}, "aws"}, {}, f.Supplier()}).ok());
  EXPECT_FALSE(MakeAwsKmsDiscoveryKeyring({DiscoveryFilter{{"12"}, "aws"}, {}, f.Supplier()}).ok());
  EXPECT_FALSE(
      MakeAwsKmsDiscoveryKeyring({DiscoveryFilter{{"111122223333"}, ""}, {}, f.Supplier()}).ok());
}

}  // namespace
}  // namespace envelope
