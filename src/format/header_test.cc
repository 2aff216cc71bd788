#include "format/header.h"

#include <gtest/gtest.h>

#include "format/encryption_context.h"
#include "format/test_util.h"

namespace envelope::format {
namespace {

using testing::MakeHeader;
using testing::SerializeFull;

struct Parsed {
  Result<Header> header;
  bool truncated;
  std::size_t position;
};

Parsed Parse(ByteView bytes, HeaderLimits limits = {}) {
  ByteReader in(bytes);
  Result<Header> header = ParseHeader(in, limits);
  return {std::move(header), in.truncated(), in.position()};
}

void ExpectCorrupt(const Parsed& p, std::string_view message) {
  ASSERT_FALSE(p.header.ok());
  EXPECT_EQ(p.header.status().code(), Code::kCorrupt);
  EXPECT_EQ(p.header.status().message(), message);
  EXPECT_FALSE(p.truncated);
}

void ExpectSameHeader(const Header& a, const Header& b) {
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.suite, b.suite);
  EXPECT_EQ(a.message_id, b.message_id);
  EXPECT_EQ(a.encryption_context, b.encryption_context);
  EXPECT_EQ(a.encrypted_data_keys, b.encrypted_data_keys);
  EXPECT_EQ(a.content_type, b.content_type);
  EXPECT_EQ(a.frame_length, b.frame_length);
  EXPECT_EQ(a.commit_key, b.commit_key);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.iv, b.iv);
  EXPECT_EQ(a.tag, b.tag);
}

const EncryptionContext kContext = {{"tenant", "acme"}, {"\xC3\xA9t\xC3\xA9", "\xE2\x82\xAC 5"}};

class HeaderRoundTrip
    : public ::testing::TestWithParam<std::tuple<std::uint16_t, ContentType, bool>> {};

TEST_P(HeaderRoundTrip, SerializeThenParseGivesTheSameHeader) {
  const auto [suite, content_type, with_context] = GetParam();
  Header h = MakeHeader(suite, content_type, with_context ? kContext : EncryptionContext{});
  h.encrypted_data_keys.push_back({"raw", ToBytes("name"), Bytes(48, 1)});
  Bytes bytes = SerializeFull(h);
  ASSERT_FALSE(bytes.empty());
  Parsed p = Parse(bytes);
  ASSERT_TRUE(p.header.ok()) << p.header.status().ToString();
  ExpectSameHeader(*p.header, h);
  EXPECT_EQ(p.position, bytes.size());
  EXPECT_EQ(p.header->iv.size(), h.suite->message_version == 1 ? 12u : 0u);
}

INSTANTIATE_TEST_SUITE_P(
    AllShapes, HeaderRoundTrip,
    ::testing::Combine(::testing::Values(0x0014, 0x0378, 0x0478, 0x0578),
                       ::testing::Values(ContentType::kFramed, ContentType::kNonFramed),
                       ::testing::Bool()));

TEST(Header, V1LayoutHasTypeReservedAndIvLength) {
  Header h = MakeHeader(0x0178, ContentType::kFramed);
  Bytes bytes = SerializeFull(h);
  EXPECT_EQ(bytes[0], 1);
  EXPECT_EQ(bytes[1], 0x80);
  EXPECT_EQ(bytes[2], 0x01);
  EXPECT_EQ(bytes[3], 0x78);
  const std::size_t n = h.body.size();
  EXPECT_EQ(h.body[n - 10], 2);  // content type
  EXPECT_EQ(Bytes(h.body.end() - 9, h.body.end() - 5), Bytes(4, 0));
  EXPECT_EQ(h.body[n - 5], 12);
  EXPECT_EQ(bytes.size(), n + 12 + 16);
  EXPECT_EQ(h.iv, Bytes(12, 0));
}

TEST(Header, V2LayoutHasNoTypeAndEndsWithCommitKey) {
  Header h = MakeHeader(0x0478, ContentType::kFramed);
  Bytes bytes = SerializeFull(h);
  EXPECT_EQ(bytes[0], 2);
  EXPECT_EQ(bytes[1], 0x04);
  EXPECT_EQ(bytes[2], 0x78);
  EXPECT_EQ(Bytes(h.body.end() - 32, h.body.end()), Bytes(32, 0xCC));
  EXPECT_EQ(h.body[h.body.size() - 37], 2);
  EXPECT_EQ(bytes.size(), h.body.size() + 16);
}

TEST(Header, EmptyContextWritesZeroAadLengthAndNoCount) {
  Header h = MakeHeader(0x0078, ContentType::kFramed);
  SerializeFull(h);
  // version, type, suite, 16-byte id, then aad_len = 0 and immediately the EDK count 1.
  EXPECT_EQ(Bytes(h.body.begin() + 20, h.body.begin() + 24), (Bytes{0, 0, 0, 1}));
}

