#include "envelope/secret_bytes.h"

#include <gtest/gtest.h>

#include <sstream>

namespace envelope {
namespace {

TEST(SecretBytesTest, PrintsRedacted) {
  const std::uint8_t key[] = {1, 2, 3};
  SecretBytes s{std::span<const std::uint8_t>(key)};
  std::ostringstream os;
  os << s;
  EXPECT_EQ(os.str(), "[redacted]");
}

TEST(SecretBytesTest, MoveLeavesSourceEmptyAndCompareIsByContent) {
  const std::uint8_t key[] = {9, 8, 7};
  SecretBytes a{std::span<const std::uint8_t>(key)};
  SecretBytes b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT: checking the moved-from state is the point
  EXPECT_TRUE(b.Equals(key));
  const std::uint8_t other[] = {9, 8, 6};
  EXPECT_FALSE(b.Equals(other));
}

}  // namespace
}  // namespace envelope
