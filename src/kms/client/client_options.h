#pragma once
// ClientOptions: the fully resolved configuration a KmsClient is built from.
//
// Contract with src/kms/client/config/ (configuration resolution): that code applies the AWS
// precedence (code > environment > profile > default), resolves the endpoint from partition data
// (or endpoint_url), loads credentials, and fills this struct. KmsClient never reads the
// environment or any file itself; it only validates what it is given (KmsClient::Create returns
// kInvalidArgument for an empty endpoint/region/access key, max_attempts < 1, or non-positive
// timeouts).
//
// Every field has a safe default, so `ClientOptions{}` plus endpoint, region and credentials is a
// working client that can never hang: at most operation_timeout per call.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "envelope/result.h"
#include "envelope/secret_bytes.h"

namespace envelope::kms {

// Retry modes as in the AWS SDKs (AWS_RETRY_MODE / profile retry_mode).
//   kLegacy:   5 attempts, uncapped exponential jitter, no retry quota (botocore legacy).
//   kStandard: 3 attempts, full jitter capped at 20 s, retry quota 500.
//   kAdaptive: kStandard plus a client-side CUBIC rate limiter shared by all threads of a client.
enum class RetryMode { kLegacy, kStandard, kAdaptive };

// "legacy" | "standard" | "adaptive" (exact, lower-case, as the AWS config accepts).
// Errors: kInvalidArgument naming the bad value.
Result<RetryMode> ParseRetryMode(std::string_view text);
std::string_view RetryModeName(RetryMode mode);

// Static credentials for SigV4. Move-only because the secret is SecretBytes.
struct ClientCredentials {
  std::string access_key_id;
  SecretBytes secret_access_key;  // the secret key string's bytes; never logged
  std::string session_token;      // empty when none (sent as X-Amz-Security-Token otherwise)
};

struct ClientOptions {
  // Full URL: scheme://host[:port][/path], e.g. "https://kms.us-east-1.amazonaws.com",
  // "https://kms.us-east-1.api.aws" (dual-stack), "http://127.0.0.1:4599",
  // "http://[::1]:4599" (IPv6 literal). Required.
  std::string endpoint_url;
  // Signing region, e.g. "us-east-1". Required.
  std::string region;
  ClientCredentials credentials;  // access_key_id required

  RetryMode retry_mode = RetryMode::kStandard;
  // Total attempts including the first (AWS_MAX_ATTEMPTS semantics). nullopt: the mode's default
  // (legacy 5, standard/adaptive 3). 1 means never retry.
  std::optional<int> max_attempts;
  // Opt-in to the "2026" retry constants (AWS_NEW_RETRIES_2026=true): retry cost 14 (5 for
  // throttling, no timeout special case), backoff base 0.05 s (1 s for throttling).
  bool new_retries_2026 = false;

  // TCP (+TLS) connect phase per attempt (CURLOPT_CONNECTTIMEOUT_MS).
  std::chrono::milliseconds connect_timeout{3000};
  // Longest silence between bytes while waiting for / reading the response, per attempt.
  std::chrono::milliseconds read_timeout{10000};
  // Deadline over the whole call: all attempts and backoffs. No call outlives it.
  std::chrono::milliseconds operation_timeout{30000};

  // PEM bundle for TLS verification (AWS_CA_BUNDLE / profile ca_bundle). Empty: system store.
  // TLS peer and host verification are always on.
  std::string ca_bundle;

  // Transport tuning (no AWS config equivalent; defaults are fine).
  std::chrono::milliseconds happy_eyeballs_timeout{200};
  int max_idle_connections = 8;  // pooled keep-alive connections (one CURL handle each)
  std::string user_agent_suffix;  // appended to "envelope-kms-client/<version>"
};

}  // namespace envelope::kms
