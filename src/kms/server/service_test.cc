#include <gtest/gtest.h>
#include <set>

#include "kms/server/service_test_util.h"

namespace envelope::kms::server::testing {
namespace {

TEST_F(KmsServiceTest, CreateKeyReturnsSymmetricMetadata) {
  Json r = Call("CreateKey", {{"Description", "d"}});
  const Json& m = r["KeyMetadata"];
  EXPECT_EQ(m["AWSAccountId"], "111122223333");
  EXPECT_EQ(m["KeySpec"], "SYMMETRIC_DEFAULT");
  EXPECT_EQ(m["CustomerMasterKeySpec"], "SYMMETRIC_DEFAULT");
  EXPECT_EQ(m["KeyUsage"], "ENCRYPT_DECRYPT");
  EXPECT_EQ(m["KeyState"], "Enabled");
  EXPECT_EQ(m["Enabled"], true);
  EXPECT_EQ(m["Origin"], "AWS_KMS");
  EXPECT_EQ(m["KeyManager"], "CUSTOMER");
  EXPECT_EQ(m["Description"], "d");
  EXPECT_TRUE(m["CreationDate"].is_number());
  EXPECT_EQ(m["EncryptionAlgorithms"], Json::array({"SYMMETRIC_DEFAULT"}));
  EXPECT_EQ(m["Arn"], "arn:aws:kms:us-east-1:111122223333:key/" + m["KeyId"].get<std::string>());
}

TEST_F(KmsServiceTest, CreateKeyMultiRegionUsesMrkId) {
  Json m = Call("CreateKey", {{"MultiRegion", true}})["KeyMetadata"];
  EXPECT_TRUE(m["KeyId"].get<std::string>().starts_with("mrk-"));
  EXPECT_EQ(m["KeyId"].get<std::string>().size(), 36u);
  EXPECT_EQ(m["MultiRegion"], true);
  EXPECT_EQ(m["MultiRegionConfiguration"]["MultiRegionKeyType"], "PRIMARY");
}

TEST_F(KmsServiceTest, CreateKeyRejectsEccForEncryption) {
  EXPECT_EQ(Type(Call("CreateKey", {{"KeySpec", "ECC_NIST_P256"}})), "ValidationException");
}

TEST_F(KmsServiceTest, CreateKeyRejectsUnknownSpec) {
  EXPECT_EQ(Type(Call("CreateKey", {{"KeySpec", "AES_999"}})), "ValidationException");
}

TEST_F(KmsServiceTest, CreateKeyRejectsBothSpecFields) {
  Json r = Call("CreateKey", {{"KeySpec", "RSA_2048"}, {"CustomerMasterKeySpec", "RSA_2048"}});
  EXPECT_EQ(Type(r), "ValidationException");
}

TEST_F(KmsServiceTest, CreateKeyHmacReportsMacAlgorithms) {
  Json m = Call("CreateKey", {{"KeySpec", "HMAC_384"}, {"KeyUsage", "GENERATE_VERIFY_MAC"}})["KeyMetadata"];
  EXPECT_EQ(m["MacAlgorithms"], Json::array({"HMAC_SHA_384"}));
  EXPECT_FALSE(m.contains("EncryptionAlgorithms"));
}

TEST_F(KmsServiceTest, DescribeKeyByIdArnAliasAndAliasArn) {
  std::string arn = CreateKey();
  std::string id = arn.substr(arn.find("key/") + 4);
  ASSERT_FALSE(Call("CreateAlias", {{"AliasName", "alias/app"}, {"TargetKeyId", id}}).contains("__type"));
  for (std::string ref : {id, arn, std::string("alias/app"),
                          std::string("arn:aws:kms:us-east-1:111122223333:alias/app")}) {
    Json r = Call("DescribeKey", {{"KeyId", ref}});
    EXPECT_EQ(r["KeyMetadata"]["Arn"], arn) << ref;
  }
}

TEST_F(KmsServiceTest, DescribeKeyUnknownIsNotFoundWithArn) {
  Json r = Call("DescribeKey", {{"KeyId", "1234abcd-12ab-34cd-56ef-1234567890ab"}});
  EXPECT_EQ(Type(r), "NotFoundException");
  EXPECT_EQ(r["message"], "Key 'arn:aws:kms:us-east-1:111122223333:key/"
                          "1234abcd-12ab-34cd-56ef-1234567890ab' does not exist");
}

TEST_F(KmsServiceTest, DescribeKeyUnknownAliasIsNotFound) {
  Json r = Call("DescribeKey", {{"KeyId", "alias/nope"}});
  EXPECT_EQ(Type(r), "NotFoundException");
  EXPECT_EQ(r["message"], "Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found.");
}

TEST_F(KmsServiceTest, KeysAreSeparatedByRegion) {
  std::string arn = CreateKey();
  Caller west = kAlice;
  west.region = "us-west-2";
  EXPECT_EQ(Type(Call("DescribeKey", {{"KeyId", arn.substr(arn.find("key/") + 4)}}, west)),
            "NotFoundException");
  EXPECT_EQ(Call("ListKeys", Json::object(), west)["Keys"].size(), 0u);
}

TEST_F(KmsServiceTest, EncryptDecryptRoundTripWithoutKeyId) {
  std::string arn = CreateKey();
  Json enc = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("hello")},
                              {"EncryptionContext", {{"a", "1"}}}});
  ASSERT_FALSE(enc.contains("__type")) << enc.dump();
  EXPECT_EQ(enc["KeyId"], arn);
  EXPECT_EQ(enc["EncryptionAlgorithm"], "SYMMETRIC_DEFAULT");
  Json dec = Call("Decrypt", {{"CiphertextBlob", enc["CiphertextBlob"]},
                              {"EncryptionContext", {{"a", "1"}}}});
  EXPECT_EQ(Unb64(dec["Plaintext"]), "hello");
  EXPECT_EQ(dec["KeyId"], arn);
}

