#pragma once
// KmsFront: turns an HTTP request into a KMS call and the outcome into the KMS wire response.
// Routing (only POST / with X-Amz-Target "TrentService.<Op>" and Content-Type
// application/x-amz-json-1.1), SigV4 authentication, the Caller, dispatch, the error mapping and
// the per-request log line. No sockets here, so it is tested directly.
//
// Spec: docs/kms-server.md#requests-and-errors.
// Thread-safe; the dispatcher, accounts and clock are borrowed and must outlive the front.
#include <optional>
#include <string>

#include "core/clock.h"
#include "kms/protocol/signing_key_cache.h"
#include "kms/server/dispatcher.h"
#include "kms/server/http/accounts.h"
#include "kms/server/http/http_types.h"
#include "kms/server/fault_gate.h"
#include "kms/server/http/metrics_registry.h"
#include "kms/server/quota_gate.h"

namespace envelope::kms::server {

struct KmsFrontOptions {
  bool auth = true;                       // false: --auth off, accept any credentials
  std::string default_region = "us-east-1";  // with auth off and no credential scope
  bool log_requests = true;               // one kInfo line per request
  // Request quotas, applied after authentication and before the operation; nullptr: none.
  // Borrowed; must outlive the front.
  QuotaGate* quotas = nullptr;
  // Injected faults, applied after the quota check; nullptr: none. Borrowed.
  FaultGate* faults = nullptr;
  // Every request is recorded here; nullptr: no metrics. Borrowed.
  MetricsRegistry* metrics = nullptr;
};

class KmsFront {
 public:
  KmsFront(Dispatcher& dispatcher, const AccountRegistry& accounts, Clock& clock,
           KmsFrontOptions options);
  HttpResponse Handle(const HttpRequest& request);

 private:
  struct Outcome;
  Result<Caller> Authenticate(const HttpRequest& request, std::string_view path,
                              std::string_view query, Outcome& outcome);
  HttpResponse Respond(const HttpRequest& request, Outcome& outcome);
  std::optional<HttpResponse> ApplyFault(const FaultAction& fault, Outcome& outcome);

  Dispatcher& dispatcher_;
  const AccountRegistry& accounts_;
  Clock& clock_;
  KmsFrontOptions options_;
  protocol::SigningKeyCache signing_keys_;  // derived SigV4 keys, shared by all requests
};

// The HTTP status and __type for a Status from the dispatcher or the front: the error type it
// carries (500 for KMSInternalException/KeyUnavailableException, 503 for
// DependencyTimeoutException, else 400), or KMSInternalException/500 when it carries none.
HttpResponse KmsErrorResponse(const Status& status, const std::string& request_id);

// A request id in the 36-character text form of a version-4 UUID: unique within the process
// (random per thread, then counted), not secret.
std::string NewRequestId();

}  // namespace envelope::kms::server
