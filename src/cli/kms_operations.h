#pragma once
// The table of `envelope kms <operation>` commands: their AWS CLI names (kebab-case), the KMS
// operation each calls, and their options. args.cc parses against it and command_kms_ops.cc builds
// the request from it, so an operation's options are declared once.
#include <string>
#include <string_view>
#include <vector>

namespace envelope::cli {

struct KmsOperationOption {
  std::string_view name;        // long name without "--", e.g. "key-id"
  char short_name = 0;          // 'c' for --encryption-context
  std::string_view value_name;  // "ID", "FILE", ...
  bool required = false;
  long min = 0, max = 0;  // a number in [min, max] when max > 0
  std::string_view help;
};

struct KmsOperationSpec {
  std::string_view name;      // "describe-key"
  std::string_view api_name;  // "DescribeKey"
  std::string_view summary;
  std::vector<KmsOperationOption> options;
};

// The option holding `k=v ...` pairs (repeatable, several per occurrence).
inline constexpr std::string_view kEncryptionContextOption = "encryption-context";

const std::vector<KmsOperationSpec>& KmsOperations();
// nullptr when `name` is not an operation.
const KmsOperationSpec* FindKmsOperation(std::string_view name);

// `envelope kms <operation> --help`.
std::string KmsOperationHelp(const KmsOperationSpec& spec);
// `envelope kms --help`: serve and every operation.
std::string KmsOperationsHelp();

}  // namespace envelope::cli
