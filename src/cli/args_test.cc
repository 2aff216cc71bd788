#include "cli/args.h"

#include <gtest/gtest.h>

#include "cli/exit_codes.h"
#include "cli/parse_error_for_test.h"

namespace envelope::cli {
namespace {

using testing::ParseError;

const std::vector<std::string> kMinimalEncrypt = {
    "encrypt", "-i", "in", "-o", "out", "--wrapping-keys", "provider=raw-aes", "key-name=k"};

TEST(ParseArgs, EncryptReadsInputOutputAndJoinsGreedyWrappingKeyValues) {
  Invocation inv = ParseArgs(kMinimalEncrypt);
  ASSERT_EQ(inv.command, Command::kEncrypt);
  EXPECT_EQ(inv.crypto.input, "in");
  EXPECT_EQ(inv.crypto.output, "out");
  ASSERT_EQ(inv.crypto.wrapping_keys.size(), 1u);
  EXPECT_EQ(inv.crypto.wrapping_keys[0], "provider=raw-aes key-name=k");
}

TEST(ParseArgs, RepeatedWrappingKeysGiveOneSpecEach) {
  Invocation inv = ParseArgs({"decrypt", "-i", "a", "-o", "b", "-w", "provider=x a=1",
                              "--wrapping-keys", "provider=y", "b=2"});
  ASSERT_EQ(inv.crypto.wrapping_keys.size(), 2u);
  EXPECT_EQ(inv.crypto.wrapping_keys[0], "provider=x a=1");
  EXPECT_EQ(inv.crypto.wrapping_keys[1], "provider=y b=2");
}

TEST(ParseArgs, EncryptionContextTakesSeveralPairsAndRepeats) {
  std::vector<std::string> args = kMinimalEncrypt;
  args.insert(args.end(), {"-c", "a=1", "b=x=y", "--encryption-context", "c="});
  Invocation inv = ParseArgs(args);
  using Pair = std::pair<std::string, std::string>;
  EXPECT_EQ(inv.crypto.encryption_context,
            (std::vector<Pair>{{"a", "1"}, {"b", "x=y"}, {"c", ""}}));
}

TEST(ParseArgs, EqualsFormAndNumericOptionsAreParsed) {
  std::vector<std::string> args = kMinimalEncrypt;
  args.insert(args.end(), {"--frame-length=1024", "--max-encrypted-data-keys", "3",
                           "--algorithm", "0x0478", "--commitment-policy",
                           "require-encrypt-allow-decrypt", "--metadata-output", "m.json",
                           "--suffix", ".env", "-r", "-q"});
  Invocation inv = ParseArgs(args);
  EXPECT_EQ(inv.crypto.frame_length, 1024u);
  EXPECT_EQ(inv.crypto.max_encrypted_data_keys, 3u);
  EXPECT_EQ(inv.crypto.algorithm, "0x0478");
  EXPECT_EQ(inv.crypto.commitment_policy, "require-encrypt-allow-decrypt");
  EXPECT_EQ(inv.crypto.metadata_output, "m.json");
  EXPECT_EQ(inv.crypto.suffix, ".env");
  EXPECT_TRUE(inv.crypto.recursive);
  EXPECT_TRUE(inv.crypto.quiet);
}

TEST(ParseArgs, DashIsAcceptedAsInputAndOutput) {
  Invocation inv =
      ParseArgs({"decrypt", "-i", "-", "-o", "-", "-w", "provider=raw-aes", "--buffer",
                 "--decrypt-unsigned"});
  EXPECT_EQ(inv.crypto.input, "-");
  EXPECT_EQ(inv.crypto.output, "-");
  EXPECT_TRUE(inv.crypto.buffer);
  EXPECT_TRUE(inv.crypto.decrypt_unsigned);
}

TEST(ParseArgs, UnknownOptionIsUsageErrorNamingCommandAndHelp) {
  std::vector<std::string> args = kMinimalEncrypt;
  args.push_back("--bogus");
  CliError e = ParseError(args);
  EXPECT_EQ(e.exit_code(), kExitUsage);
  EXPECT_STREQ(e.what(),
               "envelope encrypt: unknown option '--bogus' (see 'envelope encrypt --help')");
}

TEST(ParseArgs, DecryptOnlyOptionIsRejectedOnEncrypt) {
  std::vector<std::string> args = kMinimalEncrypt;
  args.push_back("--decrypt-unsigned");
  EXPECT_EQ(ParseError(args).exit_code(), kExitUsage);
}

TEST(ParseArgs, MissingInputIsUsageError) {
  CliError e = ParseError({"decrypt", "-o", "x", "-w", "provider=raw-aes"});
  EXPECT_EQ(e.exit_code(), kExitUsage);
  EXPECT_NE(std::string(e.what()).find("missing --input"), std::string::npos);
}

TEST(ParseArgs, MissingWrappingKeysLeavesTheListEmptyForTheDefaultKey) {
  Invocation inv = ParseArgs({"encrypt", "-i", "a", "-o", "b"});
  EXPECT_TRUE(inv.crypto.wrapping_keys.empty());
}

TEST(ParseArgs, CachingTakesItsSettings) {
  Invocation inv = ParseArgs({"encrypt", "-i", "a", "-o", "b", "--caching", "capacity=10",
                              "max_age=1.5", "max_messages_encrypted=1000",
                              "max_bytes_encrypted=4096"});
  ASSERT_TRUE(inv.crypto.caching.has_value());
  EXPECT_EQ(inv.crypto.caching->capacity, 10u);
  EXPECT_DOUBLE_EQ(inv.crypto.caching->max_age, 1.5);
  EXPECT_EQ(inv.crypto.caching->max_messages_encrypted, 1000u);
  EXPECT_EQ(inv.crypto.caching->max_bytes_encrypted, 4096u);
}

TEST(ParseArgs, CachingWithoutMaxAgeIsUsageError) {
  EXPECT_EQ(ParseError({"encrypt", "-i", "a", "-o", "b", "--caching", "capacity=10"}).exit_code(),
            kExitUsage);
}

TEST(ParseArgs, CachingUnknownSettingIsUsageError) {
  CliError e = ParseError(
      {"encrypt", "-i", "a", "-o", "b", "--caching", "capacity=1", "max_age=1", "size=3"});
  EXPECT_NE(std::string(e.what()).find("unknown setting 'size'"), std::string::npos);
}

TEST(ParseArgs, KmsClientFlagsAreParsed) {
  Invocation inv = ParseArgs({"decrypt", "-i", "a", "-o", "b", "--endpoint-url",
                              "http://127.0.0.1:4599", "--region", "eu-west-1", "--profile", "p",
                              "--connect-timeout", "0.5", "--read-timeout", "2",
                              "--operation-timeout", "10.25", "--max-attempts", "3",
                              "--retry-mode", "adaptive", "--dualstack", "--fips", "-v"});
  const KmsClientFlags& k = inv.crypto.kms;
  EXPECT_EQ(k.endpoint_url, "http://127.0.0.1:4599");
  EXPECT_EQ(k.region, "eu-west-1");
  EXPECT_EQ(k.profile, "p");
  EXPECT_DOUBLE_EQ(*k.connect_timeout, 0.5);
  EXPECT_DOUBLE_EQ(*k.read_timeout, 2.0);
  EXPECT_DOUBLE_EQ(*k.operation_timeout, 10.25);
  EXPECT_EQ(k.max_attempts, 3);
  EXPECT_EQ(k.retry_mode, "adaptive");
  EXPECT_TRUE(k.dualstack && k.fips && k.verbose);
}

TEST(ParseArgs, NonPositiveTimeoutIsUsageError) {
  EXPECT_EQ(ParseError({"encrypt", "-i", "a", "-o", "b", "--read-timeout", "0"}).exit_code(),
            kExitUsage);
}

TEST(ParseArgs, UnknownRetryModeIsUsageError) {
  EXPECT_EQ(ParseError({"encrypt", "-i", "a", "-o", "b", "--retry-mode", "eager"}).exit_code(),
            kExitUsage);
}

TEST(ParseArgs, OptionWithoutValueIsUsageError) {
  CliError e = ParseError({"encrypt", "-i", "-o", "b", "-w", "provider=raw-aes"});
  EXPECT_NE(std::string(e.what()).find("--input needs a value"), std::string::npos);
}

TEST(ParseArgs, RepeatedSingleValueOptionIsUsageError) {
  EXPECT_EQ(ParseError({"encrypt", "-i", "a", "-i", "b", "-o", "c", "-w", "provider=p"})
                .exit_code(),
            kExitUsage);
}

TEST(ParseArgs, NonNumericFrameLengthIsUsageError) {
  std::vector<std::string> args = kMinimalEncrypt;
  args.insert(args.end(), {"--frame-length", "4k"});
  EXPECT_EQ(ParseError(args).exit_code(), kExitUsage);
}

TEST(ParseArgs, ZeroFrameLengthIsUsageError) {
  std::vector<std::string> args = kMinimalEncrypt;
  args.insert(args.end(), {"--frame-length", "0"});
  EXPECT_EQ(ParseError(args).exit_code(), kExitUsage);
}

TEST(ParseArgs, DuplicateContextKeyIsUsageError) {
  std::vector<std::string> args = kMinimalEncrypt;
  args.insert(args.end(), {"-c", "a=1", "a=2"});
  EXPECT_EQ(ParseError(args).exit_code(), kExitUsage);
}

TEST(ParseArgs, ContextItemWithoutEqualsIsUsageError) {
  std::vector<std::string> args = kMinimalEncrypt;
  args.insert(args.end(), {"-c", "novalue"});
  EXPECT_EQ(ParseError(args).exit_code(), kExitUsage);
}

TEST(ParseArgs, StrayPositionalArgumentIsUsageError) {
  std::vector<std::string> args = {"encrypt", "stray", "-i", "a", "-o", "b", "-w", "provider=p"};
  EXPECT_EQ(ParseError(args).exit_code(), kExitUsage);
}

TEST(ParseArgs, HelpWinsOverMissingOptions) {
  Invocation inv = ParseArgs({"encrypt", "--help"});
  EXPECT_EQ(inv.command, Command::kHelp);
  EXPECT_NE(inv.help_text.find("--wrapping-keys"), std::string::npos);
}

TEST(ParseArgs, EveryCommandHasHelpThatListsExitCodes) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"--help"}, {"encrypt", "-h"}, {"decrypt", "--help"}, {"keygen", "--help"},
           {"kms", "serve", "--help"}}) {
    Invocation inv = ParseArgs(args);
    EXPECT_EQ(inv.command, Command::kHelp);
    EXPECT_NE(inv.help_text.find("Exit codes"), std::string::npos) << args[0];
  }
}

