#include <gtest/gtest.h>

#include "core/encoding.h"
#include "crypto/asymmetric.h"
#include "envelope/keyrings.h"
#include "materials/test_util.h"

namespace envelope {
namespace {

using testing::KeyOfSize;

CmmPtr AesCmm(std::uint8_t first = 1) {
  auto keyring = MakeRawAesKeyring("ns", "key", KeyOfSize(32, first));
  EXPECT_TRUE(keyring.ok());
  return MakeDefaultCmm(*keyring);
}

EncryptionMaterialsRequest EncRequest(std::optional<AlgorithmSuite> suite,
                                      EncryptionContext context = {{"purpose", "test"}}) {
  EncryptionMaterialsRequest request;
  request.encryption_context = std::move(context);
  request.suite = suite;
  return request;
}

// A request for a v1 (non-committing) suite, which only the FORBID policy may encrypt with.
EncryptionMaterialsRequest LegacyRequest(AlgorithmSuite suite, EncryptionContext context = {}) {
  EncryptionMaterialsRequest request = EncRequest(suite, std::move(context));
  request.commitment_policy = CommitmentPolicy::kForbidEncryptAllowDecrypt;
  return request;
}

DecryptMaterialsRequest DecRequest(const EncryptionMaterials& enc) {
  DecryptMaterialsRequest request;
  request.suite = enc.suite;
  request.encrypted_data_keys = enc.encrypted_data_keys;
  request.encryption_context = enc.encryption_context;
  return request;
}

TEST(DefaultCmm, EncryptPicksTheCommittingSigningSuiteByDefault) {
  auto enc = AesCmm()->GetEncryptionMaterials(EncRequest(std::nullopt));
  ASSERT_TRUE(enc.ok()) << enc.status().ToString();
  EXPECT_EQ(enc->suite, AlgorithmSuite::kAes256GcmHkdfSha512CommitKeyEcdsaP384);
  EXPECT_EQ(enc->data_key.size(), 32u);
  EXPECT_EQ(enc->encrypted_data_keys.size(), 1u);
}

TEST(DefaultCmm, EncryptAddsAP384SigningKeyAndItsPublicKey) {
  auto enc = AesCmm()->GetEncryptionMaterials(
      LegacyRequest(AlgorithmSuite::kAes256GcmIv12Tag16HkdfSha384EcdsaP384));
  ASSERT_TRUE(enc.ok()) << enc.status().ToString();
  ASSERT_EQ(enc->signing_key.size(), 48u);
  auto it = enc->encryption_context.find(std::string(kPublicKeyContextKey));
  ASSERT_NE(it, enc->encryption_context.end());
  auto point = Base64Decode(it->second);
  ASSERT_TRUE(point.ok());
  auto key = crypto::PrivateKey::FromEcScalar(crypto::EcCurve::kP384, enc->signing_key.span());
  ASSERT_TRUE(key.ok());
  auto expected = key->Public().CompressedPoint();
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(*point, *expected);
  EXPECT_EQ(point->size(), 49u);
}

TEST(DefaultCmm, EncryptUsesP256ForSuite0214) {
  auto enc = AesCmm()->GetEncryptionMaterials(
      LegacyRequest(AlgorithmSuite::kAes128GcmIv12Tag16HkdfSha256EcdsaP256));
  ASSERT_TRUE(enc.ok()) << enc.status().ToString();
  EXPECT_EQ(enc->signing_key.size(), 32u);
  auto point = Base64Decode(enc->encryption_context.at(std::string(kPublicKeyContextKey)));
  ASSERT_TRUE(point.ok());
  EXPECT_EQ(point->size(), 33u);
  EXPECT_EQ(enc->data_key.size(), 16u);
}

TEST(DefaultCmm, EncryptAddsNoSigningKeyForUnsignedSuite) {
  auto enc =
      AesCmm()->GetEncryptionMaterials(EncRequest(AlgorithmSuite::kAes256GcmHkdfSha512CommitKey));
  ASSERT_TRUE(enc.ok());
  EXPECT_TRUE(enc->signing_key.empty());
  EXPECT_FALSE(enc->encryption_context.contains(std::string(kPublicKeyContextKey)));
}

TEST(DefaultCmm, EncryptRejectsReservedContextPrefix) {
  auto enc = AesCmm()->GetEncryptionMaterials(
      EncRequest(std::nullopt, {{"aws-crypto-public-key", "mine"}}));
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.status().code(), Code::kInvalidArgument);
}

TEST(DefaultCmm, EncryptRejectsNonCommittingSuiteUnderRequirePolicy) {
  auto enc = AesCmm()->GetEncryptionMaterials(EncRequest(AlgorithmSuite::kAes256GcmIv12Tag16NoKdf));
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.status().code(), Code::kInvalidArgument);
  EXPECT_NE(enc.status().message().find("not allowed by commitment policy"), std::string::npos);
}

TEST(DefaultCmm, EncryptRejectsCommittingSuiteUnderForbidPolicy) {
  EncryptionMaterialsRequest request = EncRequest(AlgorithmSuite::kAes256GcmHkdfSha512CommitKey);
  request.commitment_policy = CommitmentPolicy::kForbidEncryptAllowDecrypt;
  auto enc = AesCmm()->GetEncryptionMaterials(request);
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.status().code(), Code::kInvalidArgument);
}

TEST(DefaultCmm, EncryptDefaultsTo0378UnderForbidPolicy) {
  EncryptionMaterialsRequest request = EncRequest(std::nullopt);
  request.commitment_policy = CommitmentPolicy::kForbidEncryptAllowDecrypt;
  auto enc = AesCmm()->GetEncryptionMaterials(request);
  ASSERT_TRUE(enc.ok()) << enc.status().ToString();
  EXPECT_EQ(enc->suite, AlgorithmSuite::kAes256GcmIv12Tag16HkdfSha384EcdsaP384);
}

