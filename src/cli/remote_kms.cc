// provider=aws-kms's clients. Without kms/client in the build, aws-kms reports that it is missing.
#include "cli/remote_kms.h"

namespace envelope::cli {

#ifndef ENVELOPE_HAVE_KMS_CLIENT

bool HaveRemoteKmsClient() { return false; }

Result<KmsClientSupplier> RemoteKmsSupplier(const KmsSettings&, const std::optional<std::string>&,
                                            const std::optional<std::string>&) {
  return Unimplemented("provider=aws-kms: this build has no KMS client (kms/client)");
}

#endif

}  // namespace envelope::cli
