#include "kms/server/fault_injector.h"

#include <gtest/gtest.h>

namespace envelope::kms::server {
namespace {

const Caller kAlice{"111122223333", "us-east-1", "", ""};
using nlohmann::json;


TEST(FaultInjector, NoRulesPicksNothing) {
  FaultInjector f;
  EXPECT_FALSE(f.Pick(kAlice, "Encrypt", "{}").has_value());
}

TEST(FaultInjector, MatchingRuleFiresItsKind) {
  FaultInjector f;
  ASSERT_TRUE(f.AddJson({{"kind", "unavailable"}, {"operation", "Encrypt"}}).ok());
  auto a = f.Pick(kAlice, "Encrypt", "{}");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->kind, FaultKind::kUnavailable);
  EXPECT_FALSE(f.Pick(kAlice, "Decrypt", "{}").has_value());
}

TEST(FaultInjector, CountLimitsFirings) {
  FaultInjector f;
  ASSERT_TRUE(f.AddJson({{"kind", "internal"}, {"count", 2}}).ok());
  EXPECT_TRUE(f.Pick(kAlice, "X", "{}").has_value());
  EXPECT_TRUE(f.Pick(kAlice, "X", "{}").has_value());
  EXPECT_FALSE(f.Pick(kAlice, "X", "{}").has_value());
  EXPECT_EQ(f.ListJson()["faults"][0]["fired"], 2);
}

TEST(FaultInjector, ZeroProbabilityNeverFires) {
  FaultInjector f;
  ASSERT_TRUE(f.AddJson({{"kind", "internal"}, {"probability", 0.0}}).ok());
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(f.Pick(kAlice, "X", "{}").has_value());
}

TEST(FaultInjector, KeyMatchesIdOrArnEnding) {
  FaultInjector f;
  ASSERT_TRUE(f.AddJson({{"kind", "throttle"}, {"key", "abc"}}).ok());
  EXPECT_TRUE(f.Pick(kAlice, "X", R"({"KeyId": "arn:aws:kms:r:1:key/abc"})").has_value());
  EXPECT_TRUE(f.Pick(kAlice, "X", R"({"KeyId": "abc"})").has_value());
  EXPECT_FALSE(f.Pick(kAlice, "X", R"({"KeyId": "xabc"})").has_value());
}

TEST(FaultInjector, AccountMustMatch) {
  FaultInjector f;
  ASSERT_TRUE(f.AddJson({{"kind", "reset"}, {"account", "444455556666"}}).ok());
  EXPECT_FALSE(f.Pick(kAlice, "X", "{}").has_value());
}

TEST(FaultInjector, HangDefaultsToFiveMinutesAndLatencyNeedsMs) {
  auto hang = FaultInjector::RuleFromJson({{"kind", "hang"}});
  ASSERT_TRUE(hang.ok());
  EXPECT_EQ(hang->action.delay.count(), 300000);
  EXPECT_FALSE(FaultInjector::RuleFromJson({{"kind", "latency"}}).ok());
}

TEST(FaultInjector, BadRulesAreRejected) {
  EXPECT_FALSE(FaultInjector::RuleFromJson({{"kind", "explode"}}).ok());
  EXPECT_FALSE(FaultInjector::RuleFromJson({{"kind", "internal"}, {"probability", 2}}).ok());
  EXPECT_FALSE(FaultInjector::RuleFromJson({{"kind", "internal"}, {"colour", "red"}}).ok());
  EXPECT_FALSE(FaultInjector::RuleFromJson({{"operation", "Encrypt"}}).ok());
}

TEST(FaultInjector, ClearRemovesEveryRule) {
  FaultInjector f;
  ASSERT_TRUE(f.AddJson(json::array({{{"kind", "internal"}}, {{"kind", "reset"}}})).ok());
  EXPECT_EQ(f.ListJson()["faults"].size(), 2u);
  f.Clear();
  EXPECT_FALSE(f.Pick(kAlice, "X", "{}").has_value());
}

TEST(FaultInjector, ConfigSectionIsRead) {
  auto rules = FaultInjector::FromConfigJson(R"({"faults": [{"kind": "latency", "ms": 5}]})");
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_EQ((*rules)[0].action.delay.count(), 5);
}

}  // namespace
}  // namespace envelope::kms::server