TEST_F(KmsServiceTest, DecryptWithShiftedContextFails) {
  std::string arn = CreateKey();
  Json enc = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")},
                              {"EncryptionContext", {{"ab", "c"}}}});
  Json dec = Call("Decrypt", {{"CiphertextBlob", enc["CiphertextBlob"]},
                              {"EncryptionContext", {{"a", "bc"}}}});
  EXPECT_EQ(Type(dec), "InvalidCiphertextException");
}

TEST_F(KmsServiceTest, DecryptWithMissingContextFails) {
  std::string arn = CreateKey();
  Json enc = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")},
                              {"EncryptionContext", {{"k", "v"}}}});
  EXPECT_EQ(Type(Call("Decrypt", {{"CiphertextBlob", enc["CiphertextBlob"]}})),
            "InvalidCiphertextException");
}

TEST_F(KmsServiceTest, DecryptWithWrongKeyIdIsIncorrectKey) {
  std::string a = CreateKey();
  std::string b = CreateKey();
  Json enc = Call("Encrypt", {{"KeyId", a}, {"Plaintext", B64("x")}});
  Json dec = Call("Decrypt", {{"CiphertextBlob", enc["CiphertextBlob"]}, {"KeyId", b}});
  EXPECT_EQ(Type(dec), "IncorrectKeyException");
}

TEST_F(KmsServiceTest, DecryptOfTamperedBlobIsInvalidCiphertext) {
  std::string arn = CreateKey();
  Json enc = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}});
  Bytes blob = *Base64Decode(enc["CiphertextBlob"].get<std::string>());
  blob[blob.size() - 20] ^= 0x80;
  EXPECT_EQ(Type(Call("Decrypt", {{"CiphertextBlob", Base64Encode(blob)}})),
            "InvalidCiphertextException");
}

TEST_F(KmsServiceTest, DecryptOfForeignBlobIsInvalidCiphertext) {
  Bytes junk(80, 0x5a);
  EXPECT_EQ(Type(Call("Decrypt", {{"CiphertextBlob", Base64Encode(junk)}})),
            "InvalidCiphertextException");
}

TEST_F(KmsServiceTest, EncryptOnDisabledKeyIsDisabledException) {
  std::string arn = CreateKey();
  Call("DisableKey", {{"KeyId", arn}});
  Json r = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}});
  EXPECT_EQ(Type(r), "DisabledException");
  EXPECT_EQ(r["message"], arn + " is disabled.");
}

