#include "cli/metadata.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/bytes.h"

namespace envelope::cli {
namespace {

MessageInfo SampleInfo() {
  MessageInfo info;
  info.version = 2;
  info.suite = AlgorithmSuite::kAes256GcmHkdfSha512CommitKeyEcdsaP384;
  info.message_id = {0x01, 0xab};
  info.frame_length = 4096;
  info.encryption_context = {{"purpose", "test"}, {"ключ", "значение"}};
  info.encrypted_data_keys.push_back({"raw-ns", ToBytes("rsa-key"), {1, 2}});
  info.encrypted_data_keys.push_back({"aes-ns", {0x00, 0xff, 0x10}, {3}});
  return info;
}

TEST(MetadataLine, IsOneLineOfJsonWithTheMessageFields) {
  MessageInfo info = SampleInfo();
  const std::string line =
      MetadataLine({"encrypt", "in.txt", "in.txt.encrypted", &info, 10, 300});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["mode"], "encrypt");
  EXPECT_EQ(j["input"], "in.txt");
  EXPECT_EQ(j["output"], "in.txt.encrypted");
  EXPECT_EQ(j["suite"]["id"], "0x0578");
  EXPECT_EQ(j["suite"]["name"], "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384");
  EXPECT_EQ(j["message_id"], "01ab");
  EXPECT_EQ(j["version"], 2);
  EXPECT_EQ(j["frame_length"], 4096);
  EXPECT_EQ(j["encryption_context"]["ключ"], "значение");
  EXPECT_EQ(j["bytes_in"], 10);
  EXPECT_EQ(j["bytes_out"], 300);
}

TEST(MetadataLine, PrintableProviderInfoIsTextAndBinaryIsBase64) {
  MessageInfo info = SampleInfo();
  auto j = nlohmann::json::parse(MetadataLine({"decrypt", "a", "b", &info, 0, 0}));
  ASSERT_EQ(j["encrypted_data_keys"].size(), 2u);
  EXPECT_EQ(j["encrypted_data_keys"][0]["provider_id"], "raw-ns");
  EXPECT_EQ(j["encrypted_data_keys"][0]["provider_info"], "rsa-key");
  EXPECT_EQ(j["encrypted_data_keys"][0]["provider_info_encoding"], "utf-8");
  EXPECT_EQ(j["encrypted_data_keys"][1]["provider_info"], "AP8Q");
  EXPECT_EQ(j["encrypted_data_keys"][1]["provider_info_encoding"], "base64");
}

TEST(MetadataLine, InvalidUtf8InContextDoesNotThrow) {
  MessageInfo info = SampleInfo();
  info.encryption_context["bad"] = std::string("\xff\xfe", 2);
  EXPECT_NO_THROW(nlohmann::json::parse(MetadataLine({"decrypt", "a", "b", &info, 0, 0})));
}

TEST(IsPrintableUtf8, AcceptsAsciiAndMultibyteText) {
  EXPECT_TRUE(IsPrintableUtf8(AsBytes("key-name")));
  EXPECT_TRUE(IsPrintableUtf8(AsBytes("é✓😀")));
}

TEST(IsPrintableUtf8, RejectsControlBytesAndInvalidSequences) {
  EXPECT_FALSE(IsPrintableUtf8(AsBytes(std::string("a\0b", 3))));
  EXPECT_FALSE(IsPrintableUtf8(AsBytes("\xc0\xaf")));      // overlong
  EXPECT_FALSE(IsPrintableUtf8(AsBytes("\xed\xa0\x80")));  // surrogate
  EXPECT_FALSE(IsPrintableUtf8(AsBytes("\xe2\x9c")));      // truncated
}

}  // namespace
}  // namespace envelope::cli
