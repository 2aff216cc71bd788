#include "kms/client/config/config_resolver.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace envelope::kms::config {
namespace {

// Temp config and credentials files plus an injected environment pointing at them.
class ConfigResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = std::filesystem::temp_directory_path() / "kmsconfig.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    config_path_ = dir_ + "/config";
    credentials_path_ = dir_ + "/credentials";
    vars_ = {{"AWS_CONFIG_FILE", config_path_}, {"AWS_SHARED_CREDENTIALS_FILE", credentials_path_}};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void WriteConfig(const std::string& text) { Write(config_path_, text); }
  void WriteCredentials(const std::string& text) { Write(credentials_path_, text); }
  static void Write(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
  }

  ResolvedConfig Resolve(const ConfigOverrides& o = {}) {
    Result<ResolvedConfig> r = ResolveConfig(o, MapEnvironment(vars_));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : ResolvedConfig{};
  }
  Status ResolveError(const ConfigOverrides& o = {}) {
    Result<ResolvedConfig> r = ResolveConfig(o, MapEnvironment(vars_));
    EXPECT_FALSE(r.ok());
    return r.ok() ? OkStatus() : r.status();
  }
  static ConfigSetting Setting(const ResolvedConfig& c, const std::string& name) {
    for (const ConfigSetting& s : c.settings) {
      if (s.name == name) return s;
    }
    ADD_FAILURE() << "no setting " << name;
    return {};
  }
  std::string InConfig(const std::string& profile) const {
    return "profile " + profile + " in " + config_path_;
  }

  std::string dir_, config_path_, credentials_path_;
  std::map<std::string, std::string, std::less<>> vars_;
};

// --- profile -------------------------------------------------------------------------------

TEST_F(ConfigResolverTest, ProfileDefaultsToDefault) {
  WriteConfig("[default]\nregion = eu-west-1\n");
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.profile, "default");
  EXPECT_EQ(Setting(c, "profile").source, "default");
  EXPECT_EQ(c.options.region, "eu-west-1");
}

TEST_F(ConfigResolverTest, AwsDefaultProfileWinsOverAwsProfile) {
  WriteConfig("[profile a]\nregion = r-a-1\n[profile b]\nregion = r-b-1\n");
  vars_["AWS_DEFAULT_PROFILE"] = "a";
  vars_["AWS_PROFILE"] = "b";
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.profile, "a");
  EXPECT_EQ(Setting(c, "profile").source, "env AWS_DEFAULT_PROFILE");
}

TEST_F(ConfigResolverTest, AwsProfileSelectsTheProfile) {
  WriteConfig("[profile b]\nregion = eu-central-1\n");
  vars_["AWS_PROFILE"] = "b";
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.region, "eu-central-1");
  EXPECT_EQ(Setting(c, "region").source, InConfig("b"));
}

TEST_F(ConfigResolverTest, ExplicitProfileWinsOverEnvironment) {
  WriteConfig("[profile a]\nregion = r-a-1\n[profile cli]\nregion = r-c-1\n");
  vars_["AWS_DEFAULT_PROFILE"] = "a";
  ConfigOverrides o;
  o.profile = "cli";
  ResolvedConfig c = Resolve(o);
  EXPECT_EQ(c.profile, "cli");
  EXPECT_EQ(Setting(c, "profile").source, "command line");
}

TEST_F(ConfigResolverTest, NamedProfileThatDoesNotExistIsNotFound) {
  WriteConfig("[default]\nregion = eu-west-1\n");
  vars_["AWS_PROFILE"] = "ghost";
  Status s = ResolveError();
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "The config profile (ghost) could not be found (named by env AWS_PROFILE)");
}

TEST_F(ConfigResolverTest, ProfileOnlyInCredentialsFileExists) {
  WriteCredentials("[dev]\naws_access_key_id = AKIDDEV1\naws_secret_access_key = s\n");
  ConfigOverrides o;
  o.profile = "dev";
  o.region = "us-east-1";
  ResolvedConfig c = Resolve(o);
  EXPECT_EQ(c.options.credentials.access_key_id, "AKIDDEV1");
}

