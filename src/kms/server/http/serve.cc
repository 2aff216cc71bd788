// `envelope kms serve`: wires the LocalKms, the accounts, the KMS front and the HTTP server.
#include "kms/server/http/serve.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <optional>

#include "core/clock.h"
#include "core/log.h"
#include "core/random.h"
#include "kms/server/http/http_server.h"
#include "kms/server/http/kms_front.h"
#include "kms/server/http/log_batcher.h"
#include "kms/server/http/local_kms_server.h"
#include "kms/server/kms_service.h"
#include "kms/server/local_kms.h"
#include "kms/server/fault_injector.h"
#include "kms/server/http/metrics_admin.h"
#include "kms/server/http/metrics_registry.h"
#include "kms/server/quota_engine.h"

namespace envelope::kms::server {
namespace {

const std::vector<std::string> kDefaultListen = {"127.0.0.1:4599", "[::1]:4599"};

// The config file's text ("{}" without one). Errors: kInvalidArgument.
Result<std::string> ReadConfig(const std::string& path) {
  if (path.empty()) return std::string("{}");
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("config " + path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The quota, fault and admin sections of the config file.
struct Extras {
  QuotaConfig quotas;
  std::vector<FaultRule> faults;
  std::string admin_token;
};

Result<Extras> ParseExtras(const std::string& text, const ServeOptions& options) {
  Extras extras;
  ENVELOPE_ASSIGN_OR_RETURN(extras.quotas, QuotaConfig::FromConfigJson(text));
  ENVELOPE_ASSIGN_OR_RETURN(extras.faults, FaultInjector::FromConfigJson(text));
  extras.admin_token = options.admin_token;
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (extras.admin_token.empty() && doc.is_object() && doc.contains("admin")) {
    const nlohmann::json& admin = doc["admin"];
    if (!admin.is_object() || (admin.contains("token") && !admin["token"].is_string())) {
      return InvalidArgument("admin: must be {\"token\": \"...\"}");
    }
    extras.admin_token = admin.value("token", "");
  }
  return extras;
}

// Binds the listen addresses. With the defaults, a machine without IPv6 loopback still serves
// on 127.0.0.1 (with a warning) rather than failing.
Result<std::unique_ptr<HttpServer>> Bind(const ServeOptions& options, bool handle_signals,
                                         HttpHandler handler) {
  HttpServerOptions http;
  http.listen = options.listen.empty() ? kDefaultListen : options.listen;
  http.handle_signals = handle_signals;
  http.tls_cert_file = options.tls_cert;
  http.tls_key_file = options.tls_key;
  Result<std::unique_ptr<HttpServer>> server = HttpServer::Create(http, handler);
  if (server.ok() || !options.listen.empty() ||
      server.status().message() != "listen [::1]:4599: cannot assign requested address") {
    return server;
  }
  Log(LogLevel::kWarn, "envelope kms: no IPv6 loopback here; serving on 127.0.0.1:4599 only");
  http.listen = {kDefaultListen[0]};
  return HttpServer::Create(http, std::move(handler));
}

class LocalKmsServerImpl final : public LocalKmsServer {
 public:
  LocalKmsServerImpl(std::unique_ptr<LocalKms> kms, AccountSetup accounts, Extras extras,
                     bool auth, bool log_requests)
      : kms_(std::move(kms)),
        accounts_(std::move(accounts)),
        quotas_(std::move(extras.quotas),
                [service = &kms_->service()](const Caller& c, std::string_view key_id) {
                  return service->KeyTypeFor(c, key_id);
                },
                RealClock()),
        front_(kms_->dispatcher(), accounts_.registry, RealClock(),
               {auth, "us-east-1", log_requests, &quotas_, &faults_, &metrics_}),
        admin_(quotas_, faults_, metrics_, std::move(extras.admin_token)) {
    for (FaultRule& rule : extras.faults) faults_.Add(std::move(rule));
  }

  Status Bind(const ServeOptions& options, bool handle_signals) {
    ENVELOPE_ASSIGN_OR_RETURN(
        http_, server::Bind(options, handle_signals, [this](HttpRequest& request) {
          if (request.target.starts_with(kAdminPrefix)) return admin_.Handle(request);
          return front_.Handle(request);
        }));
    return OkStatus();
  }
  std::vector<std::string> endpoints() const override { return http_->endpoints(); }
  std::vector<std::uint16_t> ports() const override { return http_->ports(); }
  const AccountSetup& accounts() const override { return accounts_; }
  void Run() override { http_->Run(); }
  void Shutdown() override { http_->Shutdown(); }

 private:
  std::unique_ptr<LocalKms> kms_;
  AccountSetup accounts_;
  QuotaEngine quotas_;
  FaultInjector faults_;
  MetricsRegistry metrics_;
  KmsFront front_;
  AdminEndpoint admin_;
  std::unique_ptr<HttpServer> http_;
};

void PrintBanner(const LocalKmsServer& server, const ServeOptions& options) {
  const std::vector<std::string> endpoints = server.endpoints();
  const std::string scheme = options.tls_cert.empty() ? "http://" : "https://";
  std::string urls;
  for (const std::string& ep : endpoints) urls += " " + scheme + ep;
  std::fprintf(stderr, "envelope kms: serving on%s (data dir %s, SigV4 auth %s)\n", urls.c_str(),
               options.data_dir.c_str(), options.auth ? "on" : "off");
  const AccountSetup& accounts = server.accounts();
  if (accounts.credentials_file.empty()) return;
  if (accounts.created) {
    std::fprintf(stderr, "envelope kms: created account %s with a new access key\n",
                 std::string(kDefaultAccountId).c_str());
  }
  const std::string first = endpoints.empty() ? "127.0.0.1:4599" : endpoints.front();
  std::fprintf(stderr,
               "envelope kms: credentials for account %s are in %s; use them with\n"
               "  export AWS_SHARED_CREDENTIALS_FILE=%s AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1\n"
               "  aws kms list-keys --endpoint-url %s%s\n",
               std::string(kDefaultAccountId).c_str(), accounts.credentials_file.c_str(),
               accounts.credentials_file.c_str(), scheme.c_str(), first.c_str());
}

}  // namespace

Result<std::unique_ptr<LocalKmsServer>> LocalKmsServer::Create(const ServeOptions& options,
                                                               bool handle_signals) {
  if (options.data_dir.empty()) return InvalidArgument("a data directory (--data-dir) is required");
  if (!options.config_file.empty()) {  // fail on a bad config before touching the data dir
    Result<AccountRegistry> config = AccountRegistry::FromFile(options.config_file);
    if (!config.ok()) return InvalidArgument("config " + config.status().message());
  }
  ENVELOPE_ASSIGN_OR_RETURN(std::string config_text, ReadConfig(options.config_file));
  Result<Extras> extras = ParseExtras(config_text, options);
  if (!extras.ok()) {
    return InvalidArgument("config " + options.config_file + ": " + extras.status().message());
  }
  ENVELOPE_ASSIGN_OR_RETURN(std::unique_ptr<LocalKms> kms, LocalKms::Open({options.data_dir, ""}));
  ENVELOPE_ASSIGN_OR_RETURN(
      AccountSetup accounts,
      LoadOrCreateAccounts(options.config_file, options.data_dir, SystemRandom()));
  auto server = std::make_unique<LocalKmsServerImpl>(
      std::move(kms), std::move(accounts), std::move(extras).value(), options.auth,
      options.log_requests);
  ENVELOPE_RETURN_IF_ERROR(server->Bind(options, handle_signals));
  return std::unique_ptr<LocalKmsServer>(std::move(server));
}

Status Serve(const ServeOptions& options) {
  if (options.log_requests && !LogEnabled(LogLevel::kInfo)) SetLogLevel(LogLevel::kInfo);
  {
    // One write per batch of request lines rather than per request; flushed when Run returns.
    std::optional<LogBatcher> batcher;
    if (options.log_requests) batcher.emplace();
    ENVELOPE_ASSIGN_OR_RETURN(std::unique_ptr<LocalKmsServer> server,
                              LocalKmsServer::Create(options, /*handle_signals=*/true));
    PrintBanner(*server, options);
    server->Run();
  }
  std::fprintf(stderr, "envelope kms: stopped\n");
  return OkStatus();
}

}  // namespace envelope::kms::server
