#include "cli/command_kms_ops.h"

#include <gtest/gtest.h>

#include "cli/exit_codes.h"
#include "cli/parse_error_for_test.h"
#include "cli/kms_operations.h"
#include "cli/temp_dir_for_test.h"
#include "kms/api/errors.h"

namespace envelope::cli {
namespace {

using testing::ParseError;

TEST(ParseKmsOperation, DescribeKeyReadsKeyIdAndClientFlags) {
  Invocation inv = ParseArgs({"kms", "describe-key", "--key-id", "alias/a", "--endpoint-url",
                              "http://127.0.0.1:1", "--max-attempts", "2"});
  ASSERT_EQ(inv.command, Command::kKmsOperation);
  EXPECT_EQ(inv.kms_operation.operation, "describe-key");
  EXPECT_EQ(inv.kms_operation.options.at("key-id"), "alias/a");
  EXPECT_EQ(inv.kms_operation.client.endpoint_url, "http://127.0.0.1:1");
  EXPECT_EQ(inv.kms_operation.client.max_attempts, 2);
  EXPECT_FALSE(inv.kms_operation.local);
}

TEST(ParseKmsOperation, MissingRequiredOptionIsAUsageError) {
  CliError e = ParseError({"kms", "describe-key"});
  EXPECT_EQ(e.exit_code(), kExitUsage);
  EXPECT_NE(std::string(e.what()).find("missing --key-id"), std::string::npos) << e.what();
}

TEST(ParseKmsOperation, OptionOfAnotherOperationIsRejected) {
  CliError e = ParseError({"kms", "list-keys", "--key-id", "k"});
  EXPECT_EQ(e.exit_code(), kExitUsage);
  EXPECT_NE(std::string(e.what()).find("unknown option '--key-id'"), std::string::npos);
}

TEST(ParseKmsOperation, UnknownOperationIsAUsageError) {
  EXPECT_EQ(ParseError({"kms", "frobnicate-key"}).exit_code(), kExitUsage);
}

TEST(ParseKmsOperation, PendingWindowOutsideSevenToThirtyIsRejected) {
  CliError e = ParseError(
      {"kms", "schedule-key-deletion", "--key-id", "k", "--pending-window-in-days", "3"});
  EXPECT_EQ(e.exit_code(), kExitUsage);
}

TEST(ParseKmsOperation, EncryptionContextPairsAndLocalFlagAreRead) {
  Invocation inv = ParseArgs({"kms", "decrypt", "--ciphertext-file", "ct", "-c", "a=1", "b=2",
                              "--local"});
  EXPECT_TRUE(inv.kms_operation.local);
  ASSERT_EQ(inv.kms_operation.encryption_context.size(), 2u);
  EXPECT_EQ(inv.kms_operation.encryption_context[1].first, "b");
}

TEST(ParseKmsOperation, EachOperationHasItsHelp) {
  for (const KmsOperationSpec& spec : KmsOperations()) {
    Invocation inv = ParseArgs({"kms", std::string(spec.name), "--help"});
    ASSERT_EQ(inv.command, Command::kHelp) << spec.name;
    EXPECT_NE(inv.help_text.find("envelope kms " + std::string(spec.name)), std::string::npos);
  }
}

TEST(ParseKmsOperation, KmsHelpListsEveryOperation) {
  Invocation inv = ParseArgs({"kms", "--help"});
  for (const KmsOperationSpec& spec : KmsOperations()) {
    EXPECT_NE(inv.help_text.find("  " + std::string(spec.name) + " "), std::string::npos)
        << spec.name;
  }
}

TEST(BuildKmsRequest, CreateKeyUsesKmsMemberNames) {
  Invocation inv = ParseArgs({"kms", "create-key", "--description", "d", "--key-usage",
                              "ENCRYPT_DECRYPT"});
  nlohmann::json body = BuildKmsRequest(inv.kms_operation);
  EXPECT_EQ(body, nlohmann::json({{"Description", "d"}, {"KeyUsage", "ENCRYPT_DECRYPT"}}));
}

TEST(BuildKmsRequest, NumbersTravelAsJsonNumbers) {
  Invocation inv = ParseArgs(
      {"kms", "schedule-key-deletion", "--key-id", "k", "--pending-window-in-days", "7"});
  EXPECT_EQ(BuildKmsRequest(inv.kms_operation)["PendingWindowInDays"], 7);
}

TEST(BuildKmsRequest, EncryptSendsTheFileInBase64WithTheContext) {
  testing::TempDir dir;
  const std::string path = dir.Write("pt", "hello");
  Invocation inv = ParseArgs({"kms", "encrypt", "--key-id", "k", "--plaintext-file", path, "-c",
                              "purpose=test"});
  nlohmann::json body = BuildKmsRequest(inv.kms_operation);
  EXPECT_EQ(body["Plaintext"], "aGVsbG8=");
  EXPECT_EQ(body["EncryptionContext"], nlohmann::json({{"purpose", "test"}}));
}

TEST(BuildKmsRequest, UnreadablePlaintextFileIsAnIoError) {
  Invocation inv = ParseArgs({"kms", "encrypt", "--key-id", "k", "--plaintext-file",
                              "/nonexistent/envelope-test/pt"});
  try {
    BuildKmsRequest(inv.kms_operation);
    ADD_FAILURE() << "no CliError";
  } catch (const CliError& e) {
    EXPECT_EQ(e.exit_code(), kExitIo);
  }
}

TEST(BuildKmsRequest, GenerateDataKeyDefaultsToAes256) {
  Invocation inv = ParseArgs({"kms", "generate-data-key", "--key-id", "k"});
  EXPECT_EQ(BuildKmsRequest(inv.kms_operation)["KeySpec"], "AES_256");
  inv = ParseArgs({"kms", "generate-data-key", "--key-id", "k", "--number-of-bytes", "16"});
  nlohmann::json body = BuildKmsRequest(inv.kms_operation);
  EXPECT_EQ(body["NumberOfBytes"], 16);
  EXPECT_FALSE(body.contains("KeySpec"));
}

TEST(KmsFailureLine, NamesTheKmsErrorType) {
  EXPECT_EQ(KmsFailureLine("envelope kms describe-key",
                           kms::NotFoundError("Key 'x' does not exist")),
            "envelope kms describe-key: NotFoundException: Key 'x' does not exist");
}

TEST(KmsFailureLine, OmitsTheTypeWhenThereIsNone) {
  EXPECT_EQ(KmsFailureLine("envelope kms list-keys", Status(Code::kUnavailable, "refused")),
            "envelope kms list-keys: refused");
}

}  // namespace
}  // namespace envelope::cli
