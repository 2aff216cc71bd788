#include <gtest/gtest.h>

#include <memory>

#include "envelope/keyrings.h"
#include "materials/test_util.h"

namespace envelope {
namespace {

using testing::DecMaterials;
using testing::EncMaterials;
using testing::KeyOfSize;
using testing::ScriptedKeyring;

constexpr AlgorithmSuite kSuite = AlgorithmSuite::kAes256GcmHkdfSha512CommitKey;

KeyringPtr Aes(std::string name, std::uint8_t first) {
  auto keyring = MakeRawAesKeyring("ns", std::move(name), KeyOfSize(32, first));
  EXPECT_TRUE(keyring.ok());
  return *keyring;
}

struct Fixture {
  KeyringPtr generator = Aes("gen", 1);
  KeyringPtr child1 = Aes("child1", 2);
  KeyringPtr child2 = Aes("child2", 3);
};

TEST(MultiKeyring, EncryptWrapsTheGeneratedKeyOncePerKeyring) {
  Fixture f;
  auto multi = MakeMultiKeyring(f.generator, {f.child1, f.child2});
  ASSERT_TRUE(multi.ok());
  EncryptionMaterials enc = EncMaterials(kSuite, {{"k", "v"}});
  ASSERT_TRUE((*multi)->OnEncrypt(enc).ok());
  ASSERT_EQ(enc.encrypted_data_keys.size(), 3u);
  EXPECT_EQ(enc.data_key.size(), 32u);
}

TEST(MultiKeyring, EachKeyringAloneDecryptsTheMessage) {
  Fixture f;
  auto multi = MakeMultiKeyring(f.generator, {f.child1, f.child2});
  ASSERT_TRUE(multi.ok());
  EncryptionMaterials enc = EncMaterials(kSuite, {{"k", "v"}});
  ASSERT_TRUE((*multi)->OnEncrypt(enc).ok());
  for (const KeyringPtr& alone : {f.generator, f.child1, f.child2}) {
    DecryptionMaterials dec = DecMaterials(kSuite, {{"k", "v"}});
    ASSERT_TRUE(alone->OnDecrypt(dec, enc.encrypted_data_keys).ok());
    EXPECT_TRUE(dec.data_key.Equals(enc.data_key.span()));
  }
}

TEST(MultiKeyring, DecryptSucceedsThroughALaterChild) {
  Fixture f;
  EncryptionMaterials enc = EncMaterials(kSuite);
  ASSERT_TRUE(f.child2->OnEncrypt(enc).ok());
  auto multi = MakeMultiKeyring(f.generator, {f.child1, f.child2});
  ASSERT_TRUE(multi.ok());
  DecryptionMaterials dec = DecMaterials(kSuite);
  ASSERT_TRUE((*multi)->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.Equals(enc.data_key.span()));
}

TEST(MultiKeyring, EncryptFailsWithoutGeneratorOrDataKey) {
  Fixture f;
  auto multi = MakeMultiKeyring(nullptr, {f.child1});
  ASSERT_TRUE(multi.ok());
  EncryptionMaterials enc = EncMaterials(kSuite);
  EXPECT_EQ((*multi)->OnEncrypt(enc).code(), Code::kInvalidArgument);
}

TEST(MultiKeyring, EncryptWithoutGeneratorWrapsAGivenDataKey) {
  Fixture f;
  auto multi = MakeMultiKeyring(nullptr, {f.child1});
  ASSERT_TRUE(multi.ok());
  EncryptionMaterials enc = EncMaterials(kSuite);
  enc.data_key = KeyOfSize(32, 50);
  ASSERT_TRUE((*multi)->OnEncrypt(enc).ok());
  EXPECT_EQ(enc.encrypted_data_keys.size(), 1u);
}

TEST(MultiKeyring, EncryptStopsAtAChildError) {
  Fixture f;
  auto failing = std::make_shared<ScriptedKeyring>(Unavailable("down"));
  auto multi = MakeMultiKeyring(f.generator, {failing, f.child1});
  ASSERT_TRUE(multi.ok());
  EncryptionMaterials enc = EncMaterials(kSuite);
  EXPECT_EQ((*multi)->OnEncrypt(enc).code(), Code::kUnavailable);
}

TEST(MultiKeyring, DecryptKeyFromAnyKeyringWinsOverErrors) {
  auto failing = std::make_shared<ScriptedKeyring>(Unavailable("down"));
  auto good = std::make_shared<ScriptedKeyring>(OkStatus(), Bytes(32, 0xAB));
  auto multi = MakeMultiKeyring(failing, {good});
  ASSERT_TRUE(multi.ok());
  DecryptionMaterials dec = DecMaterials(kSuite);
  ASSERT_TRUE((*multi)->OnDecrypt(dec, {}).ok());
  EXPECT_TRUE(dec.data_key.Equals(Bytes(32, 0xAB)));
}

TEST(MultiKeyring, DecryptStopsAtTheFirstKeyringThatYieldsTheKey) {
  auto first = std::make_shared<ScriptedKeyring>(OkStatus(), Bytes(32, 1));
  auto second = std::make_shared<ScriptedKeyring>(OkStatus(), Bytes(32, 2));
  auto multi = MakeMultiKeyring(first, {second});
  ASSERT_TRUE(multi.ok());
  DecryptionMaterials dec = DecMaterials(kSuite);
  ASSERT_TRUE((*multi)->OnDecrypt(dec, {}).ok());
  EXPECT_EQ(second->decrypt_calls, 0);
  EXPECT_TRUE(dec.data_key.Equals(Bytes(32, 1)));
}

TEST(MultiKeyring, DecryptCombinesErrorsWhenNoKeyringSucceeds) {
  auto first = std::make_shared<ScriptedKeyring>(Unavailable("first down"));
  auto second = std::make_shared<ScriptedKeyring>(PermissionDenied("second denied"));
  auto multi = MakeMultiKeyring(first, {second});
  ASSERT_TRUE(multi.ok());
  DecryptionMaterials dec = DecMaterials(kSuite);
  Status s = (*multi)->OnDecrypt(dec, {});
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find("first down"), std::string::npos);
  EXPECT_NE(s.message().find("second denied"), std::string::npos);
}

TEST(MultiKeyring, DecryptReturnsOkWithoutKeyWhenNothingMatches) {
  auto quiet = std::make_shared<ScriptedKeyring>(OkStatus());
  auto multi = MakeMultiKeyring(nullptr, {quiet});
  ASSERT_TRUE(multi.ok());
  DecryptionMaterials dec = DecMaterials(kSuite);
  EXPECT_TRUE((*multi)->OnDecrypt(dec, {}).ok());
  EXPECT_TRUE(dec.data_key.empty());
}

TEST(MultiKeyring, CreateRejectsNoKeyrings) {
  auto multi = MakeMultiKeyring(nullptr, {});
  ASSERT_FALSE(multi.ok());
  EXPECT_EQ(multi.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace envelope
