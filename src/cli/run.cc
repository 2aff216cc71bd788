#include <cstdio>

#include "cli/commands.h"
#include "cli/exit_codes.h"

#ifndef ENVELOPE_VERSION
#define ENVELOPE_VERSION "unknown"
#endif

namespace envelope::cli {

int Run(const Invocation& invocation) {
  switch (invocation.command) {
    case Command::kHelp:
      std::fputs(invocation.help_text.c_str(), stdout);
      return kExitOk;
    case Command::kVersion:
      std::printf("envelope %s\n", ENVELOPE_VERSION);
      return kExitOk;
    case Command::kEncrypt:
      return RunEncrypt(invocation.crypto);
    case Command::kDecrypt:
      return RunDecrypt(invocation.crypto);
    case Command::kKeygen:
      return RunKeygen(invocation.keygen);
    case Command::kKmsServe:
      return RunKmsServe(invocation.kms);
    case Command::kKmsOperation:
      return RunKmsOperation(invocation.kms_operation);
    case Command::kConfig:
      return RunConfig(invocation.config);
  }
  return kExitInternal;
}

}  // namespace envelope::cli
