#include "format/body.h"

#include <gtest/gtest.h>

#include "format/suites.h"

namespace envelope::format {
namespace {

Bytes RegularFrame(std::uint32_t seq, std::size_t length) {
  Bytes out(kRegularFramePrefixBytes);
  WriteRegularFramePrefix(seq, out.data());
  out.insert(out.end(), length, 0x11);
  out.insert(out.end(), kTagBytes, 0x22);
  return out;
}

Bytes FinalFrame(std::uint32_t seq, std::uint32_t length) {
  Bytes out(kFinalFramePrefixBytes);
  WriteFinalFramePrefix(seq, length, out.data());
  out.insert(out.end(), length, 0x33);
  out.insert(out.end(), kTagBytes, 0x44);
  return out;
}

std::string AadString(ByteView message_id, BodyKind kind, std::uint32_t seq, std::uint64_t len) {
  std::uint8_t buf[kMaxBodyAadBytes];
  const std::size_t n = WriteBodyAad(message_id, kind, seq, len, buf);
  return std::string(AsChars(ByteView(buf, n)));
}

TEST(BodyAad, RegularFrameIsMessageIdLabelSequenceAndLength) {
  const Bytes id(16, 0xA5);
  const std::string expected = std::string(16, '\xA5') + "AWSKMSEncryptionClient Frame" +
                               std::string("\x00\x00\x00\x02", 4) +
                               std::string("\x00\x00\x00\x00\x00\x00\x10\x00", 8);
  EXPECT_EQ(AadString(id, BodyKind::kRegularFrame, 2, 4096), expected);
}

TEST(BodyAad, FinalFrameUsesFinalLabelAndItsOwnLength) {
  const Bytes id(16, 0x01);
  const std::string expected = std::string(16, '\x01') + "AWSKMSEncryptionClient Final Frame" +
                               std::string("\x00\x00\x00\x03", 4) +
                               std::string("\x00\x00\x00\x00\x00\x00\x00\x07", 8);
  EXPECT_EQ(AadString(id, BodyKind::kFinalFrame, 3, 7), expected);
}

TEST(BodyAad, SingleBlockWithV2MessageIdFillsTheMaximumSize) {
  const Bytes id(32, 0x5A);
  const std::string aad = AadString(id, BodyKind::kSingleBlock, 1, 0x0102030405);
  EXPECT_EQ(aad.size(), kMaxBodyAadBytes);
  EXPECT_EQ(aad, std::string(32, '\x5A') + "AWSKMSEncryptionClient Single Block" +
                     std::string("\x00\x00\x00\x01\x00\x00\x00\x01\x02\x03\x04\x05", 12));
}

TEST(Iv, CanonicalIvIsEightZeroBytesThenSequence) {
  std::uint8_t iv[12];
  WriteCanonicalIv(0x01020304, iv);
  EXPECT_EQ(Bytes(iv, iv + 12), (Bytes{0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}));
}

TEST(Frame, RegularFrameParsesFields) {
  const Bytes bytes = RegularFrame(7, 32);
  ByteReader in(bytes);
  auto frame = ParseFrame(in, 32);
  ASSERT_TRUE(frame.ok()) << frame.status().ToString();
  EXPECT_FALSE(frame->final);
  EXPECT_EQ(frame->sequence, 7u);
  EXPECT_EQ(Bytes(frame->iv.begin(), frame->iv.end()), (Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7}));
  EXPECT_EQ(Bytes(frame->ciphertext.begin(), frame->ciphertext.end()), Bytes(32, 0x11));
  EXPECT_EQ(Bytes(frame->tag.begin(), frame->tag.end()), Bytes(16, 0x22));
  EXPECT_TRUE(in.empty());
}

TEST(Frame, RegularFrameTakesExactlyFrameLengthBytes) {
  Bytes bytes = RegularFrame(1, 32);
  const Bytes next = FinalFrame(2, 0);
  bytes.insert(bytes.end(), next.begin(), next.end());
  ByteReader in(bytes);
  ASSERT_TRUE(ParseFrame(in, 32).ok());
  auto final = ParseFrame(in, 32);
  ASSERT_TRUE(final.ok());
  EXPECT_TRUE(final->final);
  EXPECT_TRUE(in.empty());
}

TEST(Frame, FinalFrameParsesFieldsAndShortLength) {
  const Bytes bytes = FinalFrame(9, 5);
  ByteReader in(bytes);
  auto frame = ParseFrame(in, 4096);
  ASSERT_TRUE(frame.ok());
  EXPECT_TRUE(frame->final);
  EXPECT_EQ(frame->sequence, 9u);
  EXPECT_EQ(frame->ciphertext.size(), 5u);
  EXPECT_EQ(Bytes(frame->tag.begin(), frame->tag.end()), Bytes(16, 0x44));
  EXPECT_TRUE(in.empty());
}

TEST(Frame, EmptyFinalFrameIsAccepted) {
  const Bytes bytes = FinalFrame(2, 0);
  ByteReader in(bytes);
  auto frame = ParseFrame(in, 4096);
  ASSERT_TRUE(frame.ok());
  EXPECT_TRUE(frame->ciphertext.empty());
}

TEST(Frame, FullFinalFrameIsAccepted) {
  const Bytes bytes = FinalFrame(2, 64);
  ByteReader in(bytes);
  EXPECT_TRUE(ParseFrame(in, 64).ok());
}

TEST(Frame, FinalFrameLongerThanFrameLengthIsCorrupt) {
  const Bytes bytes = FinalFrame(2, 65);
  ByteReader in(bytes);
  auto frame = ParseFrame(in, 64);
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.status().code(), Code::kCorrupt);
  EXPECT_EQ(frame.status().message(), "frame: final frame length 65 exceeds the frame length 64");
  EXPECT_FALSE(in.truncated());
}

