#include "format/suites.h"

#include <gtest/gtest.h>

namespace envelope::format {
namespace {

TEST(Suites, TableHoldsElevenEsdkSuites) {
  EXPECT_EQ(AllSuites().size(), 11u);
  for (const SuiteInfo& suite : AllSuites()) {
    EXPECT_EQ(FindSuite(suite.wire_id()), &suite);
    EXPECT_EQ(suite.message_version, suite.wire_id() >= 0x0400 ? 2 : 1);
    EXPECT_EQ(suite.committing(), suite.message_version == 2);
  }
}

TEST(Suites, AttributesMatchTheSpecTable) {
  const SuiteInfo* s = FindSuite(0x0014);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->key_bytes, 16u);
  EXPECT_EQ(s->kdf, Kdf::kIdentity);
  EXPECT_FALSE(s->signs());
  s = FindSuite(0x0146);
  EXPECT_EQ(s->key_bytes, 24u);
  EXPECT_EQ(s->kdf, Kdf::kHkdfSha256);
  s = FindSuite(0x0214);
  EXPECT_EQ(s->signing, Signing::kEcdsaP256Sha256);
  EXPECT_EQ(s->kdf, Kdf::kHkdfSha256);
  s = FindSuite(0x0346);
  EXPECT_EQ(s->kdf, Kdf::kHkdfSha384);  // not SHA-256
  EXPECT_EQ(s->signing, Signing::kEcdsaP384Sha384);
  EXPECT_EQ(s->key_bytes, 24u);
  s = FindSuite(0x0478);
  EXPECT_EQ(s->message_version, 2);
  EXPECT_EQ(s->message_id_bytes(), 32u);
  EXPECT_FALSE(s->signs());
  s = FindSuite(0x0578);
  EXPECT_EQ(s->kdf, Kdf::kHkdfSha512Committing);
  EXPECT_EQ(s->signing, Signing::kEcdsaP384Sha384);
  EXPECT_EQ(s->key_bytes, 32u);
  EXPECT_EQ(FindSuite(0x0078)->message_id_bytes(), 16u);
}

TEST(Suites, FindReturnsNullForNonEsdkIds) {
  for (std::uint16_t id : {0x0000, 0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x6700, 0x6701,
                           0x0578 + 1, 0xFFFF}) {
    EXPECT_EQ(FindSuite(id), nullptr) << id;
  }
}

TEST(Suites, ParseAcceptsHexWithAndWithoutPrefix) {
  EXPECT_EQ(*ParseAlgorithmSuite("0x0578"), AlgorithmSuite::kAes256GcmHkdfSha512CommitKeyEcdsaP384);
  EXPECT_EQ(*ParseAlgorithmSuite("0X0478"), AlgorithmSuite::kAes256GcmHkdfSha512CommitKey);
  EXPECT_EQ(*ParseAlgorithmSuite("0578"), AlgorithmSuite::kAes256GcmHkdfSha512CommitKeyEcdsaP384);
  EXPECT_EQ(*ParseAlgorithmSuite("0x14"), AlgorithmSuite::kAes128GcmIv12Tag16NoKdf);
}

TEST(Suites, ParseAcceptsNamesCaseInsensitiveWithOrWithoutAlgPrefix) {
  const auto want = AlgorithmSuite::kAes256GcmIv12Tag16HkdfSha384EcdsaP384;
  EXPECT_EQ(*ParseAlgorithmSuite("AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384"), want);
  EXPECT_EQ(*ParseAlgorithmSuite("ALG_AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384"), want);
  EXPECT_EQ(*ParseAlgorithmSuite("alg_aes_256_gcm_iv12_tag16_hkdf_sha384_ecdsa_p384"), want);
}

TEST(Suites, ParseRejectsUnknownText) {
  for (const char* text : {"", "0x", "0x0070", "0x6700", "0000", "578", "12345", "0x12345",
                           "AES", "ALG_", "AES_256_GCM"}) {
    auto r = ParseAlgorithmSuite(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  }
}

TEST(Suites, NameRoundTripsThroughParse) {
  for (const SuiteInfo& suite : AllSuites()) {
    EXPECT_EQ(AlgorithmSuiteName(suite.id), suite.name);
    EXPECT_EQ(*ParseAlgorithmSuite(AlgorithmSuiteName(suite.id)), suite.id);
  }
  EXPECT_EQ(AlgorithmSuiteName(AlgorithmSuite::kAes256GcmHkdfSha512CommitKey),
            "AES_256_GCM_HKDF_SHA512_COMMIT_KEY");
}

TEST(CommitmentPolicies, ParseAcceptsCliAndSpecSpellings) {
  EXPECT_EQ(*ParseCommitmentPolicy("forbid-encrypt-allow-decrypt"),
            CommitmentPolicy::kForbidEncryptAllowDecrypt);
  EXPECT_EQ(*ParseCommitmentPolicy("REQUIRE_ENCRYPT_ALLOW_DECRYPT"),
            CommitmentPolicy::kRequireEncryptAllowDecrypt);
  EXPECT_EQ(*ParseCommitmentPolicy("require-encrypt-require-decrypt"),
            CommitmentPolicy::kRequireEncryptRequireDecrypt);
  EXPECT_FALSE(ParseCommitmentPolicy("require").ok());
  EXPECT_FALSE(ParseCommitmentPolicy("").ok());
}

TEST(CommitmentPolicies, NameRoundTripsThroughParse) {
  for (auto p : {CommitmentPolicy::kForbidEncryptAllowDecrypt,
                 CommitmentPolicy::kRequireEncryptAllowDecrypt,
                 CommitmentPolicy::kRequireEncryptRequireDecrypt}) {
    EXPECT_EQ(*ParseCommitmentPolicy(CommitmentPolicyName(p)), p);
  }
}

TEST(CommitmentPolicies, DefaultSuiteIs0378UnderForbidAnd0578Otherwise) {
  EXPECT_EQ(DefaultSuite(CommitmentPolicy::kForbidEncryptAllowDecrypt),
            AlgorithmSuite::kAes256GcmIv12Tag16HkdfSha384EcdsaP384);
  EXPECT_EQ(DefaultSuite(CommitmentPolicy::kRequireEncryptAllowDecrypt),
            AlgorithmSuite::kAes256GcmHkdfSha512CommitKeyEcdsaP384);
  EXPECT_EQ(DefaultSuite(CommitmentPolicy::kRequireEncryptRequireDecrypt),
            AlgorithmSuite::kAes256GcmHkdfSha512CommitKeyEcdsaP384);
}

TEST(CommitmentPolicies, AllowedSuitesFollowThePolicyTable) {
  for (const SuiteInfo& s : AllSuites()) {
    const bool c = s.committing();
    EXPECT_EQ(EncryptAllowed(CommitmentPolicy::kForbidEncryptAllowDecrypt, s), !c);
    EXPECT_EQ(EncryptAllowed(CommitmentPolicy::kRequireEncryptAllowDecrypt, s), c);
    EXPECT_EQ(EncryptAllowed(CommitmentPolicy::kRequireEncryptRequireDecrypt, s), c);
    EXPECT_TRUE(DecryptAllowed(CommitmentPolicy::kForbidEncryptAllowDecrypt, s));
    EXPECT_TRUE(DecryptAllowed(CommitmentPolicy::kRequireEncryptAllowDecrypt, s));
    EXPECT_EQ(DecryptAllowed(CommitmentPolicy::kRequireEncryptRequireDecrypt, s), c);
  }
}

}  // namespace
}  // namespace envelope::format