TEST(Header, SerializeWritesContextPairsSorted) {
  Header h = MakeHeader(0x0078, ContentType::kFramed, {{"b", "2"}, {"a", "1"}});
  SerializeFull(h);
  const Bytes expected = {0, 14, 0, 2, 0, 1, 'a', 0, 1, '1', 0, 1, 'b', 0, 1, '2'};
  EXPECT_EQ(Bytes(h.body.begin() + 20, h.body.begin() + 36), expected);
}

TEST(Header, ParseAcceptsUnsortedContextAndKeepsBodyBytesAsReceived) {
  Header h = MakeHeader(0x0078, ContentType::kFramed, {{"a", "1"}, {"b", "2"}});
  Bytes bytes = SerializeFull(h);
  // Swap the two 6-byte pairs in place: the length is unchanged, the order is not canonical.
  std::rotate(bytes.begin() + 24, bytes.begin() + 30, bytes.begin() + 36);
  Parsed p = Parse(bytes);
  ASSERT_TRUE(p.header.ok()) << p.header.status().ToString();
  EXPECT_EQ(p.header->encryption_context, h.encryption_context);
  EXPECT_EQ(p.header->body, Bytes(bytes.begin(), bytes.begin() + h.body.size()));
  EXPECT_NE(p.header->body, h.body);
}

TEST(Header, ParseRejectsUnknownVersion) {
  Header h = MakeHeader(0x0078, ContentType::kFramed);
  Bytes bytes = SerializeFull(h);
  bytes[0] = 3;
  ExpectCorrupt(Parse(bytes), "header: unsupported version 3");
}

TEST(Header, ParseRejectsUnknownV1Type) {
  Header h = MakeHeader(0x0078, ContentType::kFramed);
  Bytes bytes = SerializeFull(h);
  bytes[1] = 0x81;
  ExpectCorrupt(Parse(bytes), "header: unsupported message type 129");
}

TEST(Header, ParseRejectsNonEsdkSuites) {
  for (std::uint16_t id : {0x0000, 0x0070, 0x0074, 0x6700, 0x6701}) {
    Header h = MakeHeader(0x0078, ContentType::kFramed);
    Bytes bytes = SerializeFull(h);
    bytes[2] = static_cast<std::uint8_t>(id >> 8);
    bytes[3] = static_cast<std::uint8_t>(id);
    Parsed p = Parse(bytes);
    ASSERT_FALSE(p.header.ok()) << id;
    EXPECT_EQ(p.header.status().code(), Code::kCorrupt);
    EXPECT_FALSE(p.truncated);
  }
}

TEST(Header, ParseRejectsV2SuiteInV1Message) {
  Header h = MakeHeader(0x0078, ContentType::kFramed);
  Bytes bytes = SerializeFull(h);
  bytes[2] = 0x04;
  ExpectCorrupt(Parse(bytes), "header: algorithm suite 0x0478 in a version 1 message");
}

TEST(Header, ParseRejectsV1SuiteInV2Message) {
  Header h = MakeHeader(0x0478, ContentType::kFramed);
  Bytes bytes = SerializeFull(h);
  bytes[1] = 0x01;
  ExpectCorrupt(Parse(bytes), "header: algorithm suite 0x0178 in a version 2 message");
}

TEST(Header, ParseRejectsZeroEncryptedDataKeys) {
  const Bytes bytes = {1, 0x80, 0x00, 0x78, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                       0, 0, 0, 0};
  ExpectCorrupt(Parse(bytes), "header: encrypted data key count 0");
}

TEST(Header, ParseRejectsTooManyKeysAsSoonAsTheCountIsRead) {
  // The input ends right after the count: the limit fails before any EDK is read.
  const Bytes bytes = {1, 0x80, 0x00, 0x78, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                       0, 0, 0, 3};
  ExpectCorrupt(Parse(bytes, {.max_encrypted_data_keys = 2}),
                "header: encrypted data key count 3 exceeds the maximum 2");
}

TEST(Header, ParseAcceptsKeyCountEqualToTheMaximum) {
  Header h = MakeHeader(0x0478, ContentType::kFramed);
  h.encrypted_data_keys.push_back(h.encrypted_data_keys[0]);
  Bytes bytes = SerializeFull(h);
  EXPECT_TRUE(Parse(bytes, {.max_encrypted_data_keys = 2}).header.ok());
  EXPECT_FALSE(Parse(bytes, {.max_encrypted_data_keys = 1}).header.ok());
}

TEST(Header, ParseRejectsUnknownContentType) {
  Header h = MakeHeader(0x0478, ContentType::kFramed);
  Bytes bytes = SerializeFull(h);
  bytes[h.body.size() - 37] = 3;
  ExpectCorrupt(Parse(bytes), "header: unsupported content type 3");
}

TEST(Header, ParseRejectsNonFramedWithFrameLength) {
  Header h = MakeHeader(0x0078, ContentType::kNonFramed);
  Bytes bytes = SerializeFull(h);
  bytes[h.body.size() - 1] = 5;
  ExpectCorrupt(Parse(bytes), "header: non-framed message with frame length 5");
}

