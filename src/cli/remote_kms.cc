// provider=aws-kms's clients: the remote KmsClient configured by kms/client/config from the
// command's options, the spec's region=/profile= and the AWS configuration. Without kms/client in
// the build, aws-kms reports that it is missing.
#include "cli/remote_kms.h"

#ifdef ENVELOPE_HAVE_KMS_CLIENT
#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>

#include "core/log.h"
#include "kms/client/config/config_resolver.h"
#include "kms/client/kms_client.h"
#endif

namespace envelope::cli {

#ifdef ENVELOPE_HAVE_KMS_CLIENT
namespace {

std::chrono::milliseconds Millis(double seconds) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(seconds));
  return std::max(ms, std::chrono::milliseconds(1));
}

// One client per region; a spec's region= and profile= win over --region and --profile.
struct ClientPool {
  KmsClientFlags flags;
  std::optional<std::string> spec_region;
  std::optional<std::string> spec_profile;
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<kms::KmsApi>> clients;  // by requested region

  kms::config::ConfigOverrides Overrides(const std::string& region) const {
    kms::config::ConfigOverrides o = ClientOverrides(flags);
    if (spec_profile) {
      o.profile = spec_profile;
    }
    if (!region.empty()) {
      o.region = region;
    } else if (spec_region) {
      o.region = spec_region;
    }
    return o;
  }

  Result<std::shared_ptr<kms::KmsApi>> Get(const std::string& region) {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = clients.find(region); it != clients.end()) {
      return it->second;
    }
    ENVELOPE_ASSIGN_OR_RETURN(
        kms::ClientOptions options,
        kms::config::ResolveClientOptions(Overrides(region), kms::config::ProcessEnvironment()));
    ENVELOPE_ASSIGN_OR_RETURN(std::unique_ptr<kms::KmsClient> client,
                              kms::KmsClient::Create(std::move(options)));
    std::shared_ptr<kms::KmsApi> shared(std::move(client));
    clients.emplace(region, shared);
    return shared;
  }
};

}  // namespace

kms::config::ConfigOverrides ClientOverrides(const KmsClientFlags& flags) {
  kms::config::ConfigOverrides o;
  o.profile = flags.profile;
  o.region = flags.region;
  o.endpoint_url = flags.endpoint_url;
  o.retry_mode = flags.retry_mode;
  o.max_attempts = flags.max_attempts;
  if (flags.dualstack) {
    o.use_dualstack_endpoint = true;
  }
  if (flags.fips) {
    o.use_fips_endpoint = true;
  }
  if (flags.connect_timeout) {
    o.connect_timeout = Millis(*flags.connect_timeout);
  }
  if (flags.read_timeout) {
    o.read_timeout = Millis(*flags.read_timeout);
  }
  if (flags.operation_timeout) {
    o.operation_timeout = Millis(*flags.operation_timeout);
  }
  return o;
}

bool HaveRemoteKmsClient() { return true; }

Result<KmsClientSupplier> RemoteKmsSupplier(const KmsSettings& settings,
                                            const std::optional<std::string>& spec_region,
                                            const std::optional<std::string>& spec_profile) {
  if (settings.client.verbose && !LogEnabled(LogLevel::kDebug)) {
    SetLogLevel(LogLevel::kDebug);  // the client logs one line per attempt at debug level
  }
  auto pool = std::make_shared<ClientPool>();
  pool->flags = settings.client;
  pool->spec_region = spec_region;
  pool->spec_profile = spec_profile;
  return KmsClientSupplier([pool](const std::string& region) { return pool->Get(region); });
}

#else

bool HaveRemoteKmsClient() { return false; }

Result<KmsClientSupplier> RemoteKmsSupplier(const KmsSettings&, const std::optional<std::string>&,
                                            const std::optional<std::string>&) {
  return Unimplemented("provider=aws-kms: this build has no KMS client (kms/client)");
}

#endif

}  // namespace envelope::cli
