#pragma once
// The remote KMS client (kms/client) behind provider=aws-kms, when this build has it.
#include <optional>
#include <string>

#include "cli/wrapping_keys.h"
#include "materials/aws_kms_keyring.h"
#ifdef ENVELOPE_HAVE_KMS_CLIENT
#include "kms/client/config/config_resolver.h"
#endif

namespace envelope::cli {

// True when the build links the remote KMS client.
bool HaveRemoteKmsClient();

// A supplier of remote clients, one per region (made on first use and reused), configured from
// the command's options, the spec's region= and profile= (which win over the options), and the
// AWS configuration. An empty region asks for the configured region. kUnimplemented when the
// build has no client.
Result<KmsClientSupplier> RemoteKmsSupplier(const KmsSettings& settings,
                                            const std::optional<std::string>& spec_region,
                                            const std::optional<std::string>& spec_profile);

#ifdef ENVELOPE_HAVE_KMS_CLIENT
// The client flags as configuration overrides (source "command line"); unset flags stay unset.
kms::config::ConfigOverrides ClientOverrides(const KmsClientFlags& flags);
#endif

}  // namespace envelope::cli
