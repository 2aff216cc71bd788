#include "cli/exit_codes.h"

namespace envelope::cli {

Status IoError(std::string message) {
  return Status(Code::kUnavailable, std::move(message), std::string(kIoErrorType));
}

bool IsIoError(const Status& status) {
  return !status.ok() && status.error_type() == kIoErrorType;
}

int ExitCodeFor(const Status& status, Phase phase) {
  if (status.ok()) {
    return kExitOk;
  }
  if (IsIoError(status)) {
    return kExitIo;
  }
  switch (status.code()) {
    case Code::kOk:
      return kExitOk;
    case Code::kInvalidArgument:
      return phase == Phase::kSetup ? kExitUsage : kExitFailed;
    case Code::kCorrupt:
    case Code::kNotFound:
    case Code::kAlreadyExists:
    case Code::kFailedPrecondition:
    case Code::kPermissionDenied:
    case Code::kUnauthenticated:
    case Code::kResourceExhausted:
    case Code::kUnavailable:
    case Code::kDeadlineExceeded:
    case Code::kUnimplemented:
      return kExitFailed;
    case Code::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

void ThrowUsage(std::string_view prefix, std::string_view message) {
  std::string line(prefix);
  line += ": ";
  line += message;
  line += " (see '";
  line += prefix;
  line += " --help')";
  throw CliError(kExitUsage, std::move(line));
}

void Check(const Status& status, std::string_view prefix, Phase phase) {
  if (status.ok()) {
    return;
  }
  const int code = ExitCodeFor(status, phase);
  if (code == kExitUsage) {
    ThrowUsage(prefix, status.message());
  }
  std::string line(prefix);
  line += ": ";
  line += status.message();
  throw CliError(code, std::move(line));
}

}  // namespace envelope::cli