TEST(Header, ParseRejectsFramedWithZeroFrameLength) {
  Header h = MakeHeader(0x0478, ContentType::kFramed);
  Bytes bytes = SerializeFull(h);
  std::fill(bytes.begin() + h.body.size() - 36, bytes.begin() + h.body.size() - 32, 0);
  ExpectCorrupt(Parse(bytes), "header: framed message with frame length 0");
}

TEST(Header, ParseRejectsNonZeroReservedBytes) {
  Header h = MakeHeader(0x0078, ContentType::kFramed);
  Bytes bytes = SerializeFull(h);
  bytes[h.body.size() - 6] = 1;
  ExpectCorrupt(Parse(bytes), "header: reserved bytes are not zero");
}

TEST(Header, ParseRejectsIvLengthOtherThan12) {
  Header h = MakeHeader(0x0078, ContentType::kFramed);
  Bytes bytes = SerializeFull(h);
  bytes[h.body.size() - 5] = 16;
  ExpectCorrupt(Parse(bytes), "header: IV length 16, expected 12");
}

TEST(Header, ParseRejectsAadLengthLongerThanItsPairs) {
  Header h = MakeHeader(0x0078, ContentType::kFramed, {{"a", "1"}});
  Bytes bytes = SerializeFull(h);
  bytes[21] += 1;                       // aad_len 8 -> 9
  bytes.insert(bytes.begin() + 30, 0);  // one stray byte after the pair
  Parsed p = Parse(bytes);
  ASSERT_FALSE(p.header.ok());
  EXPECT_EQ(p.header.status().code(), Code::kCorrupt);
  EXPECT_FALSE(p.truncated);
}

TEST(Header, ParseRejectsAadLengthShorterThanItsPairs) {
  Header h = MakeHeader(0x0078, ContentType::kFramed, {{"a", "1"}});
  Bytes bytes = SerializeFull(h);
  bytes[21] -= 1;  // aad_len 8 -> 7: the pair no longer fits
  Parsed p = Parse(bytes);
  ASSERT_FALSE(p.header.ok());
  EXPECT_EQ(p.header.status().code(), Code::kCorrupt);
  EXPECT_FALSE(p.truncated);
}

TEST(Header, ParseRejectsDuplicateContextKeys) {
  Header h = MakeHeader(0x0078, ContentType::kFramed, {{"a", "1"}, {"b", "2"}});
  Bytes bytes = SerializeFull(h);
  bytes[32] = 'a';  // second key "b" -> "a"
  Parsed p = Parse(bytes);
  ASSERT_FALSE(p.header.ok());
  EXPECT_EQ(p.header.status().message(), "header: encryption context: duplicate key");
}

TEST(Header, TruncationAtEveryByteSetsTruncatedAndKeepsPosition) {
  for (std::uint16_t suite : {0x0378, 0x0578}) {
    Header h = MakeHeader(suite, ContentType::kFramed, kContext);
    const Bytes bytes = SerializeFull(h);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      Parsed p = Parse(ByteView(bytes).first(n));
      ASSERT_FALSE(p.header.ok()) << suite << " " << n;
      EXPECT_EQ(p.header.status().code(), Code::kCorrupt);
      EXPECT_TRUE(p.truncated) << suite << " " << n;
      EXPECT_EQ(p.position, 0u);
    }
  }
}

TEST(Header, ParseLeavesFollowingBytesUnread) {
  Header h = MakeHeader(0x0578, ContentType::kFramed);
  Bytes bytes = SerializeFull(h);
  const std::size_t header_size = bytes.size();
  bytes.insert(bytes.end(), {9, 9, 9});
  Parsed p = Parse(bytes);
  ASSERT_TRUE(p.header.ok());
  EXPECT_EQ(p.position, header_size);
}

TEST(Header, SerializeRejectsMissingFields) {
  Header h = MakeHeader(0x0478, ContentType::kFramed);
  h.suite = nullptr;
  EXPECT_EQ(SerializeHeaderBody(h).code(), Code::kInvalidArgument);
  h = MakeHeader(0x0478, ContentType::kFramed);
  h.message_id.resize(16);
  EXPECT_EQ(SerializeHeaderBody(h).code(), Code::kInvalidArgument);
  h = MakeHeader(0x0478, ContentType::kFramed);
  h.encrypted_data_keys.clear();
  EXPECT_EQ(SerializeHeaderBody(h).code(), Code::kInvalidArgument);
  h = MakeHeader(0x0478, ContentType::kFramed);
  h.frame_length = 0;
  EXPECT_EQ(SerializeHeaderBody(h).code(), Code::kInvalidArgument);
  h = MakeHeader(0x0478, ContentType::kFramed);
  h.commit_key.clear();
  EXPECT_EQ(SerializeHeaderBody(h).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace envelope::format