TEST_F(ConfigResolverTest, NoFilesAndNoProfileIsFine) {
  ResolvedConfig c = Resolve();
  EXPECT_EQ(Setting(c, "region").source, "(none)");
  EXPECT_EQ(c.Complete().message().rfind("Invalid Configuration: Missing Region", 0), 0u);
}

// --- files ---------------------------------------------------------------------------------

TEST_F(ConfigResolverTest, FileLocationsDefaultToHomeDotAws) {
  vars_.clear();
  vars_["HOME"] = dir_;
  std::filesystem::create_directories(dir_ + "/.aws");
  Write(dir_ + "/.aws/config", "[default]\nregion = ap-south-1\n");
  ResolvedConfig c = Resolve();
  EXPECT_EQ(Setting(c, "config_file").value, dir_ + "/.aws/config");
  EXPECT_EQ(Setting(c, "config_file").source, "default");
  EXPECT_EQ(Setting(c, "credentials_file").value, dir_ + "/.aws/credentials");
  EXPECT_EQ(c.options.region, "ap-south-1");
}

TEST_F(ConfigResolverTest, FileLocationsComeFromTheEnvironmentWithVariablesExpanded) {
  vars_["CFGDIR"] = dir_;
  vars_["AWS_CONFIG_FILE"] = "$CFGDIR/config";
  WriteConfig("[default]\nregion = sa-east-1\n");
  ResolvedConfig c = Resolve();
  EXPECT_EQ(Setting(c, "config_file").value, config_path_);
  EXPECT_EQ(Setting(c, "config_file").source, "env AWS_CONFIG_FILE");
  EXPECT_EQ(Setting(c, "credentials_file").source, "env AWS_SHARED_CREDENTIALS_FILE");
  EXPECT_EQ(c.options.region, "sa-east-1");
}

TEST_F(ConfigResolverTest, ExplicitFileLocationsWinOverEnvironment) {
  Write(dir_ + "/other", "[default]\nregion = me-south-1\n");
  WriteConfig("[default]\nregion = eu-west-1\n");
  ConfigOverrides o;
  o.config_file = dir_ + "/other";
  ResolvedConfig c = Resolve(o);
  EXPECT_EQ(c.options.region, "me-south-1");
  EXPECT_EQ(Setting(c, "config_file").source, "command line");
}

TEST_F(ConfigResolverTest, MalformedConfigFileFailsWithFileAndLine) {
  WriteConfig("[default]\nregion\n");
  EXPECT_EQ(ResolveError().message(),
            config_path_ + ":2: expected 'key = value' or a [section] header, got 'region'");
}

// --- region --------------------------------------------------------------------------------

TEST_F(ConfigResolverTest, AwsDefaultRegionWinsOverAwsRegion) {
  vars_["AWS_DEFAULT_REGION"] = "eu-west-2";
  vars_["AWS_REGION"] = "eu-west-3";
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.region, "eu-west-2");
  EXPECT_EQ(Setting(c, "region").source, "env AWS_DEFAULT_REGION");
}

TEST_F(ConfigResolverTest, AwsRegionIsUsedWhenAloneAndBeatsTheProfile) {
  WriteConfig("[default]\nregion = eu-west-1\n");
  vars_["AWS_REGION"] = "eu-west-3";
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.region, "eu-west-3");
  EXPECT_EQ(Setting(c, "region").source, "env AWS_REGION");
  EXPECT_EQ(c.options.endpoint_url, "https://kms.eu-west-3.amazonaws.com");
}

TEST_F(ConfigResolverTest, ExplicitRegionWinsOverEnvironment) {
  vars_["AWS_DEFAULT_REGION"] = "eu-west-2";
  ConfigOverrides o;
  o.region = "us-west-2";
  ResolvedConfig c = Resolve(o);
  EXPECT_EQ(c.options.region, "us-west-2");
  EXPECT_EQ(Setting(c, "region").source, "command line");
}

