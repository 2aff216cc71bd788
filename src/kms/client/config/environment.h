#pragma once
// The process environment as an injected dependency: configuration code reads variables only
// through an Environment, so tests pass a map and never touch (or depend on) the real one.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace envelope::kms::config {

// Returns the variable's value, or nullopt when it is unset. Resolution treats an empty value
// as unset.
using Environment = std::function<std::optional<std::string>(std::string_view name)>;

// getenv(3). Only for production entry points (the CLI); tests use MapEnvironment.
Environment ProcessEnvironment();

// A fixed set of variables (copied).
Environment MapEnvironment(std::map<std::string, std::string, std::less<>> vars);

// Expands a leading "~" or "~/" with HOME and every "$VAR" / "${VAR}" from `env`, leaving unset
// ones as written (os.path.expanduser + expandvars, as botocore does for AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE).
std::string ExpandPath(std::string_view path, const Environment& env);

}  // namespace envelope::kms::config
