#pragma once
// Internal to kms_config: the static-credentials chain, botocore's order without the network
// providers: explicit > environment > shared credentials file > config file. The secret goes
// straight into SecretBytes.
#include <optional>
#include <string>

#include "envelope/result.h"
#include "kms/client/client_options.h"
#include "kms/client/config/config_resolver.h"
#include "kms/client/config/environment.h"
#include "kms/client/config/profile_view.h"

namespace envelope::kms::config::internal {

struct FoundCredentials {
  ClientCredentials credentials;
  std::string source;  // "env AWS_ACCESS_KEY_ID", "profile dev in /p/credentials", ...
};

// `skip_env` is true when the profile was chosen explicitly in code or on the command line:
// botocore then ignores credentials in the environment and takes the profile's.
// Returns nullopt when no source has credentials. Errors: kInvalidArgument "Partial credentials
// found in <where>, missing: <name>" when a source has the key id but not the secret (a secret
// without a key id is passed over, as botocore does).
Result<std::optional<FoundCredentials>> FindCredentials(
    const std::optional<ExplicitCredentials>& explicit_credentials, const std::string& explicit_label,
    const Environment& env, const ProfileView& profile, bool skip_env);

}  // namespace envelope::kms::config::internal