TEST_F(ConfigResolverTest, CredentialsFileKeysOverrideConfigFileKeys) {
  WriteConfig("[profile dev]\nregion = eu-west-1\n");
  WriteCredentials("[dev]\nregion = eu-north-1\n");
  vars_["AWS_PROFILE"] = "dev";
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.region, "eu-north-1");
  EXPECT_EQ(Setting(c, "region").source, "profile dev in " + credentials_path_);
}

TEST_F(ConfigResolverTest, FipsPseudoRegionIsNormalisedWithAWarning) {
  vars_["AWS_DEFAULT_REGION"] = "us-east-1-fips";
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.region, "us-east-1");
  EXPECT_EQ(c.options.endpoint_url, "https://kms-fips.us-east-1.amazonaws.com");
  EXPECT_EQ(c.warnings.size(), 1u);
}

// --- retries -------------------------------------------------------------------------------

TEST_F(ConfigResolverTest, EnvironmentRetrySettingsBeatTheProfile) {
  WriteConfig("[default]\nmax_attempts = 7\nretry_mode = adaptive\n");
  vars_["AWS_MAX_ATTEMPTS"] = "2";
  vars_["AWS_RETRY_MODE"] = "standard";
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.retry_mode, RetryMode::kStandard);
  EXPECT_EQ(c.options.max_attempts, 2);
  EXPECT_EQ(Setting(c, "max_attempts").source, "env AWS_MAX_ATTEMPTS");
}

TEST_F(ConfigResolverTest, ProfileRetrySettingsApplyWithoutEnvironment) {
  WriteConfig("[default]\nmax_attempts = 7\nretry_mode = adaptive\n");
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.retry_mode, RetryMode::kAdaptive);
  EXPECT_EQ(c.options.max_attempts, 7);
  EXPECT_EQ(Setting(c, "retry_mode").source, InConfig("default"));
}

TEST_F(ConfigResolverTest, ExplicitRetrySettingsBeatEnvironment) {
  vars_["AWS_MAX_ATTEMPTS"] = "2";
  vars_["AWS_RETRY_MODE"] = "adaptive";
  ConfigOverrides o;
  o.max_attempts = 1;
  o.retry_mode = "legacy";
  ResolvedConfig c = Resolve(o);
  EXPECT_EQ(c.options.retry_mode, RetryMode::kLegacy);
  EXPECT_EQ(c.options.max_attempts, 1);
}

TEST_F(ConfigResolverTest, RetryDefaultsAreStandardWithModeAttempts) {
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.retry_mode, RetryMode::kStandard);
  EXPECT_EQ(c.options.max_attempts, std::nullopt);
  EXPECT_EQ(Setting(c, "max_attempts").value, "3");
  EXPECT_EQ(Setting(c, "max_attempts").source, "default for retry_mode standard");
}

TEST_F(ConfigResolverTest, InvalidRetryModeNamesItsSource) {
  vars_["AWS_RETRY_MODE"] = "fast";
  EXPECT_EQ(ResolveError().message(),
            "retry_mode from env AWS_RETRY_MODE: invalid retry mode 'fast': expected legacy, "
            "standard or adaptive");
}

TEST_F(ConfigResolverTest, InvalidMaxAttemptsNamesItsSource) {
  for (const char* bad : {"0", "-1", "x", "3x"}) {
    vars_["AWS_MAX_ATTEMPTS"] = bad;
    EXPECT_EQ(ResolveError().message(),
              std::string("max_attempts from env AWS_MAX_ATTEMPTS must be an integer >= 1 (total "
                          "attempts, including the first), got '") + bad + "'");
  }
}

TEST_F(ConfigResolverTest, NewRetries2026FlagIsRead) {
  vars_["AWS_NEW_RETRIES_2026"] = "true";
  EXPECT_TRUE(Resolve().options.new_retries_2026);
}

// --- dual-stack and FIPS -------------------------------------------------------------------

