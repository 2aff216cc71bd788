// `envelope kms serve`: runs the local KMS in the foreground.
#include <cctype>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/file_io.h"

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
  if (!args.admin_token_file.empty()) {
    std::string token = Unwrap(ReadTextFile(args.admin_token_file, 4096), kPrefix);
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
      token.pop_back();
    }
    if (token.empty()) {
      throw CliError(kExitUsage, std::string(kPrefix) + ": --admin-token-file " +
                                     args.admin_token_file + " is empty");
    }
    options.admin_token = std::move(token);
  }
  Check(kms::server::Serve(options), kPrefix);
  return kExitOk;
#else
  throw CliError(kExitFailed,
                 std::string(kPrefix) + ": the local KMS server is not part of this build");
#endif
}

}  // namespace envelope::cli
