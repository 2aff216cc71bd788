#include "kms/server/quota_json_scan.h"

#include <gtest/gtest.h>

namespace envelope::kms::server {
namespace {

TEST(TopLevelJsonString, FindsAMember) {
  EXPECT_EQ(TopLevelJsonString(R"({"KeyId": "alias/a", "X": 1})", "KeyId"), "alias/a");
}

TEST(TopLevelJsonString, IgnoresNestedMembersOfTheSameName) {
  const char* body =
      R"({"EncryptionContext": {"KeyId": "wrong", "x": ["}", "\""]}, "KeyId": "right"})";
  EXPECT_EQ(TopLevelJsonString(body, "KeyId"), "right");
}

TEST(TopLevelJsonString, UnescapesTheValue) {
  EXPECT_EQ(TopLevelJsonString(R"({"KeyId": "alias\/a\u0062"})", "KeyId"), "alias/ab");
}

TEST(TopLevelJsonString, AbsentOrNonStringIsNullopt) {
  EXPECT_EQ(TopLevelJsonString(R"({"A": "b"})", "KeyId"), std::nullopt);
  EXPECT_EQ(TopLevelJsonString(R"({"KeyId": 5})", "KeyId"), std::nullopt);
  EXPECT_EQ(TopLevelJsonString(R"({})", "KeyId"), std::nullopt);
}

TEST(TopLevelJsonString, MalformedTextIsNullopt) {
  EXPECT_EQ(TopLevelJsonString(R"([{"KeyId": "a"}])", "KeyId"), std::nullopt);
  EXPECT_EQ(TopLevelJsonString(R"({"A": {"KeyId": "a")", "KeyId"), std::nullopt);
  EXPECT_EQ(TopLevelJsonString(R"({"KeyId": "a)", "KeyId"), std::nullopt);
  EXPECT_EQ(TopLevelJsonString("", "KeyId"), std::nullopt);
}

}  // namespace
}  // namespace envelope::kms::server