TEST(Frame, StoredIvIsReturnedEvenWhenNotCanonical) {
  Bytes bytes = FinalFrame(1, 3);
  std::fill(bytes.begin() + 8, bytes.begin() + 16, 0xFF);
  ByteReader in(bytes);
  auto frame = ParseFrame(in, 16);
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(Bytes(frame->iv.begin(), frame->iv.end()),
            (Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1}));
}

TEST(Frame, TruncationAtEveryByteSetsTruncatedAndKeepsPosition) {
  for (const Bytes& bytes : {RegularFrame(1, 20), FinalFrame(2, 10)}) {
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      ByteReader in(ByteView(bytes).first(n));
      auto frame = ParseFrame(in, 20);
      ASSERT_FALSE(frame.ok()) << n;
      EXPECT_TRUE(in.truncated()) << n;
      EXPECT_EQ(in.position(), 0u);
    }
  }
}

TEST(NonFramed, PrefixParsesIvAndLength) {
  Bytes bytes(12, 0);
  bytes.back() = 1;
  ByteWriter(bytes).U64(1000);
  ByteReader in(bytes);
  auto prefix = ParseNonFramedPrefix(in);
  ASSERT_TRUE(prefix.ok());
  EXPECT_EQ(prefix->length, 1000u);
  EXPECT_EQ(prefix->iv.size(), 12u);
  EXPECT_TRUE(in.empty());
}

TEST(NonFramed, LengthAtTheLimitIsAcceptedAndAboveIsCorrupt) {
  Bytes ok(12, 0);
  ByteWriter(ok).U64(kMaxNonFramedLength);
  ByteReader in_ok(ok);
  EXPECT_TRUE(ParseNonFramedPrefix(in_ok).ok());
  Bytes bad(12, 0);
  ByteWriter(bad).U64(kMaxNonFramedLength + 1);
  ByteReader in_bad(bad);
  auto prefix = ParseNonFramedPrefix(in_bad);
  ASSERT_FALSE(prefix.ok());
  EXPECT_EQ(prefix.status().code(), Code::kCorrupt);
  EXPECT_FALSE(in_bad.truncated());
}

TEST(NonFramed, ShortPrefixIsTruncated) {
  const Bytes bytes(19, 0);
  ByteReader in(bytes);
  EXPECT_FALSE(ParseNonFramedPrefix(in).ok());
  EXPECT_TRUE(in.truncated());
}

TEST(Footer, RoundTrips) {
  const Bytes signature(103, 0x30);
  Bytes bytes;
  AppendFooter(signature, bytes);
  EXPECT_EQ(bytes.size(), 105u);
  ByteReader in(bytes);
  auto parsed = ParseFooter(in);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(Bytes(parsed->begin(), parsed->end()), signature);
  EXPECT_TRUE(in.empty());
}

TEST(Footer, EmptySignatureIsCorrupt) {
  const Bytes bytes = {0, 0};
  ByteReader in(bytes);
  auto parsed = ParseFooter(in);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), Code::kCorrupt);
  EXPECT_FALSE(in.truncated());
}

TEST(Footer, ShortSignatureIsTruncated) {
  const Bytes bytes = {0, 71, 0x30, 0x45};
  ByteReader in(bytes);
  EXPECT_FALSE(ParseFooter(in).ok());
  EXPECT_TRUE(in.truncated());
}

}  // namespace
}  // namespace envelope::format
