#include "kms/server/http/kms_front.h"

#include <array>
#include <cstdio>
#include <thread>

#include "core/log.h"
#include "core/random.h"
#include "kms/api/errors.h"
#include "kms/protocol/sigv4.h"

namespace envelope::kms::server {
namespace {

constexpr std::string_view kJsonContentType = "application/x-amz-json-1.1";
constexpr std::string_view kTargetPrefix = "TrentService.";
constexpr std::string_view kService = "kms";

Status AuthError(std::string_view type, std::string message) {
  return Status(Code::kUnauthenticated, std::move(message), std::string(type));
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// The media type of a Content-Type value: before any ';', trimmed.
std::string_view MediaType(std::string_view value) {
  value = value.substr(0, value.find(';'));
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}

// The request's "KeyId" string, for the log only: a bounded scan, not a JSON parse. Characters
// that could forge log fields are replaced by '?'.
std::string KeyIdForLog(std::string_view body) {
  std::size_t pos = body.find("\"KeyId\"");
  if (pos == std::string_view::npos) return "";
  pos += 7;
  while (pos < body.size() && (body[pos] == ' ' || body[pos] == ':')) ++pos;
  if (pos >= body.size() || body[pos] != '"') return "";
  std::string out;
  for (++pos; pos < body.size() && body[pos] != '"' && out.size() < 256; ++pos) {
    const char c = body[pos];
    out.push_back(c > ' ' && c < 0x7f && c != '\\' ? c : '?');
  }
  return out;
}

HttpResponse ErrorResponse(int status, std::string_view type, std::string_view message,
                           const std::string& request_id) {
  HttpResponse r;
  r.status = status;
  r.content_type = std::string(kJsonContentType);
  r.headers.push_back({"x-amzn-RequestId", request_id});
  r.body = JsonErrorBody(type, message);
  return r;
}

}  // namespace

struct KmsFront::Outcome {
  std::string request_id;
  std::string operation;
  std::string account;
  std::string region;
  std::string access_key_id;
  std::string error_type;
  std::string_view quota;  // the quota charged, "" when none
  bool throttled = false;   // refused by a quota
};

std::string NewRequestId() {
  // Ids need to be unique, not secret: each thread draws 16 random bytes once and then counts,
  // so a request costs no call into the system random source (each costs a system call).
  thread_local std::array<std::uint8_t, 16> base = [] {
    std::array<std::uint8_t, 16> b{};
    (void)SystemRandom().Fill(b);  // a failure leaves zeros: still unique within the thread
    return b;
  }();
  thread_local std::uint64_t counter = 0;
  std::array<std::uint8_t, 16> b = base;
  const std::uint64_t n = ++counter;
  for (int i = 0; i < 8; ++i) b[15 - i] ^= static_cast<std::uint8_t>(n >> (8 * i));
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);
  char out[37];
  std::snprintf(out, sizeof(out),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

HttpResponse KmsErrorResponse(const Status& status, const std::string& request_id) {
  if (status.error_type().empty()) {
    return ErrorResponse(500, "KMSInternalException", status.message(), request_id);
  }
  return ErrorResponse(HttpStatusFor(status), status.error_type(), status.message(), request_id);
}

KmsFront::KmsFront(Dispatcher& dispatcher, const AccountRegistry& accounts, Clock& clock,
                   KmsFrontOptions options)
    : dispatcher_(dispatcher), accounts_(accounts), clock_(clock), options_(std::move(options)) {}

HttpResponse KmsFront::Handle(const HttpRequest& request) {
  const Clock::TimePoint start = clock_.Now();
  Outcome outcome;
  outcome.request_id = NewRequestId();
  HttpResponse response = Respond(request, outcome);
  if (options_.metrics != nullptr) {
    options_.metrics->Record(
        {outcome.operation, outcome.account, outcome.quota, outcome.error_type, response.status,
         outcome.throttled,
         std::chrono::duration_cast<std::chrono::microseconds>(clock_.Now() - start)});
  }
  if (options_.log_requests && LogEnabled(LogLevel::kInfo)) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(clock_.Now() - start).count();
    const std::string key = KeyIdForLog(request.body);
    auto field = [](const std::string& v) { return v.empty() ? std::string("-") : v; };
    Log(LogLevel::kInfo, "kms op=" + field(outcome.operation) + " account=" +
                             field(outcome.account) + " region=" + field(outcome.region) +
                             " akid=" + field(outcome.access_key_id) + " key=" + field(key) +
                             " status=" + std::to_string(response.status) +
                             " error=" + field(outcome.error_type) +
                             " latency_us=" + std::to_string(micros) + " id=" + outcome.request_id);
  }
  return response;
}

HttpResponse KmsFront::Respond(const HttpRequest& request, Outcome& outcome) {
  const std::size_t qmark = request.target.find('?');
  const std::string_view path = std::string_view(request.target).substr(0, qmark);
  const std::string_view query =
      qmark == std::string::npos ? "" : std::string_view(request.target).substr(qmark + 1);
  auto fail = [&](int status, std::string_view type, std::string_view message) {
    outcome.error_type = std::string(type);
    return ErrorResponse(status, type, message, outcome.request_id);
  };
  if (path != "/") {
    return fail(404, "UnknownOperationException",
                "No KMS operation at '" + std::string(path.substr(0, 128)) +
                    "': KMS requests are POST / with X-Amz-Target.");
  }
  if (request.method != "POST") {
    HttpResponse r = fail(405, "UnknownOperationException",
                          "Method " + request.method.substr(0, 16) +
                              " is not allowed: KMS requests are POST /.");
    r.headers.push_back({"Allow", "POST"});
    return r;
  }
  Result<Caller> caller = Authenticate(request, path, query, outcome);
  if (!caller.ok()) {
    outcome.error_type = caller.status().error_type();
    return KmsErrorResponse(caller.status(), outcome.request_id);
  }
  const std::string* target = protocol::FindHeader(request.headers, "x-amz-target");
  if (target == nullptr || !target->starts_with(kTargetPrefix) ||
      target->size() == kTargetPrefix.size()) {
    return fail(400, "UnknownOperationException",
                "X-Amz-Target must be TrentService.<Operation>; got '" +
                    (target ? target->substr(0, 128) : std::string()) + "'.");
  }
  outcome.operation = target->substr(kTargetPrefix.size(), 64);
  const std::string* content_type = protocol::FindHeader(request.headers, "content-type");
  if (content_type == nullptr || !IEquals(MediaType(*content_type), kJsonContentType)) {
    return fail(400, "SerializationException",
                "Content-Type must be application/x-amz-json-1.1.");
  }
  QuotaDecision decision;
  if (options_.quotas != nullptr) {
    decision = options_.quotas->Admit(*caller, outcome.operation, request.body);
    outcome.quota = decision.quota;
    if (decision.throttled) {
      outcome.throttled = true;
      outcome.quota = decision.throttled_by;
      return fail(400, kThrottlingType, kThrottlingMessage);
    }
  }
  std::optional<FaultAction> fault;
  if (options_.faults != nullptr) {
    fault = options_.faults->Pick(*caller, outcome.operation, request.body);
    if (fault) {
      if (std::optional<HttpResponse> r = ApplyFault(*fault, outcome)) return std::move(*r);
    }
  }
  Result<std::string> body = dispatcher_.Dispatch(*caller, outcome.operation, request.body);
  if (options_.quotas != nullptr) options_.quotas->Settle(decision, !body.ok());
  if (!body.ok()) {
    HttpResponse r = KmsErrorResponse(body.status(), outcome.request_id);
    outcome.error_type = body.status().error_type().empty() ? "KMSInternalException"
                                                            : body.status().error_type();
    return r;
  }
  HttpResponse r;
  r.content_type = std::string(kJsonContentType);
  r.headers.push_back({"x-amzn-RequestId", outcome.request_id});
  r.body = std::move(body).value();
  if (fault && fault->kind == FaultKind::kReset) {
    r.fault = HttpResponse::Fault::kReset;
    outcome.error_type = "fault:reset";
  }
  return r;
}

// Latency waits and lets the request go on (nullopt); reset is applied to the real answer;
// the others replace the answer.
std::optional<HttpResponse> KmsFront::ApplyFault(const FaultAction& fault, Outcome& outcome) {
  auto fail = [&](int status, std::string_view type, std::string_view message) {
    outcome.error_type = std::string(type);
    return ErrorResponse(status, type, message, outcome.request_id);
  };
  switch (fault.kind) {
    case FaultKind::kLatency: std::this_thread::sleep_for(fault.delay); return std::nullopt;
    case FaultKind::kReset: return std::nullopt;
    case FaultKind::kHang: {
      HttpResponse r;
      r.fault = HttpResponse::Fault::kHang;
      r.hang_for = fault.delay;
      outcome.error_type = "fault:hang";
      return r;
    }
    case FaultKind::kInternal:
      return fail(500, "KMSInternalException", "Injected fault: internal error.");
    case FaultKind::kUnavailable:
      return fail(503, "DependencyTimeoutException", "Injected fault: dependency timed out.");
    case FaultKind::kThrottle: return fail(400, kThrottlingType, kThrottlingMessage);
  }
  return std::nullopt;
}

Result<Caller> KmsFront::Authenticate(const HttpRequest& request, std::string_view path,
                                      std::string_view query, Outcome& outcome) {
  const std::string* header = protocol::FindHeader(request.headers, "authorization");
  Result<protocol::ParsedAuthorization> auth =
      header ? protocol::ParseAuthorization(*header)
             : Result<protocol::ParsedAuthorization>(
                   AuthError("MissingAuthenticationTokenException", "Missing Authentication Token"));
  if (auth.ok()) {
    outcome.access_key_id = auth->access_key_id;
    outcome.region = auth->scope.region;
  }
  const AccessKey* key = auth.ok() ? accounts_.Find(auth->access_key_id) : nullptr;
  Caller caller;
  if (!options_.auth) {
    caller.account_id = key ? key->account_id : std::string(kDefaultAccountId);
    caller.region = auth.ok() ? auth->scope.region : options_.default_region;
    caller.access_key_id = auth.ok() ? auth->access_key_id : "";
    caller.principal_arn = key ? key->PrincipalArn() : "arn:aws:iam::" + caller.account_id + ":root";
  } else {
    if (!auth.ok()) return auth.status();
    if (key == nullptr) {
      return AuthError("UnrecognizedClientException",
                       "The security token included in the request is invalid.");
    }
    const std::string payload_hash = protocol::PayloadHash(request.body);
    const protocol::SigV4Request signed_request{request.method, path, query, request.headers,
                                                payload_hash};
    ENVELOPE_RETURN_IF_ERROR(protocol::VerifySignature(
        signed_request, *auth, key->secret_access_key, kService, clock_.WallNow(),
        &signing_keys_));
    caller = {key->account_id, auth->scope.region, key->access_key_id, key->PrincipalArn()};
  }
  outcome.account = caller.account_id;
  outcome.region = caller.region;
  return caller;
}

}  // namespace envelope::kms::server
