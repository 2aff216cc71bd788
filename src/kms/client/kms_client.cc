#include "kms/client/kms_client.h"

#include <charconv>
#include <cstdio>

#include "core/log.h"
#include "kms/api/errors.h"
#include "kms/client/curl_transport.h"
#include "kms/protocol/json_codec.h"

namespace envelope::kms {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr std::string_view kService = "kms";

std::optional<std::int64_t> RetryAfterMs(const std::vector<HttpHeader>& headers) {
  const std::string* v = protocol::FindHeader(headers, "x-amz-retry-after");
  if (v == nullptr) return std::nullopt;
  std::int64_t ms = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), ms);
  if (ec != std::errc() || p != v->data() + v->size() || ms < 0) return std::nullopt;
  return ms;
}

Code CodeForTransport(ErrorClass c) {
  switch (c) {
    case ErrorClass::kConnectTimeout:
    case ErrorClass::kReadTimeout:
    case ErrorClass::kDeadline:
      return Code::kDeadlineExceeded;
    case ErrorClass::kConfiguration:
      return Code::kFailedPrecondition;
    default:
      return Code::kUnavailable;
  }
}

// The Status of one failed attempt.
Status AttemptError(std::string_view op, const HttpResult& r, ErrorClass c) {
  if (!r.ok()) {
    return Status(CodeForTransport(c), "kms " + std::string(op) + ": " +
                                           std::string(TransportErrorName(r.error)) + ": " +
                                           r.error_message);
  }
  const Status e = protocol::ParseErrorResponse(r.status, r.body);
  std::string context = "kms " + std::string(op) + ": HTTP " + std::to_string(r.status);
  if (!e.error_type().empty()) context += " " + e.error_type();
  return e.Annotate(context);
}

std::string FormatMs(Clock::Duration d) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", std::chrono::duration<double, std::milli>(d).count());
  return buf;
}

}  // namespace

Result<ParsedEndpoint> ParseEndpointUrl(std::string_view url) {
  ParsedEndpoint e;
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return InvalidArgument("endpoint URL has no scheme: " + std::string(url));
  e.scheme = std::string(url.substr(0, sep));
  if (e.scheme != "http" && e.scheme != "https") {
    return InvalidArgument("endpoint URL scheme must be http or https: " + std::string(url));
  }
  std::string_view rest = url.substr(sep + 3);
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  e.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (authority.empty() || authority.find('@') != std::string_view::npos ||
      authority.find_first_of(" ?#") != std::string_view::npos) {
    return InvalidArgument("endpoint URL has an invalid host: " + std::string(url));
  }
  std::string_view port;
  if (authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return InvalidArgument("unterminated IPv6 literal: " + std::string(url));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return InvalidArgument("bad port in " + std::string(url));
      port = authority.substr(close + 2);
      authority = authority.substr(0, close + 1);
    }
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
  }
  if (!port.empty() && port.find_first_not_of("0123456789") != std::string_view::npos) {
    return InvalidArgument("bad port in " + std::string(url));
  }
  // The Host header omits the scheme's default port, as libcurl does; we sign what is sent.
  const bool default_port = (e.scheme == "https" && port == "443") || (e.scheme == "http" && port == "80");
  e.host_header = std::string(authority);
  if (!port.empty() && !default_port) e.host_header += ":" + std::string(port);
  return e;
}

Result<std::unique_ptr<KmsClient>> KmsClient::Create(ClientOptions options, Clock& clock,
                                                     Random& random) {
  CurlTransportOptions t;
  t.ca_bundle = options.ca_bundle;
  t.happy_eyeballs_timeout = options.happy_eyeballs_timeout;
  t.max_idle_connections = options.max_idle_connections;
  if (!options.user_agent_suffix.empty()) t.user_agent += " " + options.user_agent_suffix;
  ENVELOPE_ASSIGN_OR_RETURN(std::unique_ptr<CurlTransport> transport, CurlTransport::Create(t));
  return Create(std::move(options), std::move(transport), clock, random);
}

Result<std::unique_ptr<KmsClient>> KmsClient::Create(ClientOptions options,
                                                     std::unique_ptr<HttpTransport> transport,
                                                     Clock& clock, Random& random) {
  if (options.region.empty()) return InvalidArgument("kms client: region is required");
  if (options.credentials.access_key_id.empty()) {
    return InvalidArgument("kms client: credentials are required (no access key id)");
  }
  if (options.max_attempts && *options.max_attempts < 1) {
    return InvalidArgument("kms client: max_attempts must be at least 1");
  }
  if (options.connect_timeout.count() <= 0 || options.read_timeout.count() <= 0 ||
      options.operation_timeout.count() <= 0) {
    return InvalidArgument("kms client: timeouts must be positive");
  }
  if (transport == nullptr) return InvalidArgument("kms client: no transport");
  ENVELOPE_ASSIGN_OR_RETURN(ParsedEndpoint e, ParseEndpointUrl(options.endpoint_url));
  std::string url = options.endpoint_url;
  if (url.find('/', url.find("://") + 3) == std::string::npos) url += "/";
  return std::unique_ptr<KmsClient>(new KmsClient(std::move(options), std::move(transport), clock,
                                                  random, std::move(url), e.host_header));
}