TEST(DefaultCmm, EncryptFailsWhenTheKeyringMakesNoDataKey) {
  auto child = MakeRawAesKeyring("ns", "key", KeyOfSize(32));
  ASSERT_TRUE(child.ok());
  auto multi = MakeMultiKeyring(nullptr, {*child});
  ASSERT_TRUE(multi.ok());
  auto enc = MakeDefaultCmm(*multi)->GetEncryptionMaterials(EncRequest(std::nullopt));
  EXPECT_FALSE(enc.ok());
}

TEST(DefaultCmm, DecryptRecoversKeyAndVerificationKey) {
  CmmPtr cmm = AesCmm();
  auto enc = cmm->GetEncryptionMaterials(EncRequest(std::nullopt));
  ASSERT_TRUE(enc.ok());
  auto dec = cmm->DecryptMaterials(DecRequest(*enc));
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_TRUE(dec->data_key.Equals(enc->data_key.span()));
  auto point = Base64Decode(enc->encryption_context.at(std::string(kPublicKeyContextKey)));
  ASSERT_TRUE(point.ok());
  EXPECT_EQ(dec->verification_key, *point);
  EXPECT_TRUE(dec->required_encryption_context_keys.empty());
}

TEST(DefaultCmm, DecryptRejectsNonCommittingSuiteUnderRequireDecrypt) {
  DecryptMaterialsRequest request;
  request.suite = AlgorithmSuite::kAes256GcmIv12Tag16NoKdf;
  auto dec = AesCmm()->DecryptMaterials(request);
  ASSERT_FALSE(dec.ok());
  EXPECT_EQ(dec.status().code(), Code::kInvalidArgument);
}

TEST(DefaultCmm, DecryptAcceptsNonCommittingSuiteUnderAllowDecrypt) {
  CmmPtr cmm = AesCmm();
  auto enc = cmm->GetEncryptionMaterials(LegacyRequest(AlgorithmSuite::kAes256GcmIv12Tag16NoKdf));
  ASSERT_TRUE(enc.ok()) << enc.status().ToString();
  DecryptMaterialsRequest request = DecRequest(*enc);
  request.commitment_policy = CommitmentPolicy::kRequireEncryptAllowDecrypt;
  auto dec = cmm->DecryptMaterials(request);
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_TRUE(dec->verification_key.empty());
}

TEST(DefaultCmm, DecryptRejectsSigningSuiteWithoutPublicKey) {
  CmmPtr cmm = AesCmm();
  auto enc = cmm->GetEncryptionMaterials(EncRequest(std::nullopt));
  ASSERT_TRUE(enc.ok());
  DecryptMaterialsRequest request = DecRequest(*enc);
  request.encryption_context.erase(std::string(kPublicKeyContextKey));
  EXPECT_FALSE(cmm->DecryptMaterials(request).ok());
}

TEST(DefaultCmm, DecryptRejectsUnsignedSuiteWithPublicKey) {
  CmmPtr cmm = AesCmm();
  auto enc = cmm->GetEncryptionMaterials(EncRequest(AlgorithmSuite::kAes256GcmHkdfSha512CommitKey));
  ASSERT_TRUE(enc.ok());
  DecryptMaterialsRequest request = DecRequest(*enc);
  request.encryption_context[std::string(kPublicKeyContextKey)] = "AAAA";
  EXPECT_FALSE(cmm->DecryptMaterials(request).ok());
}

TEST(DefaultCmm, DecryptRejectsReproducedValueThatDiffers) {
  CmmPtr cmm = AesCmm();
  auto enc = cmm->GetEncryptionMaterials(EncRequest(std::nullopt));
  ASSERT_TRUE(enc.ok());
  DecryptMaterialsRequest request = DecRequest(*enc);
  request.reproduced_encryption_context = {{"purpose", "other"}};
  auto dec = cmm->DecryptMaterials(request);
  ASSERT_FALSE(dec.ok());
  EXPECT_NE(dec.status().message().find("purpose"), std::string::npos);
}

TEST(DefaultCmm, DecryptAddsReproducedPairsMissingFromHeaderAsRequired) {
  CmmPtr cmm = AesCmm();
  auto enc = cmm->GetEncryptionMaterials(EncRequest(std::nullopt, {{"a", "1"}, {"b", "2"}}));
  ASSERT_TRUE(enc.ok());
  DecryptMaterialsRequest request = DecRequest(*enc);
  request.encryption_context.erase("b");  // as if kept out of the header
  request.reproduced_encryption_context = {{"a", "1"}, {"b", "2"}};
  auto dec = cmm->DecryptMaterials(request);
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();  // the AES AAD needs "b" back
  EXPECT_EQ(dec->encryption_context.at("b"), "2");
  EXPECT_EQ(dec->required_encryption_context_keys, std::vector<std::string>{"b"});
}

TEST(DefaultCmm, DecryptFailsWithNotFoundWhenNoKeyringDecrypts) {
  auto enc = AesCmm(1)->GetEncryptionMaterials(EncRequest(std::nullopt));
  ASSERT_TRUE(enc.ok());
  auto dec = AesCmm(2)->DecryptMaterials(DecRequest(*enc));
  ASSERT_FALSE(dec.ok());
  EXPECT_EQ(dec.status().code(), Code::kNotFound);
  EXPECT_EQ(dec.status().message(), "no keyring could decrypt any of the 1 encrypted data keys");
}

}  // namespace
}  // namespace envelope
