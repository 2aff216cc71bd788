#include "crypto/aes_gcm.h"

#include <gtest/gtest.h>

#include <string>

#include "core/encoding.h"

namespace envelope::crypto {
namespace {

Bytes Hex(std::string_view hex) { return HexDecode(hex).value(); }

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 14 and 16.
struct Vector {
  const char* key;
  const char* iv;
  const char* aad;
  const char* plaintext;
  const char* ciphertext;
  const char* tag;
};

constexpr Vector kCase14 = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "000000000000000000000000", "", "00000000000000000000000000000000",
    "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"};

constexpr Vector kCase16 = {
    "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
    "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2",
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
    "76fc6ece0f4e1768cddf8853bb2d551b"};

void ExpectEncryptMatches(const Vector& v) {
  AesGcm gcm = AesGcm::Create(Hex(v.key)).value();
  const Bytes pt = Hex(v.plaintext);
  Bytes ct(pt.size());
  std::uint8_t tag[kGcmTagBytes];
  ASSERT_TRUE(gcm.Encrypt(Hex(v.iv), Hex(v.aad), pt, ct.data(), tag).ok());
  EXPECT_EQ(HexEncode(ct), v.ciphertext);
  EXPECT_EQ(HexEncode(ByteView(tag, kGcmTagBytes)), v.tag);
}

TEST(AesGcmTest, EncryptMatchesGcmSpecCase14) { ExpectEncryptMatches(kCase14); }

TEST(AesGcmTest, EncryptMatchesGcmSpecCase16WithAad) { ExpectEncryptMatches(kCase16); }

TEST(AesGcmTest, DecryptRecoversGcmSpecCase16Plaintext) {
  AesGcm gcm = AesGcm::Create(Hex(kCase16.key)).value();
  const Bytes ct = Hex(kCase16.ciphertext);
  Bytes pt(ct.size());
  ASSERT_TRUE(
      gcm.Decrypt(Hex(kCase16.iv), Hex(kCase16.aad), ct, Hex(kCase16.tag), pt.data()).ok());
  EXPECT_EQ(HexEncode(pt), kCase16.plaintext);
}

TEST(AesGcmTest, DecryptReturnsCorruptWhenTagIsTampered) {
  AesGcm gcm = AesGcm::Create(Hex(kCase16.key)).value();
  const Bytes ct = Hex(kCase16.ciphertext);
  Bytes tag = Hex(kCase16.tag);
  tag[5] ^= 0x01;
  Bytes pt(ct.size());
  Status s = gcm.Decrypt(Hex(kCase16.iv), Hex(kCase16.aad), ct, tag, pt.data());
  EXPECT_EQ(s.code(), Code::kCorrupt);
}

TEST(AesGcmTest, DecryptReturnsCorruptWhenAadDiffers) {
  AesGcm gcm = AesGcm::Create(Hex(kCase16.key)).value();
  const Bytes ct = Hex(kCase16.ciphertext);
  Bytes pt(ct.size());
  Status s = gcm.Decrypt(Hex(kCase16.iv), AsBytes("other"), ct, Hex(kCase16.tag), pt.data());
  EXPECT_EQ(s.code(), Code::kCorrupt);
}

TEST(AesGcmTest, DecryptSucceedsAgainAfterAFailure) {
  AesGcm gcm = AesGcm::Create(Hex(kCase16.key)).value();
  const Bytes ct = Hex(kCase16.ciphertext);
  Bytes pt(ct.size());
  Bytes bad_tag(kGcmTagBytes, 0);
  ASSERT_FALSE(gcm.Decrypt(Hex(kCase16.iv), Hex(kCase16.aad), ct, bad_tag, pt.data()).ok());
  EXPECT_TRUE(
      gcm.Decrypt(Hex(kCase16.iv), Hex(kCase16.aad), ct, Hex(kCase16.tag), pt.data()).ok());
}

TEST(AesGcmTest, EncryptInPlaceEqualsOutOfPlace) {
  AesGcm gcm = AesGcm::Create(Hex(kCase16.key)).value();
  Bytes buf = Hex(kCase16.plaintext);
  std::uint8_t tag[kGcmTagBytes];
  ASSERT_TRUE(gcm.Encrypt(Hex(kCase16.iv), Hex(kCase16.aad), buf, buf.data(), tag).ok());
  EXPECT_EQ(HexEncode(buf), kCase16.ciphertext);
}

TEST(AesGcmTest, StreamingEncryptEqualsOneShot) {
  AesGcm gcm = AesGcm::Create(Hex(kCase16.key)).value();
  Bytes pt(1000);
  for (std::size_t i = 0; i < pt.size(); ++i) {
    pt[i] = static_cast<std::uint8_t>(i * 7);
  }
  const Bytes iv = Hex(kCase16.iv);
  Bytes one_shot(pt.size());
  std::uint8_t one_shot_tag[kGcmTagBytes];
  ASSERT_TRUE(gcm.Encrypt(iv, AsBytes("aad"), pt, one_shot.data(), one_shot_tag).ok());

  Bytes streamed(pt.size());
  std::uint8_t streamed_tag[kGcmTagBytes];
  ASSERT_TRUE(gcm.Begin(true, iv, AsBytes("aad")).ok());
  const std::size_t cuts[] = {0, 1, 17, 33, 512, 999, 1000};
  for (std::size_t i = 0; i + 1 < std::size(cuts); ++i) {
    ByteView piece = ByteView(pt).subspan(cuts[i], cuts[i + 1] - cuts[i]);
    ASSERT_TRUE(gcm.Update(piece, streamed.data() + cuts[i]).ok());
  }
  ASSERT_TRUE(gcm.FinishEncrypt(streamed_tag).ok());
  EXPECT_EQ(streamed, one_shot);
  EXPECT_EQ(Bytes(streamed_tag, streamed_tag + 16), Bytes(one_shot_tag, one_shot_tag + 16));
}

TEST(AesGcmTest, StreamingDecryptReturnsCorruptOnBadTag) {
  AesGcm gcm = AesGcm::Create(Hex(kCase16.key)).value();
  const Bytes ct = Hex(kCase16.ciphertext);
  Bytes pt(ct.size());
  ASSERT_TRUE(gcm.Begin(false, Hex(kCase16.iv), Hex(kCase16.aad)).ok());
  ASSERT_TRUE(gcm.Update(ByteView(ct).first(10), pt.data()).ok());
  ASSERT_TRUE(gcm.Update(ByteView(ct).subspan(10), pt.data() + 10).ok());
  Bytes tag = Hex(kCase16.tag);
  tag[0] ^= 0x80;
  EXPECT_EQ(gcm.FinishDecrypt(tag).code(), Code::kCorrupt);
}

TEST(AesGcmTest, CloneWorksIndependentlyOfTheOriginal) {
  AesGcm original = AesGcm::Create(Hex(kCase16.key)).value();
  AesGcm clone = original.Clone().value();
  const Bytes pt = Hex(kCase16.plaintext);
  const Bytes iv = Hex(kCase16.iv);
  // Interleave: a half-done stream on the original must not disturb the clone.
  Bytes junk(pt.size());
  ASSERT_TRUE(original.Begin(true, iv, AsBytes("other aad")).ok());
  ASSERT_TRUE(original.Update(ByteView(pt).first(5), junk.data()).ok());
  Bytes ct(pt.size());
  std::uint8_t tag[kGcmTagBytes];
  ASSERT_TRUE(clone.Encrypt(iv, Hex(kCase16.aad), pt, ct.data(), tag).ok());
  EXPECT_EQ(HexEncode(ct), kCase16.ciphertext);
  Bytes back(ct.size());
  EXPECT_TRUE(original.Decrypt(iv, Hex(kCase16.aad), ct, ByteView(tag, 16), back.data()).ok());
  EXPECT_EQ(back, pt);
}

TEST(AesGcmTest, CreateRejectsBadKeySize) {
  EXPECT_EQ(AesGcm::Create(Bytes(20, 1)).status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(AesGcm::Create(Bytes(24, 1)).ok());
}

TEST(AesGcmTest, EncryptRejectsBadIvSize) {
  AesGcm gcm = AesGcm::Create(Bytes(16, 1)).value();
  std::uint8_t tag[kGcmTagBytes];
  EXPECT_EQ(gcm.Encrypt(Bytes(16, 0), {}, {}, nullptr, tag).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace envelope::crypto
