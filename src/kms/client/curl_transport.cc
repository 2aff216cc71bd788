#include "kms/client/curl_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <mutex>

namespace envelope::kms {

using SteadyClock = std::chrono::steady_clock;

struct CurlTransport::Handle {
  CURLM* multi = nullptr;
  CURL* easy = nullptr;
  ~Handle() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (multi != nullptr) curl_multi_cleanup(multi);
  }
};

namespace {

// State shared with the libcurl callbacks during one attempt.
struct AttemptState {
  HttpResult* result = nullptr;
  bool connected = false;
  SteadyClock::time_point last_activity;
  curl_off_t last_upload = 0;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<AttemptState*>(user);
  s->result->body.append(data, size * n);
  s->last_activity = SteadyClock::now();
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<AttemptState*>(user);
  s->last_activity = SteadyClock::now();
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {  // a new status line (after 100 Continue): drop old headers
    s->result->headers.clear();
    return size * n;
  }
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    auto trim = [](std::string_view v) {
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) {
        v.remove_suffix(1);
      }
      return v;
    };
    s->result->headers.push_back(
        {std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1)))});
  }
  return size * n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t ulnow) {
  auto* s = static_cast<AttemptState*>(user);
  if (ulnow != s->last_upload) {  // request bytes leaving count as activity
    s->last_upload = ulnow;
    s->last_activity = SteadyClock::now();
  }
  return 0;
}

// Called once the connection (new or reused) is ready, before the request is sent: the read
// timer starts here, so a slow connect is only judged by connect_timeout.
int OnPrereq(void* user, char*, char*, int, int) {
  auto* s = static_cast<AttemptState*>(user);
  s->connected = true;
  s->last_activity = SteadyClock::now();
  return CURL_PREREQFUNC_OK;
}

TransportError Classify(CURLcode code, std::string_view message, bool connected) {
  switch (code) {
    case CURLE_OK:
      return TransportError::kNone;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportError::kDnsFailure;
    case CURLE_COULDNT_CONNECT:
      return TransportError::kConnectFailure;
    case CURLE_OPERATION_TIMEDOUT:
      // All of libcurl's timers return 28; the error text tells which fired.
      if (message.find("Operation timed out") != std::string_view::npos) {
        return TransportError::kAttemptTimeout;
      }
      if (message.find("Resolving timed out") != std::string_view::npos ||
          message.find("Connection timed out") != std::string_view::npos ||
          message.find("Failed to connect") != std::string_view::npos || !connected) {
        return TransportError::kConnectTimeout;
      }
      return TransportError::kAttemptTimeout;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return TransportError::kTlsVerifyFailure;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_SHUTDOWN_FAILED:
      return TransportError::kTlsFailure;
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
      return TransportError::kConnectionReset;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return TransportError::kBadRequest;
    default:
      return TransportError::kInternal;
  }
}

long Millis(std::chrono::milliseconds d) { return static_cast<long>(std::max<int64_t>(1, d.count())); }

void SetOptions(CURL* easy, const CurlTransportOptions& o, const HttpRequest& request,
                const AttemptLimits& limits, curl_slist* headers, AttemptState* state,
                char* errbuf) {
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, Millis(limits.connect_timeout));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, Millis(limits.total_timeout));
  curl_easy_setopt(easy, CURLOPT_HAPPY_EYEBALLS_TIMEOUT_MS, Millis(o.happy_eyeballs_timeout));
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPIDLE, 30L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPINTVL, 30L);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!o.ca_bundle.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, o.ca_bundle.c_str());
  curl_easy_setopt(easy, CURLOPT_USERAGENT, o.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, state);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, state);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, state);
  curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &OnPrereq);
  curl_easy_setopt(easy, CURLOPT_PREREQDATA, state);
}

void ReadInfo(CURL* easy, HttpResult& r) {
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  r.status = static_cast<int>(status);
  char* ip = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr) {
    r.primary_ip = ip;
  }
  long connects = 0;
  curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
  r.reused_connection = connects == 0 && r.status != 0;
  curl_off_t t = 0;
  if (curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME_T, &t) == CURLE_OK) r.timings.name_lookup_us = t;
  if (curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &t) == CURLE_OK) r.timings.connect_us = t;
  if (curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &t) == CURLE_OK) r.timings.tls_us = t;
  if (curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &t) == CURLE_OK) {
    r.timings.first_byte_us = t;
  }
  if (curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &t) == CURLE_OK) r.timings.total_us = t;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Drives the transfer until it completes, or the idle timer or the overall cap expires.
// Returns the transfer's CURLcode, or CURLE_ABORTED_BY_CALLBACK for our idle timeout.
CURLcode Drive(CURLM* multi, const AttemptLimits& limits, AttemptState& state,
               SteadyClock::time_point hard_deadline) {
  for (;;) {
    int running = 0;
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg == CURLMSG_DONE) return msg->data.result;
    }
    const auto now = SteadyClock::now();
    auto wake = hard_deadline;
    if (state.connected) {
      const auto idle_deadline = state.last_activity + limits.read_timeout;
      if (now >= idle_deadline) return CURLE_ABORTED_BY_CALLBACK;
      wake = std::min(wake, idle_deadline);
    }
    if (now >= hard_deadline) return CURLE_OPERATION_TIMEDOUT;
    // Round up so that we wake at or just after the deadline, never spin before it.
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake - now);
    wait = std::clamp(wait, std::chrono::milliseconds(1), std::chrono::milliseconds(1000));
    curl_multi_poll(multi, nullptr, 0, static_cast<int>(wait.count()), nullptr);
  }
}

}  // namespace

