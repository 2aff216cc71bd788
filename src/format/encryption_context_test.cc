#include "format/encryption_context.h"

#include <gtest/gtest.h>

namespace envelope::format {
namespace {

Bytes Pair(std::string_view key, std::string_view value) {
  Bytes out;
  ByteWriter w(out);
  w.U16Prefixed(AsBytes(key));
  w.U16Prefixed(AsBytes(value));
  return out;
}

Bytes Context(std::uint16_t count, std::initializer_list<Bytes> pairs) {
  Bytes out;
  ByteWriter w(out);
  w.U16(count);
  for (const Bytes& p : pairs) {
    w.Append(p);
  }
  return out;
}

TEST(EncryptionContext, EmptySerializesToNoBytes) {
  auto bytes = SerializeEncryptionContext({});
  ASSERT_TRUE(bytes.ok());
  EXPECT_TRUE(bytes->empty());
}

TEST(EncryptionContext, EmptyInputParsesToEmptyContext) {
  auto context = ParseEncryptionContext({});
  ASSERT_TRUE(context.ok());
  EXPECT_TRUE(context->empty());
}

TEST(EncryptionContext, SerializeWritesCountThenSortedPairs) {
  auto bytes = SerializeEncryptionContext({{"b", "2"}, {"a", "1"}});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, Context(2, {Pair("a", "1"), Pair("b", "2")}));
}

TEST(EncryptionContext, SerializeSortsByUtf8BytesNotSignedChars) {
  // "é" is C3 A9: above every ASCII byte, so it sorts after "z".
  auto bytes = SerializeEncryptionContext({{"\xC3\xA9", "x"}, {"z", "y"}});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, Context(2, {Pair("z", "y"), Pair("\xC3\xA9", "x")}));
}

TEST(EncryptionContext, RoundTripsNonAsciiValues) {
  EncryptionContext context = {{"purpose", "caf\xC3\xA9 \xE2\x98\x95"},
                               {"\xF0\x9F\x94\x91", "\xE6\x97\xA5\xE6\x9C\xAC"},
                               {"empty", ""}};
  auto bytes = SerializeEncryptionContext(context);
  ASSERT_TRUE(bytes.ok());
  auto parsed = ParseEncryptionContext(*bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, context);
}

TEST(EncryptionContext, ParseAcceptsUnsortedPairs) {
  auto parsed = ParseEncryptionContext(Context(2, {Pair("b", "2"), Pair("a", "1")}));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, (EncryptionContext{{"a", "1"}, {"b", "2"}}));
}

TEST(EncryptionContext, ParseRejectsDuplicateKeys) {
  auto parsed = ParseEncryptionContext(Context(2, {Pair("a", "1"), Pair("a", "2")}));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), Code::kCorrupt);
}

TEST(EncryptionContext, ParseRejectsZeroCountWithBytesPresent) {
  EXPECT_EQ(ParseEncryptionContext(Context(0, {})).status().code(), Code::kCorrupt);
}

TEST(EncryptionContext, ParseRejectsInvalidUtf8) {
  for (std::string_view bad : {"\xC0\x80", "\xED\xA0\x80", "\x80", "\xE2\x82", "\xF4\x90\x80\x80",
                               "\xFF"}) {
    EXPECT_EQ(ParseEncryptionContext(Context(1, {Pair(bad, "v")})).status().code(), Code::kCorrupt);
    EXPECT_EQ(ParseEncryptionContext(Context(1, {Pair("k", bad)})).status().code(), Code::kCorrupt);
  }
}

TEST(EncryptionContext, ParseRejectsBytesBeyondThePairs) {
  Bytes bytes = Context(1, {Pair("a", "1")});
  bytes.push_back(0);
  EXPECT_EQ(ParseEncryptionContext(bytes).status().code(), Code::kCorrupt);
}

TEST(EncryptionContext, ParseRejectsFewerBytesThanThePairsNeed) {
  Bytes bytes = Context(2, {Pair("a", "1")});
  EXPECT_EQ(ParseEncryptionContext(bytes).status().code(), Code::kCorrupt);
}

TEST(EncryptionContext, SerializeRejectsValueLongerThan65535Bytes) {
  auto bytes = SerializeEncryptionContext({{"k", std::string(65536, 'v')}});
  EXPECT_EQ(bytes.status().code(), Code::kInvalidArgument);
}

TEST(EncryptionContext, SerializeRejectsTotalLongerThan65535Bytes) {
  auto bytes = SerializeEncryptionContext({{"a", std::string(40000, 'v')},
                                           {"b", std::string(40000, 'v')}});
  EXPECT_EQ(bytes.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace envelope::format
