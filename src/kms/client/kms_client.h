#pragma once
// KmsClient: the KmsApi over the AWS KMS wire protocol (JSON 1.1 POST, X-Amz-Target
// TrentService.<Op>, SigV4 with service "kms"), with connect/read timeouts per attempt, an
// operation deadline over all attempts and backoffs, and the legacy/standard/adaptive retry modes.
//
// No call outlives options.operation_timeout (plus the few ms libcurl needs to notice): when a
// backoff would cross the deadline the call ends with kDeadlineExceeded naming the last error.
//
// Errors: KMS error responses become the Status of kms/api/errors.h (error_type() = the
// normalized `__type`); transport failures kUnavailable (timeouts kDeadlineExceeded) with the
// transport error in the message; malformed responses kInternal.
//
// Observability: one debug log line per attempt and one summary line per call (core/log.h, never
// any key material), and counters readable with metrics().
//
// Thread-safe: one client serves many threads, sharing its connection pool, retry quota and
// adaptive rate limiter.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "envelope/result.h"
#include "kms/api/kms_api.h"
#include "kms/client/client_options.h"
#include "kms/client/http_transport.h"
#include "kms/client/retry_policy.h"

namespace envelope::kms {

struct OperationLatency {
  std::int64_t calls = 0;
  std::int64_t total_us = 0;  // sum of whole-call latencies (all attempts and backoffs)
  std::int64_t max_us = 0;
};

struct KmsClientMetrics {
  std::int64_t calls = 0;
  std::int64_t failed_calls = 0;
  std::int64_t attempts = 0;
  std::int64_t retries = 0;
  std::int64_t throttles = 0;        // attempts answered with a throttling error
  std::int64_t timeouts = 0;         // attempts ended by connect/read/deadline timeouts
  std::int64_t transport_errors = 0; // attempts ended by any transport error (timeouts included)
  std::int64_t deadline_exceeded = 0;   // calls ended by the operation deadline
  std::int64_t quota_exhausted = 0;     // retries refused by the retry quota
  std::int64_t reused_connections = 0;  // attempts sent on a pooled connection
  int retry_quota_available = 0;
  double adaptive_fill_rate = 0;        // tokens/s, meaningful when adaptive_enabled
  bool adaptive_enabled = false;
  std::map<std::string, OperationLatency> per_operation;
};

class KmsClient final : public KmsApi {
 public:
  // A client over libcurl (CurlTransport). Validates the options (kInvalidArgument: empty
  // endpoint_url/region/access key, a URL that is not http(s)://, max_attempts < 1, non-positive
  // timeouts; ca_bundle unreadable). `clock` and `random` must outlive the client.
  static Result<std::unique_ptr<KmsClient>> Create(ClientOptions options,
                                                   Clock& clock = RealClock(),
                                                   Random& random = SystemRandom());
  // The same over a caller-supplied transport (tests, custom HTTP stacks).
  static Result<std::unique_ptr<KmsClient>> Create(ClientOptions options,
                                                   std::unique_ptr<HttpTransport> transport,
                                                   Clock& clock, Random& random);

  Result<EncryptResponse> Encrypt(const EncryptRequest& request) override;
  Result<DecryptResponse> Decrypt(const DecryptRequest& request) override;
  Result<ReEncryptResponse> ReEncrypt(const ReEncryptRequest& request) override;
  Result<GenerateDataKeyResponse> GenerateDataKey(const GenerateDataKeyRequest& request) override;
  Result<GenerateDataKeyResponse> GenerateDataKeyWithoutPlaintext(
      const GenerateDataKeyRequest& request) override;
  Result<GenerateRandomResponse> GenerateRandom(const GenerateRandomRequest& request) override;
  Result<DescribeKeyResponse> DescribeKey(const DescribeKeyRequest& request) override;
  Result<CreateKeyResponse> CreateKey(const CreateKeyRequest& request) override;
  Result<ListKeysResponse> ListKeys(const ListKeysRequest& request) override;
  Result<ListAliasesResponse> ListAliases(const ListAliasesRequest& request) override;
  Result<Empty> CreateAlias(const CreateAliasRequest& request) override;
  Result<Empty> EnableKey(const KeyIdRequest& request) override;
  Result<Empty> DisableKey(const KeyIdRequest& request) override;
  Result<ScheduleKeyDeletionResponse> ScheduleKeyDeletion(
      const ScheduleKeyDeletionRequest& request) override;

  // Sends `body` as operation `operation` with retries; returns the 2xx response body.
  // Exposed for operations without a typed wrapper.
  Result<std::string> Invoke(std::string_view operation, const std::string& body);

  KmsClientMetrics metrics() const;
  const std::string& host() const { return host_; }
  const RetryPolicy& retry_policy() const { return policy_; }

 private:
  KmsClient(ClientOptions options, std::unique_ptr<HttpTransport> transport, Clock& clock,
            Random& random, std::string url, std::string host);
  HttpRequest BuildRequest(std::string_view operation, const std::string& body,
                           const std::string& invocation_id, int attempt) const;
  std::string InvocationId();

  // The attempts of one call until success, a final error or the deadline.
  Result<std::string> CallWithRetries(std::string_view operation, const std::string& body,
                                      Clock::TimePoint deadline);
  struct AttemptResult {
    HttpResult http;
    RetryDecision decision;
    bool crosses_deadline = false;  // a retry's backoff would end past the deadline
  };
  // One attempt: sends it, lets the retry policy classify and decide, records and logs it.
  AttemptResult RunAttempt(std::string_view operation, const std::string& body,
                           const std::string& invocation_id, int attempt,
                           Clock::TimePoint deadline, CallState& call);
  // kDeadlineExceeded after `attempts`, naming the last attempt's error; counted in metrics.
  Status DeadlineError(std::string_view operation, int attempts, std::string_view why,
                       const Status& last);
  // The error of a call the policy will not retry, saying why after several attempts.
  Status GiveUp(int attempts, const RetryDecision& d, Status last);
  struct AttemptLog {
    std::string_view operation;
    const std::string& invocation_id;
    int attempt;
    const HttpResult& result;
    const std::string& error_type;
    const RetryDecision& decision;
    bool crosses_deadline;
  };
  void LogAttempt(const AttemptLog& a) const;
  void RecordAttempt(const HttpResult& r, const RetryDecision& d);
  void RecordCall(std::string_view operation, Clock::Duration latency, const Status& status);

  const ClientOptions options_;
  const std::unique_ptr<HttpTransport> transport_;
  Clock& clock_;
  Random& random_;
  const std::string url_;   // endpoint URL with its path ("/" when none)
  const std::string host_;  // Host header value: host[:port], default ports omitted
  const std::string path_;
  protocol::SigV4Credentials credentials_;
  RetryPolicy policy_;
  mutable std::mutex metrics_mu_;
  KmsClientMetrics metrics_;  // guarded by metrics_mu_
};

// Parses scheme://host[:port][/path] (IPv6 literals in brackets). Returns {host header, path}.
// Errors: kInvalidArgument for anything else.
struct ParsedEndpoint {
  std::string scheme;
  std::string host_header;  // "kms.us-east-1.amazonaws.com", "127.0.0.1:4599", "[::1]:4599"
  std::string path;         // "/" when absent
};
Result<ParsedEndpoint> ParseEndpointUrl(std::string_view url);

}  // namespace envelope::kms
