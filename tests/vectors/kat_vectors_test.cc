// Known-answer vectors with an injected data key: the v2 commitment KATs (key derivation,
// commitment and whole-message decrypt) and the v1 decrypt-oracle vectors.
#include <gtest/gtest.h>

#include "core/encoding.h"
#include "envelope/envelope.h"
#include "envelope/keyrings.h"
#include "format/header.h"
#include "message/key_derivation.h"
#include "tests/testing/fixed_keyring.h"
#include "tests/vectors/vector_files.h"

namespace envelope {
namespace {

using nlohmann::json;

Bytes B64(const json& j) {
  auto bytes = Base64Decode(j.get<std::string>());
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? *bytes : Bytes();
}

Result<Bytes> DecryptWithKey(const Bytes& data_key, const Bytes& ciphertext) {
  CmmPtr cmm = MakeDefaultCmm(std::make_shared<testing::FixedKeyring>(SecretBytes(data_key)));
  DecryptOptions options;
  options.commitment_policy = CommitmentPolicy::kRequireEncryptAllowDecrypt;
  return DecryptBuffer(*cmm, options, ciphertext);
}

class KatVectorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = testing::EsdkVectorsDir();
    if (!dir) GTEST_SKIP() << "SKIPPED: ../shared/vectors/esdk not found";
    dir_ = *dir;
  }
  std::filesystem::path dir_;
};

TEST_F(KatVectorsTest, CommitmentKatsDeriveTheStatedKeysAndDecryptOrFailAsStated) {
  const json kats = testing::ReadJson(dir_ / "commitment-kat" / "commitment-test-vectors.json");
  int positive = 0, negative = 0;
  for (const json& kat : kats.at("tests")) {
    SCOPED_TRACE(kat.value("comment", ""));
    const Bytes ciphertext = B64(kat.at("ciphertext"));
    const Bytes dek = B64(kat.at("decrypted-dek"));
    ByteReader reader(ciphertext);
    auto header = format::ParseHeader(reader, {});
    ASSERT_TRUE(header.ok()) << header.status().ToString();
    EXPECT_EQ(header->message_id, B64(kat.at("message-id")));
    auto keys = message::DeriveKeys(*header->suite, SecretBytes(dek), header->message_id);
    ASSERT_TRUE(keys.ok());
    const bool good = kat.at("status").get<bool>();
    if (good) {
      EXPECT_EQ(keys->commit_key, B64(kat.at("commitment")));
      EXPECT_EQ(keys->commit_key, header->commit_key);
    }
    if (kat.contains("content-encryption-key") && good) {
      EXPECT_TRUE(keys->encryption_key.Equals(B64(kat.at("content-encryption-key"))));
    }
    auto plaintext = DecryptWithKey(dek, ciphertext);
    if (good) {
      ASSERT_TRUE(plaintext.ok()) << plaintext.status().ToString();
      std::string expected;
      for (const json& frame : kat.value("plaintext-frames", json::array())) {
        expected += frame.get<std::string>();
      }
      EXPECT_EQ(AsChars(*plaintext), expected);
      ++positive;
    } else {
      EXPECT_FALSE(plaintext.ok()) << "a failing KAT decrypted";
      ++negative;
    }
  }
  EXPECT_EQ(positive, 41);
  EXPECT_EQ(negative, 5);
}

TEST_F(KatVectorsTest, DecryptOracleVectorsWithLocalDataKeysDecrypt) {
  const json vectors = testing::ReadJson(dir_ / "decrypt-oracle-kat" / "decrypt_vectors.json");
  int checked = 0;
  for (const json& v : vectors) {
    const std::string type = v.at("key-type").is_null() ? "null" : v.at("key-type").get<std::string>();
    if (type != "null" && type != "test_counting") continue;  // the others need AWS KMS
    SCOPED_TRACE(type + " " + v.at("algorithm-suite").get<std::string>());
    const Bytes ciphertext = B64(v.at("ciphertext"));
    ByteReader reader(ciphertext);
    auto header = format::ParseHeader(reader, {});
    ASSERT_TRUE(header.ok()) << header.status().ToString();
    Bytes dek(header->suite->key_bytes, 0);
    if (type == "test_counting") {
      for (std::size_t i = 0; i < dek.size(); ++i) dek[i] = static_cast<std::uint8_t>(i + 1);
    }
    auto plaintext = DecryptWithKey(dek, ciphertext);
    ASSERT_TRUE(plaintext.ok()) << plaintext.status().ToString();
    EXPECT_EQ(*plaintext, B64(v.at("plaintext")));
    ++checked;
  }
  EXPECT_EQ(checked, 18);
}

}  // namespace
}  // namespace envelope
