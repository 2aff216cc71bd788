// Cross-account access by key policy and grant; aliases, tags and key policies.
#include <gtest/gtest.h>

#include "kms/server/service_test_util.h"

namespace envelope::kms::server::testing {
namespace {

std::string PolicyAllowing(const std::string& principal, const std::string& action) {
  return Json{{"Version", "2012-10-17"},
              {"Statement",
               Json::array({{{"Effect", "Allow"},
                             {"Principal", {{"AWS", "arn:aws:iam::111122223333:root"}}},
                             {"Action", "kms:*"},
                             {"Resource", "*"}},
                            {{"Effect", "Allow"},
                             {"Principal", {{"AWS", principal}}},
                             {"Action", action},
                             {"Resource", "*"}}})}}
      .dump();
}

TEST_F(KmsServiceTest, OtherAccountIsDeniedByDefaultPolicy) {
  std::string arn = CreateKey();
  Json r = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}, kBob);
  EXPECT_EQ(Type(r), "AccessDeniedException");
}

TEST_F(KmsServiceTest, OtherAccountMayUseKeyWhenPolicyAllows) {
  std::string arn = CreateKey({{"Policy", PolicyAllowing("arn:aws:iam::444455556666:root",
                                                         "kms:Encrypt*")}});
  EXPECT_FALSE(Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}, kBob).contains("__type"));
  EXPECT_EQ(Type(Call("GenerateDataKey", {{"KeyId", arn}, {"KeySpec", "AES_256"}}, kBob)),
            "AccessDeniedException");
}

TEST_F(KmsServiceTest, OtherAccountCannotUseBareKeyId) {
  std::string arn = CreateKey({{"Policy", PolicyAllowing("*", "kms:*")}});
  std::string id = arn.substr(arn.find("key/") + 4);
  EXPECT_EQ(Type(Call("DescribeKey", {{"KeyId", id}}, kBob)), "NotFoundException");
}

TEST_F(KmsServiceTest, OtherAccountCannotManageKeyEvenIfPolicyAllows) {
  std::string arn = CreateKey({{"Policy", PolicyAllowing("444455556666", "kms:*")}});
  EXPECT_EQ(Type(Call("DisableKey", {{"KeyId", arn}}, kBob)), "AccessDeniedException");
}

TEST_F(KmsServiceTest, ExplicitDenyBindsTheOwner) {
  Json policy = {{"Statement", Json::array({{{"Effect", "Deny"}, {"Principal", "*"},
                                             {"Action", "kms:Decrypt"}}})}};
  std::string arn = CreateKey({{"Policy", policy.dump()}});
  Json enc = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}});
  EXPECT_EQ(Type(Call("Decrypt", {{"CiphertextBlob", enc["CiphertextBlob"]}})),
            "AccessDeniedException");
}

TEST_F(KmsServiceTest, GrantLetsGranteeDecryptAcrossAccounts) {
  std::string arn = CreateKey();
  Json enc = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("shared")}});
  Json g = Call("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", kBob.principal_arn},
                                {"Operations", {"Decrypt"}}});
  ASSERT_TRUE(g.contains("GrantId")) << g.dump();
  Json dec = Call("Decrypt", {{"CiphertextBlob", enc["CiphertextBlob"]}}, kBob);
  EXPECT_EQ(Unb64(dec["Plaintext"]), "shared");
  EXPECT_EQ(Type(Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}, kBob)),
            "AccessDeniedException");
}

TEST_F(KmsServiceTest, RevokedGrantNoLongerAllows) {
  std::string arn = CreateKey();
  Json g = Call("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", "444455556666"},
                                {"Operations", {"Encrypt"}}});
  EXPECT_EQ(Call("ListGrants", {{"KeyId", arn}})["Grants"].size(), 1u);
  EXPECT_FALSE(Call("RevokeGrant", {{"KeyId", arn}, {"GrantId", g["GrantId"]}}).contains("__type"));
  EXPECT_EQ(Type(Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}, kBob)),
            "AccessDeniedException");
}

TEST_F(KmsServiceTest, RetireGrantByToken) {
  std::string arn = CreateKey();
  Json g = Call("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", kBob.principal_arn},
                                {"RetiringPrincipal", kBob.principal_arn},
                                {"Operations", {"Encrypt"}}});
  EXPECT_FALSE(Call("RetireGrant", {{"GrantToken", g["GrantToken"]}}, kBob).contains("__type"));
  EXPECT_EQ(Call("ListGrants", {{"KeyId", arn}})["Grants"].size(), 0u);
  EXPECT_EQ(Type(Call("RetireGrant", {{"GrantToken", "bogus"}})), "InvalidGrantTokenException");
}

TEST_F(KmsServiceTest, CreateGrantRejectsUnknownOperation) {
  std::string arn = CreateKey();
  EXPECT_EQ(Type(Call("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", "444455556666"},
                                      {"Operations", {"FlyAway"}}})), "ValidationException");
}

TEST_F(KmsServiceTest, CreateAliasRejectsReservedPrefix) {
  std::string arn = CreateKey();
  EXPECT_EQ(Type(Call("CreateAlias", {{"AliasName", "alias/aws/s3"}, {"TargetKeyId", arn}})),
            "InvalidAliasNameException");
  EXPECT_EQ(Type(Call("CreateAlias", {{"AliasName", "noprefix"}, {"TargetKeyId", arn}})),
            "InvalidAliasNameException");
  EXPECT_EQ(Type(Call("CreateAlias", {{"AliasName", "alias/bad name"}, {"TargetKeyId", arn}})),
            "ValidationException");
}