TEST(ParseArgs, VersionIsRecognised) {
  EXPECT_EQ(ParseArgs({"--version"}).command, Command::kVersion);
}

TEST(ParseArgs, UnknownCommandIsUsageError) {
  CliError e = ParseError({"frobnicate"});
  EXPECT_EQ(e.exit_code(), kExitUsage);
  EXPECT_STREQ(e.what(), "envelope: unknown command 'frobnicate' (see 'envelope --help')");
}

TEST(ParseArgs, NoArgumentsIsUsageError) { EXPECT_EQ(ParseError({}).exit_code(), kExitUsage); }

TEST(ParseArgs, KeygenAesReadsBitsAndOutput) {
  Invocation inv = ParseArgs({"keygen", "--aes", "192", "-o", "k.key"});
  ASSERT_EQ(inv.command, Command::kKeygen);
  EXPECT_EQ(inv.keygen.aes_bits, 192);
  EXPECT_EQ(inv.keygen.output, "k.key");
}

TEST(ParseArgs, KeygenRejectsUnsupportedSizes) {
  EXPECT_EQ(ParseError({"keygen", "--aes", "100", "-o", "k"}).exit_code(), kExitUsage);
  EXPECT_EQ(ParseError({"keygen", "--rsa", "1024", "-o", "k"}).exit_code(), kExitUsage);
}

TEST(ParseArgs, KeygenNeedsExactlyOneKind) {
  EXPECT_EQ(ParseError({"keygen", "-o", "k"}).exit_code(), kExitUsage);
  EXPECT_EQ(ParseError({"keygen", "--aes", "256", "--rsa", "2048", "-o", "k"}).exit_code(),
            kExitUsage);
}

TEST(ParseArgs, KmsServeCollectsListenAddresses) {
  Invocation inv = ParseArgs({"kms", "serve", "--listen", "127.0.0.1:1", "--listen", "[::1]:2",
                              "--data-dir", "d", "--auth", "off"});
  ASSERT_EQ(inv.command, Command::kKmsServe);
  EXPECT_EQ(inv.kms.listen, (std::vector<std::string>{"127.0.0.1:1", "[::1]:2"}));
  EXPECT_EQ(inv.kms.data_dir, "d");
  EXPECT_FALSE(inv.kms.auth);
}

TEST(ParseArgs, KmsServeNeedsBothTlsFiles) {
  EXPECT_EQ(ParseError({"kms", "serve", "--data-dir", "d", "--tls-cert", "c"}).exit_code(),
            kExitUsage);
}

}  // namespace
}  // namespace envelope::cli
