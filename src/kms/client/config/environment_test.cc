#include "kms/client/config/environment.h"

#include <gtest/gtest.h>

namespace envelope::kms::config {
namespace {

TEST(Environment, MapEnvironmentReturnsSetVariablesOnly) {
  Environment env = MapEnvironment({{"A", "1"}, {"EMPTY", ""}});
  EXPECT_EQ(env("A"), "1");
  EXPECT_EQ(env("EMPTY"), "");
  EXPECT_EQ(env("B"), std::nullopt);
}

TEST(ExpandPath, TildeBecomesHome) {
  Environment env = MapEnvironment({{"HOME", "/home/u"}});
  EXPECT_EQ(ExpandPath("~/.aws/config", env), "/home/u/.aws/config");
  EXPECT_EQ(ExpandPath("~", env), "/home/u");
  EXPECT_EQ(ExpandPath("/a/~/b", env), "/a/~/b");
}

TEST(ExpandPath, VariablesAreExpandedAndUnsetOnesKept) {
  Environment env = MapEnvironment({{"DIR", "/d"}});
  EXPECT_EQ(ExpandPath("$DIR/config", env), "/d/config");
  EXPECT_EQ(ExpandPath("${DIR}x/config", env), "/dx/config");
  EXPECT_EQ(ExpandPath("$NOPE/config", env), "$NOPE/config");
  EXPECT_EQ(ExpandPath("${NOPE}/c", env), "${NOPE}/c");
  EXPECT_EQ(ExpandPath("a$", env), "a$");
}

}  // namespace
}  // namespace envelope::kms::config
