// Asymmetric keys, HMAC keys, data key pairs and rotation. Signatures and RSA ciphertexts are
// checked with OpenSSL outside the service (through the exported SPKI public key).
#include <gtest/gtest.h>

#include "crypto/asymmetric.h"
#include "crypto/hash.h"
#include "kms/server/service_test_util.h"

namespace envelope::kms::server::testing {
namespace {

crypto::PublicKey PublicKeyOf(const Json& get_public_key) {
  auto der = Base64Decode(get_public_key["PublicKey"].get<std::string>());
  auto key = crypto::PublicKey::FromSpkiDer(*der);
  EXPECT_TRUE(key.ok());
  return *key;
}

Bytes Blob(const Json& v) { return *Base64Decode(v.get<std::string>()); }

TEST_F(KmsServiceTest, EcdsaSignatureVerifiesOutsideTheService) {
  std::string arn = CreateKey({{"KeySpec", "ECC_NIST_P256"}, {"KeyUsage", "SIGN_VERIFY"}});
  Json sig = Call("Sign", {{"KeyId", arn}, {"Message", B64("msg")},
                           {"SigningAlgorithm", "ECDSA_SHA_256"}});
  ASSERT_TRUE(sig.contains("Signature")) << sig.dump();
  crypto::PublicKey pub = PublicKeyOf(Call("GetPublicKey", {{"KeyId", arn}}));
  EXPECT_TRUE(pub.Verify(crypto::SignatureScheme::kEcdsaSha256, ToBytes("msg"), Blob(sig["Signature"])).ok());
  Json v = Call("Verify", {{"KeyId", arn}, {"Message", B64("msg")}, {"Signature", sig["Signature"]},
                           {"SigningAlgorithm", "ECDSA_SHA_256"}});
  EXPECT_EQ(v["SignatureValid"], true);
}

TEST_F(KmsServiceTest, RsaPssDigestSignatureVerifiesOutside) {
  std::string arn = CreateKey({{"KeySpec", "RSA_2048"}, {"KeyUsage", "SIGN_VERIFY"}});
  Bytes digest = crypto::Sha256(ToBytes("document"));
  Json sig = Call("Sign", {{"KeyId", arn}, {"Message", Base64Encode(digest)},
                           {"MessageType", "DIGEST"}, {"SigningAlgorithm", "RSASSA_PSS_SHA_256"}});
  crypto::PublicKey pub = PublicKeyOf(Call("GetPublicKey", {{"KeyId", arn}}));
  EXPECT_TRUE(pub.Verify(crypto::SignatureScheme::kRsaPssSha256, ToBytes("document"),
                         Blob(sig["Signature"])).ok());
}

TEST_F(KmsServiceTest, VerifyOfWrongMessageIsInvalidSignature) {
  std::string arn = CreateKey({{"KeySpec", "RSA_2048"}, {"KeyUsage", "SIGN_VERIFY"}});
  Json sig = Call("Sign", {{"KeyId", arn}, {"Message", B64("a")},
                           {"SigningAlgorithm", "RSASSA_PKCS1_V1_5_SHA_256"}});
  Json v = Call("Verify", {{"KeyId", arn}, {"Message", B64("b")}, {"Signature", sig["Signature"]},
                           {"SigningAlgorithm", "RSASSA_PKCS1_V1_5_SHA_256"}});
  EXPECT_EQ(Type(v), "KMSInvalidSignatureException");
}

TEST_F(KmsServiceTest, SignWithWrongAlgorithmIsInvalidKeyUsage) {
  std::string arn = CreateKey({{"KeySpec", "ECC_NIST_P384"}, {"KeyUsage", "SIGN_VERIFY"}});
  EXPECT_EQ(Type(Call("Sign", {{"KeyId", arn}, {"Message", B64("m")},
                               {"SigningAlgorithm", "ECDSA_SHA_256"}})), "InvalidKeyUsageException");
}

TEST_F(KmsServiceTest, SignWithSymmetricKeyIsInvalidKeyUsage) {
  std::string arn = CreateKey();
  EXPECT_EQ(Type(Call("Sign", {{"KeyId", arn}, {"Message", B64("m")},
                               {"SigningAlgorithm", "ECDSA_SHA_256"}})), "InvalidKeyUsageException");
  EXPECT_EQ(Type(Call("GetPublicKey", {{"KeyId", arn}})), "UnsupportedOperationException");
}

TEST_F(KmsServiceTest, RsaOaepCiphertextFromOutsideDecrypts) {
  std::string arn = CreateKey({{"KeySpec", "RSA_2048"}});
  crypto::PublicKey pub = PublicKeyOf(Call("GetPublicKey", {{"KeyId", arn}}));
  auto ct = pub.Encrypt(crypto::RsaEncryptionPadding::kOaepSha256, ToBytes("outside"));
  ASSERT_TRUE(ct.ok());
  Json dec = Call("Decrypt", {{"CiphertextBlob", Base64Encode(*ct)}, {"KeyId", arn},
                              {"EncryptionAlgorithm", "RSAES_OAEP_SHA_256"}});
  EXPECT_EQ(Unb64(dec["Plaintext"]), "outside");
}

TEST_F(KmsServiceTest, RsaEncryptRoundTripsAndEnforcesSizeLimit) {
  std::string arn = CreateKey({{"KeySpec", "RSA_2048"}});
  Json enc = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("short")},
                              {"EncryptionAlgorithm", "RSAES_OAEP_SHA_1"}});
  EXPECT_EQ(Blob(enc["CiphertextBlob"]).size(), 256u);
  Json dec = Call("Decrypt", {{"CiphertextBlob", enc["CiphertextBlob"]}, {"KeyId", arn},
                              {"EncryptionAlgorithm", "RSAES_OAEP_SHA_1"}});
  EXPECT_EQ(Unb64(dec["Plaintext"]), "short");
  EXPECT_EQ(Type(Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64(std::string(191, 'a'))},
                                  {"EncryptionAlgorithm", "RSAES_OAEP_SHA_256"}})),
            "ValidationException");
  EXPECT_EQ(Type(Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}})),
            "InvalidKeyUsageException");
}