KmsClient::KmsClient(ClientOptions options, std::unique_ptr<HttpTransport> transport, Clock& clock,
                     Random& random, std::string url, std::string host)
    : options_(std::move(options)),
      transport_(std::move(transport)),
      clock_(clock),
      random_(random),
      url_(std::move(url)),
      host_(std::move(host)),
      path_(ParseEndpointUrl(url_).value().path),
      policy_(RetryConfigFor(options_), clock, random) {
  credentials_.access_key_id = options_.credentials.access_key_id;
  credentials_.secret_access_key = options_.credentials.secret_access_key.Clone();
  credentials_.session_token = options_.credentials.session_token;
}

std::string KmsClient::InvocationId() {
  std::uint8_t b[16] = {0};
  (void)random_.Fill(b);  // a failed fill leaves zeros: the id is for tracing, not security
  b[6] = (b[6] & 0x0f) | 0x40;  // UUID version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof(out),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

HttpRequest KmsClient::BuildRequest(std::string_view operation, const std::string& body,
                                    const std::string& invocation_id, int attempt) const {
  HttpRequest req;
  req.url = url_;
  req.body = body;
  const std::string amz_date = protocol::FormatAmzDate(clock_.WallNow());
  // amz-sdk-request: classic SDKs send only "attempt=1" first and add max from the second
  // attempt; the 2026 behaviour seeds max on the first attempt too (reference §1.1).
  std::string sdk_request = "attempt=" + std::to_string(attempt);
  if (attempt > 1 || policy_.config().new_retries_2026) {
    sdk_request += "; max=" + std::to_string(policy_.config().max_attempts);
  }
  req.headers = {{"Host", host_},
                 {"Content-Type", std::string(protocol::kJsonContentType)},
                 {"X-Amz-Target", protocol::TargetFor(operation)},
                 {"X-Amz-Date", amz_date},
                 {"amz-sdk-invocation-id", invocation_id},
                 {"amz-sdk-request", sdk_request}};
  if (!credentials_.session_token.empty()) {
    req.headers.push_back({"X-Amz-Security-Token", credentials_.session_token});
  }
  const std::string payload_hash = protocol::PayloadHash(body);
  protocol::SigV4Request sr{"POST", path_, "", req.headers, payload_hash};
  std::string auth =
      protocol::AuthorizationHeader(sr, credentials_, amz_date, options_.region, kService);
  req.headers.push_back({"Authorization", std::move(auth)});
  return req;
}

Result<std::string> KmsClient::Invoke(std::string_view operation, const std::string& body) {
  const Clock::TimePoint start = clock_.Now();
  Result<std::string> result = CallWithRetries(operation, body, start + options_.operation_timeout);
  RecordCall(operation, clock_.Now() - start, result.ok() ? Status() : result.status());
  return result;
}

Result<std::string> KmsClient::CallWithRetries(std::string_view operation,
                                               const std::string& body,
                                               Clock::TimePoint deadline) {
  const std::string invocation_id = InvocationId();
  CallState call;
  Status last;  // the last attempt's error
  for (int attempt = 1;; ++attempt) {
    if (!policy_.BeforeAttempt(deadline).ok()) {
      return DeadlineError(operation, attempt - 1, " (waiting for an adaptive send token)", last);
    }
    if (clock_.Now() >= deadline) return DeadlineError(operation, attempt - 1, "", last);
    AttemptResult a = RunAttempt(operation, body, invocation_id, attempt, deadline, call);
    const RetryDecision& d = a.decision;
    if (d.error_class == ErrorClass::kSuccess) return std::move(a.http.body);
    last = AttemptError(operation, a.http, d.error_class);
    if (d.error_class == ErrorClass::kDeadline) return DeadlineError(operation, attempt, "", last);
    if (!d.retry) return GiveUp(attempt, d, std::move(last));
    if (a.crosses_deadline) {
      return DeadlineError(operation, attempt,
                           " (the next backoff of " + FormatMs(d.delay) + " ms would cross it)",
                           last);
    }
    clock_.SleepFor(d.delay);
  }
}

KmsClient::AttemptResult KmsClient::RunAttempt(std::string_view operation,
                                               const std::string& body,
                                               const std::string& invocation_id, int attempt,
                                               Clock::TimePoint deadline, CallState& call) {
  const AttemptLimits limits{options_.connect_timeout, options_.read_timeout,
                             std::chrono::ceil<milliseconds>(deadline - clock_.Now())};
  AttemptResult a;
  a.http = transport_->Send(BuildRequest(operation, body, invocation_id, attempt), limits);
  const HttpResult& r = a.http;
  const Status parsed = r.ok() && (r.status < 200 || r.status >= 300)
                            ? protocol::ParseErrorResponse(r.status, r.body)
                            : Status();
  const AttemptOutcome outcome{r.error, r.status, parsed.error_type(),
                               r.ok() ? RetryAfterMs(r.headers) : std::nullopt};
  a.decision = policy_.OnAttempt(call, attempt, outcome);
  RecordAttempt(r, a.decision);
  a.crosses_deadline = a.decision.retry && clock_.Now() + a.decision.delay >= deadline;
  if (LogEnabled(LogLevel::kDebug)) {
    LogAttempt(AttemptLog{operation, invocation_id, attempt, r, parsed.error_type(), a.decision,
                          a.crosses_deadline});
  }
  return a;
}

Status KmsClient::DeadlineError(std::string_view operation, int attempts, std::string_view why,
                                const Status& last) {
  std::string msg = "kms " + std::string(operation) + ": operation_timeout of " +
                    std::to_string(options_.operation_timeout.count()) + " ms reached after " +
                    std::to_string(attempts) + " attempt(s)" + std::string(why);
  if (!last.ok()) msg += "; last error: " + last.message();
  {
    std::lock_guard<std::mutex> lock(metrics_mu_);
    ++metrics_.deadline_exceeded;
  }
  return Status(Code::kDeadlineExceeded, std::move(msg), last.error_type());
}

Status KmsClient::GiveUp(int attempts, const RetryDecision& d, Status last) {
  if (d.reason == std::string_view("retry quota exhausted")) {
    std::lock_guard<std::mutex> lock(metrics_mu_);
    ++metrics_.quota_exhausted;
  }
  // A first attempt that is simply not retryable (a business error) reads best unannotated.
  if (attempts > 1 || d.reason != std::string_view("not retryable")) {
    return last.Annotate("after " + std::to_string(attempts) + " attempt(s), " +
                         std::string(d.reason));
  }
  return last;
}

void KmsClient::LogAttempt(const AttemptLog& a) const {
  const HttpResult& r = a.result;
  const std::string error = r.ok() ? (a.error_type.empty() ? "-" : a.error_type)
                                   : std::string(TransportErrorName(r.error));
  Log(LogLevel::kDebug,
      "kms attempt op=" + std::string(a.operation) + " invocation=" + a.invocation_id +
          " attempt=" + std::to_string(a.attempt) + "/" +
          std::to_string(policy_.config().max_attempts) + " host=" + host_ +
          " ip=" + (r.primary_ip.empty() ? "-" : r.primary_ip) +
          " reused=" + (r.reused_connection ? "1" : "0") + " status=" + std::to_string(r.status) +
          " error=" + error + " class=" + std::string(ErrorClassName(a.decision.error_class)) +
          " connect_us=" + std::to_string(r.timings.connect_us) +
          " first_byte_us=" + std::to_string(r.timings.first_byte_us) +
          " total_us=" + std::to_string(r.timings.total_us) +
          " decision=" + (a.crosses_deadline ? "deadline" : std::string(a.decision.reason)) +
          " backoff_ms=" + (a.decision.retry ? FormatMs(a.decision.delay) : std::string("-")) +
          " quota=" + std::to_string(policy_.quota_available()) + " adaptive_rate=" +
          (policy_.adaptive_enabled() ? std::to_string(policy_.adaptive_fill_rate())
                                      : std::string("off")));
}

void KmsClient::RecordAttempt(const HttpResult& r, const RetryDecision& d) {
  std::lock_guard<std::mutex> lock(metrics_mu_);
  ++metrics_.attempts;
  if (d.retry) ++metrics_.retries;
  if (d.error_class == ErrorClass::kThrottling) ++metrics_.throttles;
  if (d.error_class == ErrorClass::kConnectTimeout || d.error_class == ErrorClass::kReadTimeout ||
      d.error_class == ErrorClass::kDeadline) {
    ++metrics_.timeouts;
  }
  if (!r.ok()) ++metrics_.transport_errors;
  if (r.reused_connection) ++metrics_.reused_connections;
}

void KmsClient::RecordCall(std::string_view operation, Clock::Duration latency,
                           const Status& status) {
  const std::int64_t us = duration_cast<microseconds>(latency).count();
  {
    std::lock_guard<std::mutex> lock(metrics_mu_);
    ++metrics_.calls;
    if (!status.ok()) ++metrics_.failed_calls;
    OperationLatency& l = metrics_.per_operation[std::string(operation)];
    ++l.calls;
    l.total_us += us;
    l.max_us = std::max(l.max_us, us);
  }
  if (LogEnabled(LogLevel::kDebug)) {
    Log(LogLevel::kDebug, "kms call op=" + std::string(operation) +
                              " result=" + (status.ok() ? "ok" : std::string(CodeName(status.code()))) +
                              " error_type=" + (status.error_type().empty() ? "-" : status.error_type()) +
                              " latency_us=" + std::to_string(us) +
                              (status.ok() ? "" : " message=\"" + status.message() + "\""));
  }
}

KmsClientMetrics KmsClient::metrics() const {
  KmsClientMetrics m;
  {
    std::lock_guard<std::mutex> lock(metrics_mu_);
    m = metrics_;
  }
  m.retry_quota_available = policy_.quota_available();
  m.adaptive_enabled = policy_.adaptive_enabled();
  m.adaptive_fill_rate = policy_.adaptive_fill_rate();
  return m;
}

}  // namespace envelope::kms