TEST_F(ConfigResolverTest, ExplicitDualStackFalseBeatsEnvironmentTrue) {
  vars_["AWS_USE_DUALSTACK_ENDPOINT"] = "true";
  vars_["AWS_DEFAULT_REGION"] = "us-west-2";
  ConfigOverrides o;
  o.use_dualstack_endpoint = false;
  ResolvedConfig c = Resolve(o);
  EXPECT_EQ(c.options.endpoint_url, "https://kms.us-west-2.amazonaws.com");
  EXPECT_EQ(Setting(c, "use_dualstack_endpoint").source, "command line");
}

TEST_F(ConfigResolverTest, EnvironmentDualStackGivesTheApiAwsHost) {
  vars_["AWS_USE_DUALSTACK_ENDPOINT"] = "TRUE";
  vars_["AWS_DEFAULT_REGION"] = "us-east-1";
  EXPECT_EQ(Resolve().options.endpoint_url, "https://kms.us-east-1.api.aws");
}

TEST_F(ConfigResolverTest, ProfileDualStackGivesTheApiAwsHost) {
  WriteConfig("[default]\nregion = eu-west-1\nuse_dualstack_endpoint = true\n");
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.endpoint_url, "https://kms.eu-west-1.api.aws");
  EXPECT_EQ(Setting(c, "use_dualstack_endpoint").source, InConfig("default"));
}

TEST_F(ConfigResolverTest, NestedS3DualStackDoesNotApplyToKmsAndIsReported) {
  WriteConfig("[default]\nregion = us-west-2\ns3 =\n    use_dualstack_endpoint = True\n");
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.endpoint_url, "https://kms.us-west-2.amazonaws.com");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0],
            InConfig("default") + ", line 3: the nested 's3 =' block applies to S3 only (botocore "
            "honours it for s3 and s3-control); it does not apply to KMS, use a top-level key or "
            "a 'kms =' block");
}

TEST_F(ConfigResolverTest, NestedKmsBlockIsHonouredAndBeatsTopLevelKeys) {
  WriteConfig(
      "[default]\nregion = us-west-2\nuse_dualstack_endpoint = false\n"
      "kms =\n    use_dualstack_endpoint = true\n");
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.endpoint_url, "https://kms.us-west-2.api.aws");
  EXPECT_EQ(Setting(c, "use_dualstack_endpoint").source, InConfig("default") + " (kms = block)");
  EXPECT_TRUE(c.warnings.empty());
}

TEST_F(ConfigResolverTest, OtherNestedBlocksAreReportedAsNotForKms) {
  WriteConfig("[default]\nregion = us-west-2\ndynamodb =\n  endpoint_url = http://x\n");
  ResolvedConfig c = Resolve();
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("applies to service 'dynamodb', not KMS"), std::string::npos);
}

TEST_F(ConfigResolverTest, FipsFromEnvironmentGivesTheFipsHost) {
  vars_["AWS_USE_FIPS_ENDPOINT"] = "true";
  vars_["AWS_DEFAULT_REGION"] = "us-gov-west-1";
  EXPECT_EQ(Resolve().options.endpoint_url, "https://kms-fips.us-gov-west-1.amazonaws.com");
}

TEST_F(ConfigResolverTest, NonTrueBooleanIsFalseWithAWarning) {
  vars_["AWS_USE_DUALSTACK_ENDPOINT"] = "1";
  vars_["AWS_DEFAULT_REGION"] = "us-east-1";
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.endpoint_url, "https://kms.us-east-1.amazonaws.com");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("read as false"), std::string::npos);
}

TEST_F(ConfigResolverTest, InlineCommentMakesABooleanFalse) {
  WriteConfig("[default]\nregion = us-east-1\nuse_fips_endpoint = true # on\n");
  EXPECT_EQ(Resolve().options.endpoint_url, "https://kms.us-east-1.amazonaws.com");
}

// --- endpoint_url --------------------------------------------------------------------------

