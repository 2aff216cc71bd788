#include "kms/client/config/config_file.h"

#include <gtest/gtest.h>

#include <string>

namespace envelope::kms::config {
namespace {

ConfigFileData ParseOk(std::string_view text, FileKind kind = FileKind::kConfig) {
  Result<ConfigFileData> r = ParseConfigText(text, "/tmp/cfg", kind);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : ConfigFileData{};
}

std::string ParseError(std::string_view text, FileKind kind = FileKind::kConfig) {
  Result<ConfigFileData> r = ParseConfigText(text, "/tmp/cfg", kind);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.status().message();
}

TEST(ConfigFile, EqualsAndColonBothSeparateKeyFromValue) {
  ConfigFileData d = ParseOk("[default]\nregion = eu-west-1\nretry_mode: adaptive\n");
  EXPECT_EQ(d.profiles["default"].Get("region"), "eu-west-1");
  EXPECT_EQ(d.profiles["default"].Get("retry_mode"), "adaptive");
}

TEST(ConfigFile, SplitsAtTheFirstDelimiter) {
  ConfigFileData d = ParseOk("[default]\nendpoint_url = http://h:80/a=b\n");
  EXPECT_EQ(d.profiles["default"].Get("endpoint_url"), "http://h:80/a=b");
}

TEST(ConfigFile, HashAndSemicolonLinesAreComments) {
  ConfigFileData d = ParseOk("# top\n; also\n[default]\n  # indented\nregion = x\n;region = y\n");
  EXPECT_EQ(d.profiles["default"].Get("region"), "x");
  EXPECT_EQ(d.profiles["default"].values.size(), 1u);
}

TEST(ConfigFile, InlineCommentsStayInTheValue) {
  ConfigFileData d = ParseOk("[default]\nuse_dualstack_endpoint = true # on\n");
  EXPECT_EQ(d.profiles["default"].Get("use_dualstack_endpoint"), "true # on");
  EXPECT_FALSE(ParseAwsBoolean(*d.profiles["default"].Get("use_dualstack_endpoint")));
}

TEST(ConfigFile, KeysAreLowerCased) {
  ConfigFileData d = ParseOk("[default]\nMax_Attempts: 4\n");
  EXPECT_EQ(d.profiles["default"].Get("max_attempts"), "4");
}

TEST(ConfigFile, SectionNamesAreCaseSensitive) {
  ConfigFileData d = ParseOk("[Default]\nregion = x\n");
  EXPECT_EQ(d.profiles.count("default"), 0u);
  ASSERT_EQ(d.other_sections.size(), 1u);
  EXPECT_EQ(d.other_sections[0].header, "Default");
}

TEST(ConfigFile, DuplicateSectionIsAnErrorWithFileAndLine) {
  EXPECT_EQ(ParseError("[default]\na = 1\n[default]\n"),
            "/tmp/cfg:3: duplicate section [default] (first at line 1)");
}

TEST(ConfigFile, DuplicateKeyIsAnErrorWithFileAndLine) {
  EXPECT_EQ(ParseError("[default]\na = 1\nA = 2\n"),
            "/tmp/cfg:3: duplicate key 'a' in section [default] (first at line 2)");
}

TEST(ConfigFile, KeyBeforeAnySectionIsAnError) {
  EXPECT_EQ(ParseError("\nregion = x\n[default]\n"), "/tmp/cfg:2: key before any [section] header");
}

TEST(ConfigFile, LineWithoutDelimiterIsAnErrorWithFileAndLine) {
  EXPECT_EQ(ParseError("[default]\nregion x\n"),
            "/tmp/cfg:2: expected 'key = value' or a [section] header, got 'region x'");
}

TEST(ConfigFile, EmptyKeyIsAnError) {
  EXPECT_EQ(ParseError("[default]\n= x\n"), "/tmp/cfg:2: missing key before '='");
}

TEST(ConfigFile, IndentedKeysDirectlyUnderAHeaderAreAccepted) {
  ConfigFileData d = ParseOk("[default]\n  region = x\n  output = json\n");
  EXPECT_EQ(d.profiles["default"].Get("region"), "x");
  EXPECT_EQ(d.profiles["default"].Get("output"), "json");
}

TEST(ConfigFile, NestedBlockBecomesSubValues) {
  ConfigFileData d = ParseOk(
      "[default]\ns3 =\n    use_dualstack_endpoint = True\n    addressing_style = path\n"
      "region = x\n");
  const ConfigValue& s3 = d.profiles["default"].values["s3"];
  EXPECT_TRUE(s3.nested);
  EXPECT_EQ(s3.sub_values.at("use_dualstack_endpoint"), "True");
  EXPECT_EQ(s3.sub_values.at("addressing_style"), "path");
  EXPECT_EQ(d.profiles["default"].Get("region"), "x");
  EXPECT_EQ(d.profiles["default"].Get("s3"), std::nullopt);
}

TEST(ConfigFile, NestedBlockSkipsIndentedCommentsAndBlankLines) {
  ConfigFileData d = ParseOk("[default]\nkms =\n  # c\n\n  endpoint_url = http://[::1]:1\n");
  EXPECT_EQ(d.profiles["default"].values["kms"].sub_values.size(), 1u);
  EXPECT_EQ(d.profiles["default"].values["kms"].sub_values.at("endpoint_url"), "http://[::1]:1");
}

TEST(ConfigFile, NestedLineWithoutEqualsIsAnErrorWithItsLine) {
  EXPECT_EQ(ParseError("[default]\ns3 =\n  a = b\n  oops\n"),
            "/tmp/cfg:4: line in nested block 's3 =' has no '=': 'oops'");
}

TEST(ConfigFile, NestedBlockSplitsOnlyAtEqualsNotColon) {
  EXPECT_FALSE(ParseConfigText("[default]\ns3 =\n  a : b\n", "p", FileKind::kConfig).ok());
}

TEST(ConfigFile, DeeperNestingIsFlattenedToOneLevel) {
  ConfigFileData d = ParseOk("[default]\ns3 =\n  kms =\n    x = y\n");
  const auto& sub = d.profiles["default"].values["s3"].sub_values;
  EXPECT_EQ(sub.size(), 2u);
  EXPECT_EQ(sub.at("kms"), "");
  EXPECT_EQ(sub.at("x"), "y");
}

TEST(ConfigFile, OneLineNestedLookalikeIsAPlainString) {
  ConfigFileData d = ParseOk("[default]\ns3 = a = b\n");
  EXPECT_EQ(d.profiles["default"].Get("s3"), "a = b");
}

TEST(ConfigFile, ContinuationOfAPlainValueJoinsWithNewlines) {
  ConfigFileData d = ParseOk("[default]\nnote = first\n  second\nregion = x\n");
  EXPECT_EQ(d.profiles["default"].Get("note"), "first\nsecond");
  EXPECT_EQ(d.profiles["default"].Get("region"), "x");
}

TEST(ConfigFile, CrLfLineEndingsAreAccepted) {
  ConfigFileData d = ParseOk("[default]\r\nregion = x\r\n");
  EXPECT_EQ(d.profiles["default"].Get("region"), "x");
}

TEST(ConfigFile, ProfileSectionsAreNamedByTheSecondWord) {
  ConfigFileData d = ParseOk("[profile dev]\nregion = a\n[profile \"my prod\"]\nregion = b\n");
  EXPECT_EQ(d.profiles["dev"].Get("region"), "a");
  EXPECT_EQ(d.profiles["my prod"].Get("region"), "b");
}

TEST(ConfigFile, MalformedProfileHeadersAreDroppedSilently) {
  ConfigFileData d = ParseOk("[profilex]\na = 1\n[profile a b c]\na = 1\n[profile 'x]\na = 1\n");
  EXPECT_TRUE(d.profiles.empty());
}

TEST(ConfigFile, PlainNameInConfigFileIsNotAProfile) {
  ConfigFileData d = ParseOk("[dev]\nregion = a\n");
  EXPECT_EQ(d.profiles.count("dev"), 0u);
}

TEST(ConfigFile, LaterOfDefaultAndProfileDefaultWinsWhole) {
  ConfigFileData d = ParseOk("[default]\nregion = a\noutput = j\n[profile default]\nregion = b\n");
  EXPECT_EQ(d.profiles["default"].Get("region"), "b");
  EXPECT_EQ(d.profiles["default"].Get("output"), std::nullopt);
  ConfigFileData e = ParseOk("[profile default]\nregion = b\n[default]\nregion = a\n");
  EXPECT_EQ(e.profiles["default"].Get("region"), "a");
}

TEST(ConfigFile, ServicesAndSsoSessionSectionsAreNotProfiles) {
  ConfigFileData d = ParseOk(
      "[services local]\nkms =\n  endpoint_url = http://127.0.0.1:4599\n[sso-session s]\na = b\n");
  EXPECT_TRUE(d.profiles.empty());
  EXPECT_EQ(d.services["local"].values["kms"].sub_values.at("endpoint_url"),
            "http://127.0.0.1:4599");
  EXPECT_EQ(d.other_sections.size(), 1u);
}

TEST(ConfigFile, CredentialsFileSectionsArePlainProfileNames) {
  ConfigFileData d = ParseOk("[dev]\naws_access_key_id = A\n[profile x]\na = b\n",
                             FileKind::kCredentials);
  EXPECT_EQ(d.profiles["dev"].Get("aws_access_key_id"), "A");
  EXPECT_EQ(d.profiles.count("profile x"), 1u);
  EXPECT_EQ(d.profiles.count("x"), 0u);
}

TEST(ConfigFile, SectionHeaderMayCarryTrailingText) {
  ConfigFileData d = ParseOk("[default] ; note\nregion = x\n");
  EXPECT_EQ(d.profiles["default"].Get("region"), "x");
}

TEST(ConfigFile, MissingFileIsNotAnError) {
  Result<std::optional<ConfigFileData>> r =
      LoadConfigFile("/nonexistent/envelope/config", FileKind::kConfig);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST(ConfigFile, ScrubSecretsZeroesSecretValuesOnly) {
  ConfigFileData d = ParseOk("[dev]\naws_access_key_id = AKID\naws_secret_access_key = sk\n"
                             "aws_session_token = tok\n", FileKind::kCredentials);
  ScrubSecrets(d);
  EXPECT_EQ(d.profiles["dev"].Get("aws_access_key_id"), "AKID");
  EXPECT_EQ(d.profiles["dev"].Get("aws_secret_access_key"), std::string(2, '\0'));
  EXPECT_EQ(d.profiles["dev"].Get("aws_session_token"), std::string(3, '\0'));
}

TEST(ConfigFile, BooleanIsTrueOnlyForTrueInAnyCase) {
  EXPECT_TRUE(ParseAwsBoolean("true"));
  EXPECT_TRUE(ParseAwsBoolean("TRUE"));
  EXPECT_TRUE(ParseAwsBoolean("True"));
  EXPECT_FALSE(ParseAwsBoolean("1"));
  EXPECT_FALSE(ParseAwsBoolean("yes"));
  EXPECT_FALSE(ParseAwsBoolean("TRUE # comment"));
  EXPECT_FALSE(ParseAwsBoolean(""));
}

TEST(ConfigFile, DocumentationExampleParsesAsDocumented) {  // docs/config.md#file-syntax
  ConfigFileData d = ParseOk(
      "# A comment. Lines starting with ; are comments too, even when indented.\n"
      "[default]\nregion = eu-west-1\nretry_mode: standard\n\n"
      "[profile dev]\n"
      "  # keys may be indented under a header, and are case-insensitive (this is max_attempts)\n"
      "  Max_Attempts = 4\n  region = us-east-2\n"
      "kms =\n    use_dualstack_endpoint = true\n"
      "    # comments and blank lines inside a block are skipped\n\n"
      "[profile \"team a\"]\nregion = eu-central-1\n\n"
      "[services local-kms]\nkms =\n    endpoint_url = http://[::1]:4599\n");
  EXPECT_EQ(d.profiles["default"].Get("retry_mode"), "standard");
  EXPECT_EQ(d.profiles["dev"].Get("max_attempts"), "4");
  EXPECT_EQ(d.profiles["dev"].Get("region"), "us-east-2");
  EXPECT_EQ(d.profiles["dev"].values["kms"].sub_values.at("use_dualstack_endpoint"), "true");
  EXPECT_EQ(d.profiles["team a"].Get("region"), "eu-central-1");
  EXPECT_EQ(d.services["local-kms"].values["kms"].sub_values.at("endpoint_url"),
            "http://[::1]:4599");
}

TEST(ShellSplit, HonoursQuotesAndBackslashes) {
  EXPECT_EQ(ShellSplit("profile 'a b'"), (std::vector<std::string>{"profile", "a b"}));
  EXPECT_EQ(ShellSplit("profile \"a\\\"b\""), (std::vector<std::string>{"profile", "a\"b"}));
  EXPECT_EQ(ShellSplit("profile a\\ b"), (std::vector<std::string>{"profile", "a b"}));
  EXPECT_EQ(ShellSplit("profile \"open"), std::nullopt);
}

}  // namespace
}  // namespace envelope::kms::config