std::string_view TransportErrorName(TransportError e) {
  switch (e) {
    case TransportError::kNone: return "none";
    case TransportError::kDnsFailure: return "dns_failure";
    case TransportError::kConnectFailure: return "connect_failure";
    case TransportError::kConnectTimeout: return "connect_timeout";
    case TransportError::kReadTimeout: return "read_timeout";
    case TransportError::kAttemptTimeout: return "attempt_timeout";
    case TransportError::kConnectionReset: return "connection_reset";
    case TransportError::kTlsFailure: return "tls_failure";
    case TransportError::kTlsVerifyFailure: return "tls_verify_failure";
    case TransportError::kBadRequest: return "bad_request";
    case TransportError::kInternal: return "internal";
  }
  return "unknown";
}

Result<std::unique_ptr<CurlTransport>> CurlTransport::Create(CurlTransportOptions options) {
  GlobalInit();
  if (!options.ca_bundle.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(options.ca_bundle, ec)) {
      return InvalidArgument("ca_bundle '" + options.ca_bundle + "' is not a readable file");
    }
  }
  if (options.max_idle_connections < 1) options.max_idle_connections = 1;
  auto transport = std::unique_ptr<CurlTransport>(new CurlTransport(std::move(options)));
  std::unique_ptr<Handle> probe = transport->Acquire();
  if (probe == nullptr) return Internal("libcurl: cannot create a handle");
  transport->Release(std::move(probe));
  return transport;
}

CurlTransport::CurlTransport(CurlTransportOptions options) : options_(std::move(options)) {}
CurlTransport::~CurlTransport() = default;

std::unique_ptr<CurlTransport::Handle> CurlTransport::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Handle> h = std::move(idle_.back());
      idle_.pop_back();
      return h;
    }
  }
  auto h = std::make_unique<Handle>();
  h->multi = curl_multi_init();
  h->easy = curl_easy_init();
  if (h->multi == nullptr || h->easy == nullptr) return nullptr;
  return h;
}

void CurlTransport::Release(std::unique_ptr<Handle> handle) {
  std::lock_guard<std::mutex> lock(mu_);
  if (static_cast<int>(idle_.size()) < options_.max_idle_connections) {
    idle_.push_back(std::move(handle));
  }
}

HttpResult CurlTransport::Send(const HttpRequest& request, const AttemptLimits& limits) {
  HttpResult result;
  const auto start = SteadyClock::now();
  std::unique_ptr<Handle> h = Acquire();
  if (h == nullptr) {
    result.error = TransportError::kInternal;
    result.error_message = "libcurl: cannot create a handle";
    return result;
  }
  curl_slist* headers = nullptr;
  for (const HttpHeader& hd : request.headers) {
    headers = curl_slist_append(headers, (hd.name + ": " + hd.value).c_str());
  }
  headers = curl_slist_append(headers, "Expect:");  // never wait for 100-continue
  AttemptState state;
  state.result = &result;
  state.last_activity = start;
  char errbuf[CURL_ERROR_SIZE] = {0};
  SetOptions(h->easy, options_, request, limits, headers, &state, errbuf);

  curl_multi_add_handle(h->multi, h->easy);
  // A little slack past libcurl's own CURLOPT_TIMEOUT_MS, so that its error text wins when both
  // fire together; our check is the backstop.
  const CURLcode code = Drive(h->multi, limits, state, start + limits.total_timeout +
                                                           std::chrono::milliseconds(5));
  ReadInfo(h->easy, result);
  // Removing an unfinished transfer closes its connection; a finished one stays pooled.
  curl_multi_remove_handle(h->multi, h->easy);
  curl_slist_free_all(headers);
  curl_easy_setopt(h->easy, CURLOPT_ERRORBUFFER, nullptr);

  if (code == CURLE_ABORTED_BY_CALLBACK) {
    result.error = TransportError::kReadTimeout;
    result.error_message = "no data received for " + std::to_string(limits.read_timeout.count()) +
                           " ms (read_timeout)";
  } else if (code != CURLE_OK) {
    std::string text = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(code);
    if (code == CURLE_OPERATION_TIMEDOUT && errbuf[0] == '\0') {
      text = "Operation timed out after " + std::to_string(limits.total_timeout.count()) + " ms";
    }
    result.error = Classify(code, text, state.connected);
    result.error_message = "curl " + std::to_string(static_cast<int>(code)) + ": " + text;
  }
  if (!result.ok()) {
    result.status = 0;
    result.body.clear();
  }
  result.timings.total_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                SteadyClock::now() - start).count();
  Release(std::move(h));
  return result;
}

}  // namespace envelope::kms
