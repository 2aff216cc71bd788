// `envelope config`: resolves the KMS client configuration as `kms <operation>` and
// provider=aws-kms would (same flags, environment and files) and prints it with its sources.
#include "cli/command_config.h"

#include <cstdio>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/remote_kms.h"

namespace envelope::cli {

#ifdef ENVELOPE_HAVE_KMS_CLIENT

std::string FormatConfigLines(const kms::config::ResolvedConfig& config) {
  std::string out;
  for (const kms::config::ConfigSetting& s : config.settings) {
    out += s.name + " = " + (s.value.empty() ? "<not set>" : s.value) + "  (" + s.source + ")\n";
  }
  if (!config.has_credentials) {
    out += "note: no credentials found (environment, shared credentials file, config file); "
           "KMS calls will fail until some are set\n";
  }
  for (const std::string& w : config.warnings) {
    out += "warning: " + w + "\n";
  }
  return out;
}

int RunConfig(const ConfigArgs& args) {
  constexpr const char* kPrefix = "envelope config";
  Result<kms::config::ResolvedConfig> resolved = kms::config::ResolveConfig(
      ClientOverrides(args.client), kms::config::ProcessEnvironment());
  if (!resolved.ok()) {
    // A bad setting (the message names it and its source) or an unreadable/malformed file:
    // the user's configuration is wrong, whatever the Code.
    throw CliError(IsIoError(resolved.status()) ? kExitIo : kExitUsage,
                   std::string(kPrefix) + ": " + resolved.status().message());
  }
  const std::string text = FormatConfigLines(*resolved);
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

#else

int RunConfig(const ConfigArgs&) {
  throw CliError(kExitFailed, "envelope config: this build has no KMS client (kms/client)");
}

#endif

}  // namespace envelope::cli