TEST_F(ConfigResolverTest, EndpointPrecedenceWalksEverySource) {
  WriteConfig(
      "[default]\nregion = us-east-1\nservices = local\nendpoint_url = http://profile:1\n"
      "kms =\n  endpoint_url = http://kmsblock:1\n"
      "[services local]\nkms =\n  endpoint_url = http://services:1\n");
  vars_["AWS_ENDPOINT_URL"] = "http://global:1";
  vars_["AWS_ENDPOINT_URL_KMS"] = "http://kms-env:1";
  ConfigOverrides o;
  o.endpoint_url = "http://[::1]:4599";
  EXPECT_EQ(Resolve(o).options.endpoint_url, "http://[::1]:4599");
  EXPECT_EQ(Resolve().options.endpoint_url, "http://kms-env:1");
  vars_.erase("AWS_ENDPOINT_URL_KMS");
  EXPECT_EQ(Resolve().options.endpoint_url, "http://global:1");
  vars_.erase("AWS_ENDPOINT_URL");
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.endpoint_url, "http://services:1");
  EXPECT_EQ(Setting(c, "endpoint_url").source, "services local in " + config_path_ +
                                                   " (kms = block)");
  WriteConfig(
      "[default]\nregion = us-east-1\nendpoint_url = http://profile:1\n"
      "kms =\n  endpoint_url = http://kmsblock:1\n");
  EXPECT_EQ(Resolve().options.endpoint_url, "http://kmsblock:1");
  WriteConfig("[default]\nregion = us-east-1\nendpoint_url = http://profile:1\n");
  EXPECT_EQ(Resolve().options.endpoint_url, "http://profile:1");
}

TEST_F(ConfigResolverTest, IgnoreConfiguredEndpointUrlsDisablesEnvAndProfile) {
  WriteConfig("[default]\nregion = us-east-1\nendpoint_url = http://profile:1\n");
  vars_["AWS_ENDPOINT_URL_KMS"] = "http://kms-env:1";
  vars_["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
  EXPECT_EQ(Resolve().options.endpoint_url, "https://kms.us-east-1.amazonaws.com");
  ConfigOverrides o;
  o.endpoint_url = "http://127.0.0.1:4599";
  EXPECT_EQ(Resolve(o).options.endpoint_url, "http://127.0.0.1:4599");
}

TEST_F(ConfigResolverTest, IgnoreConfiguredEndpointUrlsFromTheProfile) {
  WriteConfig(
      "[default]\nregion = us-east-1\nendpoint_url = http://profile:1\n"
      "ignore_configured_endpoint_urls = true\n");
  EXPECT_EQ(Resolve().options.endpoint_url, "https://kms.us-east-1.amazonaws.com");
}

TEST_F(ConfigResolverTest, ServicesKeyNamingAMissingSectionIsAnError) {
  WriteConfig("[default]\nregion = us-east-1\nservices = nope\n");
  EXPECT_EQ(ResolveError().message().rfind(
                "The profile is configured to use the services section but the \"nope\" services "
                "configuration does not exist",
                0),
            0u);
}

TEST_F(ConfigResolverTest, DualStackWithCustomEndpointIsAnError) {
  vars_["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4599";
  vars_["AWS_USE_DUALSTACK_ENDPOINT"] = "true";
  vars_["AWS_DEFAULT_REGION"] = "us-east-1";
  EXPECT_EQ(ResolveError().message(),
            "Invalid Configuration: Dualstack and custom endpoint are not supported");
}

TEST_F(ConfigResolverTest, CustomEndpointWithoutRegionResolvesButIsIncomplete) {
  vars_["AWS_ENDPOINT_URL_KMS"] = "http://127.0.0.1:4599";
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.endpoint_url, "http://127.0.0.1:4599");
  EXPECT_EQ(c.Complete().code(), Code::kInvalidArgument);
}

TEST_F(ConfigResolverTest, MalformedEndpointUrlIsAnError) {
  vars_["AWS_ENDPOINT_URL"] = "127.0.0.1:4599";
  EXPECT_EQ(ResolveError().message(), "Invalid endpoint: 127.0.0.1:4599");
}

// --- ca_bundle and timeouts ----------------------------------------------------------------

TEST_F(ConfigResolverTest, CaBundleFromEnvironmentBeatsProfile) {
  WriteConfig("[default]\nca_bundle = /p.pem\n");
  EXPECT_EQ(Resolve().options.ca_bundle, "/p.pem");
  vars_["AWS_CA_BUNDLE"] = "/e.pem";
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.ca_bundle, "/e.pem");
  EXPECT_EQ(Setting(c, "ca_bundle").source, "env AWS_CA_BUNDLE");
}

