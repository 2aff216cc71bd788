#pragma once
// HttpTransport: one HTTP attempt. A request goes in; either a complete HTTP response (any status)
// or a classified transport error comes out. Retries, signing and deadlines over several attempts
// live above this (retry_policy.h, kms_client.h). Implementations are thread-safe.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kms/protocol/sigv4.h"

namespace envelope::kms {

using protocol::HttpHeader;

struct HttpRequest {
  std::string url;  // scheme://host[:port]/path
  std::vector<HttpHeader> headers;
  std::string body;  // POST body
};

// Limits of one attempt. All positive.
struct AttemptLimits {
  std::chrono::milliseconds connect_timeout{3000};
  // Longest silence once the connection is up: between sending the request and the first byte of
  // the response, and between any two bytes of it.
  std::chrono::milliseconds read_timeout{10000};
  // Hard cap on the whole attempt (the remaining operation deadline).
  std::chrono::milliseconds total_timeout{30000};
};

// What went wrong below HTTP. Each kind is a separate retry class (retry_policy.h).
enum class TransportError : std::uint8_t {
  kNone = 0,
  kDnsFailure,      // host name did not resolve
  kConnectFailure,  // refused / unreachable
  kConnectTimeout,  // TCP or TLS handshake exceeded connect_timeout (also DNS timeout)
  kReadTimeout,     // idle longer than read_timeout after connecting
  kAttemptTimeout,  // total_timeout (the operation deadline) reached mid-attempt
  kConnectionReset, // closed, reset or truncated mid-request/response; nothing or partial received
  kTlsFailure,      // TLS handshake failed (not certificate verification)
  kTlsVerifyFailure,  // certificate or host name verification failed: configuration, not retried
  kBadRequest,      // malformed URL, unsupported scheme: configuration, not retried
  kInternal,        // anything else from the HTTP library
};
std::string_view TransportErrorName(TransportError e);

// Timings in microseconds from the start of the attempt (CURLINFO_*_TIME_T); 0 when not reached.
struct AttemptTimings {
  std::int64_t name_lookup_us = 0;
  std::int64_t connect_us = 0;
  std::int64_t tls_us = 0;
  std::int64_t first_byte_us = 0;
  std::int64_t total_us = 0;
};

struct HttpResult {
  TransportError error = TransportError::kNone;
  std::string error_message;  // human text from the HTTP library when error != kNone
  int status = 0;             // HTTP status when error == kNone
  std::vector<HttpHeader> headers;
  std::string body;
  std::string primary_ip;     // the address actually used ("127.0.0.1", "::1"), when known
  bool reused_connection = false;
  AttemptTimings timings;
  bool ok() const { return error == TransportError::kNone; }
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Performs one POST attempt. Never blocks longer than limits.total_timeout (plus a few ms).
  virtual HttpResult Send(const HttpRequest& request, const AttemptLimits& limits) = 0;
};

}  // namespace envelope::kms
