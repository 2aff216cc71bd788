#pragma once
// Parser for the AWS shared config and credentials files (~/.aws/config, ~/.aws/credentials),
// following botocore's reading of them (Python RawConfigParser defaults plus configloader.py).
// Spec: docs/config.md#file-syntax and shared/reference/kms-client.md §3.2.
//
// Accepted syntax, line by line:
//   - `[header]` starts a section. Section names are case-sensitive. A duplicate header is an error.
//   - `key = value` or `key : value`, split at the first `=` or `:`; key and value are trimmed and
//     the key is lower-cased. A duplicate key in one section is an error.
//   - Whole-line comments start with `#` or `;` (also when indented). Inline comments are NOT
//     stripped: `region = x # y` has the value "x # y".
//   - A line indented deeper than the key line above it continues that value. A value that starts
//     with a newline (`s3 =` followed by indented lines) is a nested sub-section: one level only,
//     each non-blank line split at its first `=` (a line without `=` is an error).
//   - A key before any section header is an error. Errors name "path:line".
//
// Section names, after parsing:
//   config file:      [default], [profile NAME] (NAME split like a shell word, so quotes work;
//                     exactly 2 words or the section is dropped), [services NAME]; [profile default]
//                     is `default` too, and the later of the two in the file wins whole.
//   credentials file: every [NAME] is the profile NAME (no `profile ` prefix).
//
// Pure functions over text; thread-safe.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "envelope/result.h"

namespace envelope::kms::config {

enum class FileKind { kConfig, kCredentials };

struct ConfigValue {
  std::string value;                              // the raw (trimmed) text; "" for a nested block
  bool nested = false;                            // `key =` followed by indented `k = v` lines
  std::map<std::string, std::string> sub_values;  // nested block entries (keys trimmed, as written)
  int line = 0;                                   // 1-based line of the key
};

struct ConfigSection {
  std::string header;  // the text between the brackets, as written
  int line = 0;
  std::map<std::string, ConfigValue> values;  // keys lower-cased

  // The plain (non-nested) value of `key`, if present.
  std::optional<std::string> Get(std::string_view key) const;
};

struct ConfigFileData {
  std::string path;                                // as given, for sources and messages
  std::map<std::string, ConfigSection> profiles;   // by profile name
  std::map<std::string, ConfigSection> services;   // [services NAME] by NAME (config file only)
  std::vector<ConfigSection> other_sections;       // kept, not profiles ([sso-session ..], [x])
};

// Parses `text` read from `path` (used only in messages). Errors: kInvalidArgument
// "path:line: ..." for malformed lines, duplicate sections or keys, a key before any header.
Result<ConfigFileData> ParseConfigText(std::string_view text, std::string_view path,
                                       FileKind kind);

// Reads and parses the file at `path`. A missing file is not an error: returns nullopt (botocore
// ignores missing files). Errors: kInvalidArgument as above; kUnavailable if the file exists but
// cannot be read.
Result<std::optional<ConfigFileData>> LoadConfigFile(const std::string& path, FileKind kind);

// Zeroes the values of aws_secret_access_key, aws_session_token and aws_security_token in every
// profile (call before `data` is destroyed, once the credentials are in SecretBytes). Parsing
// itself zeroes the file text and its intermediate copies of each line.
void ScrubSecrets(ConfigFileData& data);

// AWS boolean reading (botocore ensure_boolean): true only for "true", any case. "1", "yes" and
// "true # comment" are false.
bool ParseAwsBoolean(std::string_view text);

// Splits a section header like a POSIX shell word list (quotes, backslashes).
// Returns nullopt on an unbalanced quote.
std::optional<std::vector<std::string>> ShellSplit(std::string_view text);

}  // namespace envelope::kms::config
