#pragma once
// Exit codes of the `envelope` command and the one place that maps a Status to them, plus the
// CliError exception: src/cli/ is the only code in Envelope that throws (style.md B3). Library
// calls return Status/Result; Unwrap() turns a failure into a CliError, and main() catches it once.
//
//   0  success
//   1  the operation failed: bad or truncated ciphertext, wrong key, context mismatch, KMS refused
//   2  bad usage: unknown or missing option, malformed value or key spec
//   3  I/O error: unreadable input, unwritable output
//   70 internal error (a bug)
#include <stdexcept>
#include <string>
#include <string_view>

#include "envelope/result.h"
#include "envelope/status.h"

namespace envelope::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitIo = 3;
inline constexpr int kExitInternal = 70;

// Status has no I/O code; the CLI's own file layer tags its failures with this error type so that
// they map to kExitIo whatever their code.
inline constexpr std::string_view kIoErrorType = "envelope.cli.IOError";
Status IoError(std::string message);
bool IsIoError(const Status& status);

// When a status arises: while preparing (parsing options, reading key specs) a kInvalidArgument is
// the user's mistake (exit 2); during the operation itself it means the message or its context
// did not fit (exit 1).
enum class Phase { kSetup, kOperation };

// The single Status -> exit code table.
int ExitCodeFor(const Status& status, Phase phase);

class CliError : public std::runtime_error {
 public:
  // `line` is printed as is (one line, no trailing newline) to stderr by main().
  CliError(int exit_code, std::string line)
      : std::runtime_error(std::move(line)), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Throws CliError(kExitUsage, "<prefix>: <message> (see '<prefix> --help')"). `prefix` is the
// command, e.g. "envelope encrypt".
[[noreturn]] void ThrowUsage(std::string_view prefix, std::string_view message);

// Throws CliError(ExitCodeFor(status, phase), "<prefix>: <status message>") unless OK.
void Check(const Status& status, std::string_view prefix, Phase phase = Phase::kSetup);

template <typename T>
T Unwrap(Result<T> result, std::string_view prefix, Phase phase = Phase::kSetup) {
  if (!result.ok()) {
    Check(result.status(), prefix, phase);
  }
  return std::move(result).value();
}

}  // namespace envelope::cli
