#include "kms/protocol/json_codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace envelope::kms::protocol {
namespace {

using nlohmann::json;

TEST(JsonCodec, EncryptRequestCarriesBase64PlaintextAndContext) {
  EncryptRequest r;
  r.key_id = "alias/k";
  const std::uint8_t pt[] = {1, 2, 3};
  r.plaintext = SecretBytes(pt);
  r.encryption_context = {{"a", "b"}};
  json j = json::parse(SerializeRequest(r));
  EXPECT_EQ(j["KeyId"], "alias/k");
  EXPECT_EQ(j["Plaintext"], "AQID");
  EXPECT_EQ(j["EncryptionContext"]["a"], "b");
  EXPECT_FALSE(j.contains("GrantTokens"));
}

TEST(JsonCodec, GenerateDataKeyRequestOmitsAbsentOptionals) {
  GenerateDataKeyRequest r;
  r.key_id = "k";
  r.key_spec = "AES_256";
  json j = json::parse(SerializeRequest(r));
  EXPECT_EQ(j["KeySpec"], "AES_256");
  EXPECT_FALSE(j.contains("NumberOfBytes"));
  EXPECT_FALSE(j.contains("EncryptionContext"));
}

TEST(JsonCodec, GenerateDataKeyResponseDecodesBlobs) {
  auto r = ParseGenerateDataKeyResponse(
      R"({"CiphertextBlob":"AAEC","Plaintext":"AQID","KeyId":"arn:k"})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ciphertext_blob, (Bytes{0, 1, 2}));
  EXPECT_TRUE(r->plaintext.Equals(Bytes{1, 2, 3}));
  EXPECT_EQ(r->key_id, "arn:k");
}

TEST(JsonCodec, ResponseWithWrongMemberTypeIsInternal) {
  auto r = ParseEncryptResponse(R"({"CiphertextBlob":5})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInternal);
}

TEST(JsonCodec, ResponseThatIsNotJsonIsInternal) {
  EXPECT_EQ(ParseDecryptResponse("<html>").status().code(), Code::kInternal);
}

TEST(JsonCodec, DescribeKeyResponseReadsMetadata) {
  auto r = ParseDescribeKeyResponse(
      R"({"KeyMetadata":{"KeyId":"id","Arn":"arn","Enabled":true,"KeySpec":"SYMMETRIC_DEFAULT",
          "CreationDate":1.5,"EncryptionAlgorithms":["SYMMETRIC_DEFAULT"]}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->key_metadata.arn, "arn");
  EXPECT_TRUE(r->key_metadata.enabled);
  EXPECT_DOUBLE_EQ(r->key_metadata.creation_date, 1.5);
  EXPECT_EQ(r->key_metadata.encryption_algorithms.size(), 1u);
}

TEST(JsonCodec, ListKeysResponseReadsEntriesAndMarker) {
  auto r = ParseListKeysResponse(
      R"({"Keys":[{"KeyId":"a","KeyArn":"arn:a"}],"Truncated":true,"NextMarker":"m"})");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->keys.size(), 1u);
  EXPECT_EQ(r->keys[0].key_arn, "arn:a");
  EXPECT_TRUE(r->truncated);
  EXPECT_EQ(r->next_marker, "m");
}

TEST(JsonCodec, ErrorResponseNormalizesNamespacedType) {
  Status s = ParseErrorResponse(
      400, R"({"__type":"com.amazonaws.kms#NotFoundException","message":"no key"})");
  EXPECT_EQ(s.error_type(), "NotFoundException");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "no key");
}

TEST(JsonCodec, ErrorResponseReadsCapitalisedMessage) {
  Status s = ParseErrorResponse(400, R"({"__type":"ThrottlingException","Message":"slow"})");
  EXPECT_EQ(s.code(), Code::kResourceExhausted);
  EXPECT_EQ(s.message(), "slow");
}

TEST(JsonCodec, ErrorResponseWithoutTypeUsesHttpStatus) {
  Status s = ParseErrorResponse(503, "Service Unavailable");
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_TRUE(s.error_type().empty());
}

}  // namespace
}  // namespace envelope::kms::protocol