TEST_F(KmsServiceTest, HmacGenerateAndVerify) {
  std::string arn = CreateKey({{"KeySpec", "HMAC_256"}, {"KeyUsage", "GENERATE_VERIFY_MAC"}});
  Json mac = Call("GenerateMac", {{"KeyId", arn}, {"Message", B64("m")},
                                  {"MacAlgorithm", "HMAC_SHA_256"}});
  EXPECT_EQ(mac["KeyId"], arn);
  EXPECT_EQ(Blob(mac["Mac"]).size(), 32u);
  Json ok = Call("VerifyMac", {{"KeyId", arn}, {"Message", B64("m")}, {"Mac", mac["Mac"]},
                               {"MacAlgorithm", "HMAC_SHA_256"}});
  EXPECT_EQ(ok["MacValid"], true);
  Json bad = Call("VerifyMac", {{"KeyId", arn}, {"Message", B64("n")}, {"Mac", mac["Mac"]},
                                {"MacAlgorithm", "HMAC_SHA_256"}});
  EXPECT_EQ(Type(bad), "KMSInvalidMacException");
}

TEST_F(KmsServiceTest, Hmac224KeyWorks) {
  std::string arn = CreateKey({{"KeySpec", "HMAC_224"}, {"KeyUsage", "GENERATE_VERIFY_MAC"}});
  Json mac = Call("GenerateMac", {{"KeyId", arn}, {"Message", B64("m")},
                                  {"MacAlgorithm", "HMAC_SHA_224"}});
  EXPECT_EQ(Blob(mac["Mac"]).size(), 28u);
  EXPECT_EQ(Type(Call("GenerateMac", {{"KeyId", arn}, {"Message", B64("m")},
                                      {"MacAlgorithm", "HMAC_SHA_256"}})), "InvalidKeyUsageException");
}

