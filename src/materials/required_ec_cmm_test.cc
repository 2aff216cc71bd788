#include <gtest/gtest.h>

#include "envelope/keyrings.h"
#include "materials/test_util.h"

namespace envelope {
namespace {

using testing::KeyOfSize;

constexpr AlgorithmSuite kSuite = AlgorithmSuite::kAes256GcmHkdfSha512CommitKey;

CmmPtr Underlying() {
  auto keyring = MakeRawAesKeyring("ns", "key", KeyOfSize(32));
  EXPECT_TRUE(keyring.ok());
  return MakeDefaultCmm(*keyring);
}

CmmPtr RequiredCmm(std::vector<std::string> keys = {"tenant"}) {
  auto cmm = MakeRequiredEncryptionContextCmm(Underlying(), std::move(keys));
  EXPECT_TRUE(cmm.ok());
  return *cmm;
}

EncryptionMaterialsRequest EncRequest(EncryptionContext context) {
  EncryptionMaterialsRequest request;
  request.encryption_context = std::move(context);
  request.suite = kSuite;
  return request;
}

// The decrypt request the message engine would build: required pairs are not in the header.
DecryptMaterialsRequest DecRequest(const EncryptionMaterials& enc, EncryptionContext reproduced) {
  DecryptMaterialsRequest request;
  request.suite = enc.suite;
  request.encrypted_data_keys = enc.encrypted_data_keys;
  request.encryption_context = enc.encryption_context;
  for (const std::string& key : enc.required_encryption_context_keys) {
    request.encryption_context.erase(key);
  }
  request.reproduced_encryption_context = std::move(reproduced);
  return request;
}

TEST(RequiredEcCmm, CreateRejectsEmptyKeyList) {
  auto cmm = MakeRequiredEncryptionContextCmm(Underlying(), {});
  ASSERT_FALSE(cmm.ok());
  EXPECT_EQ(cmm.status().code(), Code::kInvalidArgument);
}

TEST(RequiredEcCmm, EncryptFailsWhenARequiredKeyIsMissing) {
  auto enc = RequiredCmm()->GetEncryptionMaterials(EncRequest({{"other", "x"}}));
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.status().code(), Code::kInvalidArgument);
  EXPECT_NE(enc.status().message().find("tenant"), std::string::npos);
}

TEST(RequiredEcCmm, EncryptMarksTheRequiredKeys) {
  auto enc = RequiredCmm()->GetEncryptionMaterials(EncRequest({{"tenant", "t1"}, {"x", "y"}}));
  ASSERT_TRUE(enc.ok()) << enc.status().ToString();
  EXPECT_EQ(enc->required_encryption_context_keys, std::vector<std::string>{"tenant"});
  EXPECT_EQ(enc->encryption_context.at("tenant"), "t1");
}

TEST(RequiredEcCmm, DecryptFailsWhenARequiredKeyIsNotReproduced) {
  CmmPtr cmm = RequiredCmm();
  auto enc = cmm->GetEncryptionMaterials(EncRequest({{"tenant", "t1"}}));
  ASSERT_TRUE(enc.ok());
  auto dec = cmm->DecryptMaterials(DecRequest(*enc, {}));
  ASSERT_FALSE(dec.ok());
  EXPECT_EQ(dec.status().code(), Code::kInvalidArgument);
}

TEST(RequiredEcCmm, DecryptRestoresAndMarksTheReproducedRequiredPair) {
  CmmPtr cmm = RequiredCmm();
  auto enc = cmm->GetEncryptionMaterials(EncRequest({{"tenant", "t1"}, {"x", "y"}}));
  ASSERT_TRUE(enc.ok());
  auto dec = cmm->DecryptMaterials(DecRequest(*enc, {{"tenant", "t1"}}));
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_TRUE(dec->data_key.Equals(enc->data_key.span()));
  EXPECT_EQ(dec->encryption_context, enc->encryption_context);
  EXPECT_EQ(dec->required_encryption_context_keys, std::vector<std::string>{"tenant"});
}

TEST(RequiredEcCmm, DecryptFailsWhenTheReproducedValueIsWrong) {
  CmmPtr cmm = RequiredCmm();
  auto enc = cmm->GetEncryptionMaterials(EncRequest({{"tenant", "t1"}}));
  ASSERT_TRUE(enc.ok());
  // The AES keyring binds the context, so the wrong value cannot unwrap the data key.
  auto dec = cmm->DecryptMaterials(DecRequest(*enc, {{"tenant", "t2"}}));
  EXPECT_FALSE(dec.ok());
}

TEST(RequiredEcCmm, DecryptLeavesARequiredPairStoredInTheHeaderUnmarked) {
  // A message written by the default CMM stores the pair in its header.
  auto enc = Underlying()->GetEncryptionMaterials(EncRequest({{"tenant", "t1"}}));
  ASSERT_TRUE(enc.ok());
  auto dec = RequiredCmm()->DecryptMaterials(DecRequest(*enc, {{"tenant", "t1"}}));
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_TRUE(dec->required_encryption_context_keys.empty());
}

}  // namespace
}  // namespace envelope
