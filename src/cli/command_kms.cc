// `envelope kms serve`: runs the local KMS in the foreground.
#include "cli/commands.h"
#include "cli/exit_codes.h"

#ifdef ENVELOPE_HAVE_KMS_HTTP
#include "kms/server/http/serve.h"
#endif

namespace envelope::cli {

int RunKmsServe(const KmsServeArgs& args) {
  constexpr const char* kPrefix = "envelope kms serve";
#ifdef ENVELOPE_HAVE_KMS_HTTP
  kms::server::ServeOptions options;
  options.listen = args.listen;
  options.data_dir = args.data_dir;
  options.config_file = args.config_file;
  options.auth = args.auth;
  options.tls_cert = args.tls_cert;
  options.tls_key = args.tls_key;
  Check(kms::server::Serve(options), kPrefix);
  return kExitOk;
#else
  throw CliError(kExitFailed, std::string(kPrefix) +
                                  ": the local KMS server is not part of this build");
#endif
}

}  // namespace envelope::cli
