#pragma once
// `envelope kms <operation>`: one KMS operation against an endpoint (the remote KmsClient) or,
// with --local, the embedded key store, printing the KMS JSON response as `aws kms` does.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "envelope/status.h"

namespace envelope::cli {

// The KMS JSON request body for `args` (member names of the KMS API; files read and base64'd;
// generate-data-key without --number-of-bytes or --key-spec asks for KeySpec AES_256). Throws
// CliError (exit 3) for an unreadable file.
nlohmann::json BuildKmsRequest(const KmsOperationArgs& args);

// The line printed for a failed operation: "<prefix>: <ErrorType>: <message>", or without the
// type when the status has none (transport errors).
std::string KmsFailureLine(std::string_view prefix, const Status& status);

}  // namespace envelope::cli