TEST_F(KmsServiceTest, EnableKeyRestoresUse) {
  std::string arn = CreateKey();
  Call("DisableKey", {{"KeyId", arn}});
  Call("EnableKey", {{"KeyId", arn}});
  EXPECT_FALSE(Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}).contains("__type"));
}

TEST_F(KmsServiceTest, DecryptOnPendingDeletionKeyIsInvalidState) {
  std::string arn = CreateKey();
  Json enc = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}});
  Json s = Call("ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 7}});
  EXPECT_EQ(s["KeyState"], "PendingDeletion");
  EXPECT_EQ(s["PendingWindowInDays"], 7);
  Json r = Call("Decrypt", {{"CiphertextBlob", enc["CiphertextBlob"]}});
  EXPECT_EQ(Type(r), "KMSInvalidStateException");
  EXPECT_EQ(r["message"], arn + " is pending deletion.");
}

TEST_F(KmsServiceTest, ScheduleKeyDeletionRejectsWindowOutsideSevenToThirty) {
  std::string arn = CreateKey();
  EXPECT_EQ(Type(Call("ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 6}})),
            "ValidationException");
  EXPECT_EQ(Type(Call("ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 31}})),
            "ValidationException");
}

TEST_F(KmsServiceTest, CancelKeyDeletionLeavesKeyDisabled) {
  std::string arn = CreateKey();
  Call("ScheduleKeyDeletion", {{"KeyId", arn}});
  EXPECT_EQ(Call("CancelKeyDeletion", {{"KeyId", arn}})["KeyId"], arn);
  Json m = Call("DescribeKey", {{"KeyId", arn}})["KeyMetadata"];
  EXPECT_EQ(m["KeyState"], "Disabled");
  EXPECT_FALSE(m.contains("DeletionDate"));
}

TEST_F(KmsServiceTest, CancelKeyDeletionOnLiveKeyIsInvalidState) {
  std::string arn = CreateKey();
  EXPECT_EQ(Type(Call("CancelKeyDeletion", {{"KeyId", arn}})), "KMSInvalidStateException");
}

TEST_F(KmsServiceTest, KeyIsGoneAfterDeletionDate) {
  std::string arn = CreateKey();
  Call("ScheduleKeyDeletion", {{"KeyId", arn}, {"PendingWindowInDays", 7}});
  clock_.Advance(std::chrono::hours(24 * 7 + 1));
  EXPECT_EQ(Type(Call("DescribeKey", {{"KeyId", arn}})), "NotFoundException");
}

TEST_F(KmsServiceTest, GenerateDataKeyReturnsDecryptablePlaintext) {
  std::string arn = CreateKey();
  Json g = Call("GenerateDataKey", {{"KeyId", arn}, {"KeySpec", "AES_256"}});
  EXPECT_EQ(Base64Decode(g["Plaintext"].get<std::string>())->size(), 32u);
  Json d = Call("Decrypt", {{"CiphertextBlob", g["CiphertextBlob"]}});
  EXPECT_EQ(d["Plaintext"], g["Plaintext"]);
}

TEST_F(KmsServiceTest, GenerateDataKeyWithoutPlaintextOmitsPlaintext) {
  std::string arn = CreateKey();
  Json g = Call("GenerateDataKeyWithoutPlaintext", {{"KeyId", arn}, {"NumberOfBytes", 16}});
  EXPECT_FALSE(g.contains("Plaintext"));
  EXPECT_EQ(Base64Decode(Call("Decrypt", {{"CiphertextBlob", g["CiphertextBlob"]}})["Plaintext"]
                             .get<std::string>())->size(), 16u);
}

TEST_F(KmsServiceTest, GenerateDataKeyNeedsExactlyOneSize) {
  std::string arn = CreateKey();
  EXPECT_EQ(Type(Call("GenerateDataKey", {{"KeyId", arn}})), "ValidationException");
  EXPECT_EQ(Type(Call("GenerateDataKey", {{"KeyId", arn}, {"KeySpec", "AES_256"},
                                          {"NumberOfBytes", 32}})), "ValidationException");
  EXPECT_EQ(Type(Call("GenerateDataKey", {{"KeyId", arn}, {"NumberOfBytes", 2000}})),
            "ValidationException");
}

TEST_F(KmsServiceTest, EncryptPlaintextLimitIs4096) {
  std::string arn = CreateKey();
  Json r = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64(std::string(4097, 'a'))}});
  EXPECT_EQ(Type(r), "ValidationException");
  EXPECT_EQ(r["message"], "1 validation error detected: Value at 'plaintext' failed to satisfy "
                          "constraint: Member must have length less than or equal to 4096");
}

TEST_F(KmsServiceTest, GenerateRandomHonoursLimits) {
  EXPECT_EQ(Base64Decode(Call("GenerateRandom", {{"NumberOfBytes", 1024}})["Plaintext"]
                             .get<std::string>())->size(), 1024u);
  EXPECT_EQ(Type(Call("GenerateRandom", {{"NumberOfBytes", 1025}})), "ValidationException");
  EXPECT_EQ(Type(Call("GenerateRandom", {{"NumberOfBytes", 0}})), "ValidationException");
}

TEST_F(KmsServiceTest, ReEncryptMovesCiphertextToAnotherKey) {
  std::string a = CreateKey();
  std::string b = CreateKey();
  Json enc = Call("Encrypt", {{"KeyId", a}, {"Plaintext", B64("move me")},
                              {"EncryptionContext", {{"x", "1"}}}});
  Json re = Call("ReEncrypt", {{"CiphertextBlob", enc["CiphertextBlob"]},
                               {"SourceEncryptionContext", {{"x", "1"}}},
                               {"DestinationKeyId", b}});
  EXPECT_EQ(re["SourceKeyId"], a);
  EXPECT_EQ(re["KeyId"], b);
  Json dec = Call("Decrypt", {{"CiphertextBlob", re["CiphertextBlob"]}, {"KeyId", b}});
  EXPECT_EQ(Unb64(dec["Plaintext"]), "move me");
}

TEST_F(KmsServiceTest, BadJsonIsSerializationException) {
  auto r = dispatcher_->Dispatch(kAlice, "Encrypt", "{not json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_type(), "SerializationException");
}

TEST_F(KmsServiceTest, WrongFieldTypeIsSerializationException) {
  EXPECT_EQ(Type(Call("GenerateRandom", {{"NumberOfBytes", "ten"}})), "SerializationException");
}

TEST_F(KmsServiceTest, UnknownOperationIsUnknownOperationException) {
  auto r = dispatcher_->Dispatch(kAlice, "FlyToTheMoon", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_type(), "UnknownOperationException");
}

TEST_F(KmsServiceTest, MissingKeyIdIsValidationException) {
  EXPECT_EQ(Type(Call("Encrypt", {{"Plaintext", B64("x")}})), "ValidationException");
}

TEST_F(KmsServiceTest, ListKeysPaginatesWithMarker) {
  std::set<std::string> created;
  for (int i = 0; i < 5; ++i) created.insert(CreateKey());
  std::set<std::string> seen;
  Json page = Call("ListKeys", {{"Limit", 2}});
  int pages = 1;
  for (;;) {
    for (const Json& k : page["Keys"]) seen.insert(k["KeyArn"].get<std::string>());
    if (!page["Truncated"].get<bool>()) break;
    page = Call("ListKeys", {{"Limit", 2}, {"Marker", page["NextMarker"]}});
    ++pages;
  }
  EXPECT_EQ(seen, created);
  EXPECT_EQ(pages, 3);
}

TEST_F(KmsServiceTest, ListKeysRejectsBadMarkerAndLimit) {
  EXPECT_EQ(Type(Call("ListKeys", {{"Marker", "%%%"}})), "InvalidMarkerException");
  EXPECT_EQ(Type(Call("ListKeys", {{"Limit", 0}})), "ValidationException");
  EXPECT_EQ(Type(Call("ListKeys", {{"Limit", 1001}})), "ValidationException");
}

}  // namespace
}  // namespace envelope::kms::server::testing
