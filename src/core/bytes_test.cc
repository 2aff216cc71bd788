#include "core/bytes.h"

#include <gtest/gtest.h>

namespace envelope {
namespace {

TEST(ByteReaderTest, ReadsBigEndianIntegers) {
  const Bytes data = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
                      0x0c, 0x0d, 0x0e, 0x0f};
  ByteReader r(data);
  EXPECT_EQ(*r.ReadU8(), 0x01);
  EXPECT_EQ(*r.ReadU16(), 0x0203);
  EXPECT_EQ(*r.ReadU32(), 0x04050607u);
  EXPECT_EQ(*r.ReadU64(), 0x08090a0b0c0d0e0full);
  EXPECT_TRUE(r.empty());
}

TEST(ByteReaderTest, ShortReadIsCorruptAndKeepsPosition) {
  const Bytes data = {0x00, 0x05, 0xaa};
  ByteReader r(data, "header");
  auto v = r.ReadU16Prefixed();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), Code::kCorrupt);
  EXPECT_EQ(v.status().message(), "header: truncated");
  EXPECT_EQ(r.position(), 0u);
}

TEST(ByteWriterTest, RoundTripsThroughReader) {
  Bytes out;
  ByteWriter w(out);
  w.U8(7);
  w.U16(0xbeef);
  w.U32(0xdeadbeef);
  w.U64(0x0123456789abcdefull);
  w.U16Prefixed(AsBytes("abc"));
  ByteReader r(out);
  EXPECT_EQ(*r.ReadU8(), 7);
  EXPECT_EQ(*r.ReadU16(), 0xbeef);
  EXPECT_EQ(*r.ReadU32(), 0xdeadbeefu);
  EXPECT_EQ(*r.ReadU64(), 0x0123456789abcdefull);
  EXPECT_EQ(AsChars(*r.ReadU16Prefixed()), "abc");
}

}  // namespace
}  // namespace envelope