TEST_F(ConfigResolverTest, TimeoutsComeFromOverridesOrDefaults) {
  ConfigOverrides o;
  o.read_timeout = std::chrono::milliseconds(250);
  ResolvedConfig c = Resolve(o);
  EXPECT_EQ(c.options.read_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(c.options.connect_timeout, ClientOptions{}.connect_timeout);
  EXPECT_EQ(Setting(c, "read_timeout").value, "250 ms");
  EXPECT_EQ(Setting(c, "connect_timeout").source, "default");
}

// --- credentials ---------------------------------------------------------------------------

TEST_F(ConfigResolverTest, EnvironmentCredentialsWinOverFiles) {
  WriteCredentials("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n");
  vars_["AWS_ACCESS_KEY_ID"] = "AKIDENV1";
  vars_["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  vars_["AWS_SESSION_TOKEN"] = "tok";
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.credentials.access_key_id, "AKIDENV1");
  EXPECT_TRUE(c.options.credentials.secret_access_key.Equals(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("envsecret"), 9)));
  EXPECT_EQ(c.options.credentials.session_token, "tok");
  EXPECT_EQ(Setting(c, "aws_access_key_id").source, "env AWS_ACCESS_KEY_ID");
}

TEST_F(ConfigResolverTest, PartialEnvironmentCredentialsAreAnError) {
  vars_["AWS_ACCESS_KEY_ID"] = "AKIDENV1";
  EXPECT_EQ(ResolveError().message(),
            "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY");
}

TEST_F(ConfigResolverTest, SecretWithoutKeyIdIsPassedOver) {
  WriteCredentials("[default]\naws_access_key_id = AKIDCRED\naws_secret_access_key = s\n");
  vars_["AWS_SECRET_ACCESS_KEY"] = "stray";
  EXPECT_EQ(Resolve().options.credentials.access_key_id, "AKIDCRED");
}

TEST_F(ConfigResolverTest, CredentialsFileWinsOverConfigFile) {
  WriteConfig("[default]\naws_access_key_id = AKIDCONF\naws_secret_access_key = c\n");
  WriteCredentials("[default]\naws_access_key_id = AKIDCRED\naws_secret_access_key = s\n");
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.credentials.access_key_id, "AKIDCRED");
  EXPECT_EQ(Setting(c, "aws_access_key_id").source, "profile default in " + credentials_path_);
}

TEST_F(ConfigResolverTest, ConfigFileCredentialsAreTheLastResort) {
  WriteConfig("[profile dev]\naws_access_key_id = AKIDCONF\naws_secret_access_key = c\n"
              "aws_session_token = t\n");
  vars_["AWS_PROFILE"] = "dev";
  ResolvedConfig c = Resolve();
  EXPECT_EQ(c.options.credentials.access_key_id, "AKIDCONF");
  EXPECT_EQ(c.options.credentials.session_token, "t");
  EXPECT_EQ(Setting(c, "aws_access_key_id").source, InConfig("dev"));
}

TEST_F(ConfigResolverTest, PartialFileCredentialsAreAnError) {
  WriteCredentials("[default]\naws_access_key_id = AKIDCRED\n");
  EXPECT_EQ(ResolveError().message(),
            "Partial credentials found in shared-credentials-file, missing: aws_secret_access_key");
}

