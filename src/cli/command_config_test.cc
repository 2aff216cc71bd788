#include "cli/command_config.h"

#include <gtest/gtest.h>

#include "cli/args.h"
#include "cli/remote_kms.h"

namespace envelope::cli {
namespace {

using kms::config::MapEnvironment;
using kms::config::ResolveConfig;
using kms::config::ResolvedConfig;

// An environment whose config files do not exist, plus `vars`.
ResolvedConfig Resolve(std::map<std::string, std::string, std::less<>> vars,
                       const KmsClientFlags& flags = {}) {
  vars.emplace("AWS_CONFIG_FILE", "/nonexistent/envelope-test/config");
  vars.emplace("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/envelope-test/credentials");
  Result<ResolvedConfig> r = ResolveConfig(ClientOverrides(flags), MapEnvironment(vars));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

TEST(ParseConfig, ReadsTheClientFlags) {
  Invocation inv = ParseArgs({"config", "--region", "eu-west-1", "--fips", "--max-attempts", "4"});
  ASSERT_EQ(inv.command, Command::kConfig);
  EXPECT_EQ(inv.config.client.region, "eu-west-1");
  EXPECT_TRUE(inv.config.client.fips);
  EXPECT_EQ(inv.config.client.max_attempts, 4);
}

TEST(ParseConfig, HelpGivesTheConfigHelp) {
  Invocation inv = ParseArgs({"config", "--help"});
  ASSERT_EQ(inv.command, Command::kHelp);
  EXPECT_NE(inv.help_text.find("envelope config"), std::string::npos);
}

TEST(FormatConfigLines, ShowsEachSettingWithItsSource) {
  const std::string text = FormatConfigLines(Resolve({{"AWS_REGION", "eu-west-1"}}));
  EXPECT_NE(text.find("region = eu-west-1  (env AWS_REGION)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("endpoint_url = https://kms.eu-west-1.amazonaws.com  ("), std::string::npos)
      << text;
}

TEST(FormatConfigLines, CommandLineFlagsWinAndSaySo) {
  KmsClientFlags flags;
  flags.region = "ap-south-1";
  const std::string text = FormatConfigLines(Resolve({{"AWS_REGION", "eu-west-1"}}, flags));
  EXPECT_NE(text.find("region = ap-south-1  (command line)\n"), std::string::npos) << text;
}

TEST(FormatConfigLines, SaysWhenNoCredentialsWereFound) {
  const std::string text = FormatConfigLines(Resolve({{"AWS_REGION", "eu-west-1"}}));
  EXPECT_NE(text.find("note: no credentials found"), std::string::npos) << text;
}

TEST(FormatConfigLines, MasksTheAccessKeyAndNeverPrintsTheSecret) {
  const std::string text = FormatConfigLines(
      Resolve({{"AWS_REGION", "eu-west-1"}, {"AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY1234"},
               {"AWS_SECRET_ACCESS_KEY", "s3cr3t-value-never-shown"}}));
  EXPECT_EQ(text.find("AKIAEXAMPLEKEY1234"), std::string::npos) << text;
  EXPECT_EQ(text.find("s3cr3t-value-never-shown"), std::string::npos) << text;
  EXPECT_NE(text.find("aws_access_key_id = ****1234"), std::string::npos) << text;
  EXPECT_EQ(text.find("note: no credentials"), std::string::npos) << text;
}

TEST(FormatConfigLines, UnsetValuesShowNotSet) {
  const std::string text = FormatConfigLines(Resolve({}));
  EXPECT_NE(text.find("region = <not set>  ("), std::string::npos) << text;
}

}  // namespace
}  // namespace envelope::cli
