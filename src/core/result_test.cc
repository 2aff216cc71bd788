#include "envelope/result.h"

#include <gtest/gtest.h>

#include <memory>

namespace envelope {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ENVELOPE_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(ResultTest, PropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "odd");
}

TEST(ResultTest, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = *std::move(r);
  EXPECT_EQ(*p, 5);
}

TEST(StatusTest, AnnotateKeepsCodeAndType) {
  Status s(Code::kFailedPrecondition, "key is disabled", "DisabledException");
  Status a = s.Annotate("encrypt");
  EXPECT_EQ(a.code(), Code::kFailedPrecondition);
  EXPECT_EQ(a.error_type(), "DisabledException");
  EXPECT_EQ(a.message(), "encrypt: key is disabled");
  EXPECT_TRUE(OkStatus().ok());
  EXPECT_EQ(OkStatus().message(), "");
}

}  // namespace
}  // namespace envelope