TEST_F(KmsServiceTest, GenerateDataKeyPairPrivateKeyDecryptsToPlaintext) {
  std::string arn = CreateKey();
  Json pair = Call("GenerateDataKeyPair", {{"KeyId", arn}, {"KeyPairSpec", "ECC_NIST_P256"}});
  ASSERT_TRUE(pair.contains("PrivateKeyPlaintext")) << pair.dump();
  EXPECT_TRUE(crypto::PublicKey::FromSpkiDer(Blob(pair["PublicKey"])).ok());
  Json dec = Call("Decrypt", {{"CiphertextBlob", pair["PrivateKeyCiphertextBlob"]}});
  EXPECT_EQ(dec["Plaintext"], pair["PrivateKeyPlaintext"]);
  Json np = Call("GenerateDataKeyPairWithoutPlaintext", {{"KeyId", arn}, {"KeyPairSpec", "RSA_2048"}});
  EXPECT_FALSE(np.contains("PrivateKeyPlaintext"));
  EXPECT_EQ(np["KeyPairSpec"], "RSA_2048");
}

TEST_F(KmsServiceTest, RotationStatusFollowsEnableAndDisable) {
  std::string arn = CreateKey();
  EXPECT_EQ(Call("GetKeyRotationStatus", {{"KeyId", arn}})["KeyRotationEnabled"], false);
  Call("EnableKeyRotation", {{"KeyId", arn}, {"RotationPeriodInDays", 90}});
  Json s = Call("GetKeyRotationStatus", {{"KeyId", arn}});
  EXPECT_EQ(s["KeyRotationEnabled"], true);
  EXPECT_EQ(s["RotationPeriodInDays"], 90);
  Call("DisableKeyRotation", {{"KeyId", arn}});
  EXPECT_EQ(Call("GetKeyRotationStatus", {{"KeyId", arn}})["KeyRotationEnabled"], false);
  EXPECT_EQ(Type(Call("EnableKeyRotation", {{"KeyId", arn}, {"RotationPeriodInDays", 30}})),
            "ValidationException");
}

TEST_F(KmsServiceTest, AutomaticRotationAddsMaterialAndKeepsOld) {
  std::string arn = CreateKey();
  Json old_ct = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("old")}});
  Call("EnableKeyRotation", {{"KeyId", arn}, {"RotationPeriodInDays", 90}});
  clock_.Advance(std::chrono::hours(24 * 91));
  Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("new")}});
  Json rotations = Call("ListKeyRotations", {{"KeyId", arn}})["Rotations"];
  ASSERT_EQ(rotations.size(), 1u);
  EXPECT_EQ(rotations[0]["RotationType"], "AUTOMATIC");
  EXPECT_EQ(Unb64(Call("Decrypt", {{"CiphertextBlob", old_ct["CiphertextBlob"]}})["Plaintext"]), "old");
}

TEST_F(KmsServiceTest, RotationOnAsymmetricKeyIsUnsupported) {
  std::string arn = CreateKey({{"KeySpec", "ECC_NIST_P256"}, {"KeyUsage", "SIGN_VERIFY"}});
  EXPECT_EQ(Type(Call("EnableKeyRotation", {{"KeyId", arn}})), "UnsupportedOperationException");
  EXPECT_EQ(Type(Call("RotateKeyOnDemand", {{"KeyId", arn}})), "UnsupportedOperationException");
}

TEST_F(KmsServiceTest, OnDemandRotationLimitIsTen) {
  std::string arn = CreateKey();
  for (int i = 0; i < 10; ++i) {
    ASSERT_FALSE(Call("RotateKeyOnDemand", {{"KeyId", arn}}).contains("__type")) << i;
  }
  EXPECT_EQ(Type(Call("RotateKeyOnDemand", {{"KeyId", arn}})), "LimitExceededException");
  EXPECT_EQ(Call("ListKeyRotations", {{"KeyId", arn}, {"Limit", 4}})["Rotations"].size(), 4u);
}

}  // namespace
}  // namespace envelope::kms::server::testing