TEST_F(KmsServiceTest, DuplicateAliasIsAlreadyExists) {
  std::string arn = CreateKey();
  Call("CreateAlias", {{"AliasName", "alias/x"}, {"TargetKeyId", arn}});
  EXPECT_EQ(Type(Call("CreateAlias", {{"AliasName", "alias/x"}, {"TargetKeyId", arn}})),
            "AlreadyExistsException");
}

TEST_F(KmsServiceTest, UpdateAndDeleteAlias) {
  std::string a = CreateKey();
  std::string b = CreateKey();
  Call("CreateAlias", {{"AliasName", "alias/moving"}, {"TargetKeyId", a}});
  EXPECT_FALSE(Call("UpdateAlias", {{"AliasName", "alias/moving"}, {"TargetKeyId", b}}).contains("__type"));
  EXPECT_EQ(Call("DescribeKey", {{"KeyId", "alias/moving"}})["KeyMetadata"]["Arn"], b);
  Json list = Call("ListAliases", {{"KeyId", b}});
  ASSERT_EQ(list["Aliases"].size(), 1u);
  EXPECT_EQ(list["Aliases"][0]["AliasArn"], "arn:aws:kms:us-east-1:111122223333:alias/moving");
  Call("DeleteAlias", {{"AliasName", "alias/moving"}});
  EXPECT_EQ(Type(Call("DescribeKey", {{"KeyId", "alias/moving"}})), "NotFoundException");
  EXPECT_EQ(Type(Call("DeleteAlias", {{"AliasName", "alias/moving"}})), "NotFoundException");
}

TEST_F(KmsServiceTest, ListAliasesPaginates) {
  std::string arn = CreateKey();
  for (int i = 0; i < 3; ++i) {
    Call("CreateAlias", {{"AliasName", "alias/a" + std::to_string(i)}, {"TargetKeyId", arn}});
  }
  Json p1 = Call("ListAliases", {{"Limit", 2}});
  EXPECT_EQ(p1["Aliases"].size(), 2u);
  EXPECT_TRUE(p1["Truncated"].get<bool>());
  Json p2 = Call("ListAliases", {{"Limit", 2}, {"Marker", p1["NextMarker"]}});
  EXPECT_EQ(p2["Aliases"].size(), 1u);
  EXPECT_FALSE(p2["Truncated"].get<bool>());
}

TEST_F(KmsServiceTest, TagsAddListAndRemove) {
  std::string arn = CreateKey({{"Tags", {{{"TagKey", "env"}, {"TagValue", "dev"}}}}});
  Call("TagResource", {{"KeyId", arn}, {"Tags", {{{"TagKey", "team"}, {"TagValue", "x"}}}}});
  EXPECT_EQ(Call("ListResourceTags", {{"KeyId", arn}})["Tags"].size(), 2u);
  Call("UntagResource", {{"KeyId", arn}, {"TagKeys", {"env"}}});
  Json tags = Call("ListResourceTags", {{"KeyId", arn}})["Tags"];
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0]["TagKey"], "team");
  EXPECT_EQ(Type(Call("TagResource", {{"KeyId", arn},
                                      {"Tags", {{{"TagKey", "aws:x"}, {"TagValue", "y"}}}}})),
            "TagException");
}

TEST_F(KmsServiceTest, KeyPolicyIsStoredAsGiven) {
  std::string arn = CreateKey();
  std::string policy = "{\"Version\":\"2012-10-17\",  \"Statement\":[{\"Effect\":\"Allow\","
                       "\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:*\"}]}";
  EXPECT_FALSE(Call("PutKeyPolicy", {{"KeyId", arn}, {"PolicyName", "default"},
                                     {"Policy", policy}}).contains("__type"));
  EXPECT_EQ(Call("GetKeyPolicy", {{"KeyId", arn}})["Policy"], policy);
  EXPECT_EQ(Call("ListKeyPolicies", {{"KeyId", arn}})["PolicyNames"], Json::array({"default"}));
  EXPECT_EQ(Type(Call("PutKeyPolicy", {{"KeyId", arn}, {"Policy", "{nope"}})),
            "MalformedPolicyDocumentException");
  EXPECT_EQ(Type(Call("GetKeyPolicy", {{"KeyId", arn}, {"PolicyName", "other"}})),
            "NotFoundException");
}

TEST_F(KmsServiceTest, UpdateKeyDescriptionChangesMetadata) {
  std::string arn = CreateKey();
  Call("UpdateKeyDescription", {{"KeyId", arn}, {"Description", "new"}});
  EXPECT_EQ(Call("DescribeKey", {{"KeyId", arn}})["KeyMetadata"]["Description"], "new");
}

TEST_F(KmsServiceTest, ManagementOnPendingDeletionKeyIsInvalidState) {
  std::string arn = CreateKey();
  Call("ScheduleKeyDeletion", {{"KeyId", arn}});
  EXPECT_EQ(Type(Call("EnableKey", {{"KeyId", arn}})), "KMSInvalidStateException");
  EXPECT_EQ(Type(Call("CreateAlias", {{"AliasName", "alias/late"}, {"TargetKeyId", arn}})),
            "KMSInvalidStateException");
  EXPECT_EQ(Call("DescribeKey", {{"KeyId", arn}})["KeyMetadata"]["KeyState"], "PendingDeletion");
}

}  // namespace
}  // namespace envelope::kms::server::testing