TEST_F(ConfigResolverTest, ExplicitProfileSkipsEnvironmentCredentials) {
  WriteCredentials("[dev]\naws_access_key_id = AKIDDEV1\naws_secret_access_key = s\n");
  vars_["AWS_ACCESS_KEY_ID"] = "AKIDENV1";
  vars_["AWS_SECRET_ACCESS_KEY"] = "e";
  ConfigOverrides o;
  o.profile = "dev";
  EXPECT_EQ(Resolve(o).options.credentials.access_key_id, "AKIDDEV1");
  vars_["AWS_PROFILE"] = "dev";
  EXPECT_EQ(Resolve().options.credentials.access_key_id, "AKIDENV1");
}

TEST_F(ConfigResolverTest, ExplicitCredentialsWinOverEverything) {
  vars_["AWS_ACCESS_KEY_ID"] = "AKIDENV1";
  vars_["AWS_SECRET_ACCESS_KEY"] = "e";
  ConfigOverrides o;
  o.source_label = "code";
  const std::uint8_t secret[] = {'x'};
  o.credentials = ExplicitCredentials("AKIDCODE", SecretBytes(secret));
  ResolvedConfig c = Resolve(o);
  EXPECT_EQ(c.options.credentials.access_key_id, "AKIDCODE");
  EXPECT_EQ(Setting(c, "aws_access_key_id").source, "code");
}

TEST_F(ConfigResolverTest, MissingCredentialsMakeTheConfigIncomplete) {
  vars_["AWS_DEFAULT_REGION"] = "us-east-1";
  ResolvedConfig c = Resolve();
  EXPECT_FALSE(c.has_credentials);
  EXPECT_EQ(c.Complete().code(), Code::kUnauthenticated);
}

TEST_F(ConfigResolverTest, OverridesCopyWithTheirOwnSecret) {
  ConfigOverrides o;
  const std::uint8_t secret[] = {'x', 'y'};
  o.credentials = ExplicitCredentials("AKIDCODE", SecretBytes(secret));
  ConfigOverrides copy = o;
  copy.region = "eu-west-1";
  EXPECT_NE(copy.credentials->secret_access_key.data(), o.credentials->secret_access_key.data());
  EXPECT_TRUE(copy.credentials->secret_access_key.Equals(secret));
  EXPECT_EQ(Resolve(copy).options.endpoint_url, "https://kms.eu-west-1.amazonaws.com");
}

// --- entry points --------------------------------------------------------------------------

TEST_F(ConfigResolverTest, ResolveClientOptionsReturnsWorkingOptionsAndAReport) {
  WriteConfig("[default]\nregion = eu-west-1\n");
  WriteCredentials("[default]\naws_access_key_id = AKIDCRED1234\naws_secret_access_key = s3cr3t\n");
  ResolvedConfig report;
  Result<ClientOptions> o = ResolveClientOptions({}, MapEnvironment(vars_), &report);
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->endpoint_url, "https://kms.eu-west-1.amazonaws.com");
  EXPECT_EQ(o->credentials.access_key_id, "AKIDCRED1234");
  EXPECT_EQ(report.partition, "aws");
  EXPECT_FALSE(report.settings.empty());
}

TEST_F(ConfigResolverTest, ResolveClientOptionsFailsWithoutCredentials) {
  vars_["AWS_DEFAULT_REGION"] = "us-east-1";
  EXPECT_EQ(ResolveClientOptions({}, MapEnvironment(vars_)).status().code(),
            Code::kUnauthenticated);
}

TEST_F(ConfigResolverTest, ReportShowsSourcesAndNeverTheSecret) {
  WriteConfig("[default]\nregion = eu-west-1\ns3 =\n  x = y\n");
  WriteCredentials("[default]\naws_access_key_id = AKIDCRED1234\naws_secret_access_key = s3cr3t\n");
  const std::string text = FormatConfigReport(Resolve());
  EXPECT_EQ(text.find("s3cr3t"), std::string::npos);
  EXPECT_EQ(text.find("AKIDCRED1234"), std::string::npos);
  EXPECT_NE(text.find("****1234"), std::string::npos);
  EXPECT_NE(text.find("profile default in " + config_path_), std::string::npos);
  EXPECT_NE(text.find("warning: "), std::string::npos);
}

}  // namespace
}  // namespace envelope::kms::config
