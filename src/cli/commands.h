#pragma once
// The subcommands. Each returns the exit code on success paths and throws CliError on failure
// (caught once in main()).
#include "cli/args.h"

namespace envelope::cli {

int RunEncrypt(const CryptoArgs& args);
int RunDecrypt(const CryptoArgs& args);
int RunKeygen(const KeygenArgs& args);
int RunKmsServe(const KmsServeArgs& args);
int RunKmsOperation(const KmsOperationArgs& args);  // command_kms_ops.cc
int RunConfig(const ConfigArgs& args);               // command_config.cc

// Dispatches a parsed invocation (help and --version print to stdout).
int Run(const Invocation& invocation);

}  // namespace envelope::cli
