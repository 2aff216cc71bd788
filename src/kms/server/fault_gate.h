#pragma once
// FaultGate: the HTTP front's view of fault injection, header-only so that the front does not
// link the server's logic. FaultInjector (fault_injector.h) implements it.
#include <chrono>
#include <optional>
#include <string_view>

#include "kms/api/caller.h"

namespace envelope::kms::server {

enum class FaultKind {
  kLatency,      // wait `delay`, then serve normally
  kHang,         // never answer (for `delay`, then close)
  kReset,        // serve, then reset the connection half-way through the response
  kInternal,     // 500 KMSInternalException
  kUnavailable,  // 503 DependencyTimeoutException
  kThrottle,     // 400 ThrottlingException
};

struct FaultAction {
  FaultKind kind = FaultKind::kInternal;
  std::chrono::milliseconds delay{0};
};

class FaultGate {
 public:
  virtual ~FaultGate() = default;
  // The fault to inject into this request, if a rule fires. Thread-safe.
  virtual std::optional<FaultAction> Pick(const Caller& caller, std::string_view operation,
                                          std::string_view body) = 0;
};

}  // namespace envelope::kms::server
