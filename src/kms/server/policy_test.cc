#include "kms/server/policy.h"

#include <gtest/gtest.h>

namespace envelope::kms::server {
namespace {

const Caller kOther{"444455556666", "us-east-1", "", "arn:aws:iam::444455556666:user/bob"};

std::string AllowPolicy(const std::string& principal, const std::string& action) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":")" +
         principal + R"("},"Action":")" + action + R"(","Resource":"*"}]})";
}

TEST(WildcardMatch, MatchesStarsAndQuestionMarks) {
  EXPECT_TRUE(WildcardMatch("kms:*", "kms:Encrypt", true));
  EXPECT_TRUE(WildcardMatch("kms:Encrypt*", "kms:Encrypt", true));
  EXPECT_TRUE(WildcardMatch("KMS:ENCRYPT", "kms:Encrypt", true));
  EXPECT_TRUE(WildcardMatch("kms:?ecrypt", "kms:Decrypt", true));
  EXPECT_FALSE(WildcardMatch("kms:Encrypt*", "kms:Decrypt", true));
  EXPECT_FALSE(WildcardMatch("kms:Encrypt", "kms:EncryptX", true));
}

TEST(EvaluatePolicy, AllowsAccountRootPrincipal) {
  auto d = EvaluatePolicy(AllowPolicy("arn:aws:iam::444455556666:root", "kms:Encrypt*"), kOther,
                          "aws", "kms:Encrypt");
  EXPECT_EQ(d, PolicyDecision::kAllow);
}

TEST(EvaluatePolicy, AllowsBareAccountId) {
  EXPECT_EQ(EvaluatePolicy(AllowPolicy("444455556666", "kms:*"), kOther, "aws", "kms:Decrypt"),
            PolicyDecision::kAllow);
}

TEST(EvaluatePolicy, DoesNotMatchOtherAccount) {
  EXPECT_EQ(EvaluatePolicy(AllowPolicy("111122223333", "kms:*"), kOther, "aws", "kms:Decrypt"),
            PolicyDecision::kNoMatch);
}

TEST(EvaluatePolicy, ExplicitDenyWins) {
  std::string p = R"({"Statement":[
    {"Effect":"Allow","Principal":"*","Action":"kms:*"},
    {"Effect":"Deny","Principal":{"AWS":["arn:aws:iam::444455556666:user/bob"]},
     "Action":["kms:Decrypt"]}]})";
  EXPECT_EQ(EvaluatePolicy(p, kOther, "aws", "kms:Decrypt"), PolicyDecision::kDeny);
  EXPECT_EQ(EvaluatePolicy(p, kOther, "aws", "kms:Encrypt"), PolicyDecision::kAllow);
}

TEST(EvaluatePolicy, ConditionalAllowFailsClosed) {
  std::string p = R"({"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*",
    "Condition":{"StringEquals":{"kms:CallerAccount":"444455556666"}}}})";
  EXPECT_EQ(EvaluatePolicy(p, kOther, "aws", "kms:Encrypt"), PolicyDecision::kNoMatch);
}

TEST(ValidatePolicyDocument, RejectsNonJson) {
  Status s = ValidatePolicyDocument("not json");
  EXPECT_EQ(s.error_type(), "MalformedPolicyDocumentException");
}

TEST(ValidatePolicyDocument, AcceptsDefaultPolicy) {
  EXPECT_TRUE(ValidatePolicyDocument(DefaultKeyPolicy("aws", "111122223333")).ok());
}

TEST(GrantAllows, GranteeGetsListedOperationsOnly) {
  GrantRecord g;
  g.grantee_principal = "arn:aws:iam::444455556666:root";
  g.operations = {"Encrypt", "Decrypt"};
  EXPECT_TRUE(GrantAllows(g, kOther, "aws", "Decrypt", nullptr));
  EXPECT_FALSE(GrantAllows(g, kOther, "aws", "GenerateDataKey", nullptr));
}

TEST(GrantAllows, SubsetConstraintNeedsMatchingContext) {
  GrantRecord g;
  g.grantee_principal = "444455556666";
  g.operations = {"Decrypt"};
  g.context_subset = {{"app", "x"}};
  EncryptionContext good{{"app", "x"}, {"more", "y"}};
  EncryptionContext bad{{"app", "z"}};
  EXPECT_TRUE(GrantAllows(g, kOther, "aws", "Decrypt", &good));
  EXPECT_FALSE(GrantAllows(g, kOther, "aws", "Decrypt", &bad));
  EXPECT_FALSE(GrantAllows(g, kOther, "aws", "Decrypt", nullptr));
}

}  // namespace
}  // namespace envelope::kms::server
