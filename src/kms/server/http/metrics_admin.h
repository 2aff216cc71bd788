#pragma once
// AdminEndpoint: the local KMS's own HTTP endpoints under /_envelope/ (Spec:
// docs/kms-server.md#admin-endpoint):
//   GET    /_envelope/metrics                      Prometheus text: requests, errors, throttles,
//                                                  latency histograms, current quota usage
//   GET    /_envelope/quotas?account=A&region=R    usage per quota, as Service Quotas lists it
//   GET    /_envelope/faults                       the fault rules
//   POST   /_envelope/faults                       add a rule (object) or rules (array)
//   DELETE /_envelope/faults                       remove every rule
// Only the admin may call them: with a token configured, a request must carry
// "Authorization: Bearer TOKEN" (compared in constant time); without one, only loopback peers.
// Thread-safe; the engine, injector and registry are borrowed and must outlive it.
#include <optional>
#include <string>

#include "kms/server/fault_injector.h"
#include "kms/server/http/http_types.h"
#include "kms/server/http/metrics_registry.h"
#include "kms/server/quota_engine.h"

namespace envelope::kms::server {

inline constexpr std::string_view kAdminPrefix = "/_envelope/";

class AdminEndpoint {
 public:
  AdminEndpoint(QuotaEngine& quotas, FaultInjector& faults, MetricsRegistry& metrics,
                std::string token)
      : quotas_(quotas), faults_(faults), metrics_(metrics), token_(std::move(token)) {}
  // The answer to a request whose target starts with kAdminPrefix.
  HttpResponse Handle(const HttpRequest& request);

 private:
  bool Authorized(const HttpRequest& request) const;
  HttpResponse Metrics() const;
  HttpResponse Quotas(std::string_view query) const;
  HttpResponse Faults(const HttpRequest& request);

  QuotaEngine& quotas_;
  FaultInjector& faults_;
  MetricsRegistry& metrics_;
  const std::string token_;
};

}  // namespace envelope::kms::server
