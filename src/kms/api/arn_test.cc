#include "kms/api/arn.h"

#include <gtest/gtest.h>

#include "core/random.h"

namespace envelope::kms {
namespace {

TEST(ParseKeyIdentifier, AcceptsBareUuid) {
  auto id = ParseKeyIdentifier("1234abcd-12ab-34cd-56ef-1234567890ab");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->kind, KeyIdKind::kKeyId);
  EXPECT_EQ(id->key_id, "1234abcd-12ab-34cd-56ef-1234567890ab");
}

TEST(ParseKeyIdentifier, AcceptsMultiRegionId) {
  auto id = ParseKeyIdentifier("mrk-1234abcd12ab34cd56ef1234567890ab");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->kind, KeyIdKind::kKeyId);
}

TEST(ParseKeyIdentifier, RejectsMalformedBareIdAsNotFound) {
  auto id = ParseKeyIdentifier("not-a-key");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().error_type(), "NotFoundException");
  EXPECT_EQ(id.status().code(), Code::kNotFound);
}

TEST(ParseKeyIdentifier, RejectsDashedMrkId) {
  EXPECT_FALSE(IsValidKeyId("mrk-1234abcd-12ab-34cd-56ef-1234567890ab"));
}

TEST(ParseKeyIdentifier, SplitsKeyArn) {
  auto id = ParseKeyIdentifier(
      "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->kind, KeyIdKind::kKeyArn);
  EXPECT_EQ(id->partition, "aws-cn");
  EXPECT_EQ(id->region, "cn-north-1");
  EXPECT_EQ(id->account_id, "111122223333");
  EXPECT_EQ(id->key_id, "1234abcd-12ab-34cd-56ef-1234567890ab");
}

TEST(ParseKeyIdentifier, SplitsAliasArn) {
  auto id = ParseKeyIdentifier("arn:aws:kms:us-east-1:111122223333:alias/my/app");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->kind, KeyIdKind::kAliasArn);
  EXPECT_EQ(id->alias_name, "alias/my/app");
  EXPECT_TRUE(id->is_alias());
}

TEST(ParseKeyIdentifier, AcceptsAliasName) {
  auto id = ParseKeyIdentifier("alias/foo");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->kind, KeyIdKind::kAliasName);
  EXPECT_EQ(id->alias_name, "alias/foo");
}

TEST(ParseKeyIdentifier, RejectsNonKmsArn) {
  auto id = ParseKeyIdentifier("arn:aws:s3:us-east-1:111122223333:key/x");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().error_type(), "InvalidArnException");
}

TEST(ParseKeyIdentifier, RejectsArnWithBadAccount) {
  auto id = ParseKeyIdentifier("arn:aws:kms:us-east-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  EXPECT_FALSE(id.ok());
}

TEST(KeyArn, FormatsAllParts) {
  EXPECT_EQ(KeyArn("aws", "eu-west-2", "111122223333", "k"), "arn:aws:kms:eu-west-2:111122223333:key/k");
  EXPECT_EQ(AliasArn("aws", "eu-west-2", "111122223333", "alias/x"),
            "arn:aws:kms:eu-west-2:111122223333:alias/x");
  EXPECT_EQ(AccountRootArn("aws", "111122223333"), "arn:aws:iam::111122223333:root");
}

TEST(PartitionForRegion, MapsSpecialPartitions) {
  EXPECT_EQ(PartitionForRegion("us-east-1"), "aws");
  EXPECT_EQ(PartitionForRegion("cn-northwest-1"), "aws-cn");
  EXPECT_EQ(PartitionForRegion("us-gov-west-1"), "aws-us-gov");
  EXPECT_EQ(PartitionForRegion("us-isob-east-1"), "aws-iso-b");
  EXPECT_EQ(PartitionForRegion("us-iso-east-1"), "aws-iso");
}

TEST(NewKeyId, MakesUuidV4) {
  auto id = NewKeyId(SystemRandom(), false);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(IsUuid(*id)) << *id;
  EXPECT_EQ((*id)[14], '4');
}

TEST(NewKeyId, MakesMrkIdForMultiRegion) {
  auto id = NewKeyId(SystemRandom(), true);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(IsMultiRegionKeyId(*id)) << *id;
}

}  // namespace
}  // namespace envelope::kms
