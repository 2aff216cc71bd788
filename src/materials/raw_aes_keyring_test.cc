#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "core/bytes.h"
#include "envelope/keyrings.h"
#include "materials/test_util.h"

namespace envelope {
namespace {

using testing::DecMaterials;
using testing::EncMaterials;
using testing::KeyOfSize;

constexpr AlgorithmSuite kSuite = AlgorithmSuite::kAes256GcmHkdfSha512CommitKey;

KeyringPtr MakeAes(std::string ns, std::string name, std::size_t key_size = 32,
                   std::uint8_t first = 1) {
  auto keyring = MakeRawAesKeyring(std::move(ns), std::move(name), KeyOfSize(key_size, first));
  EXPECT_TRUE(keyring.ok()) << keyring.status().ToString();
  return *keyring;
}

// Encrypts with `keyring` under `context`, then decrypts the EDKs with `decryptor` under
// `decrypt_context`; returns the decryption materials.
DecryptionMaterials RoundTrip(const Keyring& keyring, const Keyring& decryptor,
                              const EncryptionContext& context,
                              const EncryptionContext& decrypt_context, SecretBytes* data_key) {
  EncryptionMaterials enc = EncMaterials(kSuite, context);
  Status s = keyring.OnEncrypt(enc);
  EXPECT_TRUE(s.ok()) << s.ToString();
  DecryptionMaterials dec = DecMaterials(kSuite, decrypt_context);
  s = decryptor.OnDecrypt(dec, enc.encrypted_data_keys);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (data_key != nullptr) {
    *data_key = std::move(enc.data_key);
  }
  return dec;
}

class RawAesKeyringSizes : public ::testing::TestWithParam<std::size_t> {};

TEST_P(RawAesKeyringSizes, RoundTripRecoversTheGeneratedDataKey) {
  KeyringPtr keyring = MakeAes("ns", "key", GetParam());
  SecretBytes generated;
  DecryptionMaterials dec = RoundTrip(*keyring, *keyring, {{"a", "b"}}, {{"a", "b"}}, &generated);
  ASSERT_EQ(generated.size(), 32u);
  EXPECT_TRUE(dec.data_key.Equals(generated.span()));
}

INSTANTIATE_TEST_SUITE_P(WrappingKeySizes, RawAesKeyringSizes, ::testing::Values(16, 24, 32));

TEST(RawAesKeyring, EncryptWritesTheSpecifiedEdkLayout) {
  KeyringPtr keyring = MakeAes("my-namespace", "aes-256");
  EncryptionMaterials enc = EncMaterials(AlgorithmSuite::kAes128GcmIv12Tag16NoKdf);
  ASSERT_TRUE(keyring->OnEncrypt(enc).ok());
  ASSERT_EQ(enc.data_key.size(), 16u);
  ASSERT_EQ(enc.encrypted_data_keys.size(), 1u);
  const EncryptedDataKey& edk = enc.encrypted_data_keys[0];
  EXPECT_EQ(edk.provider_id, "my-namespace");
  ASSERT_EQ(edk.provider_info.size(), 7u + 20u);
  EXPECT_EQ(AsChars(ByteView(edk.provider_info).first(7)), "aes-256");
  EXPECT_EQ(LoadU32(edk.provider_info.data() + 7), 128u);
  EXPECT_EQ(LoadU32(edk.provider_info.data() + 11), 12u);
  EXPECT_EQ(edk.ciphertext.size(), 16u + 16u);
}

TEST(RawAesKeyring, EncryptUsesAFreshIvPerEdk) {
  KeyringPtr keyring = MakeAes("ns", "key");
  EncryptionMaterials enc = EncMaterials(kSuite);
  ASSERT_TRUE(keyring->OnEncrypt(enc).ok());
  ASSERT_TRUE(keyring->OnEncrypt(enc).ok());
  ASSERT_EQ(enc.encrypted_data_keys.size(), 2u);
  EXPECT_NE(enc.encrypted_data_keys[0].provider_info, enc.encrypted_data_keys[1].provider_info);
}

TEST(RawAesKeyring, EncryptWrapsAnExistingDataKeyWithoutReplacingIt) {
  KeyringPtr keyring = MakeAes("ns", "key");
  EncryptionMaterials enc = EncMaterials(kSuite);
  enc.data_key = KeyOfSize(32, 100);
  ASSERT_TRUE(keyring->OnEncrypt(enc).ok());
  EXPECT_TRUE(enc.data_key.Equals(KeyOfSize(32, 100).span()));
  DecryptionMaterials dec = DecMaterials(kSuite);
  ASSERT_TRUE(keyring->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.Equals(KeyOfSize(32, 100).span()));
}

TEST(RawAesKeyring, DecryptSkipsEdkWithOtherKeyName) {
  KeyringPtr writer = MakeAes("ns", "key");
  KeyringPtr reader = MakeAes("ns", "key2");  // same key bytes, different name
  DecryptionMaterials dec = RoundTrip(*writer, *reader, {}, {}, nullptr);
  EXPECT_TRUE(dec.data_key.empty());
}

TEST(RawAesKeyring, DecryptSkipsEdkWhoseNameIsAPrefixOfOurs) {
  KeyringPtr writer = MakeAes("ns", "ke");
  KeyringPtr reader = MakeAes("ns", "key");
  DecryptionMaterials dec = RoundTrip(*writer, *reader, {}, {}, nullptr);
  EXPECT_TRUE(dec.data_key.empty());
}

TEST(RawAesKeyring, DecryptSkipsEdkWithOtherNamespace) {
  KeyringPtr writer = MakeAes("ns", "key");
  KeyringPtr reader = MakeAes("other", "key");
  DecryptionMaterials dec = RoundTrip(*writer, *reader, {}, {}, nullptr);
  EXPECT_TRUE(dec.data_key.empty());
}

TEST(RawAesKeyring, DecryptYieldsNoKeyWhenContextDiffers) {
  KeyringPtr keyring = MakeAes("ns", "key");
  DecryptionMaterials dec = RoundTrip(*keyring, *keyring, {{"a", "b"}}, {{"a", "c"}}, nullptr);
  EXPECT_TRUE(dec.data_key.empty());
}

TEST(RawAesKeyring, DecryptYieldsNoKeyUnderAnotherWrappingKey) {
  KeyringPtr writer = MakeAes("ns", "key", 32, 1);
  KeyringPtr reader = MakeAes("ns", "key", 32, 2);
  DecryptionMaterials dec = RoundTrip(*writer, *reader, {}, {}, nullptr);
  EXPECT_TRUE(dec.data_key.empty());
}

TEST(RawAesKeyring, DecryptTriesTheNextEdkAfterATagFailure) {
  KeyringPtr wrong = MakeAes("ns", "key", 32, 7);
  KeyringPtr right = MakeAes("ns", "key", 32, 1);
  EncryptionMaterials enc = EncMaterials(kSuite);
  ASSERT_TRUE(wrong->OnEncrypt(enc).ok());
  ASSERT_TRUE(right->OnEncrypt(enc).ok());
  DecryptionMaterials dec = DecMaterials(kSuite);
  ASSERT_TRUE(right->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.Equals(enc.data_key.span()));
}

TEST(RawAesKeyring, DecryptLeavesAnExistingDataKeyAlone) {
  KeyringPtr keyring = MakeAes("ns", "key");
  EncryptionMaterials enc = EncMaterials(kSuite);
  ASSERT_TRUE(keyring->OnEncrypt(enc).ok());
  DecryptionMaterials dec = DecMaterials(kSuite);
  dec.data_key = KeyOfSize(32, 9);
  ASSERT_TRUE(keyring->OnDecrypt(dec, enc.encrypted_data_keys).ok());
  EXPECT_TRUE(dec.data_key.Equals(KeyOfSize(32, 9).span()));
}

TEST(RawAesKeyring, ConcurrentRoundTripsOnOneKeyringAllSucceed) {
  KeyringPtr keyring = MakeAes("ns", "key");
  std::atomic<int> successes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        EncryptionMaterials enc = EncMaterials(kSuite, {{"i", std::to_string(i)}});
        DecryptionMaterials dec = DecMaterials(kSuite, {{"i", std::to_string(i)}});
        if (keyring->OnEncrypt(enc).ok() && keyring->OnDecrypt(dec, enc.encrypted_data_keys).ok() &&
            dec.data_key.Equals(enc.data_key.span())) {
          ++successes;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(successes.load(), 200);
}

TEST(RawAesKeyring, CreateRejectsBadKeySize) {
  auto keyring = MakeRawAesKeyring("ns", "key", KeyOfSize(20));
  ASSERT_FALSE(keyring.ok());
  EXPECT_EQ(keyring.status().code(), Code::kInvalidArgument);
}

TEST(RawAesKeyring, CreateRejectsEmptyName) {
  auto keyring = MakeRawAesKeyring("ns", "", KeyOfSize(32));
  ASSERT_FALSE(keyring.ok());
  EXPECT_EQ(keyring.status().code(), Code::kInvalidArgument);
}

TEST(RawAesKeyring, CreateRejectsReservedKmsNamespace) {
  auto keyring = MakeRawAesKeyring("aws-kms", "key", KeyOfSize(32));
  ASSERT_FALSE(keyring.ok());
  EXPECT_EQ(keyring.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace envelope
