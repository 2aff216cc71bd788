#include "cli/exit_codes.h"

#include <gtest/gtest.h>

namespace envelope::cli {
namespace {

TEST(ExitCodes, OkMapsToZero) { EXPECT_EQ(ExitCodeFor(OkStatus(), Phase::kSetup), 0); }

TEST(ExitCodes, CorruptMapsToOperationFailed) {
  EXPECT_EQ(ExitCodeFor(Corrupt("bad tag"), Phase::kOperation), kExitFailed);
}

TEST(ExitCodes, NotFoundMapsToOperationFailed) {
  EXPECT_EQ(ExitCodeFor(NotFound("no key"), Phase::kOperation), kExitFailed);
}

TEST(ExitCodes, PermissionDeniedMapsToOperationFailed) {
  EXPECT_EQ(ExitCodeFor(PermissionDenied("kms said no"), Phase::kOperation), kExitFailed);
}

TEST(ExitCodes, InvalidArgumentIsUsageDuringSetup) {
  EXPECT_EQ(ExitCodeFor(InvalidArgument("bad"), Phase::kSetup), kExitUsage);
}

TEST(ExitCodes, InvalidArgumentIsFailureDuringOperation) {
  EXPECT_EQ(ExitCodeFor(InvalidArgument("bad"), Phase::kOperation), kExitFailed);
}

TEST(ExitCodes, IoErrorMapsToThreeWhateverThePhase) {
  EXPECT_EQ(ExitCodeFor(IoError("x: cannot open"), Phase::kSetup), kExitIo);
  EXPECT_EQ(ExitCodeFor(IoError("x: cannot open").Annotate("ctx"), Phase::kOperation), kExitIo);
}

TEST(ExitCodes, InternalMapsToSeventy) {
  EXPECT_EQ(ExitCodeFor(Internal("bug"), Phase::kOperation), kExitInternal);
}

TEST(ExitCodes, UnwrapReturnsTheValueWhenOk) {
  EXPECT_EQ(Unwrap(Result<int>(7), "envelope encrypt"), 7);
}

TEST(ExitCodes, UnwrapThrowsCliErrorWithPrefixAndCode) {
  try {
    Unwrap(Result<int>(Corrupt("message failed authentication")), "envelope decrypt: in.enc",
           Phase::kOperation);
    FAIL() << "expected CliError";
  } catch (const CliError& e) {
    EXPECT_EQ(e.exit_code(), kExitFailed);
    EXPECT_STREQ(e.what(), "envelope decrypt: in.enc: message failed authentication");
  }
}

TEST(ExitCodes, ThrowUsageAddsTheHelpHint) {
  try {
    ThrowUsage("envelope encrypt", "missing --input");
    FAIL() << "expected CliError";
  } catch (const CliError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_STREQ(e.what(), "envelope encrypt: missing --input (see 'envelope encrypt --help')");
  }
}

}  // namespace
}  // namespace envelope::cli
