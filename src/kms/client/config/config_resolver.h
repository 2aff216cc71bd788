#pragma once
// Resolution of the KMS client's configuration with the AWS precedence:
//   explicit values (code or command line) > environment > profile > default,
// where "profile" means the selected profile's nested `kms =` block, then its keys in the shared
// credentials file, then its keys in the config file. Spec: docs/config.md (the table of every
// setting, variable and profile key) and shared/reference/kms-client.md §3.
//
// Every resolved value records where it came from ("command line", "env AWS_REGION",
// "profile dev in /home/u/.aws/config", "default", ...) so `envelope config` can show it.
// The environment is injected; files are read from the resolved paths. Thread-safe (no state).
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "envelope/result.h"
#include "envelope/secret_bytes.h"
#include "kms/client/client_options.h"
#include "kms/client/config/environment.h"
#include "kms/client/config/partitions.h"

namespace envelope::kms::config {

// Static credentials given in code. Copyable, unlike ClientCredentials: a copy clones the secret
// into its own SecretBytes, so ConfigOverrides can be copied (e.g. once per region).
struct ExplicitCredentials {
  std::string access_key_id;
  SecretBytes secret_access_key;
  std::string session_token;

  ExplicitCredentials() = default;
  ExplicitCredentials(std::string id, SecretBytes secret, std::string token = {})
      : access_key_id(std::move(id)),
        secret_access_key(std::move(secret)),
        session_token(std::move(token)) {}
  ExplicitCredentials(const ExplicitCredentials& other)
      : access_key_id(other.access_key_id),
        secret_access_key(other.secret_access_key.Clone()),
        session_token(other.session_token) {}
  ExplicitCredentials& operator=(const ExplicitCredentials& other) {
    if (this != &other) *this = ExplicitCredentials(other);
    return *this;
  }
  ExplicitCredentials(ExplicitCredentials&&) noexcept = default;
  ExplicitCredentials& operator=(ExplicitCredentials&&) noexcept = default;
};

// Values given in code or on the command line. A set field beats every other source. Copyable.
struct ConfigOverrides {
  std::string source_label = "command line";  // how the report names these values
  std::optional<std::string> profile;
  std::optional<std::string> region;
  std::optional<std::string> endpoint_url;
  std::optional<std::string> config_file;
  std::optional<std::string> credentials_file;
  std::optional<std::string> retry_mode;  // "legacy" | "standard" | "adaptive"
  std::optional<int> max_attempts;        // total attempts, >= 1
  std::optional<bool> use_dualstack_endpoint;
  std::optional<bool> use_fips_endpoint;
  std::optional<bool> ignore_configured_endpoint_urls;
  std::optional<std::string> ca_bundle;
  std::optional<std::chrono::milliseconds> connect_timeout;
  std::optional<std::chrono::milliseconds> read_timeout;
  std::optional<std::chrono::milliseconds> operation_timeout;
  // When set (key id and secret), the environment and files are not consulted for credentials.
  std::optional<ExplicitCredentials> credentials;
};

// One line of the report: a setting, its value as shown (secrets masked), and its source.
struct ConfigSetting {
  std::string name;    // "region", "endpoint_url", "aws_access_key_id", ...
  std::string value;   // "" when unset
  std::string source;  // "env AWS_REGION", "profile dev in /p/config", "default", "(none)"
};

struct ResolvedConfig {
  ClientOptions options;                // ready for KmsClient::Create when Complete() is OK
  std::string profile;                  // the selected profile name
  std::string partition;                // "" for a custom endpoint
  bool has_credentials = false;
  std::vector<ConfigSetting> settings;  // in a fixed, documented order
  std::vector<std::string> warnings;    // e.g. the nested `s3 =` block does not apply to KMS

  // OK when a client can be built: a region and credentials were found. Errors:
  // kInvalidArgument "Invalid Configuration: Missing Region" (custom endpoint without a region),
  // kUnauthenticated "Unable to locate credentials ...".
  Status Complete() const;
};

// Resolves everything, reading the config and credentials files the precedence selects.
// Missing credentials (and a missing region with a custom endpoint) are not errors here, so
// `envelope config` can show what is set; call Complete() before building a client.
// Errors (kInvalidArgument unless noted): a malformed config file ("path:line: ..."), a profile
// named explicitly or by AWS_PROFILE/AWS_DEFAULT_PROFILE that exists in neither file (kNotFound),
// a `services` key naming a missing section, a bad retry_mode or max_attempts (naming the
// source), partial credentials, and the endpoint rule-set errors of endpoint_resolver.h.
Result<ResolvedConfig> ResolveConfig(const ConfigOverrides& overrides, const Environment& env,
                                     std::span<const Partition> partitions = KmsPartitions());

// What the CLI and library call to build a KmsClient: ResolveConfig, then Complete(), then the
// options. When `report` is not null it receives the settings and warnings (also on error after
// resolution, e.g. missing credentials).
Result<ClientOptions> ResolveClientOptions(const ConfigOverrides& overrides,
                                           const Environment& env,
                                           ResolvedConfig* report = nullptr);

// The report as aligned text, one setting per line ("name  value  source"), then "warning: ..."
// lines. Secrets are never printed: the access key shows only its last 4 characters.
std::string FormatConfigReport(const ResolvedConfig& config);

}  // namespace envelope::kms::config
